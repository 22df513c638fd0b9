internal import Yams

// MARK: - ConfigValue

/// One node of the configuration document with its path, and typed reads that report what is wrong instead of
/// throwing, so that a load collects every problem.
struct ConfigValue {
    /// The YAML node.
    let node: Node
    /// Where it is.
    let path: ConfigPath
    /// Where problems go.
    let log: IssueLog

    /// Whether the value is YAML `null` (`~`, `null`, or nothing after the colon): treated as absent.
    var isNull: Bool {
        guard case .scalar(let scalar) = node, scalar.style == .plain || scalar.style == .any else { return false }
        switch scalar.string {
        case "", "~", "null", "Null", "NULL": return true
        default: return false
        }
    }

    /// The scalar's text, or nil for lists and mappings.
    var scalarText: String? {
        if case .scalar(let scalar) = node { return scalar.string }
        return nil
    }

    /// How the value is shown in a message: numbers and words as written, other text quoted, collections by kind.
    var display: String {
        switch node {
        case .scalar(let scalar):
            let text = scalar.string
            if scalar.style == .plain || scalar.style == .any, Double(text) != nil { return text }
            return quoted(text)
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .alias: return "an alias"
        }
    }

    /// What kind of value this is, for wrong-type messages.
    var kindName: String {
        switch node {
        case .scalar: isNull ? "null" : "the text \(display)"
        case .mapping: "a mapping"
        case .sequence: "a list"
        case .alias: "an alias"
        }
    }

    // MARK: - Reporting

    /// Records a problem of this value, at its line and column.
    func report(_ kind: ConfigurationIssue.Kind, _ problem: String, expected: String? = nil) {
        log.add(kind, at: path, problem, expected: expected, line: node.mark?.line, column: node.mark?.column)
    }

    /// Records that the value has the wrong type.
    func reportWrongType(expected: String) {
        report(.wrongType, "found \(kindName)", expected: expected)
    }

    // MARK: - Collections

    /// The value as a mapping of known keys; unknown keys are reported (with a suggestion).
    ///
    /// With `allowsExtensions`, keys starting with `x-` are skipped: a place for YAML anchors that other parts of the
    /// document alias (as in Compose files).
    func mapping(knownKeys: [String], allowsExtensions: Bool = false) -> ConfigMapping? {
        guard case .mapping(let mapping) = node else {
            reportWrongType(expected: "a mapping with the keys \(knownKeys.joined(separator: ", "))")
            return nil
        }
        var values: [String: ConfigValue] = [:]
        for (keyNode, valueNode) in pairsWithMerges(mapping) {
            guard case .scalar(let keyScalar) = keyNode else {
                log.add(
                    .wrongType,
                    at: path,
                    "a key is not text",
                    line: keyNode.mark?.line,
                    column: keyNode.mark?.column
                )
                continue
            }
            let key = keyScalar.string
            let childPath = path.key(key)
            if allowsExtensions && key.hasPrefix("x-") { continue }
            guard knownKeys.contains(key) else {
                let suggestion = KeySuggestion.closest(to: key, among: knownKeys)
                log.add(
                    .unknownKey,
                    at: childPath,
                    "unknown key" + (suggestion.map { "; did you mean \(quoted($0))?" } ?? ""),
                    expected: suggestion == nil ? "one of \(knownKeys.joined(separator: ", "))" : nil,
                    line: keyNode.mark?.line,
                    column: keyNode.mark?.column
                )
                continue
            }
            values[key] = ConfigValue(node: valueNode, path: childPath, log: log)
        }
        return ConfigMapping(owner: self, values: values)
    }

    /// The value as a mapping whose keys the operator chooses (event ids, status names), in document order.
    func entries(expected: String) -> [(key: String, value: ConfigValue)]? {
        guard case .mapping(let mapping) = node else {
            reportWrongType(expected: expected)
            return nil
        }
        var result: [(key: String, value: ConfigValue)] = []
        for (keyNode, valueNode) in pairsWithMerges(mapping) {
            guard case .scalar(let keyScalar) = keyNode else {
                log.add(
                    .wrongType,
                    at: path,
                    "a key is not text",
                    line: keyNode.mark?.line,
                    column: keyNode.mark?.column
                )
                continue
            }
            result.append(
                (keyScalar.string, ConfigValue(node: valueNode, path: path.entry(keyScalar.string), log: log))
            )
        }
        return result
    }

    /// The mapping's pairs with YAML merge keys (`<<: *anchor`, `<<: [*a, *b]`) expanded: explicit keys win, then
    /// the merged mappings in order.
    private func pairsWithMerges(_ mapping: Node.Mapping) -> [(Node, Node)] {
        var explicit: [(Node, Node)] = []
        var merged: [Node.Mapping] = []
        for (keyNode, valueNode) in mapping {
            guard case .scalar(let keyScalar) = keyNode, keyScalar.string == "<<", keyScalar.style == .plain else {
                explicit.append((keyNode, valueNode))
                continue
            }
            let sources: [Node]
            if case .sequence(let sequence) = valueNode { sources = Array(sequence) } else { sources = [valueNode] }
            for source in sources {
                if case .mapping(let sourceMapping) = source {
                    merged.append(sourceMapping)
                } else {
                    log.add(
                        .wrongType,
                        at: path.key("<<"),
                        "a merge key must refer to a mapping",
                        expected: "<<: *anchor of a mapping",
                        line: keyNode.mark?.line,
                        column: keyNode.mark?.column
                    )
                }
            }
        }
        var seen = Set(explicit.compactMap { $0.0.scalar?.string })
        var result = explicit
        for sourceMapping in merged {
            for (keyNode, valueNode) in sourceMapping {
                guard let key = keyNode.scalar?.string, !seen.contains(key) else { continue }
                seen.insert(key)
                result.append((keyNode, valueNode))
            }
        }
        return result
    }

    /// The value as a list.
    func list(expected: String) -> [ConfigValue]? {
        guard case .sequence(let sequence) = node else {
            reportWrongType(expected: expected)
            return nil
        }
        return sequence.enumerated().map { ConfigValue(node: $0.element, path: path.index($0.offset), log: log) }
    }

    // MARK: - Scalars

    /// The value as text; empty text is reported unless allowed.
    func string(allowEmpty: Bool = false, expected: String = "text") -> String? {
        guard let text = scalarText else {
            reportWrongType(expected: expected)
            return nil
        }
        if text.isEmpty && !allowEmpty {
            report(.invalidValue, "is empty", expected: expected)
            return nil
        }
        return text
    }

    /// The value as an integer within `range`.
    func int(in range: ClosedRange<Int>, expected: String) -> Int? {
        guard let text = scalarText else {
            reportWrongType(expected: expected)
            return nil
        }
        guard let value = Int(text) else {
            report(.wrongType, "\(display) is not an integer", expected: expected)
            return nil
        }
        guard range.contains(value) else {
            report(.invalidValue, "\(value) is out of range", expected: expected)
            return nil
        }
        return value
    }

    /// The value as a finite number accepted by `isAcceptable`.
    func double(expected: String, isAcceptable: (Double) -> Bool) -> Double? {
        guard let text = scalarText else {
            reportWrongType(expected: expected)
            return nil
        }
        guard let value = Double(text), value.isFinite else {
            report(.wrongType, "\(display) is not a number", expected: expected)
            return nil
        }
        guard isAcceptable(value) else {
            report(.invalidValue, "\(text) is out of range", expected: expected)
            return nil
        }
        return value
    }

    /// The value as `true` or `false`.
    func bool() -> Bool? {
        switch scalarText {
        case "true": return true
        case "false": return false
        default:
            if scalarText == nil {
                reportWrongType(expected: "true or false")
            } else {
                report(.wrongType, "\(display) is not a boolean", expected: "true or false")
            }
            return nil
        }
    }

    /// The value as a duration (`250ms`, `15s`, `15m`, `2h`, or an integer of milliseconds) of at least `minimum`.
    func duration(minimum: Duration = .milliseconds(1)) -> Duration? {
        let expected =
            minimum == .zero
            ? DurationText.expectation : DurationText.expectation + " of at least \(DurationText.format(minimum))"
        guard let text = scalarText else {
            reportWrongType(expected: expected)
            return nil
        }
        switch DurationText.parse(text) {
        case .success(let duration):
            guard duration >= minimum else {
                report(.invalidValue, "\(quoted(text)) is too short", expected: expected)
                return nil
            }
            return duration
        case .failure(let failure):
            report(.invalidValue, "\(quoted(text)) \(failure.reason)", expected: expected)
            return nil
        }
    }
}
