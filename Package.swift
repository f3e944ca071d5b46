// swift-tools-version: 6.2
// Woow: an Odoo-compatible application server for the WoowTech PaaS platform.
import PackageDescription

/// Every target of ours: `any` spelled out, and no warnings. In debug builds (`swift build`,
/// `swift test`, so `scripts/test` and CI) a warning in our code is an error; release builds
/// (`scripts/serve`, the Docker image) keep warnings as warnings, so that a newer compiler's new
/// diagnostic cannot stop a deployment. Dependencies are not affected (SwiftPM applies these
/// settings to this package's own targets only).
let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .treatAllWarnings(as: .error, .when(configuration: .debug)),
]

let package = Package(
    name: "Woow",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "woow", targets: ["woow"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "5.0.1"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
    ],
    targets: [
        // C shims over the system libraries.
        .systemLibrary(
            name: "CLibPQ", pkgConfig: "libpq",
            providers: [.apt(["libpq-dev"]), .brew(["libpq"])]),
        .systemLibrary(
            name: "CLibCrypto", pkgConfig: "libcrypto",
            providers: [.apt(["libssl-dev"]), .brew(["openssl@3"])]),

        // The only code that touches libpq.
        .target(
            name: "PostgresDriver",
            dependencies: [
                "CLibPQ",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict),

        // Password hashes, tokens and digests over libcrypto.
        .target(name: "WoowCrypto", dependencies: ["CLibCrypto"], swiftSettings: strict),

        // JSON values and a transport-agnostic JSON-RPC 2.0 engine (Foundation-free).
        .target(name: "JSONRPC", swiftSettings: strict),

        // Odoo-style models and recordsets over PostgreSQL: registry, fields, domains, SQL.
        .target(
            name: "ORM",
            dependencies: [
                "PostgresDriver", "JSONRPC", "WoowCrypto",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: strict),

        // Users, passwords, sessions and the login throttle, stored in PostgreSQL.
        .target(
            name: "Identity",
            dependencies: [
                "PostgresDriver", "WoowCrypto",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ],
            swiftSettings: strict),

        // HTTP: route declarations, Odoo-style JSON routes, sessions, the application envelope.
        .target(
            name: "WebAPI",
            dependencies: [
                "JSONRPC", "Identity", "PostgresDriver", "ORM",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
            ],
            swiftSettings: strict),

        // The WoowTech PaaS application module: models, access rules, routes, the worker.
        .target(
            name: "PaaS",
            dependencies: [
                "WebAPI", "ORM", "Identity", "PostgresDriver", "WoowCrypto", "JSONRPC",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict),

        // Assembly: configuration, embedded PostgreSQL, schema, demo data, the application.
        .target(
            name: "ServerApp",
            dependencies: [
                "WebAPI", "Identity", "PostgresDriver", "WoowCrypto", "JSONRPC", "ORM", "PaaS",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict,
            plugins: ["EmbedSchemaPlugin"]),

        // Build-time embedding of schema.sql into ServerApp.
        .executableTarget(name: "EmbedTextTool", path: "Sources/EmbedTextTool", swiftSettings: strict),
        .plugin(name: "EmbedSchemaPlugin", capability: .buildTool(), dependencies: ["EmbedTextTool"]),

        // The thin command-line executable.
        .executableTarget(
            name: "woow",
            dependencies: [
                "ServerApp", "Identity", "PostgresDriver", "PaaS", "ORM",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict),

        // Test support: a real PostgreSQL cluster started by the harness, HTTP helpers.
        .target(
            name: "TestSupport",
            dependencies: [
                "ServerApp", "PostgresDriver", "JSONRPC", "WebAPI", "Identity", "ORM", "PaaS",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ],
            path: "Tests/TestSupport",
            swiftSettings: strict),

        .testTarget(name: "JSONRPCTests", dependencies: ["JSONRPC"], swiftSettings: strict),
        .testTarget(
            name: "PaaSTests",
            dependencies: [
                "PaaS", "ServerApp", "WebAPI", "Identity", "TestSupport", "JSONRPC", "WoowCrypto", "PostgresDriver", "ORM",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: strict),
        .testTarget(
            name: "ORMTests", dependencies: ["ORM", "JSONRPC", "PostgresDriver", "TestSupport"], swiftSettings: strict),
        .testTarget(name: "WoowCryptoTests", dependencies: ["WoowCrypto"], swiftSettings: strict),
        .testTarget(
            name: "PostgresDriverTests",
            dependencies: ["PostgresDriver", "ServerApp", "TestSupport"],
            swiftSettings: strict),
        .testTarget(
            name: "ServerAppTests",
            dependencies: [
                "ServerApp", "WebAPI", "Identity", "TestSupport", "JSONRPC", "WoowCrypto", "PostgresDriver", "ORM", "PaaS",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: strict),
    ]
)
