import Delivery
import Foundation

// MARK: - MarketoWriterCache

/// What the Marketo writer remembers across restarts, in one ``PersistentMap``: email -> lead id per subscription
/// (with a digest of the profile last sent, so an unchanged profile costs no upsert) and the activity type's id and
/// attributes. Which activities were added is not a cache: it is the effect ledger (``Delivery/EffectLedger``),
/// which moves with the command partitions.
final class MarketoWriterCache: Sendable {
    /// A lead id and the digest of the profile fields last upserted for it.
    struct CachedLead: Sendable, Hashable {
        var leadId: Int
        var profileDigest: String
    }

    /// An activity type as the writer needs it.
    struct ActivityType: Sendable, Hashable, Codable {
        var id: Int
        /// Attribute API names.
        var attributes: Set<String>
        /// API name -> display name (Get Lead Activities names attributes by their display name).
        var displayNames: [String: String] = [:]

        /// The names an attribute may come back under.
        func names(of apiName: String) -> Set<String> {
            [apiName, displayNames[apiName] ?? apiName]
        }
    }

    private let map: PersistentMap

    /// Opens the cache in `directory` (file `marketo-writer.cache`), or in memory when nil.
    init(directory: URL?) throws(PersistentMapError) {
        map = try PersistentMap(file: directory?.appendingPathComponent("marketo-writer.cache"))
    }

    private static func leadKey(_ munchkinId: String, _ email: String) -> String { "lead/\(munchkinId)/\(email)" }
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

    // MARK: Activity type

    /// The cached activity type (an entry of an older format, without display names, is described again).
    func activityType(munchkinId: String, apiName: String) -> ActivityType? {
        guard let value = map[Self.typeKey(munchkinId, apiName)] else { return nil }
        return try? JSONDecoder().decode(ActivityType.self, from: Data(value.utf8))
    }

    /// Remembers the activity type.
    func storeActivityType(munchkinId: String, apiName: String, _ type: ActivityType?) {
        let value = type.flatMap { try? JSONEncoder().encode($0) }.map { String(decoding: $0, as: UTF8.self) }
        map.set(Self.typeKey(munchkinId, apiName), value)
    }

    /// Writes what changed to the file.
    func flush() throws(PersistentMapError) {
        try map.flush()
    }

    /// Entries held (leads and types).
    var count: Int { map.count }
}
