import Foundation
import Synchronization

// MARK: - SalesforceRequestBudget

/// One tenant's share of its org's rolling 24-hour request allocation, counted from the calls this process made.
///
/// The allocation (`M` of `Sforce-Limit-Info: api-usage=N/M`) comes from every answer; the tenant may spend
/// `M × dailyRequestShare` requests in any 24 hours. Calls are counted in one-minute buckets, so the count is
/// exact to the minute and costs 1,440 integers. The count lives in memory: after a restart the org's own
/// `REQUEST_LIMIT_EXCEEDED` still stops the tenant.
final class SalesforceRequestBudget: Sendable {
    /// The tenant's share of the allocation, in (0, 1].
    let share: Double
    private let state: Mutex<State>

    private struct State {
        /// Calls per minute, indexed by minute number modulo 1,440.
        var buckets = [Int](repeating: 0, count: SalesforceRequestBudget.minutesPerDay)
        /// The minute number each bucket holds.
        var bucketMinute = [Int](repeating: -1, count: SalesforceRequestBudget.minutesPerDay)
        var allocation: Int?
        var used: Int?
    }

    private static let minutesPerDay = 1_440

    /// Creates a budget for a share of the allocation.
    init(share: Double) {
        self.share = min(1, max(0.000_001, share))
        self.state = Mutex(State())
    }

    /// Counts one API call made at `date`.
    func recordCall(at date: Date = Date()) {
        let minute = Self.minute(date)
        let slot = minute % Self.minutesPerDay
        state.withLock { state in
            if state.bucketMinute[slot] != minute {
                state.bucketMinute[slot] = minute
                state.buckets[slot] = 0
            }
            state.buckets[slot] += 1
        }
    }

    /// Takes the org's figures from the latest `Sforce-Limit-Info`.
    func update(used: Int, allocation: Int) {
        state.withLock { state in
            state.used = used
            state.allocation = allocation
        }
    }

    /// Forgets the org's last reported usage (after parking on it, so that the next answer decides again).
    func forgetOrgUsage() {
        state.withLock { $0.used = nil }
    }

    /// The org's allocation, once an answer has reported it.
    var allocation: Int? { state.withLock { $0.allocation } }

    /// Calls this tenant made in the 24 hours before `date`.
    func callsInWindow(at date: Date = Date()) -> Int {
        let now = Self.minute(date)
        return state.withLock { state in
            var total = 0
            for slot in 0..<Self.minutesPerDay where state.bucketMinute[slot] > now - Self.minutesPerDay {
                total += state.buckets[slot]
            }
            return total
        }
    }

    /// Requests the org has left in its window, from the latest answer; nil before the first.
    var orgRemaining: Int? {
        state.withLock { state in
            guard let allocation = state.allocation, let used = state.used else { return nil }
            return max(0, allocation - used)
        }
    }

    /// When the tenant's share is spent at `date`: the time its oldest counted minute leaves the window (calls
    /// may resume then); nil while the share lasts or before the allocation is known.
    func spentUntil(at date: Date = Date()) -> Date? {
        let now = Self.minute(date)
        return state.withLock { state -> Date? in
            guard let allocation = state.allocation else { return nil }
            let limit = Int((Double(allocation) * share).rounded(.down))
            var total = 0
            var oldest = Int.max
            for slot in 0..<Self.minutesPerDay where state.bucketMinute[slot] > now - Self.minutesPerDay {
                total += state.buckets[slot]
                if state.buckets[slot] > 0 { oldest = min(oldest, state.bucketMinute[slot]) }
            }
            guard total >= max(1, limit) else { return nil }
            if oldest == Int.max { return date.addingTimeInterval(60) }
            return Date(timeIntervalSince1970: Double(oldest + Self.minutesPerDay + 1) * 60)
        }
    }

    private static func minute(_ date: Date) -> Int {
        Int((date.timeIntervalSince1970 / 60).rounded(.down))
    }
}
