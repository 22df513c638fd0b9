/// `result[0]` of an import upload: `{batchId, importId?, status, objectApiName?}`.
struct MarketoBulkImportCreated: Decodable {
    var batchId: Int?
    var status: String?

    private enum CodingKeys: String, CodingKey {
        case batchId, status
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        if let number = try? container.decodeIfPresent(Int.self, forKey: .batchId) {
            batchId = number
        } else {
            batchId = (try? container.decodeIfPresent(String.self, forKey: .batchId)).flatMap { $0.flatMap(Int.init) }
        }
        status = try? container.decodeIfPresent(String.self, forKey: .status)
    }
}
