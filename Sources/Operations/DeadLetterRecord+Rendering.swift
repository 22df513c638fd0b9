import Foundation
import RecordHeaders

extension DeadLetterRecord {
    /// Headers shown in their own lines by ``detailText``, not again in the header list.
    private static let describedHeaders: Set<String> = [
        DeadLetterHeaders.errorClass, DeadLetterHeaders.errorCode, DeadLetterHeaders.errorMessage,
        DeadLetterHeaders.errorField, DeadLetterHeaders.originalTopic, DeadLetterHeaders.originalPartition,
        DeadLetterHeaders.originalOffset, DeadLetterHeaders.attempts, DeadLetterHeaders.firstFailedAt,
        ReplayHeaders.id, ReplayHeaders.source,
    ]

    /// One line for `leadsync dlq list`: reference, time, tenant, class/code, origin, message (no payload, so no
    /// email address).
    public var summaryLine: String {
        let origin = originalReference?.description ?? originalTopic ?? "-"
        let message = (errorMessage ?? "").replacingOccurrences(of: "\n", with: " ")
        let shortened = message.count > 160 ? String(message.prefix(159)) + "…" : message
        return [
            reference.description,
            deadLetteredAt?.rfc3339 ?? "-",
            tenant ?? "-",
            "\(errorClass ?? "?")/\(errorCode ?? "?")",
            "from \(origin)",
            shortened,
        ].joined(separator: "  ")
    }

    /// The dead letter in full for `leadsync dlq show`: the reason, the origin, the key, every other header and
    /// the payload, indented when it is JSON.
    public var detailText: String {
        var lines: [String] = []
        func row(_ label: String, _ value: String) {
            lines.append(label.padding(toLength: 16, withPad: " ", startingAt: 0) + value)
        }
        row("dead letter", reference.description)
        row("dead-lettered", deadLetteredAt?.rfc3339 ?? "unknown")
        row("tenant", tenant ?? "unknown")
        row("error class", errorClass ?? "missing")
        row("error code", errorCode ?? "missing")
        if let errorField { row("field", errorField) }
        row("message", errorMessage ?? "missing")
        row("original", originalReference?.description ?? originalTopic ?? "missing (cannot be replayed)")
        if let attempts { row("attempts", String(attempts)) }
        if let firstFailedAt { row("first failed", firstFailedAt.rfc3339) }
        if let replayId {
            row("replayed as", "replay id \(replayId) of \(replaySource ?? "an unknown dead letter") (failed again)")
        }
        let keyText = record.key.map { String(decoding: $0, as: UTF8.self) } ?? "(none)"
        row("key", keyText)
        let others = record.headers.filter { !Self.describedHeaders.contains($0.key) }
        if !others.isEmpty {
            lines.append("headers")
            for header in others {
                lines.append(
                    "  \(header.key): \(header.stringValue ?? header.value.map { "\($0.count) bytes" } ?? "null")"
                )
            }
        }
        let payload = PayloadText.render(record.value)
        lines.append("payload (\(payload.kind), \(record.value.count) bytes)")
        if !payload.text.isEmpty {
            lines.append(
                contentsOf: payload.text.split(separator: "\n", omittingEmptySubsequences: false).map { "  " + $0 }
            )
        }
        return lines.joined(separator: "\n")
    }

    /// The dead letter as one JSON object (for `--json`): coordinates, reason, origin, tenant, headers and the
    /// value (as text when it is UTF-8, else base64 in `valueBase64`).
    public var jsonObject: [String: Any] {
        var object: [String: Any] = [
            "topic": record.topic,
            "partition": Int(record.partition),
            "offset": record.offset,
            "reference": reference.description,
        ]
        object["deadLetteredAt"] = deadLetteredAt?.rfc3339
        object["tenant"] = tenant
        object["errorClass"] = errorClass
        object["errorCode"] = errorCode
        object["errorMessage"] = errorMessage
        object["errorField"] = errorField
        object["originalTopic"] = originalTopic
        object["originalPartition"] = originalPartition.map { Int($0) }
        object["originalOffset"] = originalOffset
        object["attempts"] = attempts
        object["firstFailedAt"] = firstFailedAt?.rfc3339
        object["replayId"] = replayId
        object["key"] = record.key.flatMap { String(validating: $0, as: UTF8.self) }
        object["headers"] = record.headers.map { header -> [String: Any] in
            ["key": header.key, "value": header.stringValue ?? NSNull()]
        }
        if let text = String(validating: record.value, as: UTF8.self) {
            object["value"] = text
        } else {
            object["valueBase64"] = Data(record.value).base64EncodedString()
        }
        return object
    }

    /// ``jsonObject`` as one line of JSON (keys sorted).
    public var jsonLine: String {
        guard
            let data = try? JSONSerialization.data(
                withJSONObject: jsonObject,
                options: [.sortedKeys, .withoutEscapingSlashes]
            )
        else { return "{}" }
        return String(decoding: data, as: UTF8.self)
    }
}
