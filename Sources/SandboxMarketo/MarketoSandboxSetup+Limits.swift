extension MarketoSandboxSetup {
    /// A subscription's limits and quotas. Durations are in seconds of sandbox time (see
    /// ``MarketoSandboxOptions/timeScale``).
    public struct Limits: Sendable, Codable, Equatable {
        /// Calls allowed in a rolling window (606 beyond).
        public var callsPerWindow: Int = 100
        /// The rolling window in seconds.
        public var windowSeconds: Double = 20
        /// Calls allowed in flight at once (615 beyond).
        public var maxConcurrentCalls: Int = 10
        /// Calls allowed per day (607 beyond); the day resets at midnight America/Chicago.
        public var dailyQuota: Int = 50_000
        /// Records allowed in one call's `input` (and filter values in one query).
        public var maxRecordsPerCall: Int = 300
        /// The largest request body of a REST call (413 beyond).
        public var maxBodyBytes: Int = 1_048_576
        /// The longest request URI (414 beyond).
        public var maxURIBytes: Int = 8_192
        /// The access token's lifetime.
        public var tokenLifetimeSeconds: Double = 3_600
        /// More matches than this for Get Leads by Filter Type is an error (1003).
        public var maxLeadsPerFilter: Int = 1_000
        /// The largest bulk import file (413 beyond).
        public var bulkImportMaxBytes: Int = 10_485_760
        /// Bulk import jobs processed at once.
        public var bulkImportRunning: Int = 2
        /// Bulk import jobs queued, running ones included (1016 beyond).
        public var bulkImportQueued: Int = 10
        /// How long one import job stays `Importing`.
        public var bulkImportSeconds: Double = 2
        /// Bulk export jobs processed at once.
        public var bulkExportRunning: Int = 2
        /// Bulk export jobs queued, running ones included (1029 beyond).
        public var bulkExportQueued: Int = 10
        /// Export file volume allowed per day, in megabytes (1029 "Export daily quota" beyond).
        public var bulkExportDailyQuotaMB: Double = 500
        /// How long one export job stays `Processing`.
        public var bulkExportSeconds: Double = 2

        /// The documented limits.
        public init() {}

        private enum CodingKeys: String, CodingKey {
            case callsPerWindow, windowSeconds, maxConcurrentCalls, dailyQuota, maxRecordsPerCall, maxBodyBytes
            case maxURIBytes, tokenLifetimeSeconds, maxLeadsPerFilter, bulkImportMaxBytes, bulkImportRunning
            case bulkImportQueued, bulkImportSeconds, bulkExportRunning, bulkExportQueued, bulkExportDailyQuotaMB
            case bulkExportSeconds
        }

        /// Decodes limits; every key may be left out and keeps its documented value.
        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            func value<T: Decodable>(_ key: CodingKeys, _ fallback: T) throws -> T {
                try c.decodeIfPresent(T.self, forKey: key) ?? fallback
            }
            let d = Limits()
            callsPerWindow = try value(.callsPerWindow, d.callsPerWindow)
            windowSeconds = try value(.windowSeconds, d.windowSeconds)
            maxConcurrentCalls = try value(.maxConcurrentCalls, d.maxConcurrentCalls)
            dailyQuota = try value(.dailyQuota, d.dailyQuota)
            maxRecordsPerCall = try value(.maxRecordsPerCall, d.maxRecordsPerCall)
            maxBodyBytes = try value(.maxBodyBytes, d.maxBodyBytes)
            maxURIBytes = try value(.maxURIBytes, d.maxURIBytes)
            tokenLifetimeSeconds = try value(.tokenLifetimeSeconds, d.tokenLifetimeSeconds)
            maxLeadsPerFilter = try value(.maxLeadsPerFilter, d.maxLeadsPerFilter)
            bulkImportMaxBytes = try value(.bulkImportMaxBytes, d.bulkImportMaxBytes)
            bulkImportRunning = try value(.bulkImportRunning, d.bulkImportRunning)
            bulkImportQueued = try value(.bulkImportQueued, d.bulkImportQueued)
            bulkImportSeconds = try value(.bulkImportSeconds, d.bulkImportSeconds)
            bulkExportRunning = try value(.bulkExportRunning, d.bulkExportRunning)
            bulkExportQueued = try value(.bulkExportQueued, d.bulkExportQueued)
            bulkExportDailyQuotaMB = try value(.bulkExportDailyQuotaMB, d.bulkExportDailyQuotaMB)
            bulkExportSeconds = try value(.bulkExportSeconds, d.bulkExportSeconds)
        }
    }
}
