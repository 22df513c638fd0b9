// MARK: - LeadFold

/// The lead state machine: pure functions that fold one input into a ``LeadState`` and say what to emit.
///
/// No clock is read: `now` (wall-clock time of the fold) only drives the custom-activity settle timer, so folding
/// the same inputs with the same `now` values always gives the same state and the same commands. Status events
/// follow design.md:
/// - a status is applied only when its step is higher than the current one
///   (see ``decide(current:incoming:occurredAt:rules:)``);
/// - equal steps keep the first; lower steps are stale (dropped, counted, kept in the history);
/// - the tenant's allowed backward transitions are applied when their `occurredAt` is later than the current
///   status's;
/// - a repeated event id changes nothing and is reported as `duplicate`;
/// - every applied transition emits one `memberStatus` command per enabled destination mapped for the event.
public enum LeadFold {
    /// What the status rules decide for an incoming status.
    public enum Decision: Sendable, Hashable {
        /// Apply the incoming status.
        case apply
        /// Keep the current status, for this reason.
        case reject(TransitionRejection.Reason)
    }

    /// The status rules for one incoming status against the lead's current status in that event.
    public static func decide(
        current: Membership?,
        incoming: ChannelStatus,
        occurredAt: Timestamp,
        rules: TenantRules
    ) -> Decision {
        guard let current else { return .apply }
        if incoming.step > current.status.step { return .apply }
        if incoming.step == current.status.step { return .reject(.equalStep) }
        let isNewer = occurredAt > current.occurredAt
        if rules.allowedBackwardTransitions.contains(StatusTransition(from: current.status, to: incoming)) {
            return isNewer ? .apply : .reject(.backwardOlder)
        }
        return isNewer ? .reject(.backwardNotAllowed) : .reject(.stale)
    }

    // MARK: - Attendee status

    /// Folds an `attendee.status` event.
    ///
    /// Also updates the profile (when the event carries one and is not older than the stored profile) and the
    /// user id, and emits any custom activities whose settle window has passed at `now`.
    public static func apply(
        _ event: AttendeeStatusEvent,
        to state: inout LeadState,
        rules: TenantRules,
        now: Timestamp
    ) -> FoldOutcome {
        var outcome = FoldOutcome()
        let digest = EventDigest(eventId: event.eventId)
        let incoming = rules.statusMapping.channelStatus(for: event.status)
        let current = state.membership(for: event.virtualEventId)
        if state.history.contains(where: { $0.eventDigest == digest }) {
            outcome.rejections.append(
                TransitionRejection(
                    reason: .duplicate,
                    eventId: event.eventId,
                    virtualEventId: event.virtualEventId,
                    incoming: incoming,
                    current: current?.status
                )
            )
            return outcome
        }

        outcome.stateChanged = true  // at least the history records the transition
        updateIdentity(of: &state, userId: event.userId)
        if let profile = event.profile, state.profileOccurredAt.map({ event.occurredAt >= $0 }) ?? true {
            state.profile = profile
            state.profileOccurredAt = event.occurredAt
        }

        let granular: GranularStatus? =
            if case .granular(let granular) = event.status { granular } else { nil }
        switch decide(current: current, incoming: incoming, occurredAt: event.occurredAt, rules: rules) {
        case .apply:
            let transition = AppliedTransition(
                virtualEventId: event.virtualEventId,
                from: current?.status,
                to: incoming,
                granularStatus: granular,
                occurredAt: event.occurredAt,
                eventId: event.eventId
            )
            applyTransition(transition, digest: digest, to: &state, key: event.leadKey, rules: rules, into: &outcome)
        case .reject(let reason):
            state.record(
                HistoryEntry(
                    virtualEventId: event.virtualEventId,
                    status: incoming,
                    occurredAt: event.occurredAt,
                    eventDigest: digest,
                    outcome: .rejected(reason)
                )
            )
            outcome.rejections.append(
                TransitionRejection(
                    reason: reason,
                    eventId: event.eventId,
                    virtualEventId: event.virtualEventId,
                    incoming: incoming,
                    current: current?.status
                )
            )
        }
        outcome.commands += dueActivities(for: event.leadKey, in: &state, rules: rules, now: now)
        return outcome
    }

    // MARK: - Engagement

    /// Folds an `engagement.session` snapshot.
    ///
    /// A snapshot not newer (by `occurredAt`) than the entry's latest is `stale_engagement` and changes nothing;
    /// a repeated event id is a `duplicate`. A newer one replaces the latest, emits an `engagementUpsert` per
    /// mapped destination, may derive `Participated` (see ``ParticipatedRule``; at most once, since it then sits
    /// above `Attended`), restarts the entry's settle timer at `now`, and emits the Marketo custom activity at once
    /// when `sessionEnded` is true. Custom activities of other entries that are due at `now` are emitted too.
    public static func apply(
        _ event: EngagementEvent,
        to state: inout LeadState,
        rules: TenantRules,
        now: Timestamp
    ) -> FoldOutcome {
        var outcome = FoldOutcome()
        let digest = EventDigest(eventId: event.eventId)
        let recordIndex = state.engagements.firstIndex {
            $0.virtualEventId == event.virtualEventId && $0.entryId == event.entry.id
        }
        let isDuplicate =
            recordIndex.map { state.engagements[$0].eventDigest == digest } == true
            || state.history.contains { $0.eventDigest == digest }
        if isDuplicate || recordIndex.map({ event.occurredAt <= state.engagements[$0].occurredAt }) == true {
            outcome.rejections.append(
                TransitionRejection(
                    reason: isDuplicate ? .duplicate : .staleEngagement,
                    eventId: event.eventId,
                    virtualEventId: event.virtualEventId
                )
            )
            outcome.commands += dueActivities(for: event.leadKey, in: &state, rules: rules, now: now)
            outcome.stateChanged = !outcome.commands.isEmpty
            return outcome
        }

        outcome.stateChanged = true
        updateIdentity(of: &state, userId: event.userId)

        // Participated first, so the CRM has the membership before the engagement that explains it.
        let current = state.membership(for: event.virtualEventId)
        if rules.participatedRule.isMet(by: event.metrics), (current?.status.step ?? 0) <= ChannelStatus.attended.step {
            let transition = AppliedTransition(
                virtualEventId: event.virtualEventId,
                from: current?.status,
                to: .participated,
                occurredAt: event.occurredAt,
                eventId: event.eventId,
                isDerived: true
            )
            applyTransition(transition, digest: digest, to: &state, key: event.leadKey, rules: rules, into: &outcome)
        }

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
            lastChangedAt: now,
            activity: activity
        )
        if let recordIndex {
            state.engagements[recordIndex] = record
        } else {
            state.engagements.append(record)
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
                pending.sessionEnded || now >= record.lastChangedAt.adding(milliseconds: rules.settleWindowMilliseconds)
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
                ? record.lastChangedAt : record.lastChangedAt.adding(milliseconds: rules.settleWindowMilliseconds)
            if earliest.map({ due < $0 }) ?? true { earliest = due }
        }
        return earliest
    }

    // MARK: - Helpers

    private static func updateIdentity(of state: inout LeadState, userId: String?) {
        if let userId, !userId.isEmpty { state.userId = userId }
    }

    private static func applyTransition(
        _ transition: AppliedTransition,
        digest: EventDigest,
        to state: inout LeadState,
        key: LeadKey,
        rules: TenantRules,
        into outcome: inout FoldOutcome
    ) {
        state.setMembership(
            Membership(
                virtualEventId: transition.virtualEventId,
                status: transition.to,
                occurredAt: transition.occurredAt,
                eventId: transition.eventId
            )
        )
        state.record(
            HistoryEntry(
                virtualEventId: transition.virtualEventId,
                status: transition.to,
                occurredAt: transition.occurredAt,
                eventDigest: digest,
                outcome: transition.isDerived ? .derived : .applied
            )
        )
        outcome.applied.append(transition)
        var statusDigest: CommandID.Digest?
        outcome.commands.reserveCapacity(outcome.commands.count + 2)  // one per destination
        rules.forEachTarget(for: transition.virtualEventId) { target in
            let digest =
                statusDigest
                ?? CommandID.memberStatusDigest(
                    leadKey: key,
                    virtualEventId: transition.virtualEventId,
                    status: transition.to,
                    sourceEventId: transition.eventId
                )
            statusDigest = digest
            outcome.commands.append(
                Command(
                    commandId: digest.id(for: target.destination),
                    target: target,
                    leadKey: key,
                    userId: state.userId,
                    profile: state.profile,
                    virtualEventId: transition.virtualEventId,
                    occurredAt: transition.occurredAt,
                    sourceEventId: transition.eventId,
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
