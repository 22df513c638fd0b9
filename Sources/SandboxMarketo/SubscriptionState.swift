import Foundation

/// Everything one subscription holds at run time. Lives inside ``MarketoStore``'s lock.
struct SubscriptionState: Sendable {
    let setup: MarketoSandboxSetup.Subscription

    // MARK: - Auth
    /// The live token of the subscription's client id, if one was issued.
    var currentToken: String?
    /// The client secret the identity service accepts: the setup's until it is rotated.
    var clientSecret: String

    // MARK: - Limits
    /// Arrival times of counted calls inside the rolling window, oldest first.
    var windowCalls: [Date] = []
    /// Calls in flight now.
    var inFlight = 0
    /// Counted calls per quota day (`yyyy-MM-dd`, America/Chicago).
    var callsPerDay: [String: Int] = [:]
    /// Response-level error codes per quota day.
    var errorsPerDay: [String: [String: Int]] = [:]

    /// Orders admissions and lead creations, to emulate lookups racing with concurrent creates.
    var tick = 0

    // MARK: - Leads
    var leads: [Int: SandboxLead] = [:]
    /// The tick at which each lead was created.
    var leadCreatedTick: [Int: Int] = [:]
    var nextLeadId = 1_001
    /// Lowercased email to lead ids (several leads may share an email).
    var leadsByEmail: [String: [Int]] = [:]

    // MARK: - Programs
    /// Memberships by program id, then lead id.
    var memberships: [Int: [Int: SandboxMembership]] = [:]

    // MARK: - Activities
    var activities: [SandboxActivity] = []
    var nextActivityId = 5_001

    // MARK: - Custom objects
    /// Records by object name, then marketoGUID.
    var customObjects: [String: [String: SandboxCustomObjectRecord]] = [:]
    /// Object name to dedupe key to marketoGUID.
    var customObjectKeys: [String: [String: String]] = [:]
    /// Insertion order of marketoGUIDs per object, for stable listings.
    var customObjectOrder: [String: [String]] = [:]

    // MARK: - Bulk
    var imports: [SandboxBulkImport] = []
    var exports: [SandboxBulkExport] = []
    /// Export bytes produced per quota day.
    var exportBytesPerDay: [String: Int] = [:]

    init(setup: MarketoSandboxSetup.Subscription) {
        self.setup = setup
        self.clientSecret = setup.clientSecret
    }

    // MARK: - Lookups

    var leadFieldsByName: [String: MarketoSandboxSetup.Field] {
        Dictionary(setup.leadFields.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
    }

    func program(_ id: Int) -> MarketoSandboxSetup.Program? {
        setup.programs.first { $0.id == id }
    }

    func channel(named name: String) -> MarketoSandboxSetup.Channel? {
        setup.channels.first { $0.name == name }
    }

    func leadIds(withEmail email: String) -> [Int] {
        leadsByEmail[email.lowercased()] ?? []
    }

    mutating func indexEmail(of leadId: Int, old: String?, new: String?) {
        if let old {
            leadsByEmail[old.lowercased()]?.removeAll { $0 == leadId }
            if leadsByEmail[old.lowercased()]?.isEmpty == true { leadsByEmail[old.lowercased()] = nil }
        }
        if let new { leadsByEmail[new.lowercased(), default: []].append(leadId) }
    }
}
