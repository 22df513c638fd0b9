import Foundation
import LeadModel
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Throughput of the fold's hot path, printed only: run with `LEADSYNC_BENCHMARK=1 swift test -c release
/// -Xswiftc -enable-testing --filter DecodeFoldBenchmark`. It never fails on a timing (timings vary by machine).
@Suite(
    "Decode and fold throughput",
    .serialized,
    .enabled(if: ProcessInfo.processInfo.environment["LEADSYNC_BENCHMARK"] == "1")
)
struct DecodeFoldBenchmark {
    static let leads = 20_000
    static let eventsPerLead = 10
    /// Repeat the measured loops (e.g. for a profiler, so generation does not dominate the samples).
    static let rounds = Int(ProcessInfo.processInfo.environment["LEADSYNC_BENCHMARK_ROUNDS"] ?? "") ?? 1

    static let statuses = [
        "Invited by team member", "SSO login", "Registered", "Confirmed email", "Registered no confirmation required",
        "Pre-event visit", "During-event visit", "Attended", "Un-registered", "Blocked",
    ]

    /// Attendee events for `leads` leads, interleaved, with the example's profile.
    static func attendeeRecords() -> [[UInt8]] {
        var records: [[UInt8]] = []
        records.reserveCapacity(leads * eventsPerLead)
        for round in 0..<eventsPerLead {
            for lead in 0..<leads {
                let eventId = String(format: "%08x-2b8a-4c55-9a57-%012x", round, lead)
                let second = String(format: "%02d", round)
                let json = Fixtures.attendeeJSON
                    .replacingFirst("7d1c3f0e-2b8a-4c55-9a57-0c2f4d1e9b10", with: eventId)
                    .replacingFirst("Jane.Doe@Example.com", with: "Lead.\(lead)@Example.com")
                    .replacingFirst("Confirmed email", with: statuses[(round + lead) % statuses.count])
                    .replacingFirst("10:00:00.123Z", with: "10:00:\(second).123Z")
                records.append(Array(json.utf8))
            }
        }
        return records
    }

    static func engagementRecords() -> [[UInt8]] {
        var records: [[UInt8]] = []
        for round in 0..<eventsPerLead {
            for lead in 0..<leads {
                let eventId = String(format: "%08x-5b0e-4c8e-8f7a-%012x", round, lead)
                let json = Fixtures.engagementJSON
                    .replacingFirst("c0b6b1f2-5b0e-4c8e-8f7a-2f6b1d7c9e21", with: eventId)
                    .replacingFirst("jane.doe@example.com", with: "lead.\(lead)@example.com")
                    .replacingFirst("1_abcd1234", with: "1_entry\(round % 2)")
                    .replacingFirst("10:45:00Z", with: String(format: "10:45:%02dZ", round))
                records.append(Array(json.utf8))
            }
        }
        return records
    }

    /// Decode, look up and decode the lead's blob, fold, encode the blob back: what the fold task does per record.
    static func run(_ records: [[UInt8]], encodeCommands: Bool) throws -> (perSecond: Double, bytesPerLead: Double) {
        let decoder = InputEventDecoder()
        let rules = TenantRules(
            tenant: "acme",
            eventMappings: [
                "summit-2026": EventMapping(marketoProgramId: 1001, salesforceCampaignId: "701000000000001AAA")
            ]
        )
        var store: [LeadKey: [UInt8]] = [:]
        store.reserveCapacity(leads)
        var commandBytes = 0
        let now = Fixtures.t0
        let started = threadCPUSeconds()
        do {
            for record in records {
                let event = try decoder.decode(record)
                // One hash lookup per record: the blob is decoded, folded and re-encoded in place.
                try modify(&store[event.leadKey, default: []]) { blob throws in
                    var state = blob.isEmpty ? LeadState() : try LeadStateCodec.decode(blob)
                    let outcome = LeadFold.apply(event, to: &state, rules: rules, now: now)
                    if outcome.stateChanged { blob = LeadStateCodec.encode(state) }
                    if encodeCommands {
                        for command in outcome.commands { commandBytes &+= CommandCodec.encode(command).count }
                    }
                }
            }
        }
        let seconds = threadCPUSeconds() - started
        let totalBytes = store.values.reduce(0) { $0 + $1.count }
        return (Double(records.count) / seconds, Double(totalBytes) / Double(store.count))
    }

    /// CPU time of this thread in seconds: unlike wall time it does not count time the core spent on other
    /// processes (the development machines are shared), so the figure is per core of work.
    static func threadCPUSeconds() -> Double {
        var spec = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &spec)
        return Double(spec.tv_sec) + Double(spec.tv_nsec) * 1e-9
    }

    private static func modify<Value>(_ value: inout Value, _ body: (inout Value) throws -> Void) rethrows {
        try body(&value)
    }

    /// Decode and fold with states kept as values (no snapshot codec), to separate the codec's share.
    static func runInMemory(_ records: [[UInt8]]) throws -> Double {
        let decoder = InputEventDecoder()
        let rules = TenantRules(
            tenant: "acme",
            eventMappings: [
                "summit-2026": EventMapping(marketoProgramId: 1001, salesforceCampaignId: "701000000000001AAA")
            ]
        )
        var store: [LeadKey: LeadState] = [:]
        store.reserveCapacity(leads)
        var commands = 0
        let started = threadCPUSeconds()
        for record in records {
            let event = try decoder.decode(record)
            commands &+=
                LeadFold.apply(event, to: &store[event.leadKey, default: LeadState()], rules: rules, now: Fixtures.t0)
                .commands.count
        }
        return Double(records.count) / (threadCPUSeconds() - started)
    }

    @Test("attendee events: decode only, decode + fold, decode + fold + command JSON")
    func attendee() throws {
        let records = Self.attendeeRecords()
        for _ in 1..<max(Self.rounds, 1) { _ = try Self.run(records, encodeCommands: false) }
        let decoder = InputEventDecoder()
        var checksum = 0
        let started = Self.threadCPUSeconds()
        for record in records { checksum &+= try decoder.decode(record).eventId.utf8.count }
        let decodeSeconds = Self.threadCPUSeconds() - started
        print(
            "attendee decode only (CPU time): \(Int(Double(records.count) / decodeSeconds)) events/s "
                + "(checksum \(checksum))"
        )
        print("attendee decode+fold (states in memory, no codec): \(Int(try Self.runInMemory(records))) events/s")
        let fold = try Self.run(records, encodeCommands: false)
        print(
            "attendee decode+fold (+state codec): \(Int(fold.perSecond)) events/s, \(Int(fold.bytesPerLead)) bytes/lead"
        )
        let withCommands = try Self.run(records, encodeCommands: true)
        print("attendee decode+fold+command JSON: \(Int(withCommands.perSecond)) events/s")
        #expect(fold.perSecond > 0)
    }

    @Test("engagement events: decode + fold (+state codec)")
    func engagement() throws {
        let records = Self.engagementRecords()
        for _ in 1..<max(Self.rounds, 1) { _ = try Self.run(records, encodeCommands: false) }
        let fold = try Self.run(records, encodeCommands: false)
        print(
            "engagement decode+fold (+state codec): \(Int(fold.perSecond)) events/s, "
                + "\(Int(fold.bytesPerLead)) bytes/lead"
        )
        #expect(fold.perSecond > 0)
    }
}
