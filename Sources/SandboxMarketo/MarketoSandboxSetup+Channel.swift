extension MarketoSandboxSetup {
    /// A program channel: the ordered progression statuses a program member can have.
    public struct Channel: Sendable, Codable, Equatable {
        /// The channel name, e.g. `Virtual Event`.
        public var name: String
        /// The program type the channel applies to, e.g. `event`.
        public var applicableProgramType: String
        /// The statuses; step 0 (`Not in Program`) is implied and removes the membership.
        public var statuses: [Status]

        /// Creates a channel.
        public init(name: String, applicableProgramType: String = "event", statuses: [Status]) {
            self.name = name
            self.applicableProgramType = applicableProgramType
            self.statuses = statuses
        }

        /// One progression status.
        public struct Status: Sendable, Codable, Equatable {
            /// The status name, e.g. `Registered`.
            public var name: String
            /// The step; a member never moves to a lower step.
            public var step: Int
            /// Whether reaching it counts as the program's success.
            public var success: Bool
            /// Creates a status.
            public init(name: String, step: Int, success: Bool = false) {
                self.name = name
                self.step = step
                self.success = success
            }
        }

        /// The event channel of docs/architecture.md: nine statuses, Registered to Participated are successes.
        public static let event = Channel(
            name: "Virtual Event",
            statuses: [
                Status(name: "Created", step: 10),
                Status(name: "Invited", step: 20),
                Status(name: "Registered", step: 30, success: true),
                Status(name: "Confirmed", step: 40, success: true),
                Status(name: "autoConfirmed", step: 40, success: true),
                Status(name: "Attended", step: 50, success: true),
                Status(name: "Participated", step: 60, success: true),
                Status(name: "Blocked", step: 70),
                Status(name: "Un-registered", step: 80),
            ]
        )
    }

    /// A program on a channel.
    public struct Program: Sendable, Codable, Equatable {
        /// The program id used in `/rest/v1/programs/{id}/...`.
        public var id: Int
        /// The program name.
        public var name: String
        /// The channel's name.
        public var channel: String

        /// Creates a program.
        public init(id: Int, name: String, channel: String = Channel.event.name) {
            self.id = id
            self.name = name
            self.channel = channel
        }

        /// Three event programs on the event channel: ids 1001, 1002, 1003.
        public static let standard: [Program] = [
            Program(id: 1001, name: "Summit 2026"),
            Program(id: 1002, name: "Webinar Series 2026"),
            Program(id: 1003, name: "Partner Day 2026"),
        ]
    }
}
