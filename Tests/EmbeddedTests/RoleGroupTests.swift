import Logging
import ServiceLifecycle
import Synchronization
import Testing

@testable import Embedded

@Suite("RoleGroup: the embedded run's roles in one ServiceGroup")
struct RoleGroupTests {
    @Test("a role that throws ends the run with its error; the other roles and the work stop before it returns")
    func failingRoleEndsTheRun() async throws {
        let fold = FakeRole(behaviour: .runsUntilAsked)
        let writer = FakeRole(behaviour: .throwsAfter(.milliseconds(50)))
        let other = FakeRole(behaviour: .runsUntilAsked)
        let work = Flag()
        let group = RoleGroup(
            roles: [
                .init(name: "fold", service: fold), .init(name: "marketo writer", service: writer),
                .init(name: "salesforce writer", service: other),
            ],
            handlesSignals: false,
            logger: Self.logger
        )

        await #expect(throws: FakeRoleError.failed) {
            try await group.run {
                defer { work.set() }
                try await Task.sleep(for: .seconds(60))
            }
        }
        // Every run() has returned by now: nothing the group started outlives it.
        #expect(fold.ended == .gracefully)
        #expect(other.ended == .gracefully)
        #expect(writer.ended == .threw)
        #expect(work.isSet)
    }

    @Test("a role that returns by itself ends the run with an error naming it")
    func roleReturningEndsTheRun() async throws {
        let fold = FakeRole(behaviour: .runsUntilAsked)
        let writer = FakeRole(behaviour: .returnsAfter(.milliseconds(50)))
        let group = RoleGroup(
            roles: [.init(name: "fold", service: fold), .init(name: "marketo writer", service: writer)],
            handlesSignals: false,
            logger: Self.logger
        )

        await #expect(throws: RoleGroupError.roleEnded("marketo writer")) {
            try await group.run { try await Task.sleep(for: .seconds(60)) }
        }
        #expect(fold.ended == .gracefully)
    }

    @Test("when the work returns, the roles are shut down gracefully and its result is returned")
    func workReturningStopsTheRoles() async throws {
        let fold = FakeRole(behaviour: .runsUntilAsked)
        let writer = FakeRole(behaviour: .runsUntilAsked)
        let group = RoleGroup(
            roles: [.init(name: "fold", service: fold), .init(name: "marketo writer", service: writer)],
            handlesSignals: false,
            logger: Self.logger
        )

        let result = try await group.run {
            try await Task.sleep(for: .milliseconds(50))
            return 42
        }
        #expect(result == 42)
        #expect(fold.ended == .gracefully)
        #expect(writer.ended == .gracefully)
    }

    @Test("the work's own error ends the run with that error and stops the roles")
    func workFailingStopsTheRoles() async throws {
        let fold = FakeRole(behaviour: .runsUntilAsked)
        let group = RoleGroup(roles: [.init(name: "fold", service: fold)], handlesSignals: false, logger: Self.logger)

        await #expect(throws: FakeRoleError.failed) {
            try await group.run { () async throws -> Int in throw FakeRoleError.failed }
        }
        #expect(fold.ended == .gracefully)
    }

    static let logger = Logger(label: "role-group-tests", factory: { _ in SwiftLogNoOpLogHandler() })
}

// MARK: - Fakes

private enum FakeRoleError: Error, Equatable {
    case failed
}

/// A role that records how its run() ended.
private final class FakeRole: Service, Sendable {
    enum Behaviour {
        /// Runs until graceful shutdown (or cancellation), as the fold and the writers do.
        case runsUntilAsked
        /// Throws ``FakeRoleError/failed`` after a while.
        case throwsAfter(Duration)
        /// Returns after a while, unasked.
        case returnsAfter(Duration)
    }

    enum Ending: Equatable {
        case running, gracefully, cancelled, threw, returned
    }

    private let behaviour: Behaviour
    private let ending = Mutex(Ending.running)

    init(behaviour: Behaviour) {
        self.behaviour = behaviour
    }

    var ended: Ending { ending.withLock { $0 } }

    func run() async throws {
        switch behaviour {
        case .runsUntilAsked:
            let asked = Flag()
            await withGracefulShutdownHandler {
                while !asked.isSet && !Task.isCancelled { try? await Task.sleep(for: .milliseconds(5)) }
            } onGracefulShutdown: {
                asked.set()
            }
            ending.withLock { $0 = asked.isSet ? .gracefully : .cancelled }
        case .throwsAfter(let delay):
            try? await Task.sleep(for: delay)
            ending.withLock { $0 = .threw }
            throw FakeRoleError.failed
        case .returnsAfter(let delay):
            try? await Task.sleep(for: delay)
            ending.withLock { $0 = .returned }
        }
    }
}

private final class Flag: Sendable {
    private let value = Atomic(false)
    var isSet: Bool { value.load(ordering: .acquiring) }
    func set() { value.store(true, ordering: .releasing) }
}
