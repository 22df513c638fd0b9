public import Foundation
public import LeadModel

// MARK: - DeliverySink

/// The CRM side of a writer: turns a batch of one tenant's commands into the fewest API calls and says what
/// became of each command.
///
/// The ``DeliveryRuntime`` owns everything that is the same for every CRM: consuming the command and retry
/// topics, grouping by tenant, linger, coalescing (a sink sees at most one member status per lead and target,
/// and one engagement upsert per lead, target and entry), dropping commands older than what was already
/// delivered, the retry topic, dead letters and offsets. A sink owns the API: lead identity, call shapes,
/// batch sizes, bulk jobs and error classification. Every API call a sink makes goes through the batch's
/// ``CallLimiter``.
public protocol DeliverySink: Sendable {
    /// The CRM this sink writes to.
    var destination: Destination { get }

    /// The call limits of a tenant (its share of the subscription's rate, concurrency and daily budget), or nil
    /// when the sink does not know the tenant (its commands are dead-lettered as `unknown_tenant`).
    func limits(forTenant tenant: String) -> CallLimits?

    /// The subscription a tenant's calls count against (Marketo munchkin id, Salesforce org): tenants that share
    /// one share one daily quota park, so a 607 for one parks them all.
    func subscription(ofTenant tenant: String) -> String

    /// Delivers a batch and returns one outcome per item, in the items' order.
    ///
    /// It must not throw: a failure of the whole batch is the same ``DeliveryOutcome/failed(_:)`` for every item.
    func deliver(_ batch: DeliveryBatch) async -> [DeliveryOutcome]
}

// MARK: - DeliveryBatch

/// Commands of one tenant that the runtime hands to a sink at once.
public struct DeliveryBatch: Sendable {
    /// The tenant.
    public var tenant: String
    /// The commands, oldest first. At most one `CommandKind.memberStatus` per (lead, target) and one
    /// `CommandKind.engagementUpsert` per (lead, target, entry).
    public var items: [DeliveryItem]
    /// Commands of this tenant still waiting behind this batch (a sink may switch to its bulk API when the
    /// batch plus the backlog pass its threshold).
    public var backlog: Int
    /// The limiter every API call for this tenant goes through.
    public var limiter: CallLimiter
    /// The record of calls that append: a sink records an intent before such a call and its outcome after it, and
    /// settles an earlier intent against the CRM before sending again (see ``EffectLedger``).
    public var ledger: EffectLedger

    /// Creates a batch.
    /// - Parameters:
    ///   - tenant: The tenant whose commands these are.
    ///   - items: The commands, oldest first, coalesced as ``items`` describes.
    ///   - backlog: Commands of this tenant still waiting behind this batch.
    ///   - limiter: The tenant's limiter, which every API call of the batch goes through.
    ///   - ledger: The runtime's effect ledger; an in-memory one when the sink runs without a runtime.
    public init(
        tenant: String,
        items: [DeliveryItem],
        backlog: Int,
        limiter: CallLimiter,
        ledger: EffectLedger = .inMemory()
    ) {
        self.tenant = tenant
        self.items = items
        self.backlog = backlog
        self.limiter = limiter
        self.ledger = ledger
    }
}

/// One command in a batch.
public struct DeliveryItem: Sendable {
    /// The command.
    public var command: Command
    /// Which delivery this is: 1 for the first, 2 for the first retry, ...
    public var attempt: Int
    /// The command topic partition the command was first written to: where its ledger entries live
    /// (``EffectKey/partition``).
    public var partition: Int32

    /// Creates an item.
    public init(command: Command, attempt: Int = 1, partition: Int32 = 0) {
        self.command = command
        self.attempt = attempt
        self.partition = partition
    }
}

// MARK: - DeliveryOutcome

/// What became of one command.
public enum DeliveryOutcome: Sendable, Hashable {
    /// The CRM has it (including an answer that means "already there", such as Marketo's 1037).
    case delivered
    /// Nothing was sent because nothing needed to be (an activity already delivered under its command id);
    /// the reason is for logs and metrics.
    case skipped(reason: String)
    /// It was not delivered: the runtime retries, parks or dead-letters it by the failure's class.
    case failed(DeliveryFailure)

    /// Whether the command is done with (delivered or skipped).
    public var isDone: Bool {
        if case .failed = self { return false }
        return true
    }
}

// MARK: - DeliveryFailure

/// Why a command was not delivered, classified so that the runtime knows what to do.
public struct DeliveryFailure: Error, Sendable, Hashable, CustomStringConvertible {
    /// What to do about it.
    public var errorClass: DeliveryErrorClass
    /// The CRM's code (`"606"`, `"1004"`, `"DUPLICATE_VALUE"`, `"REQUEST_LIMIT_EXCEEDED"`), `http_<status>`, or a
    /// transport code (`transport`, `timeout`). It goes to the `leadsync.error.code` header and to metrics.
    public var code: String
    /// What a person needs to act (the CRM's message, the field, the request id).
    public var message: String
    /// For ``DeliveryErrorClass/quotaExhausted``: when the quota resets, if the sink knows. For a retry: the
    /// earliest time it may be tried (an effect whose outcome is unknown waits until the CRM must be done with
    /// it).
    public var resumeAt: Date?
    /// Whether the failure counts against the retry budget (false when nothing was tried, e.g. a delivery that
    /// waits for an earlier call's outcome to settle).
    public var countsAsAttempt: Bool

    /// Creates a failure.
    public init(
        errorClass: DeliveryErrorClass,
        code: String,
        message: String,
        resumeAt: Date? = nil,
        countsAsAttempt: Bool = true
    ) {
        self.errorClass = errorClass
        self.code = code
        self.message = message
        self.resumeAt = resumeAt
        self.countsAsAttempt = countsAsAttempt
    }

    public var description: String { "\(errorClass) \(code): \(message)" }
}

/// The classes of docs/architecture.md's failure table, as the `leadsync.error.class` header names them.
public enum DeliveryErrorClass: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// Timeouts, 5xx, dropped connections, lock contention: retried with backoff through the retry topic.
    case transient
    /// The credentials were refused even after one refresh: retried with backoff (someone has to fix them).
    case authentication
    /// A rate or concurrency limit (Marketo 606/615): the limiter slows down and the command is retried.
    case rateLimited = "rate_limited"
    /// The daily quota is spent (Marketo 607, Salesforce REQUEST_LIMIT_EXCEEDED): the subscription is parked
    /// until ``DeliveryFailure/resumeAt`` and the command waits in the retry topic.
    case quotaExhausted = "quota_exhausted"
    /// Repeating cannot succeed (validation, unknown field, invalid status): straight to the dead-letter topic.
    case permanent

    public var description: String { rawValue }
}
