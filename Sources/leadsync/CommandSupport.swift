import ArgumentParser
import Foundation
import Logging

/// Prints one clear error line for a failure and exits non-zero, instead of a stack of Swift error text.
struct CommandFailure: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}

/// Runs a command's body; an error other than an exit status is printed as one line and exits with
/// ``ExitStatus/failure``.
func runReportingErrors(_ body: () async throws -> Void) async throws {
    do {
        try await body()
    } catch let exit as ExitCode {
        throw exit
    } catch {
        FileHandle.standardError.write(Data("leadsync: error: \(error)\n".utf8))
        throw ExitStatus.failure.exitCode
    }
}

func makeLogger(_ label: String, level: Logger.Level = .warning) -> Logger {
    var logger = Logger(label: label) { StreamLogHandler.standardError(label: $0) }
    logger.logLevel =
        ProcessInfo.processInfo.environment["LEADSYNC_LOG_LEVEL"].flatMap { Logger.Level(rawValue: $0) } ?? level
    return logger
}

/// `key=value` pairs from repeated options, for librdkafka pass-through properties.
func parseProperties(_ pairs: [String]) throws -> [String: String] {
    var properties: [String: String] = [:]
    for pair in pairs {
        guard let equals = pair.firstIndex(of: "="), equals != pair.startIndex else {
            throw CommandFailure(message: "--kafka-property expects key=value, got '\(pair)'")
        }
        properties[String(pair[..<equals])] = String(pair[pair.index(after: equals)...])
    }
    return properties
}

/// Refuses secrets among `--kafka-property` pairs: a command line shows in `ps`, shell histories and Job specs. The
/// message says where a secret goes instead.
func refuseSecretProperties(_ pairs: [String]) throws {
    for pair in pairs {
        let key = String(pair.prefix { $0 != "=" }).lowercased()
        guard key.contains("password") || key.contains("secret") || key == "ssl.key.pem" else { continue }
        let variable = "LEADSYNC_KAFKA_PROPERTY_" + key.uppercased().replacingOccurrences(of: ".", with: "_")
        throw ValidationError(
            "--kafka-property \(key) would put a secret on the command line (ps, shell history); set \(variable) "
                + "in the environment, or reference a file in the configuration (docs/cli.md)"
        )
    }
}

func printLine(_ text: String) {
    // Unbuffered: a supervising process (tests, make run) reads progress lines as they happen.
    FileHandle.standardOutput.write(Data((text + "\n").utf8))
}
