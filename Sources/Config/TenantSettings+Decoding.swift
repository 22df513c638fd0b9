internal import Foundation
internal import LeadModel

// MARK: - TenantSettings + Decoding

extension TenantSettings {
    /// The keys of a tenant.
    static let keys = [
        "tenant", "destinations", "events", "statusOverrides", "allowedBackwardTransitions", "participated",
        "settleWindow", "marketo", "salesforce",
    ]

    static let tenantExpectation = "a non-empty id of at most 255 bytes without spaces, \"/\" or control characters"

    /// Reads one entry of `tenants`; `nil` when it is not even a mapping with a valid tenant id (other problems are
    /// reported and the rest is still read, so that every problem shows). A destination's CRM section is required
    /// only when it is among `requiredSections` (the role's, ``ConfigRole``); a section that is present is always
    /// read.
    init?(
        decoding value: ConfigValue,
        source: SecretSource,
        requiredSections: Set<Destination> = Set(Destination.allCases)
    ) {
        guard let section = value.mapping(knownKeys: TenantSettings.keys) else { return nil }
        let tenantId: String?
        if let tenantValue = section.required("tenant", expected: TenantSettings.tenantExpectation),
            let text = tenantValue.string(expected: TenantSettings.tenantExpectation)
        {
            if LeadKey.isValidTenant(text) {
                tenantId = text
            } else {
                tenantValue.report(
                    .invalidValue,
                    "\(quoted(text)) is not a valid tenant id",
                    expected: TenantSettings.tenantExpectation
                )
                tenantId = nil
            }
        } else {
            tenantId = nil
        }

        let destinations = TenantSettings.decodeDestinations(
            section.required(
                "destinations",
                expected: TenantSettings.destinationsExpectation
            )
        )
        let marketo = section["marketo"].flatMap { MarketoTenantSettings(decoding: $0, source: source) }
        let salesforce = section["salesforce"].flatMap { SalesforceTenantSettings(decoding: $0, source: source) }
        let label = tenantId.map { "tenant \(quoted($0))" } ?? "this tenant"
        for destination in destinations.sorted() where requiredSections.contains(destination) {
            let present = destination == .marketo ? section["marketo"] != nil : section["salesforce"] != nil
            if !present {
                section.owner.log.add(
                    .missingKey,
                    at: value.path.key(destination.rawValue),
                    "is missing, but \(destination.rawValue) is a destination of \(label)",
                    expected: destination == .marketo
                        ? "the Marketo subscription (munchkinId, clientId, clientSecret)"
                        : "the Salesforce org (clientId, clientSecret or jwt)",
                    line: value.node.mark?.line,
                    column: value.node.mark?.column
                )
            }
        }

        var events: [String: EventMapping] = [:]
        if let eventsValue = section.required(
            "events",
            expected: "a mapping of virtualEventId to program/campaign ids"
        ),
            let entries = eventsValue.entries(expected: "a mapping of virtualEventId to program/campaign ids")
        {
            if entries.isEmpty {
                eventsValue.report(.invalidValue, "names no event", expected: "at least one virtualEventId")
            }
            for (eventId, mappingValue) in entries {
                if eventId.isEmpty || eventId.trimmingCharacters(in: .whitespaces) != eventId {
                    mappingValue.report(
                        .invalidValue,
                        "the virtualEventId is empty or has leading or trailing spaces",
                        expected: "the virtualEventId exactly as the events carry it"
                    )
                    continue
                }
                if let mapping = EventMapping(decoding: mappingValue, destinations: destinations, tenantLabel: label) {
                    events[eventId] = mapping
                }
            }
        }

        var statusOverrides: [GranularStatus: ChannelStatus] = [:]
        if let overridesValue = section["statusOverrides"],
            let entries = overridesValue.entries(expected: "a mapping of granular status to channel status")
        {
            for (granularName, channelValue) in entries {
                statusOverrides.merge(TenantSettings.decodeOverride(granularName, channelValue)) { $1 }
            }
        }

        var allowed = StatusTransition.reRegistration
        if let transitionsValue = section["allowedBackwardTransitions"],
            let items = transitionsValue.list(expected: "a list of \"From -> To\" channel status transitions")
        {
            allowed = []
            for item in items {
                if let transition = TenantSettings.decodeTransition(item) {
                    if allowed.contains(transition) {
                        item.report(
                            .duplicate,
                            "\(quoted(transition.description)) is listed twice",
                            expected: "each transition once"
                        )
                    }
                    allowed.insert(transition)
                }
            }
        }

        var participated = ParticipatedRule()
        if let participatedValue = section["participated"] {
            participated = ParticipatedRule(decoding: participatedValue)
        }
        var settleWindow = TenantSettings.defaultSettleWindow
        if let duration = section["settleWindow"]?.duration(minimum: .seconds(1)) { settleWindow = duration }

        guard let tenantId else { return nil }
        self.init(
            tenant: tenantId,
            destinations: destinations,
            events: events,
            statusOverrides: statusOverrides,
            allowedBackwardTransitions: allowed,
            participated: participated,
            settleWindow: settleWindow,
            marketo: marketo,
            salesforce: salesforce
        )
    }

    static let destinationsExpectation = "a list of destinations: marketo, salesforce or both"

    private static func decodeDestinations(_ value: ConfigValue?) -> Set<Destination> {
        guard let value, let items = value.list(expected: destinationsExpectation) else { return [] }
        var destinations: Set<Destination> = []
        for item in items {
            guard let text = item.string(expected: destinationsExpectation) else { continue }
            guard let destination = Destination(rawValue: text) else {
                item.report(
                    .invalidValue,
                    "\(quoted(text)) is not a destination"
                        + KeySuggestion.didYouMean(text, among: Destination.allCases.map(\.rawValue)),
                    expected: "marketo or salesforce"
                )
                continue
            }
            if destinations.contains(destination) {
                item.report(.duplicate, "\(text) is listed twice", expected: "each destination once")
            }
            destinations.insert(destination)
        }
        if items.isEmpty {
            value.report(.invalidValue, "names no destination", expected: destinationsExpectation)
        }
        return destinations
    }

    private static func decodeOverride(
        _ granularName: String,
        _ channelValue: ConfigValue
    ) -> [GranularStatus: ChannelStatus] {
        let granularNames = GranularStatus.allCases.map(\.name)
        let channelNames = ChannelStatus.allCases.map(\.name)
        guard let granular = GranularStatus(name: granularName) else {
            let isChannel = ChannelStatus(name: granularName) != nil
            channelValue.report(
                .invalidValue,
                isChannel
                    ? "\(quoted(granularName)) is a channel status, which always means itself and cannot be re-mapped"
                    : "\(quoted(granularName)) is not a granular status"
                        + KeySuggestion.didYouMean(granularName, among: granularNames),
                expected: "one of " + granularNames.map(quoted).joined(separator: ", ")
            )
            return [:]
        }
        guard let text = channelValue.string(expected: "a channel status name") else { return [:] }
        guard let channel = ChannelStatus(name: text) else {
            channelValue.report(
                .invalidValue,
                "\(quoted(text)) is not a channel status" + KeySuggestion.didYouMean(text, among: channelNames),
                expected: "one of " + channelNames.joined(separator: ", ")
            )
            return [:]
        }
        return [granular: channel]
    }

    private static func decodeTransition(_ item: ConfigValue) -> StatusTransition? {
        let expected = "\"From -> To\" with two channel statuses, the second at a lower or equal step"
        guard let text = item.string(expected: expected) else { return nil }
        let parts = text.components(separatedBy: "->").map { $0.trimmingCharacters(in: .whitespaces) }
        guard parts.count == 2 else {
            item.report(.invalidValue, "\(quoted(text)) is not a transition", expected: expected)
            return nil
        }
        let channelNames = ChannelStatus.allCases.map(\.name)
        var statuses: [ChannelStatus] = []
        for part in parts {
            if let status = ChannelStatus(name: part) {
                statuses.append(status)
            } else {
                item.report(
                    .invalidValue,
                    "\(quoted(part)) is not a channel status" + KeySuggestion.didYouMean(part, among: channelNames),
                    expected: "one of " + channelNames.joined(separator: ", ")
                )
            }
        }
        guard statuses.count == 2 else { return nil }
        let transition = StatusTransition(from: statuses[0], to: statuses[1])
        guard transition.from != transition.to, transition.to.step <= transition.from.step else {
            item.report(
                .invalidValue,
                "\(quoted(text)) is not a backward transition (step \(transition.from.step) -> \(transition.to.step)); "
                    + "forward transitions are always applied",
                expected: expected
            )
            return nil
        }
        return transition
    }
}
