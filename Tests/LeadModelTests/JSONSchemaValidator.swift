import Foundation

/// A JSON Schema (2020-12) validator for the keywords `topics/schemas/` uses: `type`, `const`, `enum`, `properties`,
/// `required`, `additionalProperties`, `items`, `minLength`, `maxLength`, `pattern`, `minimum`, `maximum`, `$ref`
/// (to `#/$defs/...`), `allOf`, `anyOf`, `oneOf`, `not`, `if`/`then`/`else`. `format` is an annotation, as 2020-12
/// has it by default (the schemas that need a format checked say it with `pattern`). An unknown keyword fails the
/// validation instead of being ignored, so that a schema cannot silently rely on something this validator skips.
struct JSONSchemaValidator {
    let root: [String: Any]

    /// Keywords that only annotate.
    private static let annotations: Set<String> = [
        "$schema", "$id", "$defs", "$comment", "title", "description", "examples", "format", "default",
    ]

    /// Every violation of `instance` (a `JSONSerialization` value), each with its path; empty when it is valid.
    func violations(of instance: Any) -> [String] {
        var problems: [String] = []
        check(instance, against: root, at: "$", into: &problems)
        return problems
    }

    private func check(_ instance: Any, against schema: [String: Any], at path: String, into problems: inout [String]) {
        for (keyword, value) in schema {
            switch keyword {
            case _ where Self.annotations.contains(keyword):
                continue
            case "$ref":
                guard let reference = value as? String, let target = resolve(reference) else {
                    problems.append("\(path): unresolvable $ref \(value)")
                    continue
                }
                check(instance, against: target, at: path, into: &problems)
            case "type":
                let names = (value as? [String]) ?? [(value as? String) ?? "?"]
                if !names.contains(where: { Self.isOfType(instance, $0) }) {
                    let expected = names.joined(separator: "|")
                    problems.append("\(path): \(Self.describe(instance)) is not of type \(expected)")
                }
            case "const":
                if !Self.equal(instance, value) {
                    problems.append("\(path): \(Self.describe(instance)) is not \(value)")
                }
            case "enum":
                if !((value as? [Any]) ?? []).contains(where: { Self.equal(instance, $0) }) {
                    problems.append("\(path): \(Self.describe(instance)) is not one of the enum")
                }
            case "properties":
                guard let object = instance as? [String: Any], let properties = value as? [String: Any] else {
                    continue
                }
                for (name, subschema) in properties {
                    guard let member = object[name], let subschema = subschema as? [String: Any] else { continue }
                    check(member, against: subschema, at: "\(path).\(name)", into: &problems)
                }
            case "required":
                guard let object = instance as? [String: Any] else { continue }
                for name in (value as? [String]) ?? [] where object[name] == nil {
                    problems.append("\(path): required property \(name) is missing")
                }
            case "additionalProperties":
                guard let object = instance as? [String: Any] else { continue }
                let declared = Set(((schema["properties"] as? [String: Any]) ?? [:]).keys)
                for (name, member) in object where !declared.contains(name) {
                    if let allowed = value as? Bool {
                        if !allowed { problems.append("\(path): property \(name) is not allowed") }
                    } else if let subschema = value as? [String: Any] {
                        check(member, against: subschema, at: "\(path).\(name)", into: &problems)
                    }
                }
            case "items":
                guard let array = instance as? [Any], let subschema = value as? [String: Any] else { continue }
                for (index, element) in array.enumerated() {
                    check(element, against: subschema, at: "\(path)[\(index)]", into: &problems)
                }
            case "minLength", "maxLength":
                guard let text = instance as? String, let bound = value as? Int else { continue }
                let length = text.unicodeScalars.count
                if keyword == "minLength" ? length < bound : length > bound {
                    problems.append("\(path): length \(length) breaks \(keyword) \(bound)")
                }
            case "pattern":
                guard let text = instance as? String, let pattern = value as? String else { continue }
                guard let regex = try? NSRegularExpression(pattern: pattern) else {
                    problems.append("\(path): invalid pattern \(pattern)")
                    continue
                }
                let range = NSRange(text.startIndex..., in: text)
                if regex.firstMatch(in: text, range: range) == nil {
                    problems.append("\(path): does not match the pattern")
                }
            case "minimum", "maximum":
                guard Self.isOfType(instance, "number"), let number = (instance as? NSNumber)?.doubleValue,
                    let bound = (value as? NSNumber)?.doubleValue
                else { continue }
                if keyword == "minimum" ? number < bound : number > bound {
                    problems.append("\(path): \(number) breaks \(keyword) \(bound)")
                }
            case "allOf", "anyOf", "oneOf":
                let subschemas = (value as? [[String: Any]]) ?? []
                let results = subschemas.map { subschema in
                    var inner: [String] = []
                    check(instance, against: subschema, at: path, into: &inner)
                    return inner
                }
                let valid = results.filter(\.isEmpty).count
                switch keyword {
                case "allOf": problems += results.flatMap { $0 }
                case "anyOf": if valid == 0 { problems.append("\(path): matches none of anyOf") }
                default: if valid != 1 { problems.append("\(path): matches \(valid) of oneOf, not 1") }
                }
            case "not":
                guard let subschema = value as? [String: Any] else { continue }
                var inner: [String] = []
                check(instance, against: subschema, at: path, into: &inner)
                if inner.isEmpty { problems.append("\(path): matches a schema it must not") }
            case "if":
                guard let condition = value as? [String: Any] else { continue }
                var inner: [String] = []
                check(instance, against: condition, at: path, into: &inner)
                let branch = inner.isEmpty ? schema["then"] : schema["else"]
                if let branch = branch as? [String: Any] { check(instance, against: branch, at: path, into: &problems) }
            case "then", "else":
                continue  // with "if"
            default:
                problems.append("\(path): keyword \(keyword) is not supported by this validator")
            }
        }
    }

    private func resolve(_ reference: String) -> [String: Any]? {
        guard reference.hasPrefix("#/") else { return nil }
        var node: Any = root
        for part in reference.dropFirst(2).split(separator: "/") {
            guard let object = node as? [String: Any], let next = object[String(part)] else { return nil }
            node = next
        }
        return node as? [String: Any]
    }

    private static func isBoolean(_ value: Any) -> Bool {
        // JSONSerialization's booleans are NSNumbers of the C type `char`; its integers are `i` or `q`.
        guard let number = value as? NSNumber else { return false }
        return String(cString: number.objCType) == "c"
    }

    static func isOfType(_ value: Any, _ name: String) -> Bool {
        switch name {
        case "null": return value is NSNull
        case "boolean": return isBoolean(value)
        case "string": return value is String
        case "object": return value is [String: Any]
        case "array": return value is [Any]
        case "number": return value is NSNumber && !isBoolean(value)
        case "integer":
            guard let number = value as? NSNumber, !isBoolean(number) else { return false }
            return number.doubleValue.rounded() == number.doubleValue
        default: return false
        }
    }

    static func equal(_ lhs: Any, _ rhs: Any) -> Bool {
        if isBoolean(lhs) != isBoolean(rhs) { return false }
        switch (lhs, rhs) {
        case (let left as String, let right as String): return left == right
        case (let left as NSNumber, let right as NSNumber): return left == right
        case (is NSNull, is NSNull): return true
        default: return false
        }
    }

    private static func describe(_ value: Any) -> String {
        if value is NSNull { return "null" }
        if let text = value as? String { return "\"\(text.prefix(40))\"" }
        return "\(value)".prefix(40).description
    }
}
