import Delivery
import Foundation
import LeadModel
import Salesforce

// MARK: - SalesforceBatchDelivery + Identity

extension SalesforceBatchDelivery {
    /// The person of every email of these items: from the cache, else found by `Email IN (…)` queries on Lead (a
    /// converted Lead stands for its Contact), then on Contact for the emails no Lead has, else created as a new
    /// Lead from the newest profile the batch holds for it. What is learned is cached.
    /// - Returns: Email -> person or the failure that every command of the email shares.
    mutating func resolvePeople(for items: [Int]) async -> [String: Result<SalesforcePerson, DeliveryFailure>] {
        var emails: [String] = []
        var profiles: [String: LeadProfile] = [:]
        var seen: Set<String> = []
        for index in items {
            let command = batch.items[index].command
            if seen.insert(command.email).inserted { emails.append(command.email) }
            if let profile = command.profile { profiles[command.email] = profile }
        }
        var people: [String: Result<SalesforcePerson, DeliveryFailure>] = [:]
        var missing: [String] = []
        for (email, person) in zip(emails, tenant.cache.people(for: emails)) {
            if let person { people[email] = .success(person) } else { missing.append(email) }
        }
        tenant.metrics.lookups(tenant: tenant.tenant, source: "cache", count: emails.count - missing.count)
        guard !missing.isEmpty else { return people }

        var toCreate: [String] = []
        var learned: [(email: String, person: SalesforcePerson)] = []
        for chunk in Self.emailChunks(missing) {
            switch await findLeads(chunk) {
            case .failure(let failure):
                for email in chunk { people[email] = .failure(failure) }
            case .success(let leadsByEmail):
                tenant.metrics.lookups(tenant: tenant.tenant, source: "query", count: chunk.count)
                for email in chunk {
                    let leads = leadsByEmail[email.lowercased()] ?? []
                    switch Self.person(for: email, leads: leads) {
                    case nil:
                        toCreate.append(email)
                    case .success(let person)?:
                        people[email] = .success(person)
                        learned.append((email, person))
                    case .failure(let failure)?:
                        people[email] = .failure(failure)
                    }
                }
            }
        }
        // An email without a Lead may belong to a Contact (an existing customer): use it rather than add a Lead.
        var withoutPerson: [String] = []
        for chunk in Self.emailChunks(toCreate) {
            switch await findContacts(chunk) {
            case .failure(let failure):
                for email in chunk { people[email] = .failure(failure) }
            case .success(let contactsByEmail):
                for email in chunk {
                    let contacts = contactsByEmail[email.lowercased()] ?? []
                    if contacts.isEmpty {
                        withoutPerson.append(email)
                    } else if contacts.count == 1 {
                        people[email] = .success(.contact(id: contacts[0], convertedLeadId: ""))
                        learned.append((email, .contact(id: contacts[0], convertedLeadId: "")))
                    } else {
                        people[email] = .failure(
                            DeliveryFailure(
                                errorClass: .permanent,
                                code: "AMBIGUOUS_EMAIL",
                                message: "no Lead but \(contacts.count) Contacts have the email \(email) ("
                                    + contacts.joined(separator: ", ") + "); merge them in Salesforce, then replay "
                                    + "the dead letter"
                            )
                        )
                    }
                }
            }
        }
        toCreate = withoutPerson
        for start in stride(from: 0, to: toCreate.count, by: recordsPerCall) {
            let chunk = Array(toCreate[start..<min(start + recordsPerCall, toCreate.count)])
            let records = chunk.map { tenant.settings.leadRecord(email: $0, profile: profiles[$0]) }
            let result = await tenant.perform(limiter, context: "creating \(records.count) Leads") {
                client async throws(SalesforceError) in
                try await client.createRecords(records, allOrNone: false)
            }
            switch result {
            case .failure(let failure):
                for email in chunk { people[email] = .failure(failure) }
            case .success(let results):
                var created = 0
                for (email, saved) in zip(chunk, results) {
                    if saved.success, let id = saved.id {
                        people[email] = .success(.lead(id: id))
                        learned.append((email, .lead(id: id)))
                        created += 1
                    } else {
                        let error = saved.errors.first ?? SalesforceRowError(statusCode: "UNKNOWN", message: "")
                        people[email] = .failure(.salesforceRow(error, context: "creating the Lead for \(email)"))
                    }
                }
                tenant.metrics.lookups(tenant: tenant.tenant, source: "created", count: created)
            }
        }
        tenant.cache.remember(learned)
        return people
    }

    /// One lookup query (and its further pages), each page one limited call: `prefix` followed by the quoted
    /// emails and `)`.
    /// - Returns: Lowercased email -> the records with it.
    private func recordsByEmail(
        _ emails: [String],
        queryPrefix: String,
        what: String
    ) async -> Result<[String: [SalesforceRecord]], DeliveryFailure> {
        let soql = queryPrefix + emails.map(SalesforceClient.soqlLiteral).joined(separator: ",") + ")"
        let context = "looking up \(emails.count) \(what) by email"
        var page: SalesforceQueryPage
        switch await tenant.perform(
            limiter,
            context: context,
            { client async throws(SalesforceError) in
                try await client.queryPage(soql, recordCount: emails.count)
            }
        ) {
        case .success(let first): page = first
        case .failure(let failure): return .failure(failure)
        }
        var records: [String: [SalesforceRecord]] = [:]
        while true {
            for record in page.records where record.id != nil {
                records[(record["Email"]?.stringValue ?? "").lowercased(), default: []].append(record)
            }
            guard !page.done, let next = page.nextRecordsURL else { break }
            switch await tenant.perform(
                limiter,
                context: context,
                { client async throws(SalesforceError) in
                    try await client.queryMore(next)
                }
            ) {
            case .success(let more): page = more
            case .failure(let failure): return .failure(failure)
            }
        }
        return .success(records)
    }

    /// The Leads with these emails.
    private func findLeads(_ emails: [String]) async -> Result<[String: [SalesforceLead]], DeliveryFailure> {
        await recordsByEmail(emails, queryPrefix: Self.leadQueryPrefix, what: "Leads").map { byEmail in
            byEmail.mapValues { records in
                records.compactMap { record in
                    record.id.map {
                        SalesforceLead(
                            id: $0,
                            email: record["Email"]?.stringValue,
                            isConverted: record["IsConverted"]?.boolValue ?? false,
                            convertedContactId: record["ConvertedContactId"]?.stringValue
                        )
                    }
                }
            }
        }
    }

    /// The Contacts with these emails (people who are customers already and never were a Lead).
    private func findContacts(_ emails: [String]) async -> Result<[String: [String]], DeliveryFailure> {
        await recordsByEmail(emails, queryPrefix: Self.contactQueryPrefix, what: "Contacts").map { byEmail in
            byEmail.mapValues { $0.compactMap(\.id) }
        }
    }

    /// Who the Leads with one email stand for; nil when there is none (create one).
    static func person(for email: String, leads: [SalesforceLead]) -> Result<SalesforcePerson, DeliveryFailure>? {
        guard let first = leads.first else { return nil }
        let contacts = Set(leads.filter(\.isConverted).compactMap(\.convertedContactId))
        if leads.allSatisfy(\.isConverted), contacts.count == 1, let contact = contacts.first {
            // One Lead converted, or several converted into the same Contact.
            return .success(.contact(id: contact, convertedLeadId: first.id))
        }
        if leads.count == 1 {
            guard first.isConverted else { return .success(.lead(id: first.id)) }
            return .failure(
                DeliveryFailure(
                    errorClass: .permanent,
                    code: "CONVERTED_LEAD_WITHOUT_CONTACT",
                    message: "Lead \(first.id) with email \(email) is converted but names no Contact; "
                        + "fix the Lead in Salesforce, then replay the dead letter"
                )
            )
        }
        return .failure(
            DeliveryFailure(
                errorClass: .permanent,
                code: "AMBIGUOUS_EMAIL",
                message: "\(leads.count) Leads have the email \(email) ("
                    + leads.map { "\($0.id)\($0.isConverted ? " converted" : "")" }.joined(separator: ", ")
                    + "); merge them in Salesforce, then replay the dead letter"
            )
        )
    }

    static let leadQueryPrefix = "SELECT Id, Email, IsConverted, ConvertedContactId FROM Lead WHERE Email IN ("
    static let contactQueryPrefix = "SELECT Id, Email FROM Contact WHERE Email IN ("

    /// Splits emails so that each query's encoded URI stays well under the client's 8,000-byte default (and at
    /// most 300 emails, so that one page of 2,000 rows nearly always holds every match).
    static func emailChunks(_ emails: [String]) -> [[String]] {
        let budget = 7_000 - encodedLength(leadQueryPrefix + ")") - 64
        var chunks: [[String]] = []
        var current: [String] = []
        var length = 0
        for email in emails {
            let cost = encodedLength(SalesforceClient.soqlLiteral(email)) + 3
            if !current.isEmpty, length + cost > budget || current.count >= 300 {
                chunks.append(current)
                current = []
                length = 0
            }
            current.append(email)
            length += cost
        }
        if !current.isEmpty { chunks.append(current) }
        return chunks
    }

    /// The length of `text` percent-encoded as the client encodes query values (unreserved ASCII as is,
    /// every other byte as `%XX`).
    static func encodedLength(_ text: String) -> Int {
        var length = 0
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                UInt8(ascii: "~"):
                length += 1
            default:
                length += 3
            }
        }
        return length
    }
}
