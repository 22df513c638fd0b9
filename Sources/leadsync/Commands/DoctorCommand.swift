import ArgumentParser
import Config
import Foundation
import LeadModel
import Preflight

/// `leadsync doctor`: the read-only preflight of every tenant's CRM setup.
struct DoctorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "doctor",
        abstract: "Check each tenant's Marketo and Salesforce setup against the live CRMs (read-only).",
        discussion: """
            For every tenant (or those of --tenant) and each of its CRMs (or the one of --crm): the credentials \
            give a token; Marketo: each mapped program exists and its channel has the nine statuses in order, the \
            custom activity type is approved with the attributes LeadSync sends, the custom object is approved \
            with its fields, dedupe fields and lead link, the day's API usage; Salesforce: each mapped campaign \
            exists with a member status per status label, the CampaignMember External ID field exists and is \
            unique and external, the engagement object and its fields exist with compatible types, the org's \
            remaining API requests. Nothing is created, changed or deleted; each tenant costs a few dozen API \
            calls.

            Prints a table (pass / WARN / FAIL, and under each warning or failure what was found and the precise \
            fix) or, with --json, one JSON document; progress goes to standard error. Exit status (docs/cli.md): \
            0 when nothing failed (warnings allowed), 1 when a check failed (a CRM that cannot be reached or \
            refuses the credentials is a failed check), 2 when the configuration cannot be used, 64 for a bad \
            command line. docs/crm-setup.md explains every check and how to set the CRMs up.

            Examples:
              leadsync doctor --config /etc/leadsync/leadsync.yaml
              leadsync doctor --tenant acme --crm salesforce --json
            """
    )

    @OptionGroup var configOptions: ConfigOptions

    @Option(name: .customLong("tenant"), help: "Check only this tenant (repeatable).")
    var tenants: [String] = []

    @Option(help: "Check only this CRM: marketo or salesforce.")
    var crm: String?

    @Flag(help: "Print the report as JSON instead of a table.")
    var json = false

    @Option(help: "Seconds one CRM call may take.")
    var timeout = 30

    func validate() throws {
        if let crm, Destination(rawValue: crm) == nil {
            throw ValidationError("--crm takes marketo or salesforce, not '\(crm)'")
        }
        guard timeout > 0 else {
            throw ValidationError("--timeout must be a positive number of seconds, got \(timeout)")
        }
    }

    func run() async throws {
        try await runReportingErrors {
            let destinations = crm.flatMap(Destination.init(rawValue:)).map { Set([$0]) } ?? Set(Destination.allCases)
            let role: ConfigRole = destinations.count == 1 ? .writer(destinations.first ?? .marketo) : .all
            let config = try configOptions.load(role: role, checkingSecrets: false)
            let unknown = tenants.filter { config.tenant($0) == nil }
            guard unknown.isEmpty else {
                throw CommandFailure(
                    message: "no tenant \(unknown.joined(separator: ", ")) in the configuration (tenants: "
                        + config.tenants.map(\.tenant).joined(separator: ", ") + ")"
                )
            }
            let selected = config.tenants.filter { tenant in
                (tenants.isEmpty || tenants.contains(tenant.tenant))
                    && !tenant.destinations.intersection(destinations).isEmpty
            }
            FileHandle.standardError.write(
                Data(
                    ("leadsync doctor: checking \(selected.count) tenant(s) ("
                        + destinations.map(\.rawValue).sorted().joined(separator: ", ") + ")\n").utf8
                )
            )
            let report = await Preflight.run(
                config: config,
                destinations: destinations,
                tenants: tenants.isEmpty ? nil : Set(tenants),
                requestTimeout: .seconds(timeout),
                logger: makeLogger("leadsync.doctor", level: .critical),
                progress: Self.printProgress
            )
            printLine(json ? report.json() : report.table())
            if !report.passed { throw ExitStatus.difference.exitCode }
        }
    }

    /// One line on standard error per tenant and CRM as the checks start.
    @Sendable
    static func printProgress(tenant: String, destination: Destination) {
        FileHandle.standardError.write(Data("  \(tenant): \(destination.rawValue)\n".utf8))
    }
}
