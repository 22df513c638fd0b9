import Kafka
import LeadModel

extension FoldTask {
    /// A lead's member status in one virtual event on one command topic.
    struct StatusSlot: Hashable, Comparable {
        var topic: String
        var leadKey: String
        var virtualEventId: String

        static func < (lhs: StatusSlot, rhs: StatusSlot) -> Bool {
            (lhs.topic, lhs.leadKey, lhs.virtualEventId) < (rhs.topic, rhs.leadKey, rhs.virtualEventId)
        }
    }

    /// The last member-status command of a slot on its topic.
    struct SlotRecord: Hashable {
        var status: ChannelStatus
        var commandId: String
    }

    /// Notes a member-status command found by a restore's output scan (in log order: a later one replaces).
    mutating func noteScannedCommand(_ command: Command, topic: String) {
        guard case .memberStatus(let change) = command.payload else { return }
        let slot = StatusSlot(topic: topic, leadKey: command.leadKey.rawValue, virtualEventId: command.virtualEventId)
        statusSlots[slot] = SlotRecord(status: change.status, commandId: command.commandId.rawValue)
    }

    // MARK: - Restating member statuses after a crash

    /// Writes a member-status command for every slot whose last command on the topic (from the restore's scan, or
    /// written since) says another status than the lead's: so that, at every commit, the last command of a lead
    /// and virtual event carries the fold's status, after a crash too.
    ///
    /// Without it, a re-fold could leave an older command last: the transaction that did not commit (visible on
    /// the mock cluster; on real Kafka, the committed transaction whose checkpoint was lost with the next one)
    /// wrote commands from the events in one order, and the re-fold, meeting them in another, suppresses those of
    /// its commands whose ids are already in the log and may emit none for a status it reaches by another path.
    /// A restatement is a new command: its `sourceEventId` is `restatement:{the id of the command it follows}`,
    /// and its id is derived from that, so it is deterministic and never repeats an id in the log.
    mutating func restateStatusSlots(
        context: Context,
        metrics: inout FoldMetrics,
        outputs: inout FoldOutputs
    ) throws(FoldError) {
        guard !statusSlots.isEmpty else { return }
        let checkAll = checkAllStatusSlots
        checkAllStatusSlots = false
        defer { leadsFoldedSinceCheck.removeAll(keepingCapacity: true) }
        for (slot, last) in statusSlots.sorted(by: { $0.key < $1.key }) {
            guard checkAll || leadsFoldedSinceCheck.contains(slot.leadKey),
                let leadKey = LeadKey(rawValue: slot.leadKey),
                let rules = context.tenants.rules(for: leadKey.tenant),
                let membership = try peekState(slot.leadKey)?.membership(for: slot.virtualEventId),
                membership.status != last.status,
                let target = rules.targets(for: slot.virtualEventId).first(where: {
                    context.topics.commands[$0.destination] == slot.topic
                })
            else { continue }
            let state = try peekState(slot.leadKey) ?? LeadState()
            var source = "restatement:\(last.commandId)"
            var commandId = CommandID.memberStatus(
                destination: target.destination,
                leadKey: leadKey,
                virtualEventId: slot.virtualEventId,
                status: membership.status,
                sourceEventId: source
            )
            // Never an id already in the log (it cannot be, unless a digest collides: then derive another).
            while suppressedOutputIds[commandId.rawValue] != nil {
                source += "'"
                commandId = CommandID.memberStatus(
                    destination: target.destination,
                    leadKey: leadKey,
                    virtualEventId: slot.virtualEventId,
                    status: membership.status,
                    sourceEventId: source
                )
            }
            let command = Command(
                commandId: commandId,
                target: target,
                leadKey: leadKey,
                userId: state.userId,
                profile: state.profile,
                virtualEventId: slot.virtualEventId,
                occurredAt: membership.occurredAt,
                sourceEventId: source,
                payload: .memberStatus(
                    MemberStatusChange(
                        status: membership.status,
                        previousStatus: last.status,
                        granularStatus: membership.granularStatus,
                        isDerived: membership.isDerived
                    )
                )
            )
            isDirty = true
            metrics.restatedCommand()
            try write(
                command,
                to: slot.topic,
                key: Array(slot.leadKey.utf8),
                context: context,
                metrics: &metrics,
                outputs: &outputs
            )
        }
    }

    /// A lead's state as it stands (the record cache's, else the store's), without taking it out of the cache.
    func peekState(_ key: String) throws(FoldError) -> LeadState? {
        if let cached = stateCache[key] { return cached.state }
        do throws(LeadStateCodec.DecodingError) {
            return try store.stateAndDue(of: key)?.state
        } catch {
            throw FoldError(
                kind: .corruptState,
                message: "state of \(key) in partition \(partition) does not decode: \(error)"
            )
        }
    }
}
