import Logging

// MARK: - SandboxStore + Logging

extension SandboxStore {
    /// Keeps a call that belongs to no org, and logs it at debug level. Runs with the lock held.
    func appendUnattributed(to state: inout State, _ call: SandboxCall) {
        logger?.debug("sandbox call", metadata: call.logMetadata())
        state.unattributedCalls.append(call)
    }
}
