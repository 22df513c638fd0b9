/// A program as the asset API returns it (`GET /rest/asset/v1/program/{id}.json`, `result[0]`): what the
/// writer's preflight needs of it.
public struct MarketoProgram: Sendable, Hashable, Decodable {
    /// The program id.
    public var id: Int
    /// The program's name.
    public var name: String
    /// The program type (`Event`, `Email`, …).
    public var type: String?
    /// The name of the channel whose progression statuses members move through.
    public var channel: String

    /// Creates a program.
    public init(id: Int, name: String, type: String?, channel: String) {
        self.id = id
        self.name = name
        self.type = type
        self.channel = channel
    }
}
