import ArgumentParser
import Foundation
import Logging
import ServiceLifecycle

extension SandboxCommand {
    /// The options both sandboxes take.
    struct ServingOptions: ParsableArguments {
        @Option(help: "Address to bind (loopback by default; the sandboxes have no real authentication).")
        var host = "127.0.0.1"

        @Option(
            help: "Port to listen on; 0 picks a free one (the banner prints it). Default: the one config/dev.yaml uses."
        )
        var port: Int?

        @Option(
            help: ArgumentHelp(
                "A JSON setup file (see config/sandbox/). Default: the standard setup config/dev.yaml points at.",
                valueName: "file"
            )
        )
        var setup: String?

        @Option(
            help: """
                Sandbox seconds per real second: 60 makes a 3600 s token live 60 s, the Marketo 20 s rate window \
                1/3 s, the daily quotas reset every 24 minutes and bulk jobs finish 60 times sooner.
                """
        )
        var timeScale: Double = 1

        @Option(help: "Log level (trace, debug, info, notice, warning, error, critical); debug logs every call.")
        var logLevel: String?

        @Flag(help: "Print the setup (the file's, with every default filled in, or the standard one) as JSON and exit.")
        var printSetup = false

        func validate() throws {
            guard timeScale > 0, timeScale.isFinite else { throw ValidationError("--time-scale must be > 0") }
            if let port, !(0...65_535).contains(port) { throw ValidationError("--port must be 0...65535") }
        }
    }
}

extension SandboxCommand.ServingOptions {
    /// What every sandbox command does: prints the setup (`--print-setup`), or makes the sandbox from it and serves
    /// it until SIGINT or SIGTERM, printing the banner once it listens.
    /// - Parameters:
    ///   - name: `marketo` or `salesforce`.
    ///   - defaultPort: The port without `--port`.
    ///   - load: Reads a setup file.
    ///   - standard: The standard setup.
    ///   - make: The sandbox for a setup, a port and a logger.
    ///   - baseURL: Where the sandbox listens, once it does.
    ///   - banner: The lines printed then.
    func serve<Setup: Encodable & Sendable, Sandbox: Service & Sendable>(
        name: String,
        defaultPort: Int,
        load: (URL) throws -> Setup,
        standard: () -> Setup,
        make: (Setup, _ port: Int, Logger) throws -> Sandbox,
        baseURL: @escaping @Sendable (Sandbox) async throws -> URL,
        banner: @escaping @Sendable (Setup, URL) -> [String]
    ) async throws {
        let setup = try self.setup.map { try SandboxCommand.readSetup($0, decode: load) } ?? standard()
        if printSetup {
            printLine(try SandboxCommand.json(setup))
            return
        }
        let logger = try SandboxCommand.logger("leadsync.sandbox.\(name)", level: logLevel)
        let port = self.port ?? defaultPort
        let sandbox: Sandbox
        do {
            sandbox = try make(setup, port, logger)
        } catch {
            throw CommandFailure(message: "\(self.setup ?? "the standard setup"): \(error)")
        }
        try await SandboxCommand.serve(
            sandbox,
            name: name,
            address: "\(host):\(port)",
            logger: logger,
            baseURL: { try await baseURL(sandbox) },
            banner: { banner(setup, $0) }
        )
    }
}
