/// Calls a replay's progress callback at most once per interval.
struct ReplayProgressReport {
    var current = DeadLetterReplayProgress(
        phase: .reading,
        scanned: 0,
        matched: 0,
        checked: 0,
        planned: 0,
        replayed: 0,
        failed: 0
    )
    let interval: Duration
    let callback: ((DeadLetterReplayProgress) -> Void)?
    private var last = ContinuousClock.now

    init(interval: Duration, callback: ((DeadLetterReplayProgress) -> Void)?) {
        self.interval = interval
        self.callback = callback
    }

    /// Reports if the interval has passed since the last report.
    mutating func send() {
        guard let callback, ContinuousClock.now - last >= interval else { return }
        last = .now
        callback(current)
    }

    /// Reports now.
    mutating func force() {
        guard let callback else { return }
        last = .now
        callback(current)
    }
}
