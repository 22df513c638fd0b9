import Foundation

extension MarketoStore {
    func advanceBulkJobs(_ sub: inout SubscriptionState, now: Date) {}

    func createImport(
        _ sub: inout SubscriptionState, _ endpoint: MarketoEndpoint, _ request: SandboxRequest, now: Date,
        batchId: inout Int
    ) throws(ReplyError) -> SandboxReply { .failure("610") }

    func importStatus(_ sub: SubscriptionState, _ endpoint: MarketoEndpoint, _ request: SandboxRequest)
        throws(ReplyError) -> SandboxReply { .failure("610") }

    func importFile(_ sub: SubscriptionState, _ endpoint: MarketoEndpoint, _ request: SandboxRequest, failures: Bool)
        throws(ReplyError) -> SandboxReply { .failure("610") }
}
