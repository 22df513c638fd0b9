import Delivery
import Marketo

extension MarketoBatchContext {
    /// Upserts engagement records with Sync Custom Objects (createOrUpdate, dedupe fields), full calls run
    /// concurrently. 1004 (the linked lead is gone) drops the cached lead id and fails as transient.
    func syncEngagementRecords(_ records: [EngagementRecord]) async -> [(Int, DeliveryOutcome)] {
        let objectName = connection.customObject.apiName
        return await withTaskGroup(of: [(Int, DeliveryOutcome)].self) { group in
            for chunk in records.chunked(into: recordsPerCall) {
                group.addTask {
                    let answer = await call { [client] in
                        try await client.syncCustomObjects(name: objectName, records: chunk.map(\.fields))
                    }
                    switch answer {
                    case .failure(var failure):
                        if failure.errorClass == .permanent {
                            failure.message = "custom object \(objectName): " + failure.message
                        }
                        return chunk.flatMap { record in record.indices.map { ($0, .failed(failure)) } }
                    case .success(let result):
                        return zip(chunk, result.records).flatMap { record, answer -> [(Int, DeliveryOutcome)] in
                            let outcome = self.outcome(
                                of: answer.outcome,
                                email: record.email,
                                leadId: record.leadId,
                                endpoint: .syncCustomObjects,
                                requestId: result.requestId,
                                subject: "\(objectName) record entry_id=\(record.entryId) personId=\(record.leadId)"
                            )
                            return record.indices.map { ($0, outcome) }
                        }
                    }
                }
            }
            var outcomes: [(Int, DeliveryOutcome)] = []
            for await results in group { outcomes += results }
            return outcomes
        }
    }
}
