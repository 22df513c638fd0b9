/// A test harness problem (not a client or sandbox error).
struct HarnessError: Error {
    var message: String
}
