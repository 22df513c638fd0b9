import Basics
public import Foundation
public import Logging

// MARK: - JSONLogHandler

/// A swift-log handler that writes one JSON object per line to standard error: `ts`, `level`, `logger`, `msg`,
/// then the metadata, with every email address redacted unless ``logsEmails`` (emails are personal data; a
/// short stable hash still lets an operator follow one lead through the logs).
public struct JSONLogHandler: LogHandler {
    /// The logger's label.
    public let label: String
    /// Whether email addresses are written as they are (configuration `observability.logEmails`).
    public let logsEmails: Bool
    public var logLevel: Logger.Level
    public var metadata: Logger.Metadata = [:]
    private let write: @Sendable (String) -> Void

    /// Creates a handler.
    /// - Parameter write: where lines go (standard error unless a test captures them).
    public init(
        label: String,
        level: Logger.Level,
        logsEmails: Bool,
        write: @escaping @Sendable (String) -> Void = JSONLogHandler.standardError
    ) {
        self.label = label
        self.logLevel = level
        self.logsEmails = logsEmails
        self.write = write
    }

    /// Writes a line to standard error.
    public static let standardError: @Sendable (String) -> Void = { line in
        FileHandle.standardError.write(Data(line.utf8))
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var line = "{\"ts\":"
        appendString(Self.timestamp(), to: &line)
        line += ",\"level\":"
        appendString(event.level.rawValue, to: &line)
        line += ",\"logger\":"
        appendString(label, to: &line)
        line += ",\"msg\":"
        appendString(redact(event.message.description), to: &line)
        var merged = metadata
        if let extra = event.metadata { merged.merge(extra) { _, new in new } }
        for (key, value) in merged.sorted(by: { $0.key < $1.key }) {
            line += ","
            appendString(key, to: &line)
            line += ":"
            appendString(redact("\(value)"), to: &line)
        }
        if event.level >= .warning {
            line += ",\"source\":"
            appendString("\(event.file):\(event.line)", to: &line)
        }
        line += "}\n"
        write(line)
    }

    private func redact(_ text: String) -> String {
        logsEmails ? text : EmailRedaction.redact(text)
    }

    private func appendString(_ text: String, to line: inout String) {
        JSONString.append(text, to: &line)
    }

    private static func timestamp() -> String {
        Date().formatted(
            .iso8601.year().month().day().dateSeparator(.dash).time(includingFractionalSeconds: true)
                .timeSeparator(.colon).timeZone(separator: .omitted)
        )
    }
}

// MARK: - EmailRedaction

/// Replaces email addresses in text with `<email:XXXXXXXX>`, a stable 32-bit FNV-1a hash of the lowercased address.
public enum EmailRedaction {
    /// The text with every `local@domain.tld` replaced.
    public static func redact(_ text: String) -> String {
        let bytes = Array(text.utf8)
        guard bytes.contains(UInt8(ascii: "@")) else { return text }
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count)
        var index = 0
        var copiedUpTo = 0
        while index < bytes.count {
            guard bytes[index] == UInt8(ascii: "@") else {
                index += 1
                continue
            }
            var start = index
            while start > copiedUpTo && isLocalByte(bytes[start - 1]) { start -= 1 }
            var end = index + 1
            var sawDot = false
            while end < bytes.count && isDomainByte(bytes[end]) {
                if bytes[end] == UInt8(ascii: ".") { sawDot = true }
                end += 1
            }
            // Trailing dots end sentences, not domains.
            while end > index + 1 && bytes[end - 1] == UInt8(ascii: ".") { end -= 1 }
            guard start < index, end > index + 1, sawDot else {
                index += 1
                continue
            }
            output.append(contentsOf: bytes[copiedUpTo..<start])
            output.append(contentsOf: Array("<email:\(hash(bytes[start..<end]))>".utf8))
            copiedUpTo = end
            index = end
        }
        output.append(contentsOf: bytes[copiedUpTo...])
        return String(decoding: output, as: UTF8.self)
    }

    private static func isLocalByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"):
            true
        case UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "%"), UInt8(ascii: "+"), UInt8(ascii: "-"),
            UInt8(ascii: "'"):
            true
        default: byte >= 0x80
        }
    }

    private static func isDomainByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."), UInt8(ascii: "-"):
            true
        default: byte >= 0x80
        }
    }

    private static func hash(_ bytes: ArraySlice<UInt8>) -> String {
        var value: UInt32 = 2_166_136_261
        for byte in bytes {
            let lower = byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte + 32 : byte
            value = (value ^ UInt32(lower)) &* 16_777_619
        }
        let hex = String(value, radix: 16)
        return String(repeating: "0", count: 8 - hex.count) + hex
    }
}
