public import LeadModel

// MARK: - SimulationPlan

/// Everything that decides a simulated input stream. The same plan always gives the same records, byte for byte.
///
/// ```swift
/// let plan = SimulationPlan(
///     tenants: SimulatedTenant.developmentDefaults,
///     leadCount: 10_000,
///     eventsPerLead: 12,
///     rates: .realistic,
///     seed: 42
/// )
/// try plan.validate()
/// for record in plan.records() {
///     // record.topic, record.key, record.value, record.intent
/// }
/// ```
///
/// Leads are spread over the tenants in turn (lead `n` belongs to `tenants[n % tenants.count]`); each lead has
/// exactly ``eventsPerLead`` valid events (status changes first, then engagement snapshots) for one or two of
/// its tenant's virtual events. Duplicates and poison come on top of those.
public struct SimulationPlan: Sendable, Hashable {
    /// The tenants and their virtual events.
    public var tenants: [SimulatedTenant]
    /// How many leads (unique emails) to simulate.
    public var leadCount: Int
    /// How many valid events each lead has (status and engagement together).
    public var eventsPerLead: Int
    /// The earliest `occurredAt`.
    public var startTime: Timestamp
    /// Leads start their journey at a uniformly random instant in `startTime ..< startTime + spread`
    /// (milliseconds); a journey itself lasts from hours to a few days.
    public var spreadMilliseconds: Int64
    /// How often the stream departs from the ideal one.
    public var rates: SimulationRates
    /// The seed: the same seed gives the same records.
    public var seed: UInt64
    /// The topic of `attendee.status` records.
    public var attendeeTopic: String
    /// The topic of `engagement.session` records.
    public var engagementTopic: String
    /// How many leads produce at the same time: records of that many leads are interleaved (each lead's own
    /// records keep their order). Memory grows with `interleavedLeads * eventsPerLead`, not with ``leadCount``.
    public var interleavedLeads: Int
    /// How the two input topics are produced relative to each other: `nil` as generated (a lead's attendee and
    /// engagement records in the order they happened), or one topic ahead of the other, as when the platform's
    /// two producers run at different speeds or one topic has a backlog.
    public var topicSkew: TopicSkew?

    /// The default first `occurredAt`: 2026-11-22T08:00:00Z.
    public static let defaultStartTime = Timestamp(millisecondsSinceEpoch: 1_795_334_400_000)

    /// Creates a plan.
    public init(
        tenants: [SimulatedTenant] = SimulatedTenant.developmentDefaults,
        leadCount: Int,
        eventsPerLead: Int = 10,
        startTime: Timestamp = SimulationPlan.defaultStartTime,
        spreadMilliseconds: Int64 = 7 * 24 * 3_600_000,
        rates: SimulationRates = .none,
        seed: UInt64 = 1,
        attendeeTopic: String = "attendee.events",
        engagementTopic: String = "engagement.events",
        interleavedLeads: Int = 64,
        topicSkew: TopicSkew? = nil
    ) {
        self.tenants = tenants
        self.leadCount = leadCount
        self.eventsPerLead = eventsPerLead
        self.startTime = startTime
        self.spreadMilliseconds = spreadMilliseconds
        self.rates = rates
        self.seed = seed
        self.attendeeTopic = attendeeTopic
        self.engagementTopic = engagementTopic
        self.interleavedLeads = interleavedLeads
        self.topicSkew = topicSkew
    }

    /// The records of the plan, generated lazily as they are iterated.
    ///
    /// Call ``validate()`` first: an invalid plan gives an empty sequence.
    public func records() -> SimulatedRecords {
        SimulatedRecords(plan: self)
    }

    /// The number of valid records (first deliveries): exactly `leadCount * eventsPerLead`.
    public var validRecordCount: Int { leadCount * eventsPerLead }

    /// The expected number of records in all (valid, duplicates and poison), for progress reports.
    public var estimatedRecordCount: Int {
        let departures = min(rates.duplicate + rates.poison, 0.99)
        return Int((Double(validRecordCount) / (1 - departures)).rounded())
    }

    // MARK: - Validation

    /// Checks that the plan can be generated.
    /// - Throws: ``SimulationPlanError`` naming the first field at fault and what it expects.
    public func validate() throws(SimulationPlanError) {
        guard !tenants.isEmpty else {
            throw SimulationPlanError(field: "tenants", message: "no tenant; expected at least one")
        }
        var seenTenants: Set<String> = []
        for (index, tenant) in tenants.enumerated() {
            let field = "tenants[\(index)]"
            guard LeadKey.isValidTenant(tenant.id) else {
                throw SimulationPlanError(
                    field: "\(field).id",
                    message: "'\(tenant.id)' is not a valid tenant id; expected 1-255 bytes without '/', "
                        + "whitespace or control characters"
                )
            }
            guard seenTenants.insert(tenant.id).inserted else {
                throw SimulationPlanError(field: "\(field).id", message: "tenant '\(tenant.id)' is listed twice")
            }
            guard !tenant.virtualEventIds.isEmpty else {
                throw SimulationPlanError(
                    field: "\(field).virtualEventIds",
                    message: "tenant '\(tenant.id)' has no virtual event; expected at least one id"
                )
            }
            var seenEvents: Set<String> = []
            for eventId in tenant.virtualEventIds {
                guard !eventId.isEmpty else {
                    throw SimulationPlanError(
                        field: "\(field).virtualEventIds",
                        message: "tenant '\(tenant.id)' has an empty virtual event id"
                    )
                }
                guard seenEvents.insert(eventId).inserted else {
                    throw SimulationPlanError(
                        field: "\(field).virtualEventIds",
                        message: "tenant '\(tenant.id)' lists virtual event '\(eventId)' twice"
                    )
                }
            }
        }
        guard leadCount >= 0 else {
            throw SimulationPlanError(field: "leadCount", message: "\(leadCount) is negative; expected 0 or more")
        }
        guard eventsPerLead >= 1 else {
            throw SimulationPlanError(field: "eventsPerLead", message: "\(eventsPerLead); expected 1 or more")
        }
        guard leadCount <= Int.max / eventsPerLead else {
            throw SimulationPlanError(field: "leadCount", message: "leadCount * eventsPerLead overflows")
        }
        guard spreadMilliseconds >= 0 else {
            throw SimulationPlanError(
                field: "spreadMilliseconds",
                message: "\(spreadMilliseconds) is negative; expected 0 or more"
            )
        }
        guard interleavedLeads >= 1 else {
            throw SimulationPlanError(field: "interleavedLeads", message: "\(interleavedLeads); expected 1 or more")
        }
        guard !attendeeTopic.isEmpty, !engagementTopic.isEmpty else {
            throw SimulationPlanError(field: "topics", message: "a topic name is empty")
        }
        for (name, value) in rates.named {
            guard value >= 0, value <= 1 else {
                throw SimulationPlanError(
                    field: "rates.\(name)",
                    message: "\(value) is out of range; expected a probability in 0...1"
                )
            }
        }
        guard rates.duplicate + rates.poison < 1 else {
            throw SimulationPlanError(
                field: "rates",
                message: "duplicate (\(rates.duplicate)) + poison (\(rates.poison)) must be below 1, "
                    + "or no valid record would ever be produced"
            )
        }
        guard rates.poison == 0 || !rates.poisonKinds.isEmpty else {
            throw SimulationPlanError(
                field: "rates.poisonKinds",
                message: "poison rate is \(rates.poison) but no poison kind is enabled"
            )
        }
    }
}
