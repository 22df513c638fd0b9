import Foundation
import LeadModel
import Simulation
import Testing

@testable import Delivery

/// Every message schema of `topics/schemas/` against its examples and against the code that reads the messages:
/// an example must validate and decode, and the input schemas must accept exactly what the fold's decoder accepts
/// (the JSON side of it: tenant configuration is checked elsewhere).
@Suite("Message schemas: examples, and the same verdict as the decoders")
struct MessageSchemaTests {
    static let inputSchemas = ["attendee.v1.json", "engagement.v1.json"]
    static let commandSchemas = CommandKind.allCases.map { "command.\($0.rawValue).v1.json" }
    /// The writers' ledger records (`<dest>.commands.ledger`), read by `Delivery`'s `LedgerRecord`.
    static let ledgerSchema = "ledger.v1.json"

    static func schema(_ name: String) throws -> [String: Any] {
        let url = CommandSchemaTests.schemaDirectory.appendingPathComponent(name)
        return try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
    }

    static func json(_ bytes: some Collection<UInt8>) -> Any? {
        try? JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed])
    }

    @Test("the schemas directory holds exactly the input, command and ledger schemas")
    func everySchemaIsCovered() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: CommandSchemaTests.schemaDirectory.path)
            .filter { $0.hasSuffix(".json") }
        #expect(Set(files) == Set(Self.inputSchemas + Self.commandSchemas + [Self.ledgerSchema]))
    }

    @Test("every example of an input schema validates and decodes", arguments: inputSchemas)
    func inputExamples(name: String) throws {
        let schema = try Self.schema(name)
        let examples = try #require(schema["examples"] as? [Any])
        #expect(!examples.isEmpty)
        for example in examples {
            #expect(JSONSchemaValidator(root: schema).violations(of: example).isEmpty)
            let bytes = try JSONSerialization.data(withJSONObject: example)
            #expect(throws: Never.self) { try InputEventDecoder().decode(Array(bytes)) }
        }
    }

    @Test("every example of a command schema validates and decodes", arguments: commandSchemas)
    func commandExamples(name: String) throws {
        let schema = try Self.schema(name)
        let examples = try #require(schema["examples"] as? [Any])
        #expect(!examples.isEmpty)
        for example in examples {
            #expect(JSONSchemaValidator(root: schema).violations(of: example).isEmpty)
            let command = try CommandCodec.decode(Array(try JSONSerialization.data(withJSONObject: example)))
            #expect("command.\(command.kind.rawValue).v1.json" == name)
        }
    }

    @Test("every command the fold emits validates against its kind's schema")
    func emittedCommandsValidate() throws {
        for command in try CommandCodecTests.commands() {
            let schema = try Self.schema("command.\(command.kind.rawValue).v1.json")
            let value = try #require(Self.json(CommandCodec.encode(command)))
            let violations = JSONSchemaValidator(root: schema).violations(of: value)
            #expect(violations.isEmpty, "\(command.kind) \(command.destination): \(violations)")
        }
    }

    /// A ledger record's key for an example value: the record key says what the value is.
    static func ledgerKey(for example: [String: Any]) -> String {
        switch example["type"] as? String {
        case "order": "order|leadsync-writer-marketo|status|m1001|acme/ada@example.com"
        case "effect": "effect|marketo-activity/123-ABC-456/9f2c4d1e-77a0-8b3e-a1c4-5e6f7a8b9c0d"
        default: "routed|leadsync-writer-marketo|marketo.commands|4|18233"
        }
    }

    @Test("every example of the ledger schema validates and reads back as the record its key names")
    func ledgerExamples() throws {
        let schema = try Self.schema(Self.ledgerSchema)
        let examples = try #require(schema["examples"] as? [[String: Any]])
        #expect(Set(examples.compactMap { $0["type"] as? String }) == ["order", "effect", "routed"])
        for example in examples {
            #expect(JSONSchemaValidator(root: schema).violations(of: example).isEmpty, "\(example)")
            let key = Self.ledgerKey(for: example)
            let value = Array(try JSONSerialization.data(withJSONObject: example))
            let decoded = LedgerRecord.decode(key: Array(key.utf8), value: value, scope: "leadsync-writer-marketo")
            switch (example["type"] as? String, decoded) {
            case ("order", .order(_, let mark?)?): #expect(mark.delivered?.offset == 18233)
            case ("effect", .effect(_, let entry?)?): #expect(entry.status.rawValue == example["state"] as? String)
            case ("routed", .routed(_, let at?)?): #expect(at.timeIntervalSince1970 == 1_795_000_020)
            default: Issue.record("\(example) read back as \(String(describing: decoded))")
            }
        }
    }

    @Test("every record the writers write to a ledger topic validates against the ledger schema")
    func writtenLedgerRecordsValidate() throws {
        let validator = JSONSchemaValidator(root: try Self.schema(Self.ledgerSchema))
        let at = Date(timeIntervalSince1970: 1_795_000_000.123)
        let key = EffectKey(partition: 4, id: "marketo-activity/123-ABC-456/c1")
        let records = [
            LedgerRecord.order(
                topic: "t",
                partition: 4,
                scope: "g",
                key: "k",
                mark: OrderMark(delivered: CommandOrder(partition: 4, offset: 7), touched: at)
            ),
            LedgerRecord.order(topic: "t", partition: 4, scope: "g", key: "k", mark: OrderMark(touched: at)),
            LedgerRecord.routed(topic: "t", partition: 4, scope: "g", key: "k", to: "marketo.commands.dlq", at: at),
            LedgerRecord.effect(
                topic: "t",
                key: key,
                entry: EffectEntry(status: .intended, at: at, detail: ["leadId": "1", "attr.command_id": "c1"])
            ),
            LedgerRecord.effect(
                topic: "t",
                key: key,
                entry: EffectEntry(status: .applied, at: at, detail: ["crmId": "guid"])
            ),
        ]
        for record in records {
            let value = try #require(record.value.flatMap { Self.json($0) })
            let violations = validator.violations(of: value)
            #expect(violations.isEmpty, "\(String(decoding: record.value ?? [], as: UTF8.self)): \(violations)")
        }
        // A tombstone (no value) forgets an effect settled as not applied: it has nothing to validate.
        #expect(LedgerRecord.effect(topic: "t", key: key, entry: nil).value == nil)
    }

    /// The schema's and the decoder's verdicts on one record: both accept or both reject.
    static func verdicts(_ value: [UInt8]) throws -> (schema: Bool, decoder: Bool, detail: String) {
        let decoded = Result { () throws(EventRejection) in try InputEventDecoder().decode(value) }
        let decoderAccepts = (try? decoded.get()) != nil
        guard let object = json(value) as? [String: Any] else { return (false, decoderAccepts, "not an object") }
        let type = object["type"] as? String
        let name = type == "engagement.session" ? "engagement.v1.json" : "attendee.v1.json"
        let violations = JSONSchemaValidator(root: try schema(name)).violations(of: object)
        let rejection: String = if case .failure(let error) = decoded { "\(error)" } else { "accepted" }
        return (violations.isEmpty, decoderAccepts, "schema: \(violations); decoder: \(rejection)")
    }

    @Test("a simulated stream with every poison kind: the input schemas and the decoder give the same verdict")
    func simulatedStreamAgrees() throws {
        let plan = SimulationPlan(
            leadCount: 400,
            eventsPerLead: 8,
            rates: SimulationRates(duplicate: 0.02, poison: 0.15, emailVariation: 0.3),
            seed: 17
        )
        var invalidEmails = 0
        var valid = 0
        for record in plan.records() {
            // Tenant configuration (unknown tenant, unmapped event) is not the schema's business.
            if let kind = record.intent.poisonKind, kind == .unknownTenant || kind == .unmappedEvent { continue }
            let verdict = try Self.verdicts(record.value)
            let text = String(decoding: record.value, as: UTF8.self)
            #expect(verdict.schema == verdict.decoder, "\(text): \(verdict.detail)")
            if record.intent.poisonKind == .invalidEmail {
                invalidEmails += 1
                #expect(!verdict.schema, "the schema accepts an address the fold dead-letters")
            }
            if record.intent.isValid { valid += 1 }
        }
        #expect(invalidEmails > 20 && valid > 1_000)
    }

    @Test(
        "the email pattern and the fold's EmailAddress agree",
        arguments: [
            "jane@example.com", " Jane.Doe@Example.COM\t", "a.b+c_d-e@sub-domain.example.org", "x@a.co",
            "o'brien@example.ie", "u@xn--bcher-kva.example", "ñandú@例え.jp",
            "jane", "@example.com", "jane@", "jane@@example.com", "jane@example", ".jane@example.com",
            "jane.@example.com", "ja..ne@example.com", "jane@-example.com", "jane@example-.com", "jane@exa_mple.com",
            "jane@example..com", "ja ne@example.com", "\"jane\"@example.com", "jane@[127.0.0.1]", "jane(x)@example.com",
            String(repeating: "a", count: 64) + "@example.com", String(repeating: "a", count: 65) + "@example.com",
            "jane@" + String(repeating: "a", count: 63) + ".com", "jane@" + String(repeating: "a", count: 64) + ".com",
            "a@" + Array(repeating: String(repeating: "b", count: 60), count: 4).joined(separator: ".") + ".com",
            "",
        ]
    )
    func emailPattern(address: String) throws {
        let schema = try Self.schema("attendee.v1.json")
        let email = try #require((schema["properties"] as? [String: Any])?["email"] as? [String: Any])
        let accepted = JSONSchemaValidator(root: email).violations(of: address).isEmpty
        #expect(accepted == EmailAddress.isValid(address), "pattern \(accepted), fold \(EmailAddress.isValid(address))")
    }

    @Test(
        "a null is refused by the schema exactly where the decoder refuses it",
        arguments: ["attendee", "engagement"]
    )
    func nullsAgree(type: String) throws {
        let schema = try Self.schema("\(type).v1.json")
        let example = try #require((schema["examples"] as? [[String: Any]])?.first)
        // Every top-level field, and every field one level down, set to null in turn.
        var variants: [[String: Any]] = []
        for (key, value) in example {
            var top = example
            top[key] = NSNull()
            variants.append(top)
            if let nested = value as? [String: Any] {
                for inner in nested.keys {
                    var changed = nested
                    changed[inner] = NSNull()
                    var copy = example
                    copy[key] = changed
                    variants.append(copy)
                }
            }
        }
        for variant in variants {
            let verdict = try Self.verdicts(Array(try JSONSerialization.data(withJSONObject: variant)))
            #expect(!verdict.schema && !verdict.decoder, "\(verdict.detail)")
        }
    }
}
