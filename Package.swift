// swift-tools-version:6.1
import PackageDescription

let strictSwift: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "LeadSync",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "leadsync", targets: ["leadsync"]),
        .library(name: "Kafka", targets: ["Kafka"]),
        .library(name: "LeadModel", targets: ["LeadModel"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.5.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.6.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.0.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-certificates.git", from: "1.0.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.81.0"),
    ],
    targets: [
        // MARK: - Basics

        /// What every other module may use and that depends on nothing: the one seeded generator (SplitMix64), the
        /// one set of Duration conversions and the one JSON string escaping (JSONString).
        .target(name: "Basics", swiftSettings: strictSwift),

        /// swift-metrics handles made once per series (`MetricHandles`), for the writers' metrics.
        .target(
            name: "MetricsSupport",
            dependencies: [.product(name: "Metrics", package: "swift-metrics")],
            swiftSettings: strictSwift
        ),

        // MARK: - Kafka binding

        /// librdkafka from Debian's librdkafka-dev, with the mock cluster header exported.
        .systemLibrary(
            name: "CRdKafka",
            pkgConfig: "rdkafka",
            providers: [.apt(["librdkafka-dev"])]
        ),
        /// Generic Kafka client over librdkafka: no LeadSync domain in here.
        .target(
            name: "Kafka",
            dependencies: [
                "Basics",
                "CRdKafka",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSwift
        ),

        // MARK: - Domain

        /// The pure domain: events, statuses, the lead state machine, commands. No I/O. SHA-256 from swift-crypto.
        .target(
            name: "LeadModel",
            dependencies: ["Basics", .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: strictSwift
        ),

        // MARK: - Record headers

        /// The headers LeadSync gives dead-letter and retry records (`DeadLetterHeaders`): one small module on the
        /// Kafka binding, so the fold, the writers and the dead-letter tools share them without Topics' Yams and
        /// Strimzi renderer.
        .target(name: "RecordHeaders", dependencies: ["Kafka"], swiftSettings: strictSwift),

        // MARK: - Topics and the development cluster

        /// Topic definitions from `topics/`, the apply planner and its cluster back ends. The definitions are
        /// compiled in (`Definitions` links to `topics/`), so the binary needs no checkout.
        .target(
            name: "Topics",
            dependencies: [
                "Kafka",
                .product(name: "Yams", package: "Yams"),
            ],
            resources: [.embedInCode("Definitions")],
            swiftSettings: strictSwift
        ),
        /// `leadsync dev-cluster`: a mock cluster served to other processes, with a control endpoint.
        .target(
            name: "DevCluster",
            dependencies: [
                "Kafka",
                "Topics",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: strictSwift
        ),

        // MARK: - Configuration, simulation and the fold

        /// `LeadSyncConfig`: the one validated configuration, read from a YAML/JSON file and the environment.
        .target(
            name: "Config",
            dependencies: [
                "Basics",
                "Kafka",
                "LeadModel",
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: strictSwift
        ),
        /// Realistic attendee and engagement streams (seeded, with out-of-order, duplicate and poison rates).
        .target(name: "Simulation", dependencies: ["Basics", "LeadModel"], swiftSettings: strictSwift),
        /// The fold runtime: consume -> fold -> produce in Kafka transactions, per-partition state stores.
        .target(
            name: "Fold",
            dependencies: [
                "Basics",
                "Kafka",
                "RecordHeaders",
                "LeadModel",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strictSwift
        ),

        // MARK: - HTTP

        /// libcurl from Debian's libcurl4-openssl-dev, with typed wrappers of its variadic functions.
        .systemLibrary(
            name: "CCurl",
            pkgConfig: "libcurl",
            providers: [.apt(["libcurl4-openssl-dev"])]
        ),
        /// The CRM clients' HTTP transport: libcurl's multi interface (dead-connection detection, no silent
        /// resend), and URLSession as the benchmark's baseline. Only this module touches libcurl's C API.
        .target(name: "HTTPTransport", dependencies: ["Basics", "CCurl"], swiftSettings: strictSwift),

        // MARK: - CRM clients (the writers' side; share no code with the sandboxes)

        /// Marketo REST and Bulk API client over libcurl (HTTPTransport), with token cache and error classification.
        .target(
            name: "Marketo",
            dependencies: ["Basics", "HTTPTransport", .product(name: "Logging", package: "swift-log")],
            swiftSettings: strictSwift
        ),
        /// Salesforce REST, sObject Collections and Bulk API 2.0 client over libcurl (HTTPTransport).
        .target(
            name: "Salesforce",
            dependencies: [
                "HTTPTransport",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
            ],
            swiftSettings: strictSwift
        ),

        // MARK: - Writers

        /// The delivery runtime both writers share: command and retry topics, batching, limiter, retries,
        /// dead letters, offsets.
        .target(
            name: "Delivery",
            dependencies: [
                "Basics",
                "Kafka",
                "RecordHeaders",
                "LeadModel",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strictSwift
        ),
        /// Commands to Marketo calls: lead identity, program member status, custom objects and activities, bulk.
        .target(
            name: "MarketoWriter",
            dependencies: [
                "Basics",
                "MetricsSupport",
                "Delivery",
                "Marketo",
                "HTTPTransport",
                "LeadModel",
                "Config",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
            ],
            swiftSettings: strictSwift
        ),
        /// Commands to Salesforce calls: lead identity, campaign members, engagement records, Bulk API 2.0.
        .target(
            name: "SalesforceWriter",
            dependencies: [
                "Basics",
                "MetricsSupport",
                "Delivery",
                "Salesforce",
                "HTTPTransport",
                "LeadModel",
                "Config",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
            ],
            swiftSettings: strictSwift
        ),

        // MARK: - Preflight

        /// `leadsync doctor` and the writers' start-up check: read-only calls against each tenant's CRMs.
        .target(
            name: "Preflight",
            dependencies: [
                "Config", "LeadModel", "Marketo", "Salesforce", "SalesforceWriter",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
            ],
            swiftSettings: strictSwift
        ),

        // MARK: - Observability

        /// `/metrics` (Prometheus), `/healthz`, `/readyz`, and JSON logs with emails redacted.
        .target(
            name: "Observability",
            dependencies: [
                "Basics",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: strictSwift
        ),

        // MARK: - Roles

        /// The production roles' assembly from the configuration: `FoldRole` (the fold's configuration), `WriterRole`
        /// (a writer's sink and delivery runtime), `RoleInstance` (default instance ids). Depends on no sandbox: the
        /// `fold` and `writer` commands link this, not the CRM emulators.
        .target(
            name: "Roles",
            dependencies: [
                "Config", "Delivery", "Fold", "HTTPTransport", "Kafka", "LeadModel", "MarketoWriter",
                "SalesforceWriter",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSwift
        ),

        // MARK: - The embedded pipeline

        /// `leadsync run`'s embedded default: mock cluster, sandboxes, the roles (from Roles) in a ServiceGroup, the
        /// simulation's input, and the consistency check of the sandboxes against the fold's state.
        .target(
            name: "Embedded",
            dependencies: [
                "Basics", "Kafka", "LeadModel", "Config", "Simulation", "Fold", "Delivery", "Roles", "SandboxMarketo",
                "SandboxSalesforce",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strictSwift
        ),

        // MARK: - Operations

        /// Operator tooling: dead-letter listing and replay, reconciliation.
        .target(
            name: "Operations",
            dependencies: [
                "Basics",
                "Kafka",
                "LeadModel",
                "RecordHeaders",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSwift
        ),

        /// `leadsync reconcile`: CRM members against the fold's state, drift reports and corrective commands.
        .target(
            name: "Reconciliation",
            dependencies: [
                "Kafka", "LeadModel", "Config", "Fold", "Marketo", "Salesforce", "Topics",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSwift
        ),

        // MARK: - CRM sandboxes (share no code with the writers)

        /// What both sandboxes need and share no code with the writers for: JSON text and RFC 4180 CSV.
        .target(name: "SandboxSupport", dependencies: ["Basics"], swiftSettings: strictSwift),
        .target(
            name: "SandboxMarketo",
            dependencies: [
                "Basics",
                "SandboxSupport",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strictSwift
        ),
        .target(
            name: "SandboxSalesforce",
            dependencies: [
                "Basics",
                "SandboxSupport",
                .product(name: "_CryptoExtras", package: "swift-crypto"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strictSwift
        ),

        // MARK: - CLI

        .executableTarget(
            name: "leadsync",
            dependencies: [
                "Basics",
                "Kafka",
                "LeadModel",
                "Topics",
                "DevCluster",
                "Config",
                "Simulation",
                "Fold",
                "Delivery",
                "MarketoWriter",
                "SalesforceWriter",
                "SandboxMarketo",
                "SandboxSalesforce",
                "Operations",
                "Observability",
                "Roles",
                "Embedded",
                "Reconciliation",
                "HTTPTransport",
                "Marketo",
                "Preflight",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strictSwift
        ),

        // MARK: - Tests

        .testTarget(
            name: "KafkaTests",
            dependencies: [
                "Kafka",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSwift
        ),
        /// What test targets share: the built `leadsync` run as a child process (LeadSyncBinary, LeadSyncProcess) and
        /// a log handler that records entries (RecordingLogHandler).
        .target(
            name: "TestSupport",
            dependencies: [.product(name: "Logging", package: "swift-log")],
            path: "Tests/TestSupport",
            swiftSettings: strictSwift
        ),
        .testTarget(
            name: "LeadModelTests",
            // Delivery: the writers' ledger records are checked against their schema with the other messages.
            dependencies: ["Basics", "LeadModel", "Simulation", "Delivery"],
            swiftSettings: strictSwift
        ),
        .testTarget(
            name: "ConfigTests",
            dependencies: [
                "Config",
                "LeadModel",
                "Kafka",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSwift
        ),
        .testTarget(
            name: "SimulationTests",
            dependencies: ["Basics", "Simulation", "LeadModel"],
            swiftSettings: strictSwift
        ),
        .testTarget(
            name: "FoldTests",
            dependencies: [
                "Basics",
                "Fold",
                "Kafka",
                "LeadModel",
                "Simulation",
                "RecordHeaders",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSwift
        ),
        .testTarget(
            name: "HTTPTransportTests",
            dependencies: ["HTTPTransport", "SandboxMarketo", .product(name: "Logging", package: "swift-log")],
            swiftSettings: strictSwift
        ),
        .testTarget(
            name: "MarketoTests",
            dependencies: [
                "Marketo",
                "SandboxMarketo",
                "HTTPTransport",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSwift
        ),
        .testTarget(
            name: "SalesforceTests",
            dependencies: [
                "Salesforce",
                "SandboxSalesforce",
                "HTTPTransport",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSwift
        ),
        .testTarget(
            name: "DeliveryTests",
            dependencies: [
                "Delivery",
                "Kafka",
                "LeadModel",
                "Simulation",
                "RecordHeaders",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSwift
        ),
        .testTarget(
            name: "MarketoWriterTests",
            dependencies: [
                "MarketoWriter",
                "Delivery",
                "Marketo",
                "SandboxMarketo",
                "LeadModel",
                "Config",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSwift
        ),
        .testTarget(
            name: "SalesforceWriterTests",
            dependencies: [
                "SalesforceWriter",
                "Delivery",
                "Salesforce",
                "SandboxSalesforce",
                "LeadModel",
                "Config",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSwift
        ),
        .testTarget(
            name: "PipelineTests",
            dependencies: [
                "Fold", "Delivery", "MarketoWriter", "SalesforceWriter", "SandboxMarketo", "SandboxSalesforce",
                "Simulation", "Kafka", "LeadModel", "Config", "Topics",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSwift
        ),
        .testTarget(
            name: "OperationsTests",
            dependencies: [
                "TestSupport",
                "Operations",
                "Kafka",
                "LeadModel",
                "RecordHeaders",
                "Fold",
                "Simulation",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSwift
        ),
        .testTarget(
            name: "ObservabilityTests",
            dependencies: [
                "Observability",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
            ],
            swiftSettings: strictSwift
        ),
        .testTarget(
            name: "ReconciliationTests",
            dependencies: [
                "Reconciliation", "Embedded", "Fold", "Delivery", "Kafka", "LeadModel", "Config", "Marketo",
                "Salesforce", "SandboxMarketo", "SandboxSalesforce", "Simulation", "Topics",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSwift
        ),
        .testTarget(
            name: "TopicsTests",
            dependencies: [
                "TestSupport",
                "Topics",
                "Kafka",
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: strictSwift
        ),
        .testTarget(
            name: "PreflightTests",
            dependencies: [
                "Preflight", "Config", "LeadModel", "SandboxMarketo", "SandboxSalesforce",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSwift
        ),
        .testTarget(
            name: "SandboxMarketoTests",
            dependencies: [
                "TestSupport",
                "SandboxMarketo",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSwift
        ),
        .testTarget(
            name: "SandboxSalesforceTests",
            dependencies: [
                "TestSupport",
                "SandboxSalesforce",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSwift
        ),
        .testTarget(name: "SandboxSupportTests", dependencies: ["SandboxSupport"], swiftSettings: strictSwift),
        .testTarget(
            name: "EmbeddedTests",
            dependencies: [
                "Embedded",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strictSwift
        ),
        .testTarget(
            name: "IntegrationTests",
            dependencies: [
                "TestSupport",
                "Basics", "Kafka", "Topics", "DevCluster", "LeadModel", "Simulation", "Config", "Fold", "Roles",
                "Embedded", "SandboxMarketo", "SandboxSalesforce",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSwift
        ),
    ]
)
