public import LeadModel

/// Which dead letters a listing or a replay takes. Every criterion that is set must hold; within one criterion,
/// any of its values may match (`--tenant acme --tenant globex`). An empty filter takes every dead letter.
public struct DeadLetterFilter: Sendable, Hashable {
    /// Tenants (see ``DeadLetterRecord/tenant``); a dead letter whose tenant cannot be told never matches.
    public var tenants: Set<String>
    /// Error classes (`leadsync.error.class`): `invalid_input`, `permanent`, `transient`, ...
    public var errorClasses: Set<String>
    /// Error codes (`leadsync.error.code`): `unmapped_event`, `1013`, `INVALID_FIELD`, ...
    public var errorCodes: Set<String>
    /// Original topics (`leadsync.original.topic`): `attendee.events`, `marketo.commands`, ...
    public var originalTopics: Set<String>
    /// Dead-lettered at or after this time (see ``DeadLetterRecord/deadLetteredAt``).
    public var since: Timestamp?
    /// Dead-lettered before this time.
    public var until: Timestamp?

    /// Creates a filter; every criterion left out takes everything.
    public init(
        tenants: Set<String> = [],
        errorClasses: Set<String> = [],
        errorCodes: Set<String> = [],
        originalTopics: Set<String> = [],
        since: Timestamp? = nil,
        until: Timestamp? = nil
    ) {
        self.tenants = tenants
        self.errorClasses = errorClasses
        self.errorCodes = errorCodes
        self.originalTopics = originalTopics
        self.since = since
        self.until = until
    }

    /// The filter that takes every dead letter.
    public static let all = DeadLetterFilter()

    /// Whether the filter takes every dead letter.
    public var isEmpty: Bool { self == .all }

    /// Whether `letter` passes every criterion.
    public func matches(_ letter: DeadLetterRecord) -> Bool {
        if !errorClasses.isEmpty && !errorClasses.contains(letter.errorClass ?? "") { return false }
        if !errorCodes.isEmpty && !errorCodes.contains(letter.errorCode ?? "") { return false }
        if !originalTopics.isEmpty && !originalTopics.contains(letter.originalTopic ?? "") { return false }
        if since != nil || until != nil {
            guard let time = letter.deadLetteredAt else { return false }
            if let since, time < since { return false }
            if let until, time >= until { return false }
        }
        if !tenants.isEmpty {
            // Last: the tenant may need the payload parsed.
            guard let tenant = letter.tenant, tenants.contains(tenant) else { return false }
        }
        return true
    }

    /// Checks that the time range is not empty.
    /// - Throws: ``DeadLetterError/Code/invalidArgument`` when `since` is not before `until`.
    public func validate() throws(DeadLetterError) {
        if let since, let until, since >= until {
            throw .invalidArgument("the time range is empty: --since \(since) is not before --until \(until)")
        }
    }
}
