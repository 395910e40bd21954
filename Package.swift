// swift-tools-version: 6.1
import PackageDescription

/// Benchmarks pull in package-benchmark (and its malloc interposer), which take minutes to
/// build; they are only part of the package when `HOTLINESIM_BENCHMARKS=1` asks for them.
let benchmarksEnabled = Context.environment["HOTLINESIM_BENCHMARKS"] == "1"

/// libFuzzer targets (Fuzz/README.md) are only part of the package when `HOTLINESIM_FUZZ=1`;
/// `Fuzz/run.sh` builds them with `-sanitize=fuzzer,address`.
let fuzzEnabled = Context.environment["HOTLINESIM_FUZZ"] == "1"

var package = Package(
  name: "HotlineSim",
  platforms: [.macOS(.v15)],
  products: [
    .library(name: "ProtocolEngine", targets: ["ProtocolEngine"]),
    .executable(name: "hotline-route", targets: ["hotline-route"]),
    .executable(name: "hotline-sim", targets: ["hotline-sim"]),
  ],
  dependencies: [
    .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
    .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
    .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
    .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
    .package(url: "https://github.com/ordo-one/TextTable.git", from: "0.0.2"),
    .package(url: "https://github.com/hummingbird-project/swift-mustache.git", from: "2.1.1"),
    .package(url: "https://github.com/x-sheep/swift-property-based.git", from: "2.0.1"),
    // Production: the routing service, decision logs and shared results on PostgreSQL.
    .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
    .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
    .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
    .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
    .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
    .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
  ],
  targets: [
    .target(
      name: "ProtocolEngine",
      dependencies: [
        .product(name: "Yams", package: "Yams"),
        .product(name: "Crypto", package: "swift-crypto"),
      ]
    ),
    // Decision logs: masked reports with their decisions, to a JSON lines file or PostgreSQL,
    // read back for `hotline-route replay`.
    .target(
      name: "DecisionLog",
      dependencies: [
        "ProtocolEngine",
        .product(name: "PostgresNIO", package: "postgres-nio"),
        .product(name: "Logging", package: "swift-log"),
      ]),
    // `hotline-route serve`: the engine as an HTTP JSON service (Hummingbird 2).
    .target(
      name: "RouteServer",
      dependencies: [
        "ProtocolEngine", "DecisionLog",
        .product(name: "Hummingbird", package: "hummingbird"),
        .product(name: "Prometheus", package: "swift-prometheus"),
        .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        .product(name: "Logging", package: "swift-log"),
        .product(name: "NIOPosix", package: "swift-nio"),
      ]),
    .target(
      name: "RouteCommands",
      dependencies: [
        "ProtocolEngine", "DecisionLog", "RouteServer",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]
    ),
    .executableTarget(name: "hotline-route", dependencies: ["RouteCommands"]),
    .target(
      name: "ScenarioKit",
      dependencies: ["ProtocolEngine", .product(name: "Yams", package: "Yams")]),
    .target(name: "Scoring", dependencies: ["ProtocolEngine", "ScenarioKit"]),
    // Instructors' tools: deep lint, playtest, graphs, schema, protocol-change impact.
    .target(name: "Authoring", dependencies: ["ProtocolEngine", "ScenarioKit", "Scoring"]),
    // Courses: parts, prerequisites, mastery and the next scenario to play.
    .target(
      name: "CurriculumKit",
      dependencies: ["ProtocolEngine", "ScenarioKit", .product(name: "Yams", package: "Yams")]),
    // The results store: trainees, sessions, the journal of every verb, scores (GRDB/SQLite).
    // SQLite (GRDB) by default, or a shared PostgreSQL database (postgres-nio).
    .target(
      name: "ResultsStore",
      dependencies: [
        .product(name: "GRDB", package: "GRDB.swift"),
        .product(name: "PostgresNIO", package: "postgres-nio"),
      ]),
    // Reports and exports: trainee and cohort reports (HTML with SVG charts), the gradebook
    // CSV, xAPI statements, cmi5 course structures, the workshop's after-action report.
    .target(
      name: "Reports",
      dependencies: [
        "ProtocolEngine", "ScenarioKit", "Scoring", "CurriculumKit", "ResultsStore",
        .product(name: "Mustache", package: "swift-mustache"),
      ]),
    .systemLibrary(name: "CReadline"),
    .target(name: "Shell", dependencies: ["CReadline", "ScenarioKit", "ProtocolEngine"]),
    .target(
      name: "HotlineSimCommands",
      dependencies: [
        "ProtocolEngine", "ScenarioKit", "Scoring", "Shell", "Authoring", "CurriculumKit",
        "ResultsStore", "Reports",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
        .product(name: "TextTable", package: "TextTable"),
        .product(name: "Yams", package: "Yams"),
      ]
    ),
    .executableTarget(name: "hotline-sim", dependencies: ["HotlineSimCommands"]),
    .testTarget(
      name: "ProtocolEngineTests",
      dependencies: [
        "ProtocolEngine", .product(name: "PropertyBased", package: "swift-property-based"),
      ], exclude: ["Fixtures"]),
    .testTarget(name: "RouteCommandsTests", dependencies: ["RouteCommands"]),
    .testTarget(
      name: "DecisionLogTests",
      dependencies: [
        "DecisionLog", "ProtocolEngine",
        .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
      ]),
    .testTarget(
      name: "RouteServerTests",
      dependencies: [
        "RouteServer", "DecisionLog", "ProtocolEngine",
        .product(name: "HummingbirdTesting", package: "hummingbird"),
      ]),
    .testTarget(
      name: "ScenarioKitTests", dependencies: ["ScenarioKit", "ProtocolEngine"],
      exclude: ["Fixtures"]),
    .testTarget(
      name: "HotlineSimCommandsTests",
      dependencies: [
        "HotlineSimCommands", "ResultsStore", "Scoring", "ScenarioKit", "ProtocolEngine", "Shell",
      ]),
    .testTarget(
      name: "ShellTests", dependencies: ["Shell", "ScenarioKit", "ProtocolEngine", "ResultsStore"]
    ),
    .testTarget(
      name: "ScoringTests", dependencies: ["Scoring", "ScenarioKit", "ProtocolEngine"]),
    .testTarget(
      name: "CurriculumKitTests",
      dependencies: ["CurriculumKit", "ScenarioKit", "ProtocolEngine"], exclude: ["Fixtures"]),
    .testTarget(
      name: "ReportsTests",
      dependencies: [
        "Reports", "ResultsStore", "CurriculumKit", "ScenarioKit", "Scoring", "ProtocolEngine",
      ], exclude: ["Fixtures"]),
    .testTarget(
      name: "ResultsStoreTests",
      dependencies: ["ResultsStore", .product(name: "GRDB", package: "GRDB.swift")]),
    .testTarget(
      name: "AuthoringTests",
      dependencies: ["Authoring", "Scoring", "ScenarioKit", "ProtocolEngine", "CurriculumKit"],
      exclude: ["Fixtures"]),
  ],
  swiftLanguageModes: [.v6]
)

if benchmarksEnabled {
  package.dependencies.append(
    .package(
      url: "https://github.com/ordo-one/package-benchmark.git", from: "1.38.1",
      traits: ["MallocInterposer"]))
  package.targets.append(
    .executableTarget(
      name: "EngineBenchmarks",
      dependencies: [
        "ProtocolEngine",
        .product(name: "Benchmark", package: "package-benchmark"),
      ],
      path: "Benchmarks/EngineBenchmarks",
      plugins: [.plugin(name: "BenchmarkPlugin", package: "package-benchmark")]
    ))
  package.targets.append(
    .executableTarget(
      name: "AuthoringBenchmarks",
      dependencies: [
        "Authoring", "ProtocolEngine", "ScenarioKit", "Scoring",
        .product(name: "Benchmark", package: "package-benchmark"),
      ],
      path: "Benchmarks/AuthoringBenchmarks",
      plugins: [.plugin(name: "BenchmarkPlugin", package: "package-benchmark")]
    ))
}

if fuzzEnabled {
  package.targets.append(
    .target(name: "FuzzSupport", dependencies: ["ProtocolEngine"], path: "Fuzz/Targets/FuzzSupport")
  )
  let fuzzTargets: [(String, [Target.Dependency])] = [
    ("FuzzReport", ["ProtocolEngine"]),
    ("FuzzProtocol", ["ProtocolEngine"]),
    ("FuzzDirectory", ["ProtocolEngine"]),
    ("FuzzScenario", ["ProtocolEngine", "ScenarioKit", "Scoring", "Authoring"]),
    ("FuzzVerbs", ["ProtocolEngine", "ScenarioKit", "Scoring", "Shell"]),
  ]
  for (name, dependencies) in fuzzTargets {
    package.targets.append(
      .executableTarget(
        name: name,
        dependencies: ["FuzzSupport"] + dependencies,
        path: "Fuzz/Targets/\(name)",
        // Each target defines `<Module>_main` itself and hands over to libFuzzer.
        swiftSettings: [.unsafeFlags(["-parse-as-library"])]
      ))
  }
}
