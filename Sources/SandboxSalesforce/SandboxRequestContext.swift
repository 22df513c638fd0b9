import Hummingbird

// MARK: - SandboxRequestContext

/// Hummingbird's basic context plus a way to close the connection, so a "dropped connection" fault can
/// leave a request unanswered.
struct SandboxRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    /// Closes the connection without writing a response.
    let dropConnection: @Sendable () async -> Void

    init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        let channel = source.channel
        self.dropConnection = { try? await channel.close() }
    }

    /// Bulk uploads may be up to 150 MB.
    var maxUploadSize: Int { 160 * 1024 * 1024 }
}
