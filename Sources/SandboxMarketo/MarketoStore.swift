import Basics
import Foundation
import Logging
import Synchronization

/// The sandbox's state: every subscription, the tokens, the call log and the fault rules, behind one lock.
///
/// Endpoint handlers run synchronously inside the lock, so each call sees and leaves a consistent state; the
/// only waiting (injected latency) happens outside it.
final class MarketoStore: Sendable {
    struct IssuedToken: Sendable {
        var munchkinId: String
        var expiresAt: Date
    }

    struct State: Sendable {
        var subscriptions: [String: SubscriptionState] = [:]
        var order: [String] = []
        var tokens: [String: IssuedToken] = [:]
        var calls: [SandboxCall] = []
        /// Running totals per munchkin id ("" for calls no subscription could be named for), kept apart from the
        /// log so they stay exact when the log drops its oldest entries.
        var counters: [String: SandboxCounters] = [:]
        var faults: [MarketoFault] = []
        var faultGenerators: [String: SplitMix64] = [:]
        var nextFaultId = 1
        var nextBatchId = 3_401
    }

    let setup: MarketoSandboxSetup
    let options: MarketoSandboxOptions
    let state: Mutex<State>
    /// When the sandbox started; scaled days count from here.
    let origin: Date
    /// Wall-clock seconds added to the clock by ``advanceClock(bySandboxSeconds:)``; apart from `state` so that
    /// `now()` can be read while `state` is locked.
    let clockOffset = Mutex<TimeInterval>(0)

    init(setup: MarketoSandboxSetup, options: MarketoSandboxOptions) {
        self.setup = setup
        self.options = options
        self.origin = options.clock()
        var initial = State()
        for sub in setup.subscriptions {
            initial.subscriptions[sub.munchkinId] = SubscriptionState(setup: sub)
            initial.order.append(sub.munchkinId)
        }
        self.state = Mutex(initial)
    }

    // MARK: - Time

    func now() -> Date { options.clock().addingTimeInterval(clockOffset.withLock { $0 }) }

    /// Moves the clock forward by a sandbox duration (scaled to wall-clock seconds like every other duration).
    /// - Returns: The new time.
    @discardableResult
    func advanceClock(bySandboxSeconds seconds: TimeInterval) -> Date {
        let wall = scaled(max(0, seconds))
        clockOffset.withLock { $0 += wall }
        return now()
    }

    /// Wall-clock seconds of a sandbox duration.
    func scaled(_ seconds: Double) -> TimeInterval { seconds * options.timeScale }

    /// The quota day (`yyyy-MM-dd` in America/Chicago) of a moment, on the sandbox's scaled calendar.
    func quotaDay(_ date: Date) -> String {
        let virtual = origin.addingTimeInterval(date.timeIntervalSince(origin) / options.timeScale)
        return MarketoStore.chicagoDay(virtual)
    }

    static func chicagoDay(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "America/Chicago") ?? TimeZone(secondsFromGMT: -6 * 3600) ?? .gmt
        let c = calendar.dateComponents([.year, .month, .day], from: date)
        let pad = { (n: Int?) in String(format: "%02d", n ?? 0) }
        return "\(c.year ?? 1970)-\(pad(c.month))-\(pad(c.day))"
    }

    /// RFC 3339 UTC without fractions, as Marketo writes dates: `2026-11-22T10:00:00Z`.
    static func iso(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(timeZone: .gmt))
    }

    /// Parses RFC 3339 with or without fractions and with any offset.
    static func parseDate(_ text: String) -> Date? {
        if let d = try? Date(text, strategy: Date.ISO8601FormatStyle()) { return d }
        if let d = try? Date(text, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true)) { return d }
        if let d = try? Date(text, strategy: Date.ISO8601FormatStyle().year().month().day()) { return d }
        return nil
    }

    // MARK: - Subscriptions

    func subscription(forClientId clientId: String) -> MarketoSandboxSetup.Subscription? {
        setup.subscriptions.first { $0.clientId == clientId }
    }

    /// The subscription a token was issued for, valid or not.
    func munchkinId(forToken token: String) -> String? {
        state.withLock { $0.tokens[token]?.munchkinId }
    }

    func limits(for munchkinId: String?) -> MarketoSandboxSetup.Limits {
        setup.subscriptions.first { $0.munchkinId == munchkinId }?.limits
            ?? setup.subscriptions.first?.limits ?? MarketoSandboxSetup.Limits()
    }

    // MARK: - Call log

    func log(_ call: SandboxCall) {
        options.logger.debug(
            "sandbox call",
            metadata: [
                "munchkinId": "\(call.munchkinId ?? "-")", "method": "\(call.method)", "path": "\(call.path)",
                "endpoint": "\(call.endpoint)", "httpStatus": "\(call.httpStatus)",
                "errorCode": "\(call.errorCode ?? "-")", "records": "\(call.records)",
                "recordErrors": "\(call.recordErrorCodes.count)", "faults": "\(call.faults.joined(separator: ","))",
            ]
        )
        state.withLock { state in
            state.calls.append(call)
            if state.calls.count > options.callLogLimit {
                state.calls.removeFirst(state.calls.count - options.callLogLimit)
            }
            state.counters[call.munchkinId ?? "", default: SandboxCounters()].add(call)
            if let munchkin = call.munchkinId, let code = call.errorCode {
                state.subscriptions[munchkin]?.errorsPerDay[quotaDay(call.at), default: [:]][code, default: 0] += 1
            }
        }
    }
}
