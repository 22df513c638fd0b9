extension Duration {
    /// Whole milliseconds, for librdkafka settings and logs.
    var milliseconds: Int64 {
        components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000
    }
}
