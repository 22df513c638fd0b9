import Foundation
import TestSupport
import Topics

/// A `leadsync dev-cluster` child process, stopped when the test ends (or when the test runner dies: it
/// watches its standard input).
final class DevClusterProcess {
    let process = Process()
    let state: DevClusterControlClient.State
    let control: DevClusterControlClient
    private let stdin = Pipe()
    private let stateFile: URL

    /// - Parameter workingDirectory: where the child runs (default: the test runner's directory).
    init(arguments: [String] = [], workingDirectory: URL? = nil) throws {
        stateFile = FileManager.default.temporaryDirectory
            .appendingPathComponent("dev-cluster-\(UUID().uuidString).json")
        process.executableURL = LeadSyncBinary.url
        process.arguments = ["dev-cluster", "--state-file", stateFile.path, "--stop-on-stdin-close"] + arguments
        if let workingDirectory { process.currentDirectoryURL = workingDirectory }
        process.standardInput = stdin
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(60)
        var state: DevClusterControlClient.State?
        while state == nil, Date() < deadline, process.isRunning {
            if let data = try? Data(contentsOf: stateFile) {
                state = try? JSONDecoder().decode(DevClusterControlClient.State.self, from: data)
            }
            if state == nil { Thread.sleep(forTimeInterval: 0.1) }
        }
        guard let state, let url = URL(string: state.controlURL) else {
            process.terminate()
            throw DevClusterStartFailure(arguments: arguments)
        }
        self.state = state
        self.control = DevClusterControlClient(baseURL: url)
    }

    var stateFilePath: String { stateFile.path }

    func stop() {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
    }

    deinit {
        stop()
    }
}

struct DevClusterStartFailure: Error {
    var arguments: [String]
}
