import Delivery
import Foundation

// MARK: - SalesforceIdentityCache

/// What a tenant's sink has learned about its org and must not spend API calls on again after a restart: the
/// person each email stands for, and which CampaignMembers already exist under LeadSync's key (so that only
/// `Status` is sent to them).
///
/// Kept in a `PersistentMap` (`salesforce-<tenant>.cache` under the cache directory), flushed after every
/// batch. Keys: `p:<email>` -> ``SalesforcePerson/cacheValue``; `m:<member key>` -> `1`; `s:<campaign id>` ->
/// ``SalesforceCampaignStatusLabels/cacheValue``.
final class SalesforceIdentityCache: Sendable {
    private let map: PersistentMap

    /// Opens the tenant's cache file, or a memory-only cache when `directory` is nil.
    init(tenant: String, directory: URL?) throws(PersistentMapError) {
        let file = directory?.appendingPathComponent("salesforce-\(tenant).cache")
        self.map = try PersistentMap(file: file)
    }

    /// The people known for these emails, nil where unknown.
    func people(for emails: [String]) -> [SalesforcePerson?] {
        map.values(for: emails.map { "p:" + $0 }).map { $0.flatMap(SalesforcePerson.init(cacheValue:)) }
    }

    /// Remembers people by email.
    func remember(_ people: [(email: String, person: SalesforcePerson)]) {
        map.setAll(people.map { (key: "p:" + $0.email, value: $0.person.cacheValue) })
    }

    /// Forgets an email's person (it was deleted, merged or converted since).
    func forget(email: String) {
        map.set("p:" + email, nil)
    }

    /// Whether these members are known to exist under LeadSync's key.
    func membersExist(_ keys: [String]) -> [Bool] {
        map.values(for: keys.map { "m:" + $0 }).map { $0 != nil }
    }

    /// Remembers members that exist under LeadSync's key.
    func rememberMembers(_ keys: [String]) {
        map.setAll(keys.map { (key: "m:" + $0, value: "1") })
    }

    /// Forgets a member (it was deleted since).
    func forgetMember(_ key: String) {
        map.set("m:" + key, nil)
    }

    /// A campaign's member status labels as last read.
    func statusLabels(campaignId: String) -> SalesforceCampaignStatusLabels? {
        map["s:" + campaignId].flatMap(SalesforceCampaignStatusLabels.init(cacheValue:))
    }

    /// Remembers a campaign's member status labels.
    func rememberStatusLabels(_ labels: SalesforceCampaignStatusLabels, campaignId: String) {
        map.set("s:" + campaignId, labels.cacheValue)
    }

    /// Writes what was learned to the file.
    func flush() throws(PersistentMapError) {
        try map.flush()
    }
}
