public import Foundation

/// What a Marketo sandbox holds when it starts: one or more subscriptions, each with its own credentials,
/// channels, programs, custom activity types, custom objects, lead fields and limits.
///
/// Loadable from JSON (`MarketoSandboxSetup.load(from:)`); every key of a subscription but `munchkinId`,
/// `clientId` and `clientSecret` may be left out and takes the standard value of docs/crm-setup.md.
/// ``standard(munchkinId:clientId:clientSecret:programs:limits:)`` builds it in code.
public struct MarketoSandboxSetup: Sendable, Codable, Equatable {
    /// The subscriptions (Marketo instances) served on the one port; a token says which one a call is for.
    public var subscriptions: [Subscription]

    /// Creates a setup from subscriptions.
    public init(subscriptions: [Subscription]) {
        self.subscriptions = subscriptions
    }

    // MARK: - Loading

    /// Reads a setup from a JSON file.
    /// - Throws: `DecodingError` naming the key that is wrong, or the file system's error.
    public static func load(from url: URL) throws -> MarketoSandboxSetup {
        try JSONDecoder().decode(MarketoSandboxSetup.self, from: Data(contentsOf: url))
    }

    /// Checks what the sandbox relies on: unique ids, programs on known channels, dedupe fields that exist.
    /// - Returns: one message per problem, naming the subscription and the item; empty when valid.
    public func problems() -> [String] {
        var problems: [String] = []
        var munchkins = Set<String>()
        var clients = Set<String>()
        for sub in subscriptions {
            let at = "subscription \(sub.munchkinId)"
            if !munchkins.insert(sub.munchkinId).inserted { problems.append("\(at): duplicate munchkinId") }
            if !clients.insert(sub.clientId).inserted { problems.append("\(at): duplicate clientId \(sub.clientId)") }
            let channelNames = Set(sub.channels.map(\.name))
            for program in sub.programs where !channelNames.contains(program.channel) {
                problems.append("\(at): program \(program.id) uses unknown channel '\(program.channel)'")
            }
            if Set(sub.programs.map(\.id)).count != sub.programs.count {
                problems.append("\(at): duplicate program ids")
            }
            if Set(sub.activityTypes.map(\.id)).count != sub.activityTypes.count {
                problems.append("\(at): duplicate activity type ids")
            }
            for type in sub.activityTypes where type.attributes.count > ActivityType.maximumAttributes {
                problems.append(
                    "\(at): activity type \(type.apiName) has \(type.attributes.count) attributes; Marketo allows "
                        + "\(ActivityType.maximumAttributes) besides the primary one (1028)"
                )
            }
            for object in sub.customObjects {
                let names = Set(object.fields.map(\.name))
                for field in object.dedupeFields where !names.contains(field) {
                    problems.append("\(at): custom object \(object.name) dedupe field '\(field)' is not a field")
                }
                for link in object.relationships where !names.contains(link.field) {
                    problems.append("\(at): custom object \(object.name) link field '\(link.field)' is not a field")
                }
            }
            if !sub.leadFields.contains(where: { $0.name == "email" }) {
                problems.append("\(at): lead fields lack 'email'")
            }
        }
        return problems
    }
}
