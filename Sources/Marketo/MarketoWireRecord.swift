/// One item of a write call's `result`: the union of what Sync Leads, Sync Program Member Status, Add Custom
/// Activities and Sync Custom Objects return. Per-record reasons arrive as `reasons` (documented), `reason`
/// (the swagger's Lead definition) or `errors` (custom activities): all three are read.
struct MarketoWireRecord: Decodable {
    var seq: Int?
    var id: Int?
    var leadId: Int?
    var marketoGUID: String?
    var status: String?
    var reasons: [MarketoReason]

    private enum CodingKeys: String, CodingKey {
        case seq, id, leadId, marketoGUID, status, reasons, reason, errors
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        seq = try? container.decodeIfPresent(Int.self, forKey: .seq)
        id = Self.integer(container, .id)
        leadId = Self.integer(container, .leadId)
        if let guid = try? container.decodeIfPresent(String.self, forKey: .marketoGUID) {
            marketoGUID = guid
        } else {
            marketoGUID = Self.integer(container, .marketoGUID).map(String.init)
        }
        status = try? container.decodeIfPresent(String.self, forKey: .status)
        var reasons: [MarketoWireReason] = []
        reasons += (try? container.decodeIfPresent([MarketoWireReason].self, forKey: .reasons)) ?? []
        if let single = try? container.decodeIfPresent(MarketoWireReason.self, forKey: .reason) {
            reasons.append(single)
        }
        reasons += (try? container.decodeIfPresent([MarketoWireReason].self, forKey: .errors)) ?? []
        self.reasons = reasons.map(\.reason)
    }

    private static func integer(_ container: KeyedDecodingContainer<CodingKeys>, _ key: CodingKeys) -> Int? {
        if let value = try? container.decodeIfPresent(Int.self, forKey: key) { return value }
        if let text = try? container.decodeIfPresent(String.self, forKey: key) { return Int(text) }
        return nil
    }

    var outcome: MarketoRecordOutcome { MarketoRecordOutcome.from(status: status, reasons: reasons) }
}
