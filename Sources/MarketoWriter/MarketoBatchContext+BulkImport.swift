import Delivery
import Foundation
import Marketo

extension MarketoBatchContext {
    /// Whether a group of rows is worth a bulk import: more rows than ``MarketoSinkOptions/bulkMinimumCalls`` full
    /// REST calls would carry (an import costs an upload, its polls and a failures download).
    func isWorthBulk(rows: Int) -> Bool { rows > options.bulkMinimumCalls * recordsPerCall }

    // MARK: Program members

    /// Sets statuses by bulk program member import, one job per program and status, at most
    /// ``MarketoSinkOptions/maxConcurrentBulkImports`` at once. Rows are keyed by email (Marketo creates missing
    /// leads); the profile columns that every row has go along. Rows of the failures file fail as permanent.
    func importStatuses(_ groups: [(target: StatusTarget, members: [BulkMember])]) async -> [(Int, DeliveryOutcome)] {
        await boundedConcurrently(groups) { target, members in
            var byEmail: [String: [Int]] = [:]
            var rows: [[String: MarketoFieldValue]] = []
            for member in members {
                if byEmail[member.email] == nil { rows.append(member.fields) }
                byEmail[member.email, default: []].append(member.index)
            }
            let columns =
                ["email"]
                + Set(rows.flatMap(\.keys)).subtracting(["email"]).sorted()
                .filter { column in rows.allSatisfy { $0[column] != nil } }
            let file = MarketoDelimitedFile(records: rows, columns: columns)
            let result = await runBulkImport(object: "programMembers", rowKey: { $0["email"]?.lowercased() ?? "" }) {
                [client] in
                try await client.importProgramMembers(programId: target.programId, statusName: target.statusName, file)
            }
            return outcomes(
                result,
                rows: byEmail,
                subject: { "program \(target.programId) status '\(target.statusName)' row email=\($0)" }
            )
        }
    }

    // MARK: Custom objects

    /// Upserts engagement records by bulk custom object import, one job per set of columns (an empty cell would
    /// erase a value, so records that lack a metric do not share a file with records that have it).
    func importEngagementRecords(_ records: [EngagementRecord]) async -> [(Int, DeliveryOutcome)] {
        let names = connection.customObject
        let objectName = names.apiName
        var byColumns: [[String]: [EngagementRecord]] = [:]
        for record in records { byColumns[record.fields.keys.sorted(), default: []].append(record) }
        var bulk: [(columns: [String], records: [EngagementRecord])] = []
        var rest: [EngagementRecord] = []
        for (columns, group) in byColumns {
            if isWorthBulk(rows: group.count) { bulk.append((columns, group)) } else { rest += group }
        }
        async let restOutcomes = syncEngagementRecords(rest)
        let bulkOutcomes = await boundedConcurrently(bulk) { columns, group in
            var byKey: [String: [Int]] = [:]
            for record in group { byKey[Self.engagementKey(record.entryId, String(record.leadId))] = record.indices }
            let file = MarketoDelimitedFile(records: group.map(\.fields), columns: columns)
            let result = await runBulkImport(
                object: "customObject",
                rowKey: { Self.engagementKey($0[names.entryIdField] ?? "", $0[names.leadLinkField] ?? "") }
            ) { [client] in
                try await client.importCustomObjects(name: objectName, file)
            }
            return outcomes(result, rows: byKey, subject: { "\(objectName) row \($0)" })
        }
        return await restOutcomes + bulkOutcomes
    }

    private static func engagementKey(_ entryId: String, _ personId: String) -> String {
        "entry_id=\(entryId) personId=\(personId)"
    }

    // MARK: Jobs

    /// Outcomes of the items behind each row key.
    private func outcomes(
        _ result: BulkImportResult,
        rows: [String: [Int]],
        subject: (String) -> String
    ) -> [(Int, DeliveryOutcome)] {
        switch result {
        case .failed(let failure):
            return rows.values.flatMap { $0.map { ($0, .failed(failure)) } }
        case .completed(let batchId, let failedRows):
            return rows.flatMap { key, indices -> [(Int, DeliveryOutcome)] in
                guard let reason = failedRows[key] else { return indices.map { ($0, .delivered) } }
                let failure = DeliveryFailure(
                    errorClass: .permanent,
                    code: "bulk_row_failed",
                    message: "Marketo bulk import \(batchId) (munchkin \(connection.munchkinId)) rejected "
                        + "\(subject(key)): \(reason)"
                )
                return indices.map { ($0, .failed(failure)) }
            }
        }
    }

    /// Uploads a file, polls the job to its end (every poll through the limiter), and reads the failures file.
    private func runBulkImport(
        object: String,
        rowKey: @escaping @Sendable ([String: String]) -> String,
        upload: @escaping @Sendable () async throws -> MarketoBulkImportJob
    ) async -> BulkImportResult {
        let job: MarketoBulkImportJob
        switch await call(upload) {
        case .failure(let failure):
            metrics.recordBulkImport(tenant: connection.tenant, object: object, state: "error")
            return .failed(failure)
        case .success(let created):
            job = created
        }
        let deadline = ContinuousClock.now + options.bulkTimeout
        var status: MarketoBulkImportStatus
        while true {
            switch await call({ [client] in try await client.bulkImportStatus(job) }) {
            case .failure(let failure):
                metrics.recordBulkImport(tenant: connection.tenant, object: object, state: "error")
                return .failed(failure)
            case .success(let polled):
                status = polled
            }
            if status.state.isFinished { break }
            guard ContinuousClock.now + options.bulkPollInterval <= deadline else {
                metrics.recordBulkImport(tenant: connection.tenant, object: object, state: "timeout")
                return .failed(
                    DeliveryFailure(
                        errorClass: .transient,
                        code: "bulk_timeout",
                        message: "Marketo bulk import \(job.batchId) (munchkin \(connection.munchkinId)) still "
                            + "\(status.state) after \(options.bulkTimeout); its rows are imported again"
                    )
                )
            }
            do {
                try await Task.sleep(for: options.bulkPollInterval)
            } catch {
                return .failed(DeliveryFailure(errorClass: .transient, code: "cancelled", message: "cancelled"))
            }
        }
        metrics.recordBulkImport(tenant: connection.tenant, object: object, state: status.state.rawValue)
        guard status.state != .failed, status.state.rawValue.lowercased() != "failed" else {
            return .failed(
                DeliveryFailure(
                    errorClass: .transient,
                    code: "bulk_failed",
                    message: "Marketo bulk import \(job.batchId) (munchkin \(connection.munchkinId)) failed: "
                        + "\(status.message)"
                )
            )
        }
        guard status.failedRows > 0 else { return .completed(batchId: job.batchId, failedRows: [:]) }
        switch await call({ [client] in try await client.bulkImportFailures(job) }) {
        case .failure(let failure):
            return .failed(failure)
        case .success(let file):
            var failed: [String: String] = [:]
            for row in file.records {
                failed[rowKey(row)] = row[MarketoDelimitedFile.failureReasonColumn] ?? "no reason given"
            }
            return .completed(batchId: job.batchId, failedRows: failed)
        }
    }

    /// Runs `body` for every element, at most ``MarketoSinkOptions/maxConcurrentBulkImports`` at once.
    private func boundedConcurrently<First: Sendable, Second: Sendable>(
        _ elements: [(First, Second)],
        _ body: @escaping @Sendable (First, Second) async -> [(Int, DeliveryOutcome)]
    ) async -> [(Int, DeliveryOutcome)] {
        await withTaskGroup(of: [(Int, DeliveryOutcome)].self) { group in
            var outcomes: [(Int, DeliveryOutcome)] = []
            var pending = elements[...]
            var running = 0
            while let next = pending.popFirst() {
                if running == options.maxConcurrentBulkImports, let done = await group.next() {
                    outcomes += done
                    running -= 1
                }
                group.addTask { await body(next.0, next.1) }
                running += 1
            }
            for await done in group { outcomes += done }
            return outcomes
        }
    }
}
