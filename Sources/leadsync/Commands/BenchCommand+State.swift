import ArgumentParser
import Basics
import Fold
import Foundation
import LeadModel
import Simulation

extension BenchCommand {
    /// The fold's state store footprint: memory per million leads.
    struct StateFootprint: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "state",
            abstract: "Memory of the fold's lead state store, in MB per million leads.",
            discussion: """
                Folds a simulated stream into the same store a fold task keeps (encoded states keyed by lead), with \
                no Kafka, and reports the growth of the resident set (from /proc/self/statm) per million leads, \
                and of its peak (VmHWM in /proc/self/status). With --breakdown, also how the encoded states' bytes \
                split between their parts.
                """
        )

        @Option(help: "Leads to fold.") var leads = 1_000_000
        @Option(help: "Valid events per lead.") var eventsPerLead = 8
        @Flag(help: "Also print how the encoded states' bytes split between their parts (after the measurement).")
        var breakdown = false
        @Flag(help: "Fold into the previous store (a dictionary of version 1 encodings), to compare in one build.")
        var dictionaryStore = false
        @Flag(help: "Also time putting every lead's changelog encoding into a new store, as a restore does.")
        var restoreRate = false

        func run() async throws {
            try await runReportingErrors {
                let plan = SimulationPlan(
                    tenants: BenchTenants.simulated,
                    leadCount: leads,
                    eventsPerLead: eventsPerLead,
                    rates: SimulationRates(outOfOrder: 0.05, duplicate: 0.02),
                    seed: 7
                )
                try plan.validate()
                let before = currentRSSBytes()
                let peakBefore = peakRSSBytes()
                var fold = OfflineFold(tenants: BenchTenants.directory, dictionaryStore: dictionaryStore)
                let now = Timestamp(millisecondsSinceEpoch: 1_800_000_000_000)
                let started = ContinuousClock.now
                for record in plan.records() { fold.fold(record.value, now: now) }
                let elapsed = ContinuousClock.now - started
                let grown = Double(currentRSSBytes() - before) / 1_048_576
                let peakGrown = Double(peakRSSBytes() - peakBefore) / 1_048_576
                let perMillion = grown / Double(fold.leadCount) * 1_000_000
                let peakPerMillion = peakGrown / Double(fold.leadCount) * 1_000_000
                let payload = Double(fold.payloadBytes) / Double(fold.leadCount)
                let seconds = elapsed.seconds
                printLine(
                    FoldThroughput.json([
                        "leads": fold.leadCount, "events": plan.validRecordCount, "rss_growth_mb": grown,
                        "mb_per_million_leads": perMillion, "peak_mb_per_million_leads": peakPerMillion,
                        "payload_bytes_per_lead": payload,
                        "store_bytes_per_lead": Double(fold.reservedBytes) / Double(max(fold.leadCount, 1)),
                        "free_bytes_per_lead": Double(fold.freeBytes) / Double(max(fold.leadCount, 1)),
                        "events_per_s_no_kafka": (Double(plan.validRecordCount) / seconds).rounded(),
                    ])
                )
                printLine(
                    String(
                        format:
                            "state store: %.0f MB per million leads (peak %.0f; %.0f bytes of key and state per lead)",
                        perMillion,
                        peakPerMillion,
                        payload
                    )
                )
                if breakdown { try printBreakdown(of: fold) }
                if restoreRate {
                    let restore = fold.measureRestore()
                    printLine(
                        FoldThroughput.json([
                            "restore_leads": restore.leads,
                            "restore_puts_per_s_no_kafka": (Double(restore.leads) / max(restore.seconds, 1e-9))
                                .rounded(),
                        ])
                    )
                    let path = FileManager.default.temporaryDirectory
                        .appendingPathComponent("leadsync-bench-state-\(UUID().uuidString).snapshot").path
                    let snapshot = try fold.measureSnapshot(at: path)
                    printLine(
                        FoldThroughput.json([
                            "snapshot_bytes": snapshot.bytes, "snapshot_write_s": snapshot.writeSeconds,
                            "snapshot_read_s": snapshot.readSeconds,
                            "snapshot_entries_read_per_s": (Double(fold.leadCount) / max(snapshot.readSeconds, 1e-9))
                                .rounded(),
                        ])
                    )
                }
                withExtendedLifetime(fold) {}
            }
        }

        /// Bytes per lead of each part of the encoding, measured by re-encoding each state without the part.
        private func printBreakdown(of fold: OfflineFold) throws {
            var parts: [String: Int] = [:]
            var internedParts: [String: Int] = [:]
            let table = LeadStringTable()
            var counts: [String: Int] = [:]
            var leads = 0
            var failure: (any Error)?
            fold.forEachState { key, bytes in
                guard failure == nil else { return }
                let state: LeadState
                do { state = try LeadStateCodec.decode(bytes) } catch {
                    failure = error
                    return
                }
                leads += 1
                parts["key", default: 0] += key.utf8.count
                internedParts["key", default: 0] += key.utf8.count
                var reduced = state
                var size = bytes.count
                var internedSize = LeadStateCodec.encode(state, interningInto: table).count
                func strip(_ name: String, _ change: (inout LeadState) -> Void) {
                    change(&reduced)
                    let smaller = LeadStateCodec.encode(reduced).count
                    parts[name, default: 0] += size - smaller
                    size = smaller
                    let internedSmaller = LeadStateCodec.encode(reduced, interningInto: table).count
                    internedParts[name, default: 0] += internedSize - internedSmaller
                    internedSize = internedSmaller
                }
                strip("timeline entries") { state in
                    for index in state.timelines.indices {
                        state.timelines[index] = StatusTimeline(virtualEventId: state.timelines[index].virtualEventId)
                    }
                }
                strip("engagements") { $0.engagements = [] }
                strip("profile") {
                    $0.profile = nil
                    $0.profileOccurredAt = nil
                }
                strip("userId") {
                    $0.userId = nil
                    $0.userIdOccurredAt = nil
                }
                strip("timelines (event, result, counts)") { $0.timelines = [] }
                parts["header (version, flags, base time, empty counts)", default: 0] += size
                internedParts["header (version, flags, base time, empty counts)", default: 0] += internedSize
                counts["memberships"] = (counts["memberships"] ?? 0) + state.memberships.count
                counts["timeline entries"] =
                    (counts["timeline entries"] ?? 0) + state.timelines.reduce(0) { $0 + $1.entries.count }
                counts["timeline engagement entries"] =
                    (counts["timeline engagement entries"] ?? 0)
                    + state.timelines.reduce(0) { total, timeline in
                        total + timeline.entries.filter { $0.kind == .engagement }.count
                    }
                counts["engagements"] = (counts["engagements"] ?? 0) + state.engagements.count
                counts["pending engagements"] =
                    (counts["pending engagements"] ?? 0) + state.engagements.filter { !$0.isActivityEmitted }.count
                counts["profiles"] = (counts["profiles"] ?? 0) + (state.profile == nil ? 0 : 1)
                counts["custom profile fields"] =
                    (counts["custom profile fields"] ?? 0) + (state.profile?.custom.count ?? 0)
                var events = Set<String>()
                for timeline in state.timelines { events.insert(timeline.virtualEventId) }
                for record in state.engagements { events.insert(record.virtualEventId) }
                counts["virtual events referenced"] = (counts["virtual events referenced"] ?? 0) + events.count
                counts["event table bytes"] =
                    (counts["event table bytes"] ?? 0) + events.reduce(0) { $0 + $1.utf8.count + 1 }
            }
            if let failure { throw failure }
            let divisor = Double(max(leads, 1))
            printLine(
                "payload breakdown, bytes per lead (\(leads) leads), changelog encoding (v3) | in-memory form (v4):"
            )
            for (name, bytes) in parts.sorted(by: { $0.value > $1.value }) {
                printLine(
                    "  " + name.padding(toLength: 50, withPad: " ", startingAt: 0)
                        + String(
                            format: "%7.1f | %7.1f",
                            Double(bytes) / divisor,
                            Double(internedParts[name] ?? 0) / divisor
                        )
                )
            }
            let total = parts.values.reduce(0, +)
            let internedTotal = internedParts.values.reduce(0, +)
            printLine(
                "  " + "total".padding(toLength: 50, withPad: " ", startingAt: 0)
                    + String(format: "%7.1f | %7.1f", Double(total) / divisor, Double(internedTotal) / divisor)
            )
            printLine("  (\(table.count) strings in the breakdown's table, \(table.utf8Count) bytes)")
            printLine("contents, per lead:")
            for (name, count) in counts.sorted(by: { $0.key < $1.key }) {
                printLine(
                    "  " + name.padding(toLength: 50, withPad: " ", startingAt: 0)
                        + String(format: "%7.2f", Double(count) / divisor)
                )
            }
        }

        private func currentRSSBytes() -> Int {
            guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return 0 }
            let fields = text.split(separator: " ")
            guard fields.count > 1, let pages = Int(fields[1]) else { return 0 }
            return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
        }

        /// The process's peak resident set (VmHWM), in bytes.
        private func peakRSSBytes() -> Int {
            guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
            for line in text.split(separator: "\n") where line.hasPrefix("VmHWM:") {
                let kilobytes = line.split(separator: " ").dropFirst().first.flatMap { Int($0) } ?? 0
                return kilobytes * 1024
            }
            return 0
        }
    }
}
