// MARK: - RoleInstance

/// A role instance's default name: the fold's transactional id is `{group}-{instance id}`, a writer's order ledger
/// lives in `{group}-{instance id}`.
public enum RoleInstance {
    /// `$LEADSYNC_INSTANCE_ID`, else `$HOSTNAME` (a pod's or container's name), else `{host name}-{role}`.
    ///
    /// Stable across restarts on one host: a restarted fold gets its predecessor's transactional id, so its
    /// `init_transactions` fences the predecessor and aborts its open transaction at once (with a new id each
    /// start, that transaction would hold read_committed readers until it timed out). Two instances of one role on
    /// one host need distinct `--instance-id`s; two with the same id fence each other, and the fenced one stops
    /// with an error that says so.
    /// - Parameters:
    ///   - role: `fold`, `writer-marketo`, `writer-salesforce`.
    ///   - environment: The process environment.
    ///   - hostName: This host's name.
    public static func defaultId(role: String, environment: [String: String], hostName: String) -> String {
        if let id = environment["LEADSYNC_INSTANCE_ID"], !id.isEmpty { return id }
        if let host = environment["HOSTNAME"], !host.isEmpty { return host }
        let host = hostName.isEmpty ? "localhost" : hostName
        return "\(host)-\(role)"
    }
}
