extension MarketoSandboxSetup {
    /// The provisioning docs/crm-setup.md describes, for one subscription: the event channel with the
    /// nine statuses, event programs on it, the `userSessionEngagement` activity type (approved), the
    /// `kalturaUserSessionEngagement` custom object and the standard lead fields.
    ///
    /// - Parameters:
    ///   - munchkinId: The munchkin id.
    ///   - clientId: The client id to accept at `/identity/oauth/token`.
    ///   - clientSecret: The client secret to accept.
    ///   - programs: The event programs (defaults: 1001, 1002, 1003).
    ///   - limits: The limits (defaults: the documented ones).
    public static func standard(
        munchkinId: String = "123-ABC-456",
        clientId: String = "leadsync-client-id",
        clientSecret: String = "leadsync-client-secret",
        programs: [Program] = Program.standard,
        limits: Limits = Limits()
    ) -> MarketoSandboxSetup {
        MarketoSandboxSetup(subscriptions: [
            Subscription(
                munchkinId: munchkinId,
                clientId: clientId,
                clientSecret: clientSecret,
                programs: programs,
                limits: limits
            )
        ])
    }
}
