// MARK: - IssueLog

/// Collects every problem of one load, so that the operator sees them all at once.
///
/// A reference type so that every reader of one document appends to the same list; it lives only for the duration
/// of one synchronous load and is never shared between threads.
final class IssueLog {
    /// The file name that issues of the document carry.
    let fileName: String
    /// The issues so far, in the order they were found.
    private(set) var issues: [ConfigurationIssue] = []

    /// The source name of issues raised by environment variables.
    static let environmentSource = "environment"

    /// The issues in reading order: the file's by line and column (those without a position after them, in the
    /// order found), then the environment's.
    var sortedIssues: [ConfigurationIssue] {
        issues.enumerated()
            .sorted { lhs, rhs in
                func key(_ element: (offset: Int, element: ConfigurationIssue)) -> (Int, Int, Int, Int) {
                    let isEnvironment = element.element.source == IssueLog.environmentSource ? 1 : 0
                    return (isEnvironment, element.element.line ?? Int.max, element.element.column ?? 0, element.offset)
                }
                return key(lhs) < key(rhs)
            }
            .map(\.element)
    }

    init(fileName: String) {
        self.fileName = fileName
    }

    /// Records an issue of the file.
    func add(
        _ kind: ConfigurationIssue.Kind,
        at path: ConfigPath,
        _ problem: String,
        expected: String? = nil,
        line: Int? = nil,
        column: Int? = nil
    ) {
        issues.append(
            ConfigurationIssue(
                source: fileName,
                path: path.description,
                kind: kind,
                problem: problem,
                expected: expected,
                line: line,
                column: column
            )
        )
    }

    /// Records an issue of an environment variable.
    func addEnvironment(
        _ kind: ConfigurationIssue.Kind,
        variable: String,
        _ problem: String,
        expected: String? = nil
    ) {
        issues.append(
            ConfigurationIssue(
                source: IssueLog.environmentSource,
                path: variable,
                kind: kind,
                problem: problem,
                expected: expected
            )
        )
    }
}
