import ArgumentParser
import Config
import Fold
import Foundation
import LeadModel
import Logging
import Reconciliation

struct ReconcileCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reconcile",
        abstract: "Compare a CRM's program or campaign members with the fold's state, and repair the drift.",
        discussion: """
            Reads every lead's committed state from leadsync.state.changelog, exports the CRM's current members \
            of the tenant's mapped events (Marketo: bulk export of program members; Salesforce: CampaignMember \
            queries), and reports the drift per event: members missing from the CRM, members at a wrong status, \
            and extra members the fold does not know. A Marketo member kept at a higher step after an allowed \
            re-registration is reported apart, not as drift (Marketo never moves a member down). Unless \
            --members-only, the engagement is compared too: engagement records missing (Marketo custom objects, \
            Salesforce UserSessionEngagement__c), and Marketo custom activities missing or held more than once per \
            (lead, entry) (Get Lead Activities since --activity-days).

            With --apply, member status commands with the fold's status are produced to <dest>.commands, keyed \
            by the lead, and the normal writers deliver them. Their ids derive from --run-id: running the same \
            reconcile again with the same id is harmless. Extra members are reported, never deleted; engagement \
            drift is reported only (a duplicated activity must be deleted in Marketo by hand).

            Exit status (docs/cli.md): 0 in sync, 1 drift found (also with --apply: run again after the writers \
            delivered to see 0), 2 on an error, 64 for a bad command line.

            Examples:
              leadsync reconcile marketo --tenant acme --config config/leadsync.yaml
              leadsync reconcile salesforce --tenant acme --event ve-2024 --json
              leadsync reconcile marketo --tenant acme --apply --run-id 2026-11-25
            """,
        subcommands: [ReconcileMarketoCommand.self, ReconcileSalesforceCommand.self]
    )
}

/// `leadsync reconcile marketo`.
struct ReconcileMarketoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "marketo",
        abstract: "Reconcile a tenant's Marketo program members."
    )

    @OptionGroup var options: ReconcileOptions

    func run() async throws { try await options.run(.marketo) }
}

/// `leadsync reconcile salesforce`.
struct ReconcileSalesforceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "salesforce",
        abstract: "Reconcile a tenant's Salesforce campaign members."
    )

    @OptionGroup var options: ReconcileOptions

    func run() async throws { try await options.run(.salesforce) }
}
