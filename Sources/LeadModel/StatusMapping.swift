// MARK: - StatusMapping

/// Maps an event's status to a channel status: docs/architecture.md's default table plus a tenant's overrides.
///
/// Matching is exact and case-sensitive: the names are a machine contract (docs/events.md) and the CRMs' status values
/// are case-sensitive too, so `"confirmed email"` is an unknown status rather than a guess. Overrides re-map
/// granular statuses only; a channel status named directly always means itself.
public struct StatusMapping: Sendable, Hashable {
    /// Tenant-specific granular -> channel mappings that replace the defaults.
    public var overrides: [GranularStatus: ChannelStatus]

    /// A mapping with the given overrides (none: docs/architecture.md's defaults).
    public init(overrides: [GranularStatus: ChannelStatus] = [:]) {
        self.overrides = overrides
    }

    /// docs/architecture.md's default table with no overrides.
    public static let `default` = StatusMapping()

    /// The channel status a reported status stands for.
    public func channelStatus(for status: ReportedStatus) -> ChannelStatus {
        switch status {
        case .channel(let channel): channel
        case .granular(let granular):
            // Most tenants override nothing: skip hashing then.
            overrides.isEmpty ? granular.defaultChannelStatus : overrides[granular] ?? granular.defaultChannelStatus
        }
    }

    /// Resolves a status name as sent in an event.
    /// - Throws: ``EventRejection`` with code `unknown_status` naming the value when it is no known status.
    public func channelStatus(forName name: String) throws(EventRejection) -> ChannelStatus {
        guard let reported = ReportedStatus(name: name) else {
            throw EventRejection.unknownStatus(name)
        }
        return channelStatus(for: reported)
    }
}
