import ArgumentParser
import Foundation
import SandboxSalesforce

extension SandboxCommand {
    /// `leadsync sandbox salesforce`.
    struct Salesforce: AsyncParsableCommand {
        /// The port config/dev.yaml's Salesforce `loginURL` names.
        static let defaultPort = 9472

        static let configuration = CommandConfiguration(
            commandName: "salesforce",
            abstract: "Serve the Salesforce REST and Bulk API 2.0 emulator (default http://127.0.0.1:9472).",
            discussion: """
                The sandbox is both the login host and the instance: tokens carry instance_url = the sandbox's \
                URL, and paths accept any vNN.N. The standard setup: org 00DDn0000000001MAA with client id \
                leadsync-sandbox-client (its secret is the one config/dev.yaml's embedded default supplies), JWT \
                bearer for integration@leadsync.example, campaigns 701Dn0000000001IAA "Summit 2026" and \
                701Dn0000000002IAA "Webinar Series 2026" with the nine channel statuses, CampaignMember \
                external_id__c (unique, case-insensitive) and UserSessionEngagement__c with the External ID \
                engagement_key__c. An unknown member status \
                is rejected; a setup file with "campaignMemberStatusMode": "defaultSilently" stores the default \
                status instead. Every call is logged at debug level.

                API endpoints (under /services/data/vNN.N unless absolute):
                  /services/oauth2/token            client_credentials, JWT bearer
                  limits, query?q=SELECT …          nextRecordsUrl paging
                  sobjects/{type}[/{id}]            create (201), get, update (204)
                  sobjects/{type}/{extId}/{value}   upsert (201, 200, 300)
                  composite/sobjects[/{type}/{extId}]   200 records, allOrNone
                  composite (25 subrequests), composite/batch
                  jobs/ingest[/{id}[/batches|/successfulResults|/failedResults|
                    /unprocessedrecords]]           Bulk API 2.0 ingest
                Enforced: the daily allocation (403 REQUEST_LIMIT_EXCEEDED, and the
                Sforce-Limit-Info header), long-running concurrency, expired or revoked
                sessions (401 INVALID_SESSION_ID), CampaignMember rules, field types and
                lengths, converted leads.

                Control API (no token; GET / lists every route):
                  S=localhost:9472/_sandbox
                  # one org at a glance, its stored records, its call log
                  curl -s $S/orgs/00DDn0000000001MAA
                  curl -s $S/orgs/00DDn0000000001MAA/records/CampaignMember
                  curl -s $S/orgs/00DDn0000000001MAA/calls
                  # row locks on a fifth of the collection calls (seeded, so repeatable)
                  curl -s $S/faults -d '{"kind": "error",
                    "endpoint": "collections", "errorCode": "UNABLE_TO_LOCK_ROW",
                    "rate": 0.2, "seed": 7}'
                  # single rows fail inside an HTTP 200 answer
                  curl -s $S/faults -d '{"kind": "error",
                    "errorCode": "UNABLE_TO_LOCK_ROW", "perRecord": true, "rate": 0.1}'
                  # a bare 503, 500 ms latency, two dropped connections
                  curl -s $S/faults -d '{"kind": "error", "httpStatus": 503}'
                  curl -s $S/faults -d '{"kind": "latency", "latencyMilliseconds": 500}'
                  curl -s $S/faults -d '{"kind": "drop", "remaining": 2}'
                  # carried out, then the answer lost (the client cannot know)
                  curl -s $S/faults -d '{"kind": "drop", "afterProcessing": true}'
                  curl -s -X DELETE $S/faults
                  # sessions end (401 INVALID_SESSION_ID); two sandbox hours pass
                  curl -s -X POST $S/orgs/00DDn0000000001MAA/revoke-tokens
                  curl -s $S/clock/advance -d '{"seconds": 7200}'
                  # back to the setup without a restart
                  curl -s -X POST $S/reset
                  # every control endpoint
                  curl -s $S
                """
        )

        @OptionGroup var serving: ServingOptions

        func run() async throws {
            try await runReportingErrors {
                let timeScale = serving.timeScale
                try await serving.serve(
                    name: "salesforce",
                    defaultPort: Self.defaultPort,
                    load: SalesforceSandboxSetup.load(contentsOf:),
                    standard: { .standard() },
                    make: { setup, port, logger in
                        try SalesforceSandbox(
                            setup: setup,
                            options: SalesforceSandbox.Options(
                                host: serving.host,
                                port: port,
                                timeScale: serving.timeScale,
                                logger: logger
                            )
                        )
                    },
                    baseURL: { try await $0.waitUntilRunning() },
                    banner: { Self.banner(setup: $0, url: $1, timeScale: timeScale) }
                )
            }
        }

        /// What the sandbox prints once it listens: the URL, each org's id, client id, JWT users and campaigns
        /// (never a secret), and where to look next.
        static func banner(setup: SalesforceSandboxSetup, url: URL, timeScale: Double) -> [String] {
            let base = url.absoluteString
            var lines = ["leadsync sandbox salesforce: listening on \(base)"]
            for org in setup.orgs {
                var flows: [String] = []
                if org.clientCredentialsEnabled { flows.append("client credentials") }
                if let jwt = org.jwtBearer {
                    flows.append("JWT bearer for \(jwt.approvedUsernames.joined(separator: ", "))")
                }
                lines.append("  org \(org.orgId): client id \(org.clientId) (\(flows.joined(separator: "; ")))")
                for campaign in org.campaigns {
                    lines.append("    campaign \(campaign.id) \"\(campaign.name)\"")
                }
            }
            lines += [
                "  token:   curl -s \(base)/services/oauth2/token -d grant_type=client_credentials "
                    + "-d client_id=\(setup.orgs.first?.clientId ?? "<client id>") -d client_secret=<secret>",
                "  control: \(base)/_sandbox (stored records, call log, faults, clock)",
                "  time:    \(timeScale == 1 ? "real time" : "\(timeScale) sandbox seconds per real second")",
                "Stop with Ctrl-C.",
            ]
            return lines
        }
    }
}
