import Config
import Testing

@Suite("YAML features operators use")
struct YAMLFeatureTests {
    @Test("Anchors, aliases and merge keys share settings between tenants")
    func anchorsAndMergeKeys() throws {
        let document = """
            x-marketo: &sharedMarketo
              munchkinId: 123-ABC-456
              clientId: shared
              clientSecret: { env: SHARED_SECRET }
              callShare: 0.5
            tenants:
              - tenant: acme
                destinations: [marketo]
                events: { e1: { marketoProgramId: 1 } }
                marketo: *sharedMarketo
              - tenant: globex
                destinations: [marketo]
                events: { e2: { marketoProgramId: 2 } }
                marketo:
                  <<: *sharedMarketo
                  callShare: 0.25
            """
        let config = try TestSupport.parse(document).get()
        let acme = try #require(config.tenant("acme")?.marketo)
        let globex = try #require(config.tenant("globex")?.marketo)
        #expect(acme.clientId == "shared")
        #expect(globex.callShare == 0.25)
        #expect(acme.callShare == 0.5)
        // The same reference, each secret naming its own setting.
        #expect(acme.clientSecret.reference == globex.clientSecret.reference)
        #expect(globex.clientSecret.setting == "tenants[1].marketo.clientSecret")
        #expect(acme.munchkinId == globex.munchkinId && acme.baseURL == globex.baseURL)
    }

    @Test("Only top-level keys starting with x- are free; elsewhere they are unknown keys")
    func extensionKeysOnlyAtTheTop() throws {
        let document = TestSupport.minimal(tenantLines: "    x-notes: anything")
        guard case .failure(let error) = TestSupport.parse(document) else {
            Issue.record("the document was accepted")
            return
        }
        #expect(error.issues.map(\.path) == ["tenants[0].x-notes"])
    }
}
