import Foundation

/// An HTTP response, with its body decoded as JSON when it is JSON.
struct HTTPReply: @unchecked Sendable {
    // @unchecked: `json` holds JSONSerialization's immutable output and never leaves the test that made it.
    var status: Int
    var headers: [String: String]
    var body: Data
    var json: Any?

    var text: String { String(decoding: body, as: UTF8.self) }
    var object: [String: Any] { json as? [String: Any] ?? [:] }
    var success: Bool? { object["success"] as? Bool }
    var result: [[String: Any]] { object["result"] as? [[String: Any]] ?? [] }
    var errorCode: String? { (object["errors"] as? [[String: Any]])?.first?["code"] as? String }
    var errorMessage: String? { (object["errors"] as? [[String: Any]])?.first?["message"] as? String }

    /// The reason codes of a result item (`reasons`, or `errors` for custom activities).
    func reasonCodes(_ index: Int, key: String = "reasons") -> [String] {
        guard index < result.count else { return [] }
        return (result[index][key] as? [[String: Any]] ?? []).compactMap { $0["code"] as? String }
    }
}
