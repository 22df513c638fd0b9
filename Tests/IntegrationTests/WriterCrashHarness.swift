import Config
import Foundation
import Kafka
import LeadModel
import Logging
import SandboxMarketo
import SandboxSalesforce
import Simulation

// MARK: - WriterWorkload

/// What the fold emits for a simulated stream, computed in the test the way the fold computes it (each lead's
/// events in stream order, then every pending custom activity as due): the commands in order, and every lead's
/// final state. The writers' tests produce these commands and compare the CRMs with these states.
struct WriterWorkload {
    var commands: [Command] = []
    var states: [LeadKey: LeadState] = [:]

    init(records: [SimulatedRecord], tenants: TenantDirectory) {
        let decoder = InputEventDecoder()
        var states: [String: LeadState] = [:]
        let now = Timestamp(millisecondsSinceEpoch: 1_800_000_000_000)
        for record in records {
            guard let event = try? decoder.decode(record.value), tenants.validate(event) == nil,
                let rules = tenants.rules(for: event.tenant)
            else { continue }
            let key = event.leadKey.rawValue
            var state = states[key] ?? LeadState()
            commands += LeadFold.apply(event, to: &state, rules: rules, now: now).commands
            states[key] = state
        }
        // The settle timer, long after: every pending activity is due.
        let later = Timestamp(millisecondsSinceEpoch: 1_900_000_000_000)
        for (raw, var state) in states.sorted(by: { $0.key < $1.key }) {
            guard let key = LeadKey(rawValue: raw), let rules = tenants.rules(for: key.tenant) else { continue }
            commands += LeadFold.dueActivities(for: key, in: &state, rules: rules, now: later)
            self.states[key] = state
        }
    }

    /// The newest engagement upsert per (destination, lead, entry): what each engagement record must hold.
    var newestUpserts: [String: Command] {
        var newest: [String: Command] = [:]
        for command in commands {
            guard case .engagementUpsert(let snapshot) = command.payload else { continue }
            let key = "\(command.destination.rawValue)|\(command.leadKey.rawValue)|\(snapshot.entry.id)"
            if let current = newest[key], current.occurredAt > command.occurredAt { continue }
            newest[key] = command
        }
        return newest
    }
}

// MARK: - CRM checks

/// Compares the engagement records the sandboxes hold with the newest snapshot the fold emitted, metric by metric.
enum EngagementRecordCheck {
    /// Differences, at most `limit`, as text. Fields are looked up under the tenant's configured names
    /// (`marketoObject`, `salesforceObject`: docs/crm-setup.md's by default).
    static func differences(
        _ workload: WriterWorkload,
        marketo: MarketoSandbox,
        munchkinId: String,
        salesforce: SalesforceSandbox,
        marketoObject: MarketoCustomObjectNames = .standard,
        salesforceObject: SalesforceEngagementNames = .standard,
        limit: Int = 10
    ) -> (checked: Int, differences: [String]) {
        var differences: [String] = []
        var checked = 0
        let snapshot = marketo.snapshot(munchkinId)
        var marketoEmails: [Int: String] = [:]
        for lead in snapshot?.leads ?? [] { if let email = lead.email?.lowercased() { marketoEmails[lead.id] = email } }
        var marketoRecords: [String: [String: SandboxValue]] = [:]
        for record in snapshot?.customObjects ?? [] {
            guard let leadId = record.fields["personId"]?.intValue, let email = marketoEmails[leadId],
                let entry = record.fields["entry_id"]?.stringValue
            else { continue }
            marketoRecords["\(email)|\(entry)"] = record.fields
        }
        var salesforceRecords: [String: [String: SandboxFieldValue]] = [:]
        for record in salesforce.engagementRecords() {
            guard let email = record["email__c"].string?.lowercased(), let entry = record["entry_id__c"].string,
                let member = record["campaign_member__c"].string
            else { continue }
            salesforceRecords["\(email)|\(entry)|\(member.prefix(18))"] = record.fields
        }
        for (_, command) in workload.newestUpserts.sorted(by: { $0.key < $1.key }) {
            guard case .engagementUpsert(let snapshot) = command.payload else { continue }
            let email = command.email.lowercased()
            for metric in EngagementMetric.allCases {
                let expected = snapshot.metrics.count(metric).map(Double.init) ?? snapshot.metrics.number(metric)
                guard let expected else { continue }
                checked += 1
                let found: Double?
                switch command.target {
                case .marketo:
                    found = marketoObject.fields[.metric(metric)].flatMap { field in
                        marketoRecords["\(email)|\(snapshot.entry.id)"]?[field]?.doubleValue
                    }
                case .salesforce(let campaignId):
                    // e.g. combined_live_engaged_ratio__c: a Salesforce field name has at most 40 characters.
                    found = salesforceObject.fields[.metric(metric)].flatMap { field in
                        salesforceRecords["\(email)|\(snapshot.entry.id)|\(campaignId.prefix(18))"]?[field]?.number
                    }
                }
                if found.map({ abs($0 - expected) > 0.011 }) ?? true, differences.count < limit {
                    differences.append(
                        "\(command.destination.rawValue) \(email) entry \(snapshot.entry.id) \(metric.key): "
                            + "\(found.map { "\($0)" } ?? "no record") != \(expected)"
                    )
                }
            }
        }
        return (checked, differences)
    }
}

// MARK: - Writer processes

/// A writer role as a child process that can be killed and started again with the same command.
final class WriterProcess {
    let name: String
    let arguments: [String]
    let environment: [String: String]
    let logDirectory: URL
    private(set) var current: RoleProcess
    private(set) var starts = 1

    init(name: String, arguments: [String], environment: [String: String], logDirectory: URL) throws {
        self.name = name
        self.arguments = arguments
        self.environment = environment
        self.logDirectory = logDirectory
        current = try RoleProcess(
            name: "\(name)-1",
            arguments: arguments,
            environment: environment,
            logDirectory: logDirectory
        )
    }

    /// SIGKILL, then the same command again.
    func killAndRestart() throws {
        current.killIfRunning()
        starts += 1
        current = try RoleProcess(
            name: "\(name)-\(starts)",
            arguments: arguments,
            environment: environment,
            logDirectory: logDirectory
        )
    }

    var logPaths: [String] {
        (1...starts).map { logDirectory.appendingPathComponent("\(name)-\($0).log").path }
    }
}
