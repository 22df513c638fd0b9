import Delivery
import Foundation
import Salesforce

// MARK: - SalesforceBatchDelivery + Upserts

extension SalesforceBatchDelivery {
    /// Whether `rows` records of one kind go through Bulk API 2.0: the batch plus the tenant's backlog reach
    /// `WriterSettings.bulkThreshold`, and the batch holds at least ``SalesforceSinkOptions/minimumBulkRows`` of
    /// them (a job costs about 7 calls, measured by `leadsync bench salesforce`), so a small batch behind a large
    /// backlog still goes out in one or two collections calls.
    func usesBulk(rows: Int) -> Bool {
        rows >= options.minimumBulkRows && rows + batch.backlog >= settings.bulkThreshold
    }

    /// Upserts records by an External ID: in collections calls of up to 200 (run side by side within the
    /// limiter's concurrency), or in one Bulk API 2.0 job.
    /// - Returns: One outcome per record, in order.
    func upsert(
        _ records: [SalesforceRecord],
        object: String,
        keyField: String,
        bulk: Bool
    ) async -> [SalesforceRowOutcome] {
        guard !records.isEmpty else { return [] }
        if bulk { return await bulkUpsert(records, object: object, keyField: keyField) }
        let size = recordsPerCall
        let chunks = stride(from: 0, to: records.count, by: size).map { $0..<min($0 + size, records.count) }
        let tenant = self.tenant
        let limiter = self.limiter
        var outcomes = [SalesforceRowOutcome?](repeating: nil, count: records.count)
        await withTaskGroup(of: (Range<Int>, [SalesforceRowOutcome]).self) { group in
            for range in chunks {
                let chunk = Array(records[range])
                group.addTask {
                    let result = await tenant.perform(
                        limiter,
                        context: "upserting \(chunk.count) \(object) records by \(keyField)"
                    ) { client async throws(SalesforceError) in
                        try await client.upsertRecords(chunk, type: object, externalIdField: keyField)
                    }
                    return (range, Self.rowOutcomes(result, count: chunk.count))
                }
            }
            for await (range, rows) in group {
                for (offset, row) in rows.enumerated() { outcomes[range.lowerBound + offset] = row }
            }
        }
        return outcomes.map { $0 ?? .notSent(Self.unanswered) }
    }

    /// Updates records by `Id` in collections calls of up to 200.
    func update(_ records: [SalesforceRecord], object: String) async -> [SalesforceRowOutcome] {
        var outcomes: [SalesforceRowOutcome] = []
        for start in stride(from: 0, to: records.count, by: recordsPerCall) {
            let chunk = Array(records[start..<min(start + recordsPerCall, records.count)])
            let result = await tenant.perform(limiter, context: "updating \(chunk.count) \(object) records by Id") {
                client async throws(SalesforceError) in
                try await client.updateRecords(chunk, allOrNone: false)
            }
            outcomes += Self.rowOutcomes(result, count: chunk.count)
        }
        return outcomes
    }

    static func rowOutcomes(
        _ result: Result<[SalesforceSaveResult], DeliveryFailure>,
        count: Int
    ) -> [SalesforceRowOutcome] {
        switch result {
        case .failure(let failure):
            return Array(repeating: .notSent(failure), count: count)
        case .success(let results):
            return results.map { saved in
                if saved.success { return .saved(id: saved.id) }
                return .rejected(saved.errors.first ?? SalesforceRowError(statusCode: "UNKNOWN", message: "no error"))
            }
        }
    }

    static let unanswered = DeliveryFailure(
        errorClass: .transient,
        code: "no_result",
        message: "Salesforce returned no result for the record"
    )

    // MARK: Bulk API 2.0

    /// One Bulk API 2.0 upsert job, every call of it through the limiter: create, upload, close, poll until
    /// final, then the successful, failed and (for a failed or aborted job) unprocessed rows, matched back to the
    /// records by the External ID (result files are not in upload order).
    func bulkUpsert(_ records: [SalesforceRecord], object: String, keyField: String) async -> [SalesforceRowOutcome] {
        func failAll(_ failure: DeliveryFailure) -> [SalesforceRowOutcome] {
            Array(repeating: .notSent(failure), count: records.count)
        }
        let context = "Bulk API 2.0 upsert of \(records.count) \(object) records"
        let (csv, lineEnding) = SalesforceClient.ingestCSV(records, keyField: keyField)
        var job: SalesforceBulkJob
        switch await tenant.perform(
            limiter,
            context: context,
            { client async throws(SalesforceError) in
                try await client.createIngestJob(
                    object: object,
                    operation: .upsert(externalIdField: keyField),
                    lineEnding: lineEnding
                )
            }
        ) {
        case .success(let created): job = created
        case .failure(let failure): return failAll(failure)
        }
        let opened = job
        let upload = await tenant.perform(limiter, context: context) { client async throws(SalesforceError) in
            try await client.uploadIngestData(opened, csv: Data(csv.utf8), recordCount: records.count)
        }
        let close: Result<SalesforceBulkJob, DeliveryFailure>
        if case .failure(let failure) = upload {
            close = .failure(failure)
        } else {
            close = await tenant.perform(limiter, context: context) { client async throws(SalesforceError) in
                try await client.closeIngestJob(id: opened.id)
            }
        }
        switch close {
        case .success(let closed):
            job = closed
        case .failure(let failure):
            // Leave no open job behind; best effort.
            _ = await tenant.perform(limiter, context: context) { client async throws(SalesforceError) in
                try await client.abortIngestJob(id: opened.id)
            }
            return failAll(failure)
        }
        let deadline = ContinuousClock.now + options.bulkTimeout
        while !job.state.isFinal {
            if ContinuousClock.now + options.bulkPollInterval > deadline {
                return failAll(
                    DeliveryFailure(
                        errorClass: .transient,
                        code: "timeout",
                        message: "\(context): job \(job.id) still \(job.state.rawValue) after \(options.bulkTimeout)"
                    )
                )
            }
            do {
                try await Task.sleep(for: options.bulkPollInterval)
            } catch {
                return failAll(CallLimiterError.cancelled.deliveryFailure)
            }
            let id = job.id
            switch await tenant.perform(
                limiter,
                context: context,
                { client async throws(SalesforceError) in
                    try await client.ingestJob(id: id)
                }
            ) {
            case .success(let polled): job = polled
            case .failure(let failure): return failAll(failure)
            }
        }
        tenant.metrics.bulkJob(tenant: tenant.tenant, object: object, state: job.state.rawValue)
        let jobId = job.id
        var byKey: [String: [SalesforceRowOutcome]] = [:]
        func key(_ fields: [String: String]) -> String {
            let lowered = keyField.lowercased()
            return (fields.first { $0.key.lowercased() == lowered }?.value ?? "").lowercased()
        }
        switch await tenant.perform(
            limiter,
            context: context,
            { client async throws(SalesforceError) in
                try await client.successfulResults(jobId: jobId)
            }
        ) {
        case .success(let rows):
            for row in rows { byKey[key(row.fields), default: []].append(.saved(id: row.id)) }
        case .failure(let failure):
            return failAll(failure)
        }
        switch await tenant.perform(
            limiter,
            context: context,
            { client async throws(SalesforceError) in
                try await client.failedResults(jobId: jobId)
            }
        ) {
        case .success(let rows):
            for row in rows { byKey[key(row.fields), default: []].append(.rejected(row.error)) }
        case .failure(let failure):
            return failAll(failure)
        }
        // A job refused as a whole for its header (`InvalidBatch : Field name not found : X`) is a setup
        // problem: retrying cannot help.
        let refused = job.state == .failed && (job.errorMessage ?? "").hasPrefix("InvalidBatch")
        let unprocessed = DeliveryFailure(
            errorClass: refused ? .permanent : .transient,
            code: refused ? "InvalidBatch" : "bulk_unprocessed",
            message: "\(context): job \(jobId) ended \(job.state.rawValue) before processing the row"
                + (job.errorMessage.map { " (\($0))" } ?? "")
        )
        return records.map { record in
            let value = (record[keyField]?.csvText ?? "").lowercased()
            guard var list = byKey[value], !list.isEmpty else { return .notSent(unprocessed) }
            let first = list.removeFirst()
            byKey[value] = list
            return first
        }
    }
}
