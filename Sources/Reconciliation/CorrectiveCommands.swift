public import Config
public import LeadModel

// MARK: - CorrectiveCommands

/// The member status commands that bring a CRM back to the fold's state, for the normal writers to deliver.
///
/// One command per missing member and per member at a wrong status, carrying the fold's status. Extra members
/// are never deleted, and a Marketo member above the fold's step gets no command (Marketo never moves a member
/// to a lower step: such a command would be skipped with 1037). Each command id is derived by ``CommandID`` from
/// the lead, event, status and the source event id `reconcile-<run id>`: producing the same run again yields the
/// same ids, which the writers treat as repeats.
public enum CorrectiveCommands {
    /// The source event id the commands of a run carry.
    public static func sourceEventId(runId: String) -> String { "reconcile-\(runId)" }

    /// Builds the corrective commands of a report.
    /// - Parameters:
    ///   - report: The reconciliation report.
    ///   - tenant: The tenant (event mappings give the program or campaign).
    ///   - runId: The reconcile run's id (repeat a run with the same id to make the repeat harmless).
    /// - Returns: The commands in report order.
    public static func commands(for report: ReconciliationReport, tenant: TenantSettings, runId: String) -> [Command] {
        let sourceEventId = sourceEventId(runId: runId)
        var commands: [Command] = []
        for event in report.events {
            guard let mapping = tenant.events[event.virtualEventId] else { continue }
            let target: CommandTarget
            switch report.destination {
            case .marketo:
                guard let program = mapping.marketoProgramId else { continue }
                target = .marketo(programId: program)
            case .salesforce:
                guard let campaign = mapping.salesforceCampaignId else { continue }
                target = .salesforce(campaignId: campaign)
            }
            for difference in event.differences {
                let expected: ExpectedMember
                let previous: ChannelStatus?
                switch difference {
                case .missing(let member):
                    expected = member
                    previous = nil
                case .wrongStatus(let member, let actual):
                    let current = ChannelStatus(name: actual)
                    if report.destination == .marketo, let current, current.step > member.status.step { continue }
                    expected = member
                    previous = current
                case .extra, .keptHigherStep:
                    continue
                }
                commands.append(
                    Command(
                        commandId: CommandID.memberStatus(
                            destination: report.destination,
                            leadKey: expected.leadKey,
                            virtualEventId: event.virtualEventId,
                            status: expected.status,
                            sourceEventId: sourceEventId
                        ),
                        target: target,
                        leadKey: expected.leadKey,
                        userId: expected.userId,
                        profile: expected.profile,
                        virtualEventId: event.virtualEventId,
                        occurredAt: expected.occurredAt,
                        sourceEventId: sourceEventId,
                        payload: .memberStatus(MemberStatusChange(status: expected.status, previousStatus: previous))
                    )
                )
            }
        }
        return commands
    }

    /// Differences no corrective command can repair: Marketo members above the fold's step.
    public static func unrepairable(in report: ReconciliationReport) -> Int {
        guard report.destination == .marketo else { return 0 }
        return report.events.reduce(0) { total, event in
            total
                + event.wrongStatus.count { wrong in
                    (ChannelStatus(name: wrong.actual)?.step ?? 0) > wrong.expected.status.step
                }
        }
    }
}
