// MARK: - LeadFold

/// The lead state machine: pure functions that fold one input into a ``LeadState`` and say what to emit.
///
/// No clock is read: `now` (wall-clock time of the fold) only drives the custom-activity settle timer. A lead's
/// status in a virtual event is what the rules give when they are applied to its valid, de-duplicated events in
/// event time, sorted by (`occurredAt`, event id digest): each event is placed in the lead's ``StatusTimeline``
/// and, when it is not the latest, what follows it is folded again. So the order in which events arrive, within a
/// topic or across the two input topics, never changes the status. The rules (``step(_:_:rules:)``):
/// - a status is applied only when its step is higher than the status before it in time
///   (see ``decide(current:incoming:occurredAt:rules:)``); equal steps keep the first; lower steps are rejected;
/// - the tenant's allowed backward transitions (by default re-registration) are applied when they occurred later
///   than the status before them;
/// - an engagement that meets the ``ParticipatedRule`` derives `Participated` when the lead is, at its time, at or
///   below `Attended`;
/// - a repeated event id changes nothing and is reported as `duplicate`.
///
/// Commands follow the result, not the events: when a lead's status in an event changes, one `memberStatus`
/// command per enabled destination says the new status (a late event's correction is such a command too), and
/// when it does not change, nothing is emitted. A command's id is derived from the lead, the virtual event, the
/// new status and the event whose fold caused the change, so re-folding the same input gives the same id.
public enum LeadFold {
    /// What the status rules decide for an incoming status.
    public enum Decision: Sendable, Hashable {
        /// Apply the incoming status.
        case apply
        /// Keep the current status, for this reason.
        case reject(TransitionRejection.Reason)
    }

    /// The status rules for one incoming status against the status before it in time.
    public static func decide(
        current: TimelineResult?,
        incoming: ChannelStatus,
        occurredAt: Timestamp,
        rules: TenantRules
    ) -> Decision {
        guard let current else { return .apply }
        if incoming.step > current.status.step { return .apply }
        if incoming.step == current.status.step { return .reject(.equalStep) }
        let isLater = occurredAt > current.occurredAt
        if rules.allowedBackwardTransitions.contains(StatusTransition(from: current.status, to: incoming)) {
            return isLater ? .apply : .reject(.backwardOlder)
        }
        return isLater ? .reject(.backwardNotAllowed) : .reject(.stale)
    }

    /// One step of the fold in event time: the status after `entry`, from the status before it, and what the
    /// entry did.
    public static func step(
        _ current: TimelineResult?,
        _ entry: TimelineEntry,
        rules: TenantRules
    ) -> (result: TimelineResult?, outcome: TimelineOutcome) {
        switch entry.kind {
        case .status(let status, _):
            switch decide(current: current, incoming: status, occurredAt: entry.occurredAt, rules: rules) {
            case .apply:
                let isBackward = current.map { status.step < $0.status.step } ?? false
                return (entry.result, isBackward ? .allowedBackward : .applied)
            case .reject(let reason):
                return (current, .rejected(reason))
            }
        case .engagement:
            guard (current?.status.step ?? 0) <= ChannelStatus.attended.step else { return (current, .notDerived) }
            return (entry.result, .derived)
        }
    }

    // MARK: - Attendee status

    /// Folds an `attendee.status` event.
    ///
    /// Also updates the profile and the user id (each from the event latest in time that carried one), and emits
    /// any custom activities whose settle window has passed at `now`.
    public static func apply(
        _ event: AttendeeStatusEvent,
        to state: inout LeadState,
        rules: TenantRules,
        now: Timestamp
    ) -> FoldOutcome {
        var outcome = FoldOutcome()
        let digest = EventDigest(eventId: event.eventId)
        let incoming = rules.statusMapping.channelStatus(for: event.status)
        let granular: GranularStatus? =
            if case .granular(let granular) = event.status { granular } else { nil }
        let entry = TimelineEntry(
            occurredAt: event.occurredAt,
            eventDigest: digest,
            kind: .status(incoming, granular: granular)
        )
        let timelineIndex = state.timelines.firstIndex { $0.virtualEventId == event.virtualEventId }
        if let timelineIndex {
            let timeline = state.timelines[timelineIndex]
            let reason: TransitionRejection.Reason? =
                timeline.contains(digest) ? .duplicate : timeline.isBeyondHorizon(entry.key) ? .beyondHorizon : nil
            if let reason {
                outcome.rejections.append(
                    TransitionRejection(
                        reason: reason,
                        eventId: event.eventId,
                        virtualEventId: event.virtualEventId,
                        incoming: incoming,
                        current: timeline.result?.status
                    )
                )
                if reason == .beyondHorizon {
                    outcome.stateChanged = updateIdentity(of: &state, from: event)
                    outcome.commands += dueActivities(for: event.leadKey, in: &state, rules: rules, now: now)
                    outcome.stateChanged = outcome.stateChanged || !outcome.commands.isEmpty
                }
                return outcome
            }
        }

        outcome.stateChanged = true
        _ = updateIdentity(of: &state, from: event)
        let index = timelineIndex ?? state.addTimeline(for: event.virtualEventId)
        let insertion = state.timelines[index].insert(entry, rules: rules)
        outcome.isLate = insertion.isLate
        if case .rejected(let reason) = insertion.outcome {
            outcome.rejections.append(
                TransitionRejection(
                    reason: reason,
                    eventId: event.eventId,
                    virtualEventId: event.virtualEventId,
                    incoming: incoming,
                    current: insertion.statusBefore
                )
            )
        }
        emitStatusChange(
            insertion,
            virtualEventId: event.virtualEventId,
            cause: event.eventId,
            key: event.leadKey,
            state: state,
            rules: rules,
            into: &outcome
        )
        outcome.commands += dueActivities(for: event.leadKey, in: &state, rules: rules, now: now)
        return outcome
    }

    // MARK: - Engagement

    /// Folds an `engagement.session` snapshot.
    ///
    /// A snapshot that meets the tenant's ``ParticipatedRule`` is placed in the lead's timeline as a candidate
    /// for a derived `Participated`, whether or not it is the entry's latest snapshot (folded in time order, it
    /// was the latest when it happened). A snapshot earlier in event time than the entry's latest is
    /// `stale_engagement` for the entry; a repeated event id is a `duplicate`. A later one replaces the latest,
    /// emits an `engagementUpsert` per mapped destination, restarts the entry's settle timer at `now`, and emits
    /// the Marketo custom activity at once when `sessionEnded` is true. Custom activities of other entries that
    /// are due at `now` are emitted too.
    public static func apply(
        _ event: EngagementEvent,
        to state: inout LeadState,
        rules: TenantRules,
        now: Timestamp
    ) -> FoldOutcome {
        var outcome = FoldOutcome()
        let digest = EventDigest(eventId: event.eventId)
        let key = TimelineKey(occurredAt: event.occurredAt, eventDigest: digest)
        let recordIndex = state.engagements.firstIndex {
            $0.virtualEventId == event.virtualEventId && $0.entryId == event.entry.id
        }
        let timelineIndex = state.timelines.firstIndex { $0.virtualEventId == event.virtualEventId }
        let isDuplicate =
            recordIndex.map { state.engagements[$0].eventDigest == digest } == true
            || timelineIndex.map { state.timelines[$0].contains(digest) } == true
        if isDuplicate {
            outcome.rejections.append(
                TransitionRejection(reason: .duplicate, eventId: event.eventId, virtualEventId: event.virtualEventId)
            )
            outcome.commands += dueActivities(for: event.leadKey, in: &state, rules: rules, now: now)
            outcome.stateChanged = !outcome.commands.isEmpty
            return outcome
        }

        outcome.stateChanged = updateIdentity(of: &state, userId: event.userId, occurredAt: event.occurredAt)

        // Participated first, so the CRM has the membership before the engagement that explains it.
        if rules.participatedRule.isMet(by: event.metrics) {
            if let timelineIndex, state.timelines[timelineIndex].isBeyondHorizon(key) {
                outcome.rejections.append(
                    TransitionRejection(
                        reason: .beyondHorizon,
                        eventId: event.eventId,
                        virtualEventId: event.virtualEventId,
                        current: state.timelines[timelineIndex].result?.status
                    )
                )
            } else {
                let index = timelineIndex ?? state.addTimeline(for: event.virtualEventId)
                let entry = TimelineEntry(occurredAt: event.occurredAt, eventDigest: digest, kind: .engagement)
                let insertion = state.timelines[index].insert(entry, rules: rules)
                outcome.stateChanged = true
                outcome.isLate = insertion.isLate
                emitStatusChange(
                    insertion,
                    virtualEventId: event.virtualEventId,
                    cause: event.eventId,
                    key: event.leadKey,
                    state: state,
                    rules: rules,
                    into: &outcome
                )
            }
        }

        if let recordIndex, key <= state.engagements[recordIndex].key {
            outcome.rejections.append(
                TransitionRejection(
                    reason: .staleEngagement,
                    eventId: event.eventId,
                    virtualEventId: event.virtualEventId
                )
            )
            outcome.commands += dueActivities(for: event.leadKey, in: &state, rules: rules, now: now)
            outcome.stateChanged = outcome.stateChanged || !outcome.commands.isEmpty
            return outcome
        }
        outcome.stateChanged = true

        let snapshot = EngagementSnapshot(
            entry: event.entry,
            channel: event.channel,
            metrics: event.metrics,
            sessionEnded: event.sessionEnded
        )
        var hasMarketoTarget = false
        var upsertDigest: CommandID.Digest?
        outcome.commands.reserveCapacity(outcome.commands.count + 3)  // an upsert per destination, an activity
        rules.forEachTarget(for: event.virtualEventId) { target in
            if target.destination == .marketo { hasMarketoTarget = true }
            let digest =
                upsertDigest
                ?? CommandID.engagementDigest(
                    kind: .engagementUpsert,
                    leadKey: event.leadKey,
                    virtualEventId: event.virtualEventId,
                    entryId: event.entry.id,
                    snapshotOccurredAt: event.occurredAt,
                    sourceEventId: event.eventId
                )
            upsertDigest = digest
            outcome.commands.append(
                Command(
                    commandId: digest.id(for: target.destination),
                    target: target,
                    leadKey: event.leadKey,
                    userId: state.userId,
                    profile: state.profile,
                    virtualEventId: event.virtualEventId,
                    occurredAt: event.occurredAt,
                    sourceEventId: event.eventId,
                    payload: .engagementUpsert(snapshot)
                )
            )
        }

        let wasEmitted = recordIndex.map { state.engagements[$0].isActivityEmitted } ?? false
        let activity: ActivityProgress =
            wasEmitted || !hasMarketoTarget
            ? .emitted
            : .pending(
                PendingActivity(
                    lastChangedAt: now,
                    eventId: event.eventId,
                    entryName: event.entry.name,
                    channel: event.channel,
                    sessionEnded: event.sessionEnded,
                    metrics: event.metrics
                )
            )
        let record = EngagementRecord(
            virtualEventId: event.virtualEventId,
            entryId: event.entry.id,
            occurredAt: event.occurredAt,
            eventDigest: digest,
            activity: activity
        )
        if let recordIndex {
            state.engagements[recordIndex] = record
        } else {
            // Sorted by (virtual event, entry), so that the state does not depend on which entry was seen first.
            let position = state.engagements.firstIndex {
                ($0.virtualEventId, $0.entryId) > (record.virtualEventId, record.entryId)
            }
            state.engagements.insert(record, at: position ?? state.engagements.endIndex)
        }
        outcome.commands += dueActivities(for: event.leadKey, in: &state, rules: rules, now: now)
        return outcome
    }

    /// Folds either kind of input.
    public static func apply(
        _ event: InputEvent,
        to state: inout LeadState,
        rules: TenantRules,
        now: Timestamp
    ) -> FoldOutcome {
        switch event {
        case .attendeeStatus(let attendee): apply(attendee, to: &state, rules: rules, now: now)
        case .engagement(let engagement): apply(engagement, to: &state, rules: rules, now: now)
        }
    }

    // MARK: - Custom activity timer

    /// Emits the Marketo custom activities that are due at `now` and marks them emitted (never again).
    ///
    /// An entry's activity is due when its latest snapshot ended the session, or when `now` is at least its
    /// last change plus the tenant's settle window. Without a Marketo target for the event the activity is
    /// marked emitted without a command.
    public static func dueActivities(
        for key: LeadKey,
        in state: inout LeadState,
        rules: TenantRules,
        now: Timestamp
    ) -> [Command] {
        var commands: [Command] = []
        for index in state.engagements.indices {
            let record = state.engagements[index]
            guard case .pending(let pending) = record.activity,
                pending.sessionEnded
                    || now >= pending.lastChangedAt.adding(milliseconds: rules.settleWindowMilliseconds)
            else { continue }
            state.engagements[index].activity = .emitted
            guard let programId = rules.eventMappings[record.virtualEventId]?.marketoProgramId,
                rules.destinations.contains(.marketo)
            else { continue }
            commands.append(
                Command(
                    commandId: .engagement(
                        kind: .engagementActivity,
                        destination: .marketo,
                        leadKey: key,
                        virtualEventId: record.virtualEventId,
                        entryId: record.entryId,
                        snapshotOccurredAt: record.occurredAt,
                        sourceEventId: pending.eventId
                    ),
                    target: .marketo(programId: programId),
                    leadKey: key,
                    userId: state.userId,
                    profile: state.profile,
                    virtualEventId: record.virtualEventId,
                    occurredAt: record.occurredAt,
                    sourceEventId: pending.eventId,
                    payload: .engagementActivity(
                        EngagementSnapshot(
                            entry: EngagementEntry(id: record.entryId, name: pending.entryName),
                            channel: pending.channel,
                            metrics: pending.metrics,
                            sessionEnded: pending.sessionEnded
                        )
                    )
                )
            )
        }
        return commands
    }

    /// When the next pending custom activity becomes due (for the fold's timer), or `nil` when none is pending.
    public static func nextActivityDue(in state: LeadState, rules: TenantRules) -> Timestamp? {
        var earliest: Timestamp?
        for record in state.engagements {
            guard case .pending(let pending) = record.activity else { continue }
            let due =
                pending.sessionEnded
                ? pending.lastChangedAt : pending.lastChangedAt.adding(milliseconds: rules.settleWindowMilliseconds)
            if earliest.map({ due < $0 }) ?? true { earliest = due }
        }
        return earliest
    }

    // MARK: - Helpers

    /// The user id and the profile of an attendee event, where it is the latest in time that carried them.
    private static func updateIdentity(of state: inout LeadState, from event: AttendeeStatusEvent) -> Bool {
        var changed = updateIdentity(of: &state, userId: event.userId, occurredAt: event.occurredAt)
        if let profile = event.profile,
            isLater(
                event.occurredAt,
                profile,
                than: state.profileOccurredAt,
                state.profile,
                order: LeadProfile.precedes
            )
        {
            state.profile = profile
            state.profileOccurredAt = event.occurredAt
            changed = true
        }
        return changed
    }

    /// Takes `userId` when it comes from an event later in time than the stored one's.
    private static func updateIdentity(of state: inout LeadState, userId: String?, occurredAt: Timestamp) -> Bool {
        guard let userId, !userId.isEmpty,
            isLater(occurredAt, userId, than: state.userIdOccurredAt, state.userId, order: { $0 < $1 })
        else { return false }
        state.userId = userId
        state.userIdOccurredAt = occurredAt
        return true
    }

    /// Whether a value of an event at `time` replaces the stored one: later in time wins; in the same millisecond
    /// the greater value by `order` wins, so the choice does not depend on arrival order.
    private static func isLater<Value: Equatable>(
        _ time: Timestamp,
        _ value: Value,
        than storedTime: Timestamp?,
        _ stored: Value?,
        order: (Value, Value) -> Bool
    ) -> Bool {
        guard let storedTime, let stored else { return true }
        if time != storedTime { return time > storedTime }
        return value != stored && order(stored, value)
    }

    /// Emits one `memberStatus` command per destination when an insertion changed the status.
    private static func emitStatusChange(
        _ insertion: StatusTimeline.Insertion,
        virtualEventId: String,
        cause eventId: String,
        key: LeadKey,
        state: LeadState,
        rules: TenantRules,
        into outcome: inout FoldOutcome
    ) {
        guard let after = insertion.after, after.status != insertion.before?.status else { return }
        let transition = AppliedTransition(
            virtualEventId: virtualEventId,
            from: insertion.before?.status,
            to: after.status,
            granularStatus: after.granularStatus,
            occurredAt: after.occurredAt,
            eventId: eventId,
            isDerived: after.isDerived,
            isCorrection: insertion.isLate
        )
        outcome.applied.append(transition)
        var statusDigest: CommandID.Digest?
        outcome.commands.reserveCapacity(outcome.commands.count + 2)  // one per destination
        rules.forEachTarget(for: virtualEventId) { target in
            let digest =
                statusDigest
                ?? CommandID.memberStatusDigest(
                    leadKey: key,
                    virtualEventId: virtualEventId,
                    status: transition.to,
                    sourceEventId: eventId
                )
            statusDigest = digest
            outcome.commands.append(
                Command(
                    commandId: digest.id(for: target.destination),
                    target: target,
                    leadKey: key,
                    userId: state.userId,
                    profile: state.profile,
                    virtualEventId: virtualEventId,
                    occurredAt: transition.occurredAt,
                    sourceEventId: eventId,
                    payload: .memberStatus(
                        MemberStatusChange(
                            status: transition.to,
                            previousStatus: transition.from,
                            granularStatus: transition.granularStatus,
                            isDerived: transition.isDerived
                        )
                    )
                )
            )
        }
    }
}
