import Foundation

/// A request as the endpoints see it: the effective method (after `_method=GET`), parameters and body.
struct SandboxRequest: Sendable {
    /// The effective method.
    var method: String
    /// The path.
    var path: String
    /// Query parameters (and form fields of a `_method=GET` or identity body); the last value wins.
    var query: [String: String]
    /// Path parameters.
    var parameters: [String: String]
    /// The raw body.
    var body: Data
    /// The `Content-Type` header, lowercased, without parameters.
    var contentType: String?
    /// The full `Content-Type` header (multipart boundary).
    var contentTypeHeader: String?
    /// The `Range` header.
    var range: String?
    /// Multipart parts of a bulk upload.
    var parts: [MultipartPart] = []
    /// The subscription's operation tick when the call was admitted (what the call could "see" on arrival).
    var admissionTick = 0

    /// The JSON body, parsed.
    var json: JSONValue? { JSONValue.parse(body) }

    /// A path parameter as an integer.
    func intParameter(_ name: String) -> Int? {
        parameters[name].flatMap { Int($0) }
    }

    /// A multipart text field or query parameter.
    func field(_ name: String) -> String? {
        if let part = parts.first(where: { $0.name == name && $0.filename == nil }) {
            return String(decoding: part.data, as: UTF8.self)
        }
        return query[name]
    }

    // MARK: - Form encoding

    /// Parses `a=1&b=x%20y+z` (query strings and `application/x-www-form-urlencoded` bodies). A repeated key
    /// (`fields=email&fields=firstName`, as Python's requests sends a list) reads as one comma-separated value,
    /// the way the real API binds repeated parameters to a list.
    static func parseForm(_ text: Substring) -> [String: String] {
        var result: [String: String] = [:]
        for pair in text.split(separator: "&", omittingEmptySubsequences: true) {
            let kv = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let key = decode(kv[0])
            let value = kv.count > 1 ? decode(kv[1]) : ""
            if let earlier = result[key], !earlier.isEmpty {
                result[key] = earlier + "," + value
            } else {
                result[key] = value
            }
        }
        return result
    }

    private static func decode(_ s: Substring) -> String {
        let plus = s.replacingOccurrences(of: "+", with: " ")
        return plus.removingPercentEncoding ?? plus
    }
}
