import Foundation

/// One part of a `multipart/form-data` body.
struct MultipartPart: Sendable, Equatable {
    /// The form field name.
    var name: String
    /// The file name, for file parts.
    var filename: String?
    /// The part's content type.
    var contentType: String?
    /// The content.
    var data: Data

    // MARK: - Parsing

    /// The boundary of a `multipart/form-data; boundary=…` content type, unquoted.
    static func boundary(fromContentType header: String) -> String? {
        for param in header.split(separator: ";").dropFirst() {
            let kv = param.split(separator: "=", maxSplits: 1)
            guard kv.count == 2, kv[0].trimmingCharacters(in: .whitespaces).lowercased() == "boundary" else {
                continue
            }
            var value = kv[1].trimmingCharacters(in: .whitespaces)
            if value.hasPrefix("\""), value.hasSuffix("\""), value.count >= 2 {
                value = String(value.dropFirst().dropLast())
            }
            return value.isEmpty ? nil : value
        }
        return nil
    }

    /// Splits a body into parts (RFC 7578). Nil when the body is not valid multipart with that boundary.
    static func parse(_ body: Data, boundary: String) -> [MultipartPart]? {
        let bytes = [UInt8](body)
        let delimiter = [UInt8](("--" + boundary).utf8)
        guard var position = find(delimiter, in: bytes, from: 0) else { return nil }
        var parts: [MultipartPart] = []
        while true {
            position += delimiter.count
            // "--" after a delimiter closes the body.
            if position + 1 < bytes.count, bytes[position] == UInt8(ascii: "-"),
                bytes[position + 1] == UInt8(ascii: "-")
            {
                return parts
            }
            // Skip transport padding and the CRLF after the delimiter.
            while position < bytes.count, bytes[position] == UInt8(ascii: " ") || bytes[position] == UInt8(ascii: "\t")
            {
                position += 1
            }
            guard let lineEnd = skipNewline(bytes, at: position) else { return nil }
            position = lineEnd
            let crlfDelimiter = [UInt8]("\r\n".utf8) + delimiter
            let lfDelimiter = [UInt8]("\n".utf8) + delimiter
            let next = find(crlfDelimiter, in: bytes, from: position)
            let nextLF = find(lfDelimiter, in: bytes, from: position)
            guard let end = [next, nextLF].compactMap({ $0 }).min() else { return nil }
            guard let part = parsePart(Array(bytes[position..<end])) else { return nil }
            parts.append(part)
            position = (end == next ? end + 2 : end + 1)
        }
    }

    private static func parsePart(_ bytes: [UInt8]) -> MultipartPart? {
        // Headers end at the first empty line.
        var headerEnd: Int?
        var bodyStart = 0
        if bytes.starts(with: [13, 10]) {
            headerEnd = 0
            bodyStart = 2
        } else if let crlf = find([13, 10, 13, 10], in: bytes, from: 0) {
            headerEnd = crlf
            bodyStart = crlf + 4
        } else if let lf = find([10, 10], in: bytes, from: 0) {
            headerEnd = lf
            bodyStart = lf + 2
        }
        guard let headerEnd else { return nil }
        let headerText = String(decoding: bytes[0..<headerEnd], as: UTF8.self)
        var name: String?
        var filename: String?
        var contentType: String?
        for line in headerText.split(whereSeparator: { $0 == "\r\n" || $0 == "\n" || $0 == "\r" }) {
            let kv = line.split(separator: ":", maxSplits: 1)
            guard kv.count == 2 else { continue }
            let header = kv[0].trimmingCharacters(in: .whitespaces).lowercased()
            let value = kv[1].trimmingCharacters(in: .whitespaces)
            if header == "content-type" {
                contentType = value
            } else if header == "content-disposition" {
                for param in value.split(separator: ";").dropFirst() {
                    let pkv = param.split(separator: "=", maxSplits: 1)
                    guard pkv.count == 2 else { continue }
                    var v = pkv[1].trimmingCharacters(in: .whitespaces)
                    if v.hasPrefix("\""), v.hasSuffix("\""), v.count >= 2 { v = String(v.dropFirst().dropLast()) }
                    switch pkv[0].trimmingCharacters(in: .whitespaces).lowercased() {
                    case "name": name = v
                    case "filename": filename = v
                    default: break
                    }
                }
            }
        }
        guard let name else { return nil }
        return MultipartPart(name: name, filename: filename, contentType: contentType, data: Data(bytes[bodyStart...]))
    }

    private static func skipNewline(_ bytes: [UInt8], at position: Int) -> Int? {
        if position + 1 < bytes.count, bytes[position] == 13, bytes[position + 1] == 10 { return position + 2 }
        if position < bytes.count, bytes[position] == 10 { return position + 1 }
        return nil
    }

    private static func find(_ needle: [UInt8], in haystack: [UInt8], from start: Int) -> Int? {
        guard !needle.isEmpty, haystack.count >= needle.count, start <= haystack.count - needle.count else {
            return nil
        }
        let first = needle[0]
        var i = start
        let last = haystack.count - needle.count
        while i <= last {
            if haystack[i] == first {
                var j = 1
                while j < needle.count, haystack[i + j] == needle[j] { j += 1 }
                if j == needle.count { return i }
            }
            i += 1
        }
        return nil
    }
}
