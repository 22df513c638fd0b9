import Foundation
import Salesforce
import SandboxSalesforce
import Testing

@Suite("JWT bearer flow with an RS256 assertion the sandbox verifies")
struct JWTBearerTests {
    private static let openssl = "/usr/bin/openssl"

    /// A fresh key pair and self-signed certificate made with the openssl command line tool.
    private static func makeKeyPair(in directory: URL, name: String) throws -> (keyPEM: String, certificatePEM: String)
    {
        let key = directory.appendingPathComponent("\(name).key").path
        let certificate = directory.appendingPathComponent("\(name).crt").path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: openssl)
        process.arguments = [
            "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", certificate, "-subj",
            "/CN=leadsync-test", "-days", "2",
        ]
        process.standardError = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        try #require(process.terminationStatus == 0)
        return (
            try String(contentsOfFile: key, encoding: .utf8), try String(contentsOfFile: certificate, encoding: .utf8)
        )
    }

    @Test(
        "a signed assertion gets a token the API accepts; a key the app does not know is refused",
        .enabled(if: FileManager.default.isExecutableFile(atPath: openssl))
    )
    func jwtBearer() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("leadsync-jwt-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let app = try Self.makeKeyPair(in: directory, name: "app")
        let stranger = try Self.makeKeyPair(in: directory, name: "stranger")

        var setup = SeedData.setup()
        setup.orgs[0].jwtBearer?.certificatePEM = app.certificatePEM
        let fixture = try await SandboxFixture.start(setup)
        func client(key: String) -> SalesforceClient {
            SalesforceClient(
                configuration: SalesforceClientConfiguration(
                    loginURL: fixture.baseURL,
                    credentials: .jwtBearer(
                        clientId: fixture.org.clientId,
                        username: "integration@leadsync.example",
                        audience: "https://login.salesforce.com",
                        privateKeyPEM: key
                    )
                )
            )
        }

        let campaigns = try await client(key: app.keyPEM).query("SELECT Id FROM Campaign")
        #expect(campaigns.count == 2)
        #expect(fixture.calls("oauth.token").last?.httpStatus == 200)

        let error = try await #require(throws: SalesforceError.self) {
            try await client(key: stranger.keyPEM).query("SELECT Id FROM Campaign")
        }
        #expect(error.endpoint == .token)
        #expect(error.errorCode == "invalid_grant")
        #expect(error.classification == .authenticationFailed)
    }

    @Test("an unreadable key fails before any call")
    func unreadableKey() async throws {
        let client = SalesforceClient(
            configuration: SalesforceClientConfiguration(
                loginURL: URL(fileURLWithPath: "/nonexistent"),
                credentials: .jwtBearer(clientId: "app", username: "u", audience: "a", privateKeyPEM: "not a key")
            )
        )
        let error = try await #require(throws: SalesforceError.self) { try await client.limits() }
        #expect(error.classification == .authenticationFailed)
        #expect(error.httpStatus == nil)
    }
}
