import ArgumentParser
import Foundation
import SandboxMarketo

extension SandboxCommand {
    /// `leadsync sandbox marketo`.
    struct Marketo: AsyncParsableCommand {
        /// The port config/dev.yaml's Marketo `baseURL` names.
        static let defaultPort = 9471

        static let configuration = CommandConfiguration(
            commandName: "marketo",
            abstract: "Serve the Marketo REST and Bulk API emulator (default http://127.0.0.1:9471).",
            discussion: """
                Every subscription of the setup is served on the one port; the access token says which one a \
                call is for (the real base URL is https://{munchkinId}.mktorest.com). The standard setup: munchkin \
                123-ABC-456, client id leadsync-client-id (its secret is the one config/dev.yaml's embedded \
                default supplies), the "Virtual Event" channel with the nine statuses, programs 1001, 1002 and \
                1003, the approved activity type userSessionEngagement (100001) and the custom object \
                kalturaUserSessionEngagement. Every call is logged at debug level.

                API endpoints (API errors are HTTP 200, success:false, string codes):
                  /identity/oauth/token                 same token until it expires
                  /rest/v1/leads.json                   sync (POST), get by filter (GET,
                                                        or POST ?_method=GET)
                  /rest/v1/leads/describe.json, describe2.json, /rest/v1/lead/{id}.json
                  /rest/v1/programs/{programId}/members/status.json   status upsert
                  /rest/v1/programs/{programId}/members.json          get members
                  /rest/asset/v1/program/{id}.json, /rest/asset/v1/channels.json
                  /rest/v1/activities/external/types.json, …/external.json
                  /rest/v1/activities/pagingtoken.json, /rest/v1/activities.json
                                                        read activities back (by date)
                  /rest/v1/customobjects/{apiName}.json, …/describe.json
                  /bulk/v1/leads.json, /bulk/v1/program/{programId}/members/import.json,
                  /bulk/v1/customobjects/{apiName}/import.json       multipart CSV
                  /bulk/v1/{leads|program/members}/export/…          create, enqueue,
                                                        status, file (Range), cancel
                  /rest/v1/stats/usage.json, /rest/v1/stats/errors.json
                Enforced: 100 calls / 20 s (606), 10 in flight (615), the daily quota
                (607), 300 records a call, 1 MB bodies (413), 8 KB URIs (414), expired
                (602) and unknown (601) tokens, program status steps (1037).

                Control API (no token; GET / lists every route):
                  S=localhost:9471/_sandbox
                  # everything stored, one part of it, the call log with records per call
                  curl -s $S/subscriptions/123-ABC-456
                  curl -s $S/subscriptions/123-ABC-456/memberships
                  curl -s $S/calls
                  # 611 on a fifth of the member status calls (seeded, so repeatable)
                  curl -s $S/faults -d '{"errorCode": "611",
                    "endpoint": "/rest/v1/programs/{programId}/members/status.json",
                    "rate": 0.2, "seed": 7}'
                  # 500 ms latency on three calls; two dropped connections; 503s
                  curl -s $S/faults -d '{"latencyMs": 500, "remaining": 3}'
                  curl -s $S/faults -d '{"dropConnection": true, "remaining": 2}'
                  # carried out, then the answer lost (the client cannot know)
                  curl -s $S/faults -d '{"dropAfterProcessing": true, "remaining": 1}'
                  curl -s $S/faults -d '{"httpStatus": 503, "rate": 0.1}'
                  curl -s -X DELETE $S/faults
                  # the next call gets 602; a sandbox day passes
                  curl -s -X POST $S/tokens/expire
                  curl -s $S/clock/advance -d '{"seconds": 86400}'
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
                    name: "marketo",
                    defaultPort: Self.defaultPort,
                    load: MarketoSandboxSetup.load(from:),
                    standard: { .standard() },
                    make: { setup, port, logger in
                        try MarketoSandbox(
                            setup: setup,
                            options: MarketoSandboxOptions(
                                host: serving.host,
                                port: port,
                                timeScale: 1 / serving.timeScale,
                                logger: logger
                            )
                        )
                    },
                    baseURL: { try await $0.baseURL() },
                    banner: { Self.banner(setup: $0, url: $1, timeScale: timeScale) }
                )
            }
        }

        /// What the sandbox prints once it listens: the URL, each subscription's munchkin id, client id and
        /// programs (never a secret), and where to look next.
        static func banner(setup: MarketoSandboxSetup, url: URL, timeScale: Double) -> [String] {
            let base = url.absoluteString
            var lines = ["leadsync sandbox marketo: listening on \(base)"]
            for sub in setup.subscriptions {
                let programs = sub.programs.map { "\($0.id)" }.joined(separator: ", ")
                lines.append("  subscription \(sub.munchkinId): client id \(sub.clientId), programs \(programs)")
            }
            let clientId = setup.subscriptions.first?.clientId ?? "<client id>"
            lines += [
                "  token:   curl '\(base)/identity/oauth/token?grant_type=client_credentials"
                    + "&client_id=\(clientId)&client_secret=<secret>'",
                "  control: \(base)/_sandbox (stored data, call log, faults, clock)",
                "  time:    \(timeScale == 1 ? "real time" : "\(timeScale) sandbox seconds per real second")",
                "Stop with Ctrl-C.",
            ]
            return lines
        }
    }
}
