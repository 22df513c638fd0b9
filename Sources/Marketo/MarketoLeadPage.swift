/// One page of Get Leads by Filter Type.
public struct MarketoLeadPage: Sendable {
    /// Marketo's `requestId`.
    public var requestId: String
    /// The leads of this page (possibly fewer than the batch size even when more follow).
    public var leads: [MarketoLead]
    /// The token of the next page; nil on the last page.
    public var nextPageToken: String?

    /// Creates a page.
    public init(requestId: String, leads: [MarketoLead], nextPageToken: String?) {
        self.requestId = requestId
        self.leads = leads
        self.nextPageToken = nextPageToken
    }
}
