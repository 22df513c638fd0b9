internal import Yams

// MARK: - IssueLog + SyntaxError

extension IssueLog {
    /// Records a YAML/JSON syntax error with its line and column.
    func addSyntaxError(_ error: any Error) {
        guard let yamlError = error as? YamlError else {
            add(.syntax, at: .root, "cannot be parsed: \(error)")
            return
        }
        switch yamlError {
        case .scanner(let context, let problem, let mark, _),
            .parser(let context, let problem, let mark, _),
            .composer(let context, let problem, let mark, _):
            let detail = context.map { "\(problem) (\($0.text) at line \($0.mark.line), column \($0.mark.column))" }
            add(.syntax, at: .root, "syntax error: \(detail ?? problem)", line: mark.line, column: mark.column)
        case .reader(let problem, let offset, _, _):
            add(.syntax, at: .root, "cannot be read: \(problem)" + (offset.map { " at byte \($0)" } ?? ""))
        case .duplicatedKeysInMapping(let duplicates, let context):
            add(
                .duplicate,
                at: .root,
                "a mapping has the key \(duplicates.map(quoted).joined(separator: ", ")) more than once",
                expected: "each key once in a mapping",
                line: context.mark.line,
                column: context.mark.column
            )
        default:
            add(.syntax, at: .root, "cannot be parsed: \(yamlError)")
        }
    }
}
