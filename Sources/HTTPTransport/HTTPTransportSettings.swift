// MARK: - HTTPTransportSettings

/// How a transport detects dead connections and bounds a request.
///
/// A healthy call on a slow server is not dead: a server that thinks for a while sends nothing, so the low-speed
/// window must be longer than the slowest answer a call can legitimately take to *start* arriving, and a call cut
/// off by it is retried (its outcome settled first, for calls that append). TCP keepalive probes an idle
/// connection whose peer vanished without closing it.
public struct HTTPTransportSettings: Sendable, Hashable {
    /// How long establishing a connection (TCP and TLS) may take. Default 5 s.
    public var connectTimeout: Duration
    /// With ``lowSpeedWindow``: a transfer that moves fewer bytes per second than this for the whole window is
    /// aborted as stalled. Default 1 byte/s (any progress keeps a transfer alive).
    public var lowSpeedLimit: Int
    /// The low-speed window. Default 20 s.
    public var lowSpeedWindow: Duration
    /// The longest a whole request may take. Default 130 s.
    public var requestTimeout: Duration
    /// Idle time before TCP keepalive probes start, and the time between probes. Default 10 s and 5 s.
    public var keepAliveIdle: Duration
    public var keepAliveInterval: Duration
    /// An idle pooled connection older than this is closed instead of reused (servers and load balancers close
    /// idle connections, and reusing one they just closed is the usual cause of a lost request). Default 20 s.
    public var maxIdleConnectionAge: Duration

    /// Creates settings; every parameter has the default described on its property.
    public init(
        connectTimeout: Duration = .seconds(5),
        lowSpeedLimit: Int = 1,
        lowSpeedWindow: Duration = .seconds(20),
        requestTimeout: Duration = .seconds(130),
        keepAliveIdle: Duration = .seconds(10),
        keepAliveInterval: Duration = .seconds(5),
        maxIdleConnectionAge: Duration = .seconds(20)
    ) {
        self.connectTimeout = connectTimeout
        self.lowSpeedLimit = lowSpeedLimit
        self.lowSpeedWindow = lowSpeedWindow
        self.requestTimeout = requestTimeout
        self.keepAliveIdle = keepAliveIdle
        self.keepAliveInterval = keepAliveInterval
        self.maxIdleConnectionAge = maxIdleConnectionAge
    }

    /// What makes the settings unusable, one message per setting; empty when valid.
    public func problems() -> [String] {
        var problems: [String] = []
        if connectTimeout <= .zero { problems.append("connectTimeout: must be positive") }
        if lowSpeedLimit < 1 { problems.append("lowSpeedLimit: must be at least 1 byte per second") }
        if lowSpeedWindow < .seconds(1) {
            problems.append("lowSpeedWindow: must be at least 1 s (libcurl counts whole seconds)")
        }
        if requestTimeout <= .zero { problems.append("requestTimeout: must be positive") }
        if keepAliveIdle < .seconds(1) || keepAliveInterval < .seconds(1) {
            problems.append("keepAliveIdle, keepAliveInterval: must be at least 1 s")
        }
        return problems
    }

    /// Whole milliseconds of a duration (at least 1 for a positive one).
    static func milliseconds(_ duration: Duration) -> Int {
        let (seconds, attoseconds) = duration.components
        let value = Int(seconds) * 1_000 + Int(attoseconds / 1_000_000_000_000_000)
        return duration > .zero ? max(1, value) : value
    }

    /// Whole seconds of a duration, rounded up (libcurl's second-based options).
    static func seconds(_ duration: Duration) -> Int {
        (milliseconds(duration) + 999) / 1_000
    }
}
