/// A JSON request body built in code (objects, arrays and field values), encoded with `JSONEncoder`.
indirect enum MarketoJSON: Encodable {
    case value(MarketoFieldValue)
    case array([MarketoJSON])
    case object([String: MarketoJSON])

    static func string(_ text: String) -> MarketoJSON { .value(.string(text)) }
    static func int(_ number: Int) -> MarketoJSON { .value(.int(number)) }
    static func fields(_ fields: [String: MarketoFieldValue]) -> MarketoJSON {
        .object(fields.mapValues { .value($0) })
    }

    private struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    func encode(to encoder: any Encoder) throws {
        switch self {
        case .value(let value):
            try value.encode(to: encoder)
        case .array(let items):
            var container = encoder.unkeyedContainer()
            for item in items { try container.encode(item) }
        case .object(let members):
            var container = encoder.container(keyedBy: Key.self)
            for (name, member) in members.sorted(by: { $0.key < $1.key }) {
                try container.encode(member, forKey: Key(stringValue: name))
            }
        }
    }
}
