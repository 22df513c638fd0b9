/// `{code, message}` as Marketo sends it; the code is a quoted string, tolerated as a number too.
struct MarketoWireReason: Decodable {
    var code: String?
    var message: String?

    private enum CodingKeys: String, CodingKey {
        case code, message
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        if let text = try? container.decodeIfPresent(String.self, forKey: .code) {
            code = text
        } else if let number = try? container.decodeIfPresent(Int.self, forKey: .code) {
            code = String(number)
        } else {
            code = nil
        }
        message = try? container.decodeIfPresent(String.self, forKey: .message)
    }

    var reason: MarketoReason { MarketoReason(code: code ?? "", message: message ?? "") }
}

/// One `warnings` item: a plain string or a `{code, message}` object.
struct MarketoWireWarning: Decodable {
    var text: String

    init(from decoder: any Decoder) throws {
        if let single = try? decoder.singleValueContainer(), let text = try? single.decode(String.self) {
            self.text = text
        } else {
            self.text = try MarketoWireReason(from: decoder).reason.description
        }
    }
}
