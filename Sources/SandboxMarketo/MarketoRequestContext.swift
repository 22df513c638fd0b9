import Hummingbird

/// The request context of the sandbox's server: Hummingbird's core context plus a way to drop the connection
/// without answering (the `dropConnection` fault).
struct MarketoRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    /// Closes the client's connection at once.
    let closeConnection: @Sendable () -> Void

    init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        let channel = source.channel
        self.closeConnection = { channel.close(promise: nil) }
    }

    /// Bodies are read by the responder with the subscription's own limits.
    var maxUploadSize: Int { 64 * 1024 * 1024 }
}
