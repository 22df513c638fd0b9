// MARK: - ConfigurationIssue

/// One problem found in the configuration: where it is, what is wrong and what is expected instead.
///
/// Its description reads like `config.yaml: tenants[0].marketo.callShare: 1.5 is out of range; expected a number in
/// (0, 1] (line 12, column 18)`. Messages never contain a secret's value.
public struct ConfigurationIssue: Sendable, Hashable, CustomStringConvertible {
    /// The kind of problem, for programs that react to it.
    public enum Kind: String, Sendable, Hashable {
        /// The file is not valid YAML or JSON.
        case syntax
        /// The file could not be read.
        case unreadableFile
        /// A key that the configuration does not know (usually a typo).
        case unknownKey
        /// A required key is missing.
        case missingKey
        /// A value of the wrong type (a list where a mapping is expected, text where a number is expected).
        case wrongType
        /// A value of the right type that is not acceptable (a bad id, a number out of range, an unknown name).
        case invalidValue
        /// A value that must be unique appears twice.
        case duplicate
        /// A secret written into the file instead of referenced.
        case literalSecret
        /// Settings that contradict each other.
        case inconsistent
        /// A secret reference whose variable is unset or empty, or whose file cannot be read.
        case unresolvableSecret
    }

    /// Where the problem comes from: the configuration file's name, or `environment`.
    public var source: String
    /// The setting's path (`tenants[1].events["summit-2026"].salesforceCampaignId`) or environment variable name;
    /// empty for the document as a whole.
    public var path: String
    /// The kind of problem.
    public var kind: Kind
    /// What is wrong.
    public var problem: String
    /// What is expected instead, if that can be said.
    public var expected: String?
    /// The 1-based line in the file, when known.
    public var line: Int?
    /// The 1-based column in the file, when known.
    public var column: Int?

    /// Creates an issue.
    public init(
        source: String,
        path: String,
        kind: Kind,
        problem: String,
        expected: String? = nil,
        line: Int? = nil,
        column: Int? = nil
    ) {
        self.source = source
        self.path = path
        self.kind = kind
        self.problem = problem
        self.expected = expected
        self.line = line
        self.column = column
    }

    /// `source: path: problem; expected ... (line L, column C)`.
    public var description: String {
        var text = source + ": "
        if !path.isEmpty { text += path + ": " }
        text += problem
        if let expected { text += "; expected " + expected }
        if let line {
            text += " (line \(line)"
            if let column { text += ", column \(column)" }
            text += ")"
        }
        return text
    }
}
