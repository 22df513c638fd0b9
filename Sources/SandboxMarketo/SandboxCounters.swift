/// Totals over the calls of one subscription (or over all calls).
public struct SandboxCounters: Sendable, Codable, Equatable {
    /// Calls received, identity calls included.
    public var calls: Int = 0
    /// Calls that counted against the rate window and daily quota.
    public var countedCalls: Int = 0
    /// Records carried by all calls.
    public var records: Int = 0
    /// Response-level error codes and how often each was returned.
    public var errorCodes: [String: Int] = [:]
    /// Record-level reason codes and how often each was returned.
    public var recordErrorCodes: [String: Int] = [:]
    /// HTTP statuses (as strings) and how often each was sent; "0" counts dropped connections.
    public var httpStatuses: [String: Int] = [:]

    /// Empty counters.
    public init() {}

    mutating func merge(_ other: SandboxCounters) {
        calls += other.calls
        countedCalls += other.countedCalls
        records += other.records
        errorCodes.merge(other.errorCodes, uniquingKeysWith: +)
        recordErrorCodes.merge(other.recordErrorCodes, uniquingKeysWith: +)
        httpStatuses.merge(other.httpStatuses, uniquingKeysWith: +)
    }

    mutating func add(_ call: SandboxCall) {
        calls += 1
        if call.counted { countedCalls += 1 }
        records += call.records
        if let code = call.errorCode { errorCodes[code, default: 0] += 1 }
        for code in call.recordErrorCodes { recordErrorCodes[code, default: 0] += 1 }
        httpStatuses[String(call.httpStatus), default: 0] += 1
    }
}
