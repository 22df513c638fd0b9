import Foundation
import SandboxMarketo
import Testing

@Suite("The shipped setup file and config/dev.yaml agree with the standard setup")
struct ShippedSetupTests {
    /// The repository root, from this file's path.
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    @Test("config/sandbox/marketo.json decodes to exactly MarketoSandboxSetup.standard()")
    func shippedFile() throws {
        let url = Self.root.appendingPathComponent("config/sandbox/marketo.json")
        #expect(try MarketoSandboxSetup.load(from: url) == MarketoSandboxSetup.standard())
    }

    @Test("The standard setup holds the munchkin id, client id, secret and programs config/dev.yaml names")
    func devConfiguration() throws {
        let dev = try String(contentsOf: Self.root.appendingPathComponent("config/dev.yaml"), encoding: .utf8)
        let standard = try #require(MarketoSandboxSetup.standard().subscriptions.first)
        #expect(dev.contains("munchkinId: \(standard.munchkinId)"))
        #expect(dev.contains("clientId: \(standard.clientId)"))
        #expect(dev.contains("baseURL: http://127.0.0.1:9471"))
        for program in standard.programs {
            #expect(dev.contains("marketoProgramId: \(program.id)"))
        }
        // The secret dev.yaml reads from LEADSYNC_DEV_MARKETO_CLIENT_SECRET, as the embedded default supplies it.
        let embedded = try String(
            contentsOf: Self.root.appendingPathComponent("Sources/Config/LeadSyncConfig+EmbeddedDefault.swift"),
            encoding: .utf8
        )
        #expect(embedded.contains("\"LEADSYNC_DEV_MARKETO_CLIENT_SECRET\": \"\(standard.clientSecret)\""))
        // Every lead field the writer maps profiles to by default, and the one dev.yaml maps `custom.industry` to.
        let leadFields = Set(standard.leadFields.map(\.name))
        for field in ["email", "firstName", "lastName", "company", "title", "country", "phone", "industry"] {
            #expect(leadFields.contains(field), "lead field \(field)")
        }
        #expect(dev.contains("custom.industry: industry"))
    }
}
