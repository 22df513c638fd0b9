import Delivery
import Marketo

extension MarketoBatchContext {
    /// Resolves emails to lead ids: from the cache when the lead is known and its profile unchanged, else by
    /// upserting the lead (Sync Leads, createOrUpdate by email, full calls of ``recordsPerCall``).
    ///
    /// A lead whose profile fields Marketo refuses (a value of the wrong type, an unknown field) is upserted again
    /// with its email alone, so that a bad profile value never blocks the lead's statuses; the refusal is logged.
    /// - Returns: The lead id, or why it could not be had, for every requested email.
    func resolveLeads(_ requests: [LeadRequest]) async -> [String: Result<Int, DeliveryFailure>] {
        guard !requests.isEmpty else { return [:] }
        let munchkinId = connection.munchkinId
        let cached = cache.leads(munchkinId: munchkinId, emails: requests.map(\.email))
        var resolved: [String: Result<Int, DeliveryFailure>] = [:]
        var upserts: [(request: LeadRequest, digest: String, cached: MarketoWriterCache.CachedLead?)] = []
        for (request, cachedLead) in zip(requests, cached) {
            let digest = request.profileDigest
            if let cachedLead, !request.hasProfile || cachedLead.profileDigest == digest {
                resolved[request.email] = .success(cachedLead.leadId)
            } else {
                upserts.append((request, digest, cachedLead))
            }
        }
        metrics.recordLeadLookups(tenant: connection.tenant, cached: resolved.count, upserted: upserts.count)
        guard !upserts.isEmpty else { return resolved }

        let firstPass = await upsertLeads(upserts.map { ($0.request.email, $0.request.fields, $0.digest) })
        var emailOnly: [(email: String, fields: [String: MarketoFieldValue], digest: String)] = []
        var stored: [(email: String, lead: MarketoWriterCache.CachedLead)] = []
        for upsert in upserts {
            let email = upsert.request.email
            switch firstPass[email] {
            case .success(let leadId):
                resolved[email] = .success(leadId)
                stored.append((email, MarketoWriterCache.CachedLead(leadId: leadId, profileDigest: upsert.digest)))
            case .failure(let failure) where failure.errorClass == .permanent && upsert.request.fields.count > 1:
                logger.warning(
                    "Marketo refused a lead's profile fields; upserting the lead by email alone",
                    metadata: [
                        MarketoWriterLoggingKeys.tenant: "\(connection.tenant)",
                        MarketoWriterLoggingKeys.code: "\(failure.code)",
                        MarketoWriterLoggingKeys.reason: "\(failure.message)",
                    ]
                )
                emailOnly.append((email, ["email": .string(email)], upsert.digest))
            case .failure(let failure):
                // The profile could not be sent now; a known lead still has its id.
                if let known = upsert.cached, failure.errorClass != .permanent {
                    resolved[email] = .success(known.leadId)
                } else {
                    resolved[email] = .failure(failure)
                }
            case nil:
                resolved[email] = .failure(
                    DeliveryFailure(errorClass: .transient, code: "no_result", message: "no Sync Leads result")
                )
            }
        }
        if !emailOnly.isEmpty {
            let secondPass = await upsertLeads(emailOnly)
            for entry in emailOnly {
                switch secondPass[entry.email] {
                case .success(let leadId):
                    resolved[entry.email] = .success(leadId)
                    // The refused profile's digest is kept: the same profile is not offered again.
                    stored.append(
                        (entry.email, MarketoWriterCache.CachedLead(leadId: leadId, profileDigest: entry.digest))
                    )
                case .failure(let failure):
                    resolved[entry.email] = .failure(failure)
                case nil:
                    resolved[entry.email] = .failure(
                        DeliveryFailure(errorClass: .transient, code: "no_result", message: "no Sync Leads result")
                    )
                }
            }
        }
        cache.storeLeads(munchkinId: munchkinId, stored)
        return resolved
    }

    /// Sync Leads in full calls, run concurrently (the limiter bounds them).
    private func upsertLeads(
        _ leads: [(email: String, fields: [String: MarketoFieldValue], digest: String)]
    ) async -> [String: Result<Int, DeliveryFailure>] {
        let chunks = leads.chunked(into: recordsPerCall)
        return await withTaskGroup(of: [(String, Result<Int, DeliveryFailure>)].self) { group in
            for chunk in chunks {
                group.addTask {
                    let answer = await call { [client] in try await client.syncLeads(chunk.map(\.fields)) }
                    switch answer {
                    case .failure(let failure):
                        return chunk.map { ($0.email, .failure(failure)) }
                    case .success(let result):
                        return zip(chunk, result.records).map { lead, record in
                            if let failure = record.outcome.failure {
                                let sent = lead.fields.keys.filter { $0 != "email" }.sorted()
                                let subject =
                                    sent.isEmpty
                                    ? "the lead upsert" : "the lead upsert (fields \(sent.joined(separator: ", ")))"
                                return (
                                    lead.email,
                                    .failure(
                                        recordFailure(
                                            failure,
                                            endpoint: .syncLeads,
                                            requestId: result.requestId,
                                            subject: subject
                                        )
                                    )
                                )
                            }
                            guard let leadId = record.leadId else {
                                return (
                                    lead.email,
                                    .failure(
                                        DeliveryFailure(
                                            errorClass: .transient,
                                            code: "no_lead_id",
                                            message: "Marketo syncLeads answered \(record.outcome) without a lead id "
                                                + "(requestId \(result.requestId))"
                                        )
                                    )
                                )
                            }
                            return (lead.email, .success(leadId))
                        }
                    }
                }
            }
            var results: [String: Result<Int, DeliveryFailure>] = [:]
            for await chunkResults in group {
                for (email, result) in chunkResults { results[email] = result }
            }
            return results
        }
    }
}
