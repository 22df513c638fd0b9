// MARK: - SalesforceClient + LeadLookup

extension SalesforceClient {
    /// Finds the Leads with the given emails, in as few `Email IN (…)` queries as the URI limit allows, then the
    /// Contacts that converted Leads became (`Id IN (…)`).
    ///
    /// Email comparison in SOQL ignores case, so results are matched back without case.
    /// - Parameter emails: The emails to look up; duplicates (ignoring case and surrounding spaces) are looked
    ///   up once.
    /// - Returns: One lookup per input email, in input order.
    /// - Throws: ``SalesforceError`` from the first query that fails.
    public func findLeads(byEmail emails: [String]) async throws(SalesforceError) -> [SalesforceLeadLookup] {
        var unique: [String] = []
        var seen: Set<String> = []
        for email in emails {
            let trimmed = email.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !trimmed.isEmpty, seen.insert(trimmed.lowercased()).inserted else { continue }
            unique.append(trimmed)
        }

        var leadsByEmail: [String: [SalesforceLead]] = [:]
        let leadQueries = try soqlChunks(
            prefix: "SELECT Id, Email, IsConverted, ConvertedContactId FROM Lead WHERE Email IN (",
            values: unique
        )
        for chunk in leadQueries {
            for record in try await queryAllPages(chunk.soql, batchSize: nil, recordCount: chunk.count) {
                guard let id = record.id else { continue }
                let lead = SalesforceLead(
                    id: id,
                    email: record["Email"]?.stringValue,
                    isConverted: record["IsConverted"]?.boolValue ?? false,
                    convertedContactId: record["ConvertedContactId"]?.stringValue
                )
                leadsByEmail[(lead.email ?? "").lowercased(), default: []].append(lead)
            }
        }

        let contactIds = Set(leadsByEmail.values.joined().filter(\.isConverted).compactMap(\.convertedContactId))
        var contacts: [SalesforceContact] = []
        if !contactIds.isEmpty {
            let contactQueries = try soqlChunks(
                prefix: "SELECT Id, Email FROM Contact WHERE Id IN (",
                values: contactIds.sorted()
            )
            for chunk in contactQueries {
                for record in try await queryAllPages(chunk.soql, batchSize: nil, recordCount: chunk.count) {
                    guard let id = record.id else { continue }
                    contacts.append(SalesforceContact(id: id, email: record["Email"]?.stringValue))
                }
            }
        }

        return emails.map { email in
            let key = email.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
            let leads = leadsByEmail[key] ?? []
            let converted = leads.compactMap(\.convertedContactId)
            return SalesforceLeadLookup(
                email: email,
                leads: leads,
                convertedContacts: contacts.filter { contact in
                    converted.contains { SalesforceLeadLookup.sameId($0, contact.id) }
                }
            )
        }
    }

    /// Splits `prefix 'v1','v2',… )` statements so that each encoded query URI fits
    /// ``SalesforceClientConfiguration/maxURILength``.
    func soqlChunks(prefix: String, values: [String]) throws(SalesforceError) -> [(soql: String, count: Int)] {
        let base = Self.queryPath(dataPath: configuration.dataPath, soql: prefix + ")").utf8.count
        let separator = Self.formEncode(",").utf8.count
        var chunks: [(soql: String, count: Int)] = []
        var literals: [String] = []
        var length = base
        for value in values {
            let literal = Self.soqlLiteral(value)
            let cost = Self.formEncode(literal).utf8.count + (literals.isEmpty ? 0 : separator)
            if length + cost > configuration.maxURILength, !literals.isEmpty {
                chunks.append((prefix + literals.joined(separator: ",") + ")", literals.count))
                literals = []
                length = base
            }
            let firstCost = Self.formEncode(literal).utf8.count
            guard base + firstCost <= configuration.maxURILength else {
                throw SalesforceError(
                    endpoint: .query,
                    httpStatus: nil,
                    errorCode: SalesforceError.Code.invalidRequest,
                    message: "one value is too long to fit a query URI of \(configuration.maxURILength) bytes"
                )
            }
            length += literals.isEmpty ? firstCost : cost
            literals.append(literal)
        }
        if !literals.isEmpty {
            chunks.append((prefix + literals.joined(separator: ",") + ")", literals.count))
        }
        return chunks
    }
}
