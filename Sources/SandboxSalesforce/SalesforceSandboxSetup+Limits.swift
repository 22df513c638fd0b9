// MARK: - SalesforceSandboxSetup.Limits

extension SalesforceSandboxSetup {
    /// An org's allocations and size limits. Durations are in sandbox seconds (see
    /// ``SalesforceSandbox/Options/timeScale``).
    public struct Limits: Codable, Sendable, Equatable {
        /// API requests allowed in a rolling 24-hour window (`DailyApiRequests`).
        public var dailyApiRequests: Int
        /// Concurrent requests that have run `longRunningThresholdSeconds` or more (25 in production,
        /// 5 in Developer Edition).
        public var longRunningConcurrency: Int
        /// How long a request runs before it counts as long-running (20 s).
        public var longRunningThresholdSeconds: Double
        /// Records per sObject Collections call (200).
        public var collectionRecords: Int
        /// Subrequests per `/composite` call (25).
        public var compositeSubrequests: Int
        /// Query or sObject Collections subrequests per `/composite` call (5).
        public var compositeQueryOrCollectionSubrequests: Int
        /// Access token lifetime, i.e. the session timeout (2 h).
        public var tokenLifetimeSeconds: Double
        /// Largest query batch (2000); `Sforce-Query-Options: batchSize=` may ask for 200 up to this.
        public var queryBatchSize: Int
        /// Bulk batches allowed in a rolling 24 hours (15,000; one per 10,000 records of an ingest job).
        public var dailyBulkBatches: Int
        /// Time from `UploadComplete` until an ingest job is complete; it is `InProgress` for the second half.
        public var bulkProcessingSeconds: Double

        /// Creates limits; defaults are a production org's.
        public init(
            dailyApiRequests: Int = 100_000,
            longRunningConcurrency: Int = 25,
            longRunningThresholdSeconds: Double = 20,
            collectionRecords: Int = 200,
            compositeSubrequests: Int = 25,
            compositeQueryOrCollectionSubrequests: Int = 5,
            tokenLifetimeSeconds: Double = 7200,
            queryBatchSize: Int = 2000,
            dailyBulkBatches: Int = 15_000,
            bulkProcessingSeconds: Double = 2
        ) {
            self.dailyApiRequests = dailyApiRequests
            self.longRunningConcurrency = longRunningConcurrency
            self.longRunningThresholdSeconds = longRunningThresholdSeconds
            self.collectionRecords = collectionRecords
            self.compositeSubrequests = compositeSubrequests
            self.compositeQueryOrCollectionSubrequests = compositeQueryOrCollectionSubrequests
            self.tokenLifetimeSeconds = tokenLifetimeSeconds
            self.queryBatchSize = queryBatchSize
            self.dailyBulkBatches = dailyBulkBatches
            self.bulkProcessingSeconds = bulkProcessingSeconds
        }

        private enum CodingKeys: String, CodingKey {
            case dailyApiRequests, longRunningConcurrency, longRunningThresholdSeconds, collectionRecords
            case compositeSubrequests, compositeQueryOrCollectionSubrequests, tokenLifetimeSeconds, queryBatchSize
            case dailyBulkBatches, bulkProcessingSeconds
        }

        /// Decodes limits; every member may be absent.
        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            let d = Limits()
            self.init(
                dailyApiRequests: try c.decodeIfPresent(Int.self, forKey: .dailyApiRequests) ?? d.dailyApiRequests,
                longRunningConcurrency: try c.decodeIfPresent(Int.self, forKey: .longRunningConcurrency)
                    ?? d.longRunningConcurrency,
                longRunningThresholdSeconds: try c.decodeIfPresent(Double.self, forKey: .longRunningThresholdSeconds)
                    ?? d.longRunningThresholdSeconds,
                collectionRecords: try c.decodeIfPresent(Int.self, forKey: .collectionRecords) ?? d.collectionRecords,
                compositeSubrequests: try c.decodeIfPresent(Int.self, forKey: .compositeSubrequests)
                    ?? d.compositeSubrequests,
                compositeQueryOrCollectionSubrequests: try c.decodeIfPresent(
                    Int.self,
                    forKey: .compositeQueryOrCollectionSubrequests
                ) ?? d.compositeQueryOrCollectionSubrequests,
                tokenLifetimeSeconds: try c.decodeIfPresent(Double.self, forKey: .tokenLifetimeSeconds)
                    ?? d.tokenLifetimeSeconds,
                queryBatchSize: try c.decodeIfPresent(Int.self, forKey: .queryBatchSize) ?? d.queryBatchSize,
                dailyBulkBatches: try c.decodeIfPresent(Int.self, forKey: .dailyBulkBatches) ?? d.dailyBulkBatches,
                bulkProcessingSeconds: try c.decodeIfPresent(Double.self, forKey: .bulkProcessingSeconds)
                    ?? d.bulkProcessingSeconds
            )
        }
    }
}
