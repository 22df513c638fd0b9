import Delivery
import Foundation

// MARK: - MarketoWriterCache

/// What the Marketo writer remembers across restarts, in one ``PersistentMap``: email -> lead id per subscription
/// (with a digest of the profile last sent, so an unchanged profile costs no upsert), the command ids of custom
/// activities already added (activities are write-once: a repeat is skipped, not sent), and the activity type's
/// id and attributes.
final class MarketoWriterCache: Sendable {
    /// A lead id and the digest of the profile fields last upserted for it.
    struct CachedLead: Sendable, Hashable {
        var leadId: Int
        var profileDigest: String
    }

    /// An activity type as the writer needs it.
    struct ActivityType: Sendable, Hashable {
        var id: Int
        var attributes: Set<String>
    }

    private let map: PersistentMap

    /// Opens the cache in `directory` (file `marketo-writer.cache`), or in memory when nil.
    init(directory: URL?) throws(PersistentMapError) {
        map = try PersistentMap(file: directory?.appendingPathComponent("marketo-writer.cache"))
    }

    private static func leadKey(_ munchkinId: String, _ email: String) -> String { "lead/\(munchkinId)/\(email)" }
    private static func activityKey(_ munchkinId: String, _ commandId: String) -> String {
        "activity/\(munchkinId)/\(commandId)"
    }
    private static func typeKey(_ munchkinId: String, _ apiName: String) -> String { "type/\(munchkinId)/\(apiName)" }

    // MARK: Leads

    /// The cached leads of `emails` (nil where unknown), in order.
    func leads(munchkinId: String, emails: [String]) -> [CachedLead?] {
        map.values(for: emails.map { Self.leadKey(munchkinId, $0) }).map { value in
            guard let value else { return nil }
            let parts = value.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: false)
            guard let first = parts.first, let leadId = Int(first) else { return nil }
            return CachedLead(leadId: leadId, profileDigest: parts.count > 1 ? String(parts[1]) : "")
        }
    }

    /// Remembers leads.
    func storeLeads(munchkinId: String, _ leads: [(email: String, lead: CachedLead)]) {
        map.setAll(leads.map { (Self.leadKey(munchkinId, $0.email), "\($0.lead.leadId) \($0.lead.profileDigest)") })
    }

    /// Forgets a lead, unless the entry already names another id (a concurrent re-resolution won).
    func forgetLead(munchkinId: String, email: String, ifLeadId leadId: Int) {
        let current = leads(munchkinId: munchkinId, emails: [email])[0]
        guard current?.leadId == leadId else { return }
        map.set(Self.leadKey(munchkinId, email), nil)
    }

    // MARK: Activities

    /// Which of `commandIds` were already added as activities.
    func deliveredActivities(munchkinId: String, commandIds: [String]) -> [Bool] {
        map.values(for: commandIds.map { Self.activityKey(munchkinId, $0) }).map { $0 != nil }
    }

    /// Remembers activities Marketo added, with their `marketoGUID`.
    func storeDeliveredActivities(munchkinId: String, _ activities: [(commandId: String, marketoGUID: String)]) {
        map.setAll(activities.map { (Self.activityKey(munchkinId, $0.commandId), $0.marketoGUID) })
    }

    // MARK: Activity type

    /// The cached activity type.
    func activityType(munchkinId: String, apiName: String) -> ActivityType? {
        guard let value = map[Self.typeKey(munchkinId, apiName)] else { return nil }
        let parts = value.split(separator: "|", maxSplits: 1, omittingEmptySubsequences: false)
        guard let first = parts.first, let id = Int(first) else { return nil }
        let attributes = parts.count > 1 ? parts[1].split(separator: ",").map(String.init) : []
        return ActivityType(id: id, attributes: Set(attributes))
    }

    /// Remembers the activity type.
    func storeActivityType(munchkinId: String, apiName: String, _ type: ActivityType?) {
        let value = type.map { "\($0.id)|" + $0.attributes.sorted().joined(separator: ",") }
        map.set(Self.typeKey(munchkinId, apiName), value)
    }

    /// Writes what changed to the file.
    func flush() throws(PersistentMapError) {
        try map.flush()
    }

    /// Entries held (leads, activities and types).
    var count: Int { map.count }
}
