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
    ],
    targets: [
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
                "CRdKafka",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSwift
        ),

        // MARK: - Domain

        /// The pure domain: events, statuses, the lead state machine, commands. No I/O. SHA-256 from swift-crypto.
        .target(
            name: "LeadModel",
            dependencies: [.product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: strictSwift
        ),

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
            ],
            swiftSettings: strictSwift
        ),

        // MARK: - Configuration, simulation and the fold

        /// `LeadSyncConfig`: the one validated configuration, read from a YAML/JSON file and the environment.
        .target(
            name: "Config",
            dependencies: [
                "Kafka",
                "LeadModel",
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: strictSwift
        ),
        /// Realistic attendee and engagement streams (seeded, with out-of-order, duplicate and poison rates).
        .target(name: "Simulation", dependencies: ["LeadModel"], swiftSettings: strictSwift),
        /// The fold runtime: consume -> fold -> produce in Kafka transactions, per-partition state stores.
        .target(
            name: "Fold",
            dependencies: [
                "Kafka",
                "Topics",
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
        .target(name: "HTTPTransport", dependencies: ["CCurl"], swiftSettings: strictSwift),

        // MARK: - CRM clients (the writers' side; share no code with the sandboxes)

        /// Marketo REST and Bulk API client over libcurl (HTTPTransport), with token cache and error classification.
        .target(
            name: "Marketo",
            dependencies: ["HTTPTransport", .product(name: "Logging", package: "swift-log")],
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
                "Kafka",
                "Topics",
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
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strictSwift
        ),

        // MARK: - The embedded pipeline

        /// Role assembly (`WriterRole`) and `leadsync run`'s embedded default: mock cluster, sandboxes, fold, writers,
        /// simulation, consistency check.
        .target(
            name: "Embedded",
            dependencies: [
                "Kafka", "LeadModel", "Config", "Simulation", "Fold", "Delivery", "MarketoWriter", "SalesforceWriter",
                "SandboxMarketo", "SandboxSalesforce", "Topics", "HTTPTransport",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSwift
        ),

        // MARK: - Operations

        /// Operator tooling: dead-letter listing and replay, reconciliation.
        .target(
            name: "Operations",
            dependencies: [
                "Kafka",
                "LeadModel",
                "Topics",
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

        .target(
            name: "SandboxMarketo",
            dependencies: [
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSwift
        ),
        .target(
            name: "SandboxSalesforce",
            dependencies: [
                .product(name: "_CryptoExtras", package: "swift-crypto"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSwift
        ),

        // MARK: - CLI

        .executableTarget(
            name: "leadsync",
            dependencies: [
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
                "Embedded",
                "Reconciliation",
                "HTTPTransport",
                "Marketo",
                "Preflight",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strictSwift
        ),

        // MARK: - Tests

        .testTarget(name: "KafkaTests", dependencies: ["Kafka"], swiftSettings: strictSwift),
        .testTarget(
            name: "LeadModelTests",
            // Delivery: the writers' ledger records are checked against their schema with the other messages.
            dependencies: ["LeadModel", "Simulation", "Delivery"],
            swiftSettings: strictSwift
        ),
        .testTarget(name: "ConfigTests", dependencies: ["Config", "LeadModel"], swiftSettings: strictSwift),
        .testTarget(name: "SimulationTests", dependencies: ["Simulation", "LeadModel"], swiftSettings: strictSwift),
        .testTarget(
            name: "FoldTests",
            dependencies: ["Fold", "Kafka", "LeadModel", "Simulation", "Topics"],
            swiftSettings: strictSwift
        ),
        .testTarget(
            name: "HTTPTransportTests",
            dependencies: ["HTTPTransport", "SandboxMarketo"],
            swiftSettings: strictSwift
        ),
        .testTarget(
            name: "MarketoTests",
            dependencies: ["Marketo", "SandboxMarketo", "HTTPTransport"],
            swiftSettings: strictSwift
        ),
        .testTarget(
            name: "SalesforceTests",
            dependencies: ["Salesforce", "SandboxSalesforce", "HTTPTransport"],
            swiftSettings: strictSwift
        ),
        .testTarget(
            name: "DeliveryTests",
            dependencies: ["Delivery", "Kafka", "LeadModel", "Simulation", "Topics"],
            swiftSettings: strictSwift
        ),
        .testTarget(
            name: "MarketoWriterTests",
            dependencies: ["MarketoWriter", "Delivery", "Marketo", "SandboxMarketo", "LeadModel", "Config"],
            swiftSettings: strictSwift
        ),
        .testTarget(
            name: "SalesforceWriterTests",
            dependencies: ["SalesforceWriter", "Delivery", "Salesforce", "SandboxSalesforce", "LeadModel", "Config"],
            swiftSettings: strictSwift
        ),
        .testTarget(
            name: "PipelineTests",
            dependencies: [
                "Fold", "Delivery", "MarketoWriter", "SalesforceWriter", "SandboxMarketo", "SandboxSalesforce",
                "Simulation", "Kafka", "LeadModel", "Config", "Topics",
            ],
            swiftSettings: strictSwift
        ),
        .testTarget(
            name: "OperationsTests",
            dependencies: ["Operations", "Kafka", "LeadModel", "Topics", "Fold", "Simulation"],
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
            ],
            swiftSettings: strictSwift
        ),
        .testTarget(name: "TopicsTests", dependencies: ["Topics", "Kafka"], swiftSettings: strictSwift),
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
                "SandboxMarketo",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ],
            swiftSettings: strictSwift
        ),
        .testTarget(
            name: "SandboxSalesforceTests",
            dependencies: [
                "SandboxSalesforce",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ],
            swiftSettings: strictSwift
        ),
        .testTarget(
            name: "IntegrationTests",
            dependencies: [
                "Kafka", "Topics", "DevCluster", "LeadModel", "Simulation", "Config", "Fold", "Embedded",
                "SandboxMarketo", "SandboxSalesforce",
            ],
            swiftSettings: strictSwift
        ),
    ]
)
