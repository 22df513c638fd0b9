// MARK: - LeadSyncConfig + EmbeddedDefault

extension LeadSyncConfig {
    /// The development default, `config/dev.yaml`, compiled in (the `Config` target has no resources). A test checks
    /// that it equals the file byte for byte.
    public static let embeddedDefaultText = #"""
        # LeadSync development configuration: what `leadsync run` uses when LEADSYNC_CONFIG is not set.
        #
        # No kafka section: the CLI starts an embedded Kafka (librdkafka's mock cluster). The tenants point at the
        # CRM sandboxes (`leadsync sandbox marketo|salesforce`) with the ids and credentials their standard setups
        # provision: Marketo munchkin 123-ABC-456 with programs 1001 "Summit 2026", 1002 "Webinar Series 2026" and
        # 1003 "Partner Day 2026" (one subscription, so acme and globex split its call rate); the Salesforce org's
        # campaigns 701Dn0000000001IAA "Summit 2026" and 701Dn0000000002IAA "Webinar Series 2026". The CLI replaces
        # the base URLs with the sandboxes' actual addresses when it starts them itself.
        #
        # Secrets are references, as in production. The embedded default (LeadSyncConfig.embeddedDefault) supplies
        # the sandboxes' well-known credentials for these variables when the environment does not set them.

        fold:
          stateDirectory: .leadsync/dev/state

        observability:
          metricsAddress: 127.0.0.1:9464
          logLevel: info

        tenants:
          - tenant: acme
            destinations: [marketo, salesforce]
            events:
              summit-2026:
                marketoProgramId: 1001
                salesforceCampaignId: 701Dn0000000001IAA
              webinar-7:
                marketoProgramId: 1002
                salesforceCampaignId: 701Dn0000000002IAA
            marketo:
              munchkinId: 123-ABC-456
              baseURL: http://127.0.0.1:9471
              clientId: leadsync-client-id
              clientSecret: { env: LEADSYNC_DEV_MARKETO_CLIENT_SECRET }
              callShare: 0.5
              fieldMapping:
                custom.industry: industry
            salesforce:
              loginURL: http://127.0.0.1:9472
              clientId: leadsync-sandbox-client
              clientSecret: { env: LEADSYNC_DEV_SALESFORCE_CLIENT_SECRET }
              apiVersion: v62.0

          - tenant: globex
            destinations: [marketo]
            events:
              partner-day-2026:
                marketoProgramId: 1003
            settleWindow: 1m
            marketo:
              munchkinId: 123-ABC-456
              baseURL: http://127.0.0.1:9471
              clientId: leadsync-client-id
              clientSecret: { env: LEADSYNC_DEV_MARKETO_CLIENT_SECRET }
              callShare: 0.5
        """#

    /// The name messages give the embedded default.
    public static let embeddedDefaultFileName = "dev.yaml (embedded)"

    /// The CRM sandboxes' well-known development credentials, for the variables `config/dev.yaml` references.
    /// They are the sandboxes' standard setup values, not secrets of any real system.
    public static let developmentSandboxCredentials: [String: String] = [
        "LEADSYNC_DEV_MARKETO_CLIENT_SECRET": "leadsync-client-secret",
        "LEADSYNC_DEV_SALESFORCE_CLIENT_SECRET": "leadsync-sandbox-secret",
    ]

    /// The embedded development configuration (`config/dev.yaml`): tenants `acme` and `globex` on the CRM
    /// sandboxes and the embedded Kafka, with the environment's overrides applied. The sandbox credentials are
    /// supplied for the variables the environment does not set.
    /// - Parameters:
    ///   - environment: The environment: overrides, and secrets that replace the sandbox credentials.
    ///   - readFile: Reads secret files.
    /// - Throws: ``ConfigurationError`` when an environment override is invalid.
    public static func embeddedDefault(
        environment: [String: String] = [:],
        readFile: @escaping @Sendable (String) throws -> String = SecretSource.readFileFromDisk
    ) throws(ConfigurationError) -> LeadSyncConfig {
        let merged = developmentSandboxCredentials.merging(environment) { _, fromEnvironment in fromEnvironment }
        return try parse(
            embeddedDefaultText,
            fileName: embeddedDefaultFileName,
            source: SecretSource(environment: merged, readFile: readFile)
        )
    }
}
