import ArgumentParser

/// The exit statuses every `leadsync` command follows (docs/cli.md, "Exit status"): scripts and Kubernetes Jobs can
/// tell "ran and found a difference" from "could not run".
enum ExitStatus: Int32, CaseIterable {
    /// Done: everything the command checks is in order, everything it was asked to do is done.
    case success = 0
    /// The command ran, and what it checks or does is not all in order: drift (`topics apply`, `topics render
    /// --check`, `reconcile`), an inconsistent embedded run, records a replay could not publish, a dead letter or
    /// lead that does not exist (`dlq show`, `state get`).
    case difference = 1
    /// The command could not do its job: invalid configuration, an unreachable cluster or CRM, a fatal Kafka error,
    /// an I/O error. The message on standard error says what.
    case failure = 2
    /// A bad command line: an unknown option, a missing or invalid argument (ArgumentParser's EX_USAGE).
    case usage = 64

    /// The status as ArgumentParser's exit code.
    var exitCode: ExitCode { ExitCode(rawValue) }
}
