import Logging
import ServiceLifecycle
import Synchronization

// MARK: - RoleGroup

/// The roles of an embedded run (the fold, the writers) and the work they serve (feeding the simulation and
/// waiting until everything is folded and delivered), run in one swift-service-lifecycle `ServiceGroup`.
///
/// The group owns their shutdown, whatever ends the run:
/// - the work returns: the roles are shut down gracefully (the fold commits its open transaction, the writers
///   finish their calls in flight), in reverse order (writers first, then the fold), and ``run(until:)`` returns the
///   work's result;
/// - a role throws: the group shuts the others and the work down gracefully and ``run(until:)`` throws that role's
///   error;
/// - a role returns although nobody asked it to stop: the same, with ``RoleGroupError/roleEnded(_:)``;
/// - SIGINT or SIGTERM (when `handlesSignals`): the same graceful shutdown, then
///   ``RoleGroupError/stoppedBeforeFinishing``.
///
/// When ``run(until:)`` returns or throws, every role's and the work's `run()` has returned: the group runs them as
/// child tasks of its own, so none outlives it.
struct RoleGroup: Sendable {
    /// A role: a service and the name errors and logs give it.
    struct Role: Sendable {
        var name: String
        var service: any Service
    }

    /// The roles in start order (the fold first: it is shut down last).
    var roles: [Role]
    /// Whether SIGINT and SIGTERM start a graceful shutdown (`leadsync run`; tests in one process leave them alone).
    var handlesSignals: Bool
    /// The longest a graceful shutdown may take before the group cancels what still runs.
    var maximumShutdown: Duration = .seconds(60)
    var logger: Logger

    /// Runs the roles and `work` until the work returns, a role fails, or a signal comes; see the type's
    /// description.
    /// - Returns: The work's result.
    /// - Throws: The failing role's error, ``RoleGroupError``, or the work's own error.
    func run<Result: Sendable>(until work: @escaping @Sendable () async throws -> Result) async throws -> Result {
        let outcome = Outcome<Result>()
        var services = roles.map { role in
            ServiceGroupConfiguration.ServiceConfiguration(
                service: RoleService(role: role),
                successTerminationBehavior: .gracefullyShutdownGroup,
                failureTerminationBehavior: .gracefullyShutdownGroup,
                serviceName: role.name
            )
        }
        services.append(
            .init(
                service: WorkService { outcome.set(try await work()) },
                successTerminationBehavior: .gracefullyShutdownGroup,
                failureTerminationBehavior: .gracefullyShutdownGroup,
                serviceName: "work"
            )
        )
        var configuration = ServiceGroupConfiguration(
            services: services,
            gracefulShutdownSignals: handlesSignals ? [.sigterm, .sigint] : [],
            logger: logger
        )
        configuration.maximumGracefulShutdownDuration = maximumShutdown
        try await ServiceGroup(configuration: configuration).run()
        guard let result = outcome.get() else { throw RoleGroupError.stoppedBeforeFinishing }
        return result
    }
}

/// Why a ``RoleGroup`` ended before its work finished (a role's own error is thrown as it is).
public enum RoleGroupError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The role returned although nothing asked it to stop.
    case roleEnded(String)
    /// A signal (SIGINT, SIGTERM) stopped the run first.
    case stoppedBeforeFinishing

    public var description: String {
        switch self {
        case .roleEnded(let name): "the \(name) stopped by itself before the run finished"
        case .stoppedBeforeFinishing: "the run was stopped (SIGINT or SIGTERM) before it finished"
        }
    }
}

// MARK: - Services

/// A role that ends only when asked: returning on its own is an error.
private struct RoleService: Service {
    let role: RoleGroup.Role

    func run() async throws {
        try await role.service.run()
        if !Task.isShuttingDownGracefully && !Task.isCancelled { throw RoleGroupError.roleEnded(role.name) }
    }
}

/// The run's work, cancelled by a graceful shutdown (which, before the work returned, means the run did not
/// finish).
private struct WorkService: Service {
    let work: @Sendable () async throws -> Void

    func run() async throws {
        do {
            try await cancelWhenGracefulShutdown(work)
        } catch is CancellationError where Task.isShuttingDownGracefully {
            throw RoleGroupError.stoppedBeforeFinishing
        }
    }
}

/// The work's result, handed from its service to ``RoleGroup/run(until:)``.
private final class Outcome<Value: Sendable>: Sendable {
    private let value = Mutex<Value?>(nil)

    func set(_ newValue: Value) { value.withLock { $0 = newValue } }
    func get() -> Value? { value.withLock { $0 } }
}
