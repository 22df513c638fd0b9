import Foundation

/// One HTTP response from Marketo.
struct MarketoHTTPResponse: Sendable {
    var status: Int
    var body: Data
    var contentType: String?

    /// The body as text (UTF-8, invalid bytes replaced).
    var text: String { String(decoding: body, as: UTF8.self) }

    /// The first line of the body, shortened, for error messages.
    var summary: String {
        let line = text.split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
        return line.count > 200 ? String(line.prefix(200)) + "…" : line
    }
}
