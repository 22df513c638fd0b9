import LeadModel
import Testing

@Suite("SHA-256 and command ids")
struct CommandIDTests {
    static func hex(_ bytes: [UInt8]) -> String {
        bytes.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
    }

    @Test(
        "SHA-256 matches the FIPS 180-4 vectors and block-boundary lengths",
        arguments: [
            ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
            ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
            (
                "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
                "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
            ),
            (
                "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmno"
                    + "ijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
                "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"
            ),
            (String(repeating: "a", count: 55), "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318"),
            (String(repeating: "a", count: 56), "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a"),
            (String(repeating: "a", count: 64), "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb"),
        ]
    )
    func vectors(input: String, digest: String) {
        #expect(Self.hex(SHA256.hash(Array(input.utf8))) == digest)
    }

    @Test("SHA-256 of one million 'a' in several updates")
    func millionA() {
        var hasher = SHA256()
        let chunk = [UInt8](repeating: UInt8(ascii: "a"), count: 1000)
        for _ in 0..<1000 { hasher.update(chunk) }
        #expect(Self.hex(hasher.finalize()) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    @Test("command ids are pinned: the same in every process and run")
    func pinned() {
        // Expected values computed independently (Python hashlib over the documented canonical encoding).
        func status(_ destination: Destination, event: String = "summit-2026") -> String {
            CommandID.memberStatus(
                destination: destination,
                leadKey: Fixtures.key,
                virtualEventId: event,
                status: .attended,
                sourceEventId: "e1"
            ).rawValue
        }
        #expect(status(.marketo) == "6fa27afb-5575-8398-8d70-1a0d506d8415")
        #expect(status(.salesforce) == "d25f3145-0902-8108-90cf-40fe52bead07")
        // An input longer than the stack buffer (256 bytes) takes the spill path and hashes the same way.
        #expect(status(.marketo, event: String(repeating: "v", count: 300)) == "c745e3d8-734a-8152-a004-710023718452")
        let upsert = CommandID.engagement(
            kind: .engagementUpsert,
            destination: .salesforce,
            leadKey: Fixtures.key,
            virtualEventId: "summit-2026",
            entryId: "1_abcd1234",
            snapshotOccurredAt: Timestamp(millisecondsSinceEpoch: 1_795_344_300_000),
            sourceEventId: "c0b6b1f2-5b0e-4c8e-8f7a-2f6b1d7c9e21"
        )
        #expect(upsert.rawValue == "1722b68d-89bd-8a91-b197-b35976710c4f")
    }

    @Test("the fold's commands carry the same ids as deriving them directly")
    func foldUsesDerivedIds() throws {
        var state = LeadState()
        let outcome = LeadFold.apply(
            Fixtures.attendee(.attended, id: "e1"),
            to: &state,
            rules: Fixtures.rules,
            now: Fixtures.t0
        )
        #expect(
            outcome.commands.map(\.commandId.rawValue) == [
                "6fa27afb-5575-8398-8d70-1a0d506d8415", "d25f3145-0902-8108-90cf-40fe52bead07",
            ]
        )
    }

    @Test("ids differ by destination, kind, status, lead, event, entry, snapshot time and source event")
    func distinct() {
        func status(
            _ destination: Destination = .marketo,
            _ value: ChannelStatus = .attended,
            key: String = "a@b.co",
            event: String = "v",
            source: String = "e1"
        ) -> CommandID {
            .memberStatus(
                destination: destination,
                leadKey: LeadKey(validatedTenantForTests: "acme", email: key),
                virtualEventId: event,
                status: value,
                sourceEventId: source
            )
        }
        func engagement(_ kind: CommandKind = .engagementUpsert, entry: String = "1_x", at: Int64 = 5) -> CommandID {
            .engagement(
                kind: kind,
                destination: .marketo,
                leadKey: Fixtures.key,
                virtualEventId: "v",
                entryId: entry,
                snapshotOccurredAt: Timestamp(millisecondsSinceEpoch: at),
                sourceEventId: "e1"
            )
        }
        let ids = [
            status(), status(.salesforce), status(.marketo, .participated), status(key: "c@b.co"), status(event: "w"),
            status(source: "e2"), engagement(), engagement(.engagementActivity), engagement(entry: "1_y"),
            engagement(at: 6),
        ]
        #expect(Set(ids).count == ids.count)
        #expect(status() == status())
        #expect(engagement() == engagement())
    }

    @Test("ids are RFC 9562 version-8 UUIDs")
    func uuidShape() {
        let id = CommandID.memberStatus(
            destination: .marketo,
            leadKey: Fixtures.key,
            virtualEventId: "v",
            status: .invited,
            sourceEventId: "x"
        ).rawValue
        let characters = Array(id)
        #expect(characters.count == 36)
        #expect([8, 13, 18, 23].allSatisfy { characters[$0] == "-" })
        #expect(characters[14] == "8")
        #expect("89ab".contains(characters[19]))
    }

    @Test("replaying the same input gives the same commands and ids")
    func replayDeterminism() throws {
        let decoder = InputEventDecoder()
        let inputs = [Fixtures.attendeeJSON, Fixtures.engagementJSON]
        func fold() throws -> [Command] {
            var state = LeadState()
            var commands: [Command] = []
            for input in inputs {
                let event = try decoder.decode(input)
                commands += LeadFold.apply(event, to: &state, rules: Fixtures.rules, now: Fixtures.t0).commands
            }
            commands += LeadFold.dueActivities(
                for: Fixtures.key,
                in: &state,
                rules: Fixtures.rules,
                now: Fixtures.t0.adding(milliseconds: 86_400_000)
            )
            return commands
        }
        let first = try fold()
        let second = try fold()
        #expect(first == second)
        #expect(
            first.map(\.kind) == [
                .memberStatus, .memberStatus, .memberStatus, .memberStatus, .engagementUpsert, .engagementUpsert,
                .engagementActivity,
            ]
        )
        #expect(Set(first.map(\.commandId)).count == first.count)
    }
}
