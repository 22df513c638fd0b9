/// A bulk import Marketo accepted: its batch id and what it imports (which says where its status and files are).
public struct MarketoBulkImportJob: Sendable, Hashable {
    /// What a job imports.
    public enum Kind: Sendable, Hashable {
        /// Leads (`/bulk/v1/leads.json`).
        case leads
        /// Members of a program (`/bulk/v1/program/{programId}/members/import.json`).
        case programMembers(programId: Int)
        /// Records of a custom object (`/bulk/v1/customobjects/{apiName}/import.json`).
        case customObject(name: String)
    }

    /// The batch id (valid for 7 days).
    public var batchId: Int
    /// What the job imports.
    public var kind: Kind
    /// The file format.
    public var format: MarketoBulkImportFormat
    /// The status when it was created (normally `Queued`).
    public var status: MarketoBulkImportState

    /// Creates a job handle (for example from a stored batch id).
    public init(batchId: Int, kind: Kind, format: MarketoBulkImportFormat = .csv, status: MarketoBulkImportState) {
        self.batchId = batchId
        self.kind = kind
        self.format = format
        self.status = status
    }

    /// The path of the job's status, failures or warnings resource (`suffix` is `status`, `failures` or
    /// `warnings`).
    func path(_ suffix: String) -> String {
        switch kind {
        case .leads:
            suffix == "status"
                ? "/bulk/v1/leads/batch/\(batchId).json" : "/bulk/v1/leads/batch/\(batchId)/\(suffix).json"
        case .programMembers:
            "/bulk/v1/program/members/import/\(batchId)/\(suffix).json"
        case .customObject(let name):
            "/bulk/v1/customobjects/\(MarketoClient.pathSegment(name))/import/\(batchId)/\(suffix).json"
        }
    }
}
