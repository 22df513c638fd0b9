/// One member of a lead object: a scalar, or something else (an object such as `membership`) that is skipped.
struct MarketoLeadMember: Decodable {
    var value: MarketoFieldValue?

    init(from decoder: any Decoder) throws {
        value = try? MarketoFieldValue(from: decoder)
    }
}
