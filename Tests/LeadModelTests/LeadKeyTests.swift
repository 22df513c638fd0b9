import LeadModel
import Testing

@Suite("Lead keys and emails")
struct LeadKeyTests {
    @Test("the key normalises the email and keeps the tenant")
    func normalises() throws {
        let key = try #require(LeadKey(tenant: "acme", email: "  Jane.Doe@Example.COM\t"))
        #expect(key.tenant == "acme")
        #expect(key.email == "jane.doe@example.com")
        #expect(key.rawValue == "acme/jane.doe@example.com")
    }

    @Test("raw values parse, splitting at the first slash")
    func parsesRawValue() throws {
        let key = try #require(LeadKey(rawValue: "acme/a/b@example.com"))
        #expect(key.tenant == "acme")
        #expect(key.email == "a/b@example.com")
        let upper = try #require(LeadKey(rawValue: "acme/Jane@Example.com"))
        #expect(upper.rawValue == "acme/jane@example.com")
    }

    @Test("malformed raw values are refused", arguments: ["", "acme", "/jane@example.com", "acme/", "acme/jane"])
    func refusesRawValue(raw: String) {
        #expect(LeadKey(rawValue: raw) == nil)
    }

    @Test("tenants with slashes or spaces are refused", arguments: ["", "a b", "a\tb", "a\u{7F}"])
    func refusesTenant(tenant: String) {
        #expect(LeadKey(tenant: tenant, email: "jane@example.com") == nil)
    }

    @Test("non-ASCII emails lowercase with Unicode rules")
    func unicode() throws {
        let key = try #require(LeadKey(tenant: "acme", email: "ÉLODIE@Exemple.FR"))
        #expect(key.email == "élodie@exemple.fr")
    }

    @Test(
        "valid addresses",
        arguments: [
            "a@b.co", "jane.doe+tag@example.com", "o'brien@example.ie", "x_y-z@sub.domain.example",
            "user@xn--bcher-kva.example", "1234567890@example.com", "{weird}~!#$%&'*/=?^`|@example.org",
        ]
    )
    func validEmails(email: String) {
        #expect(EmailAddress.isValid(email))
    }

    @Test(
        "invalid addresses name the rule",
        arguments: [
            ("", "the address is empty"),
            ("   ", "the address is empty"),
            ("jane.example.com", "the address has no '@'"),
            ("jane@@example.com", "the address has more than one '@'"),
            ("@example.com", "the local part before '@' is empty"),
            ("jane@", "the domain after '@' is empty"),
            ("jane@localhost", "the domain has no '.'"),
            (".jane@example.com", "the local part has a leading or doubled '.'"),
            ("ja..ne@example.com", "the local part has a leading or doubled '.'"),
            ("jane.@example.com", "the local part ends with '.'"),
            ("ja ne@example.com", "the local part contains a character that is not allowed"),
            ("ja\"ne@example.com", "the local part contains a character that is not allowed"),
            ("jane@exa mple.com", "the domain contains a character that is not allowed"),
            ("jane@example..com", "the domain has an empty label"),
            ("jane@-example.com", "a domain label starts or ends with '-'"),
            ("jane@example.com.", "the domain has an empty label"),
            (String(repeating: "a", count: 65) + "@example.com", "the local part is longer than 64 bytes"),
            ("a@" + String(repeating: "b", count: 64) + ".com", "a domain label is longer than 63 bytes"),
        ]
    )
    func invalidEmails(email: String, reason: String) {
        let error = #expect(throws: EmailAddress.Invalid.self) { try EmailAddress.normalize(email) }
        #expect(error?.reason == reason)
    }
}
