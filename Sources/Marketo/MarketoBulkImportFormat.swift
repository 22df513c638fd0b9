/// The file format of a bulk import (`format`): comma-, tab- or semicolon-separated values.
public enum MarketoBulkImportFormat: String, Sendable, Hashable, CaseIterable {
    /// Comma-separated values (the default).
    case csv
    /// Tab-separated values.
    case tsv
    /// Semicolon-separated values.
    case ssv

    /// The separator character.
    public var separator: Character {
        switch self {
        case .csv: ","
        case .tsv: "\t"
        case .ssv: ";"
        }
    }

    /// The MIME type of the uploaded file part.
    var mimeType: String {
        switch self {
        case .csv: "text/csv"
        case .tsv: "text/tab-separated-values"
        case .ssv: "text/plain"
        }
    }
}
