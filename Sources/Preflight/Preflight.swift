public import Config
public import LeadModel
public import Logging
internal import Metrics

// MARK: - Preflight

/// `leadsync doctor` and the writers' start-up check: read-only calls against each tenant's live CRMs that find
/// a setup mistake before traffic does (docs/crm-setup.md lists what is checked).
///
/// ```swift
/// let report = await Preflight.run(config: config, destinations: [.marketo], logger: logger)
/// print(report.table())
/// try Preflight.requireNoBlockingFailure(report, destination: .marketo)   // what a writer does at start-up
/// ```
public enum Preflight {
    /// Checks every tenant that delivers to one of `destinations`, tenant by tenant (tenants run one after the
    /// other, each CRM's checks in order: a few dozen calls per tenant).
    /// - Parameters:
    ///   - tenants: Only these tenants (all when nil).
    ///   - requestTimeout: The timeout of one HTTP call.
    ///   - progress: Called before each tenant's CRM is checked (`acme: marketo`).
    public static func run(
        config: LeadSyncConfig,
        destinations: Set<Destination> = Set(Destination.allCases),
        tenants: Set<String>? = nil,
        requestTimeout: Duration = .seconds(30),
        logger: Logger,
        progress: (@Sendable (_ tenant: String, _ destination: Destination) -> Void)? = nil
    ) async -> PreflightReport {
        var report = PreflightReport()
        for tenant in config.tenants where tenants?.contains(tenant.tenant) ?? true {
            for destination in Destination.allCases where destinations.contains(destination) {
                guard tenant.destinations.contains(destination) else { continue }
                progress?(tenant.tenant, destination)
                switch destination {
                case .marketo:
                    report.checks += await MarketoPreflight.run(
                        tenant: tenant,
                        requestTimeout: requestTimeout,
                        logger: logger
                    )
                case .salesforce:
                    report.checks += await SalesforcePreflight.run(
                        tenant: tenant,
                        requestTimeout: requestTimeout,
                        logger: logger
                    )
                }
            }
        }
        return report
    }

    /// What a writer does with the report at start-up: logs every warning and failure, sets the gauge
    /// `leadsync_<crm>_preflight_failed_checks{tenant}` to each tenant's count of failed checks, and refuses to
    /// start on a blocking failure.
    /// - Throws: ``PreflightRefusal`` listing the blocking failures.
    public static func requireNoBlockingFailure(
        _ report: PreflightReport,
        destination: Destination,
        logger: Logger
    ) throws(PreflightRefusal) {
        var failedByTenant: [String: Int] = [:]
        for check in report.checks where check.destination == destination {
            failedByTenant[check.tenant, default: 0] += check.outcome == .fail ? 1 : 0
        }
        for (tenant, failed) in failedByTenant {
            Gauge(label: failedChecksMetric(destination), dimensions: [("tenant", tenant)]).record(failed)
        }
        for check in report.checks where check.outcome != .pass {
            let metadata: Logger.Metadata = [
                "tenant": "\(check.tenant)", "crm": "\(check.destination.rawValue)", "check": "\(check.item)",
                "found": "\(check.detail)", "fix": "\(check.fix ?? "-")", "blocking": "\(check.blocking)",
            ]
            if check.outcome == .fail {
                logger.error("preflight check failed", metadata: metadata)
            } else {
                logger.warning("preflight check warns", metadata: metadata)
            }
        }
        let blocking = report.blockingFailures
        guard blocking.isEmpty else { throw PreflightRefusal(destination: destination, failures: blocking) }
    }

    /// The gauge of failed checks, named like the sinks' metrics (`leadsync_<crm>_...`, docs/metrics.md).
    static func failedChecksMetric(_ destination: Destination) -> String {
        switch destination {
        case .marketo: "leadsync_marketo_preflight_failed_checks"
        case .salesforce: "leadsync_salesforce_preflight_failed_checks"
        }
    }
}

// MARK: - PreflightRefusal

/// A writer does not start: its preflight found failures that would dead-letter every command of a kind.
public struct PreflightRefusal: Error, Sendable, CustomStringConvertible {
    /// The writer.
    public var destination: Destination
    /// The blocking failures.
    public var failures: [PreflightCheck]

    /// Creates a refusal.
    public init(destination: Destination, failures: [PreflightCheck]) {
        self.destination = destination
        self.failures = failures
    }

    /// Each failure with its fix, and how to start anyway.
    public var description: String {
        var lines = [
            "the \(destination.rawValue) writer does not start: \(failures.count) preflight check"
                + "\(failures.count == 1 ? "" : "s") failed that would dead-letter every command of a kind"
        ]
        for failure in failures {
            lines.append("  - tenant \(failure.tenant), \(failure.item): \(failure.detail)")
            if let fix = failure.fix { lines.append("    fix: \(fix)") }
        }
        lines.append("run `leadsync doctor` for the full report; --skip-preflight starts the writer anyway")
        return lines.joined(separator: "\n")
    }
}
