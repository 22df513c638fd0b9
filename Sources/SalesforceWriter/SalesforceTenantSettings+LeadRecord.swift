import Config
import Foundation
import LeadModel
import Salesforce

// MARK: - SalesforceTenantSettings + LeadRecord

extension SalesforceTenantSettings {
    /// A new Lead for an email: the profile's fields under their mapped Lead field names
    /// (``fieldMapping``), then ``leadDefaults`` for any field still empty (Salesforce requires `LastName` and
    /// `Company`), and `Email`.
    func leadRecord(email: String, profile: LeadProfile?) -> SalesforceRecord {
        var record = SalesforceRecord(type: "Lead")
        if let profile {
            for (field, leadField) in fieldMapping.sorted(by: { $0.key < $1.key }) {
                guard let value = Self.value(of: field, in: profile), !value.isEmpty else { continue }
                record[leadField] = .string(value)
            }
        }
        for (leadField, value) in leadDefaults.sorted(by: { $0.key < $1.key }) {
            if (record[leadField]?.stringValue ?? "").isEmpty { record[leadField] = .string(value) }
        }
        record["Email"] = .string(email)
        return record
    }

    private static func value(of field: ProfileField, in profile: LeadProfile) -> String? {
        let raw: String?
        switch field {
        case .firstName: raw = profile.firstName
        case .lastName: raw = profile.lastName
        case .company: raw = profile.company
        case .title: raw = profile.title
        case .country: raw = profile.country
        case .phone: raw = profile.phone
        case .custom(let name): raw = profile.custom[name]
        }
        return raw?.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
