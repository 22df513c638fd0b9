import Foundation

extension MarketoStore {
    func createExport(_ sub: inout SubscriptionState, _ request: SandboxRequest, now: Date) throws(ReplyError)
        -> SandboxReply { .failure("610") }
    func enqueueExport(_ sub: inout SubscriptionState, _ request: SandboxRequest, now: Date) throws(ReplyError)
        -> SandboxReply { .failure("610") }
    func exportStatus(_ sub: SubscriptionState, _ request: SandboxRequest) throws(ReplyError) -> SandboxReply {
        .failure("610")
    }
    func exportFile(_ sub: SubscriptionState, _ request: SandboxRequest) throws(ReplyError) -> SandboxReply {
        .failure("610")
    }
    func cancelExport(_ sub: inout SubscriptionState, _ request: SandboxRequest, now: Date) throws(ReplyError)
        -> SandboxReply { .failure("610") }
    func listExports(_ sub: SubscriptionState, _ request: SandboxRequest) throws(ReplyError) -> SandboxReply {
        .failure("610")
    }
}
