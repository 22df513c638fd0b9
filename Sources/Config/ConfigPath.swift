// MARK: - ConfigPath

/// Where a value sits in the configuration, rendered as `tenants[1].events["summit-2026"].salesforceCampaignId`.
struct ConfigPath: Sendable, Hashable, CustomStringConvertible {
    /// One step down the document.
    enum Component: Sendable, Hashable {
        /// A fixed key of a section (`tenants`, `marketo`).
        case key(String)
        /// A position in a list.
        case index(Int)
        /// A key chosen by the operator (an event id, a status name), shown quoted.
        case entry(String)
    }

    /// The steps from the document's root.
    var components: [Component]

    /// The root of the document.
    static let root = ConfigPath(components: [])

    /// This path followed by a fixed key.
    func key(_ name: String) -> ConfigPath {
        ConfigPath(components: components + [.key(name)])
    }

    /// This path followed by a list position.
    func index(_ position: Int) -> ConfigPath {
        ConfigPath(components: components + [.index(position)])
    }

    /// This path followed by an operator-chosen key.
    func entry(_ name: String) -> ConfigPath {
        ConfigPath(components: components + [.entry(name)])
    }

    var description: String {
        var text = ""
        for component in components {
            switch component {
            case .key(let name):
                if !text.isEmpty { text += "." }
                text += name
            case .index(let position):
                text += "[\(position)]"
            case .entry(let name):
                text += "[\(quoted(name))]"
            }
        }
        return text
    }
}
