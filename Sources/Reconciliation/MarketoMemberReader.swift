public import Config
import Foundation
public import Logging
public import Marketo

// MARK: - MarketoMemberReader

/// Reads program members with Marketo's bulk export of program members: one job per 10 programs (the filter's
/// limit), fields `programId`, `leadId`, `email`, `statusName`, polled until completed, then the CSV file.
public struct MarketoMemberReader: CRMMemberReader {
    /// The client of the tenant's subscription.
    public let client: MarketoClient
    /// The time between status polls (Marketo updates a job's status at most once a minute).
    public var pollInterval: Duration
    /// How long one export may take.
    public var timeout: Duration

    /// Creates a reader.
    public init(client: MarketoClient, pollInterval: Duration = .seconds(30), timeout: Duration = .seconds(3 * 3_600)) {
        self.client = client
        self.pollInterval = pollInterval
        self.timeout = timeout
    }

    /// Creates a reader for a tenant's subscription, reading its client secret now.
    /// - Throws: ``ReconciliationError`` (`configuration`) when the tenant has no Marketo settings or the secret
    ///   cannot be read.
    public init(
        tenant: TenantSettings,
        logger: Logger,
        pollInterval: Duration = .seconds(30)
    )
        throws(ReconciliationError)
    {
        guard let settings = tenant.marketo else {
            throw ReconciliationError(
                code: .configuration,
                tenant: tenant.tenant,
                message: "the tenant has no Marketo settings (marketo:)"
            )
        }
        do {
            let secret = try settings.clientSecret.reveal()
            let client = try MarketoClient(
                configuration: MarketoClientConfiguration(
                    baseURL: settings.baseURL,
                    clientId: settings.clientId,
                    clientSecret: secret,
                    logger: logger
                )
            )
            self.init(client: client, pollInterval: pollInterval)
        } catch {
            throw ReconciliationError(
                code: .configuration,
                tenant: tenant.tenant,
                message: "cannot create the Marketo client: \(error)"
            )
        }
    }

    public func members(
        of targetIds: [String],
        progress: @escaping @Sendable (String) -> Void
    ) async throws(ReconciliationError) -> [String: [CRMMember]] {
        var result: [String: [CRMMember]] = [:]
        for id in targetIds { result[id] = [] }
        let programIds = targetIds.compactMap { Int($0) }
        if programIds.count != targetIds.count {
            throw ReconciliationError(
                code: .configuration,
                message: "Marketo program ids must be integers: \(targetIds.joined(separator: ", "))"
            )
        }
        var start = 0
        while start < programIds.count {
            let chunk = Array(programIds[start..<min(start + 10, programIds.count)])
            start += chunk.count
            let file: MarketoDelimitedFile
            do {
                // Every call paced: the writers may have spent the subscription's 20 s window (MarketoPacing).
                let created = try await MarketoPacing.paced {
                    try await client.createProgramMemberExport(
                        programIds: chunk,
                        fields: ["programId", "leadId", "email", "statusName"]
                    )
                }
                let queued = try await MarketoPacing.paced { try await client.enqueueProgramMemberExport(created) }
                let programList = chunk.map(String.init).joined(separator: ",")
                progress("Marketo export \(queued.exportId) of programs \(programList): \(queued.status)")
                let finished = try await MarketoPacing.paced {
                    try await client.waitForProgramMemberExport(
                        queued,
                        pollInterval: pollInterval,
                        timeout: timeout
                    ) { status in
                        progress("Marketo export \(status.exportId): \(status.status)")
                    }
                }
                guard finished.isCompleted else {
                    throw ReconciliationError(
                        code: .crm,
                        message: "Marketo export \(finished.exportId) ended \(finished.status): "
                            + (finished.errorMsg ?? "no reason given")
                    )
                }
                file = try await MarketoPacing.paced { try await client.programMemberExportFile(finished) }
                progress(
                    "Marketo export \(finished.exportId): \(finished.numberOfRecords ?? file.rows.count) members read"
                )
            } catch let error as ReconciliationError {
                throw error
            } catch {
                throw ReconciliationError(code: .crm, message: "Marketo program member export failed: \(error)")
            }
            guard let programs = file.column("programId"), let leads = file.column("leadId"),
                let emails = file.column("email"), let statuses = file.column("statusName")
            else {
                if file.rows.isEmpty { continue }
                throw ReconciliationError(
                    code: .crm,
                    message: "the export file lacks a column of programId, leadId, email, statusName: \(file.header)"
                )
            }
            for row in programs.indices {
                let email = emails[row]
                guard !email.isEmpty else { continue }
                result[programs[row], default: []].append(
                    CRMMember(email: email, statusName: statuses[row], personId: leads[row])
                )
            }
        }
        return result
    }
}
