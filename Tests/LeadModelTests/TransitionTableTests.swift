import LeadModel
import Testing

/// Every (current, incoming) pair of channel statuses, with the incoming event later and earlier in event time than
/// the event that set the current status. Letters per incoming status in `ChannelStatus.allCases` order (Created,
/// Invited, Registered, Confirmed, autoConfirmed, Attended, Participated, Blocked, Un-registered).
///
/// Later (`newer`): A applied, E equal_step, N backward_not_allowed.
/// Earlier (`older`): the incoming event is folded in before the current status's event, which is then judged
/// against it. C: the current status stays (no command); I: the incoming status is the lead's status now (a
/// correction: the current status's event is rejected after it, e.g. a lower step that is not allowed, or an equal
/// step, where the first in time wins).
@Suite("Transition table")
struct TransitionTableTests {
    static let newer: [ChannelStatus?: String] = [
        nil: "AAAAAAAAA",
        .created: "EAAAAAAAA",
        .invited: "NEAAAAAAA",
        .registered: "NNEAAAAAA",
        .confirmed: "NNNEEAAAA",
        .autoConfirmed: "NNNEEAAAA",
        .attended: "NNNNNEAAA",
        .participated: "NNNNNNEAA",
        .blocked: "NNNNNNNEA",
        .unregistered: "NNAAANNNE",
    ]

    static let older: [ChannelStatus?: String] = [
        nil: "IIIIIIIII",
        .created: "CIIIIIIII",
        .invited: "CCIIIIIII",
        .registered: "CCCIIIIIC",
        .confirmed: "CCCCIIIIC",
        .autoConfirmed: "CCCICIIIC",
        .attended: "CCCCCCIII",
        .participated: "CCCCCCCII",
        .blocked: "CCCCCCCCI",
        .unregistered: "CCCCCCCCC",
    ]

    static let currents: [ChannelStatus?] = [nil] + ChannelStatus.allCases.map(Optional.some)

    static func reason(_ letter: Character) -> TransitionRejection.Reason? {
        switch letter {
        case "E": .equalStep
        case "N": .backwardNotAllowed
        default: nil
        }
    }

    func checkNewer(current: ChannelStatus?) throws {
        let row = Array(try #require(Self.newer[current]))
        for (incoming, letter) in zip(ChannelStatus.allCases, row) {
            var state = Fixtures.state(at: current)
            let before = state.memberships
            let event = Fixtures.attendee(incoming, id: "incoming", at: 60_000)
            let outcome = LeadFold.apply(event, to: &state, rules: Fixtures.rules, now: Fixtures.t0)
            let context = Comment(rawValue: "\(current?.name ?? "none") -> \(incoming.name)")
            #expect(!outcome.isLate, context)
            if let reason = Self.reason(letter) {
                #expect(outcome.applied.isEmpty, context)
                #expect(outcome.rejections.map(\.reason) == [reason], context)
                #expect(outcome.commands.isEmpty, context)
                #expect(state.memberships == before, context)
                let outcomes = try #require(state.timeline(for: Fixtures.event)?.outcomes(rules: Fixtures.rules))
                #expect(outcomes.last?.outcome == .rejected(reason), "rejections are kept in the timeline")
            } else {
                #expect(outcome.rejections.isEmpty, context)
                #expect(outcome.applied.map(\.to) == [incoming], context)
                #expect(outcome.applied.first?.from == current, context)
                #expect(state.membership(for: Fixtures.event)?.status == incoming, context)
                #expect(outcome.commands.map(\.destination) == [.marketo, .salesforce], context)
            }
            #expect(outcome.stateChanged, context)
        }
    }

    @Test("incoming later than the current status", arguments: currents)
    func newer(current: ChannelStatus?) throws {
        try checkNewer(current: current)
    }

    @Test("incoming earlier than the current status: folded in before it", arguments: currents)
    func older(current: ChannelStatus?) throws {
        let row = Array(try #require(Self.older[current]))
        for (incoming, letter) in zip(ChannelStatus.allCases, row) {
            var state = Fixtures.state(at: current)
            let event = Fixtures.attendee(incoming, id: "incoming", at: -60_000)
            let outcome = LeadFold.apply(event, to: &state, rules: Fixtures.rules, now: Fixtures.t0)
            let context = Comment(rawValue: "\(current?.name ?? "none") <- earlier \(incoming.name)")
            let expected = letter == "I" ? incoming : try #require(current)
            #expect(state.membership(for: Fixtures.event)?.status == expected, context)
            #expect(outcome.isLate == (current != nil), context)
            #expect(outcome.rejections.isEmpty, "an earlier event is applied at its time: \(context)")
            if expected == current {
                #expect(outcome.applied.isEmpty, context)
                #expect(outcome.commands.isEmpty, "no command when the status does not change: \(context)")
            } else {
                #expect(outcome.applied.map(\.to) == [expected], context)
                #expect(outcome.applied.first?.from == current, context)
                #expect(outcome.applied.first?.isCorrection == (current != nil), context)
                #expect(outcome.commands.map(\.destination) == [.marketo, .salesforce], context)
            }
            // Folding the two in time order gives the same status.
            var inOrder = LeadState()
            _ = LeadFold.apply(event, to: &inOrder, rules: Fixtures.rules, now: Fixtures.t0)
            if let current {
                _ = LeadFold.apply(
                    Fixtures.attendee(current, id: "set"),
                    to: &inOrder,
                    rules: Fixtures.rules,
                    now: Fixtures.t0
                )
            }
            #expect(inOrder.memberships == state.memberships, context)
            #expect(inOrder == state, context)
        }
    }

    @Test("decide matches the table without folding")
    func decideMatches() throws {
        for current in Self.currents {
            let row = Array(try #require(Self.newer[current]))
            let membership = current.map {
                TimelineResult(status: $0, occurredAt: Fixtures.t0, eventDigest: EventDigest(eventId: "set"))
            }
            for (incoming, letter) in zip(ChannelStatus.allCases, row) {
                let decision = LeadFold.decide(
                    current: membership,
                    incoming: incoming,
                    occurredAt: Fixtures.t0.adding(milliseconds: 1),
                    rules: Fixtures.rules
                )
                #expect(decision == (Self.reason(letter).map { .reject($0) } ?? .apply))
            }
        }
    }
}
