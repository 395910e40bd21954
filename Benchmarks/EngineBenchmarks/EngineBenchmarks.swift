import Benchmark
import ProtocolEngine

// Engine benchmarks on a generated, production-scale protocol set (see Generator.swift).
//
//   HOTLINESIM_BENCHMARKS=1 swift package --scratch-path .build-bench benchmark \
//     --target EngineBenchmarks
//
// Targets: decide p50 < 5 µs without explanation and < 50 µs with it; load + index < 200 ms.

/// The day every decision is made on: the generated protocols and contacts are in force
/// (except the deliberately expired and future ones).
let benchmarkDay: Day = {
  guard let day = Day("2026-11-29") else { fatalError("2026-11-29 is a valid day") }
  return day
}()

/// How many different reports the decide benchmarks rotate through.
let reportPoolSize = 4_096

/// Parses a generated source and builds its engine, stopping with the first diagnostics if
/// the generated set does not parse cleanly (that is a bug in Generator.swift).
func loadEngine(_ source: ProtocolSetSource) -> Engine {
  let (set, diagnostics) = ProtocolSet.parse(source)
  let errors = diagnostics.filter { $0.severity == .error }
  guard let set, errors.isEmpty else {
    let shown = errors.prefix(10).map { "  \($0)" }.joined(separator: "\n")
    fatalError(
      "the generated protocol set has \(errors.count) error(s); first ones:\n\(shown)")
  }
  return Engine(set)
}

/// The engine and the report pool, built once (outside any measurement) and shared by the
/// decide benchmarks.
struct DecideFixture: Sendable {
  let engine: Engine
  let reports: [Report]

  static let shared: DecideFixture = {
    let engine = loadEngine(ProtocolSetGenerator.source())
    let set = engine.set
    precondition(set.protocols.count >= 300, "only \(set.protocols.count) protocols generated")
    let counties = set.geography.states.reduce(0) { $0 + set.geography.counties(state: $1).count }
    precondition(counties >= 3_000, "only \(counties) counties generated")
    let lawEnforcement = set.contacts.filter { $0.role.kind == .lawEnforcement }.count
    let providers = set.contacts.filter { $0.role.kind == .provider }.count
    precondition(lawEnforcement >= 1_700, "only \(lawEnforcement) law-enforcement contacts")
    precondition(providers >= 1_200, "only \(providers) providers")

    let reports = ProtocolSetGenerator.reports(count: reportPoolSize)
    // The pool must exercise the engine: most reports apply protocols and make referrals.
    var applying = 0
    var referring = 0
    for report in reports {
      let decision = engine.decide(report, asOf: benchmarkDay, explain: false)
      if !decision.protocols.isEmpty { applying += 1 }
      if !decision.referrals.isEmpty { referring += 1 }
    }
    precondition(
      applying * 2 > reports.count && referring * 2 > reports.count,
      "the report pool is too quiet: \(applying) apply a protocol, \(referring) refer")
    return DecideFixture(engine: engine, reports: reports)
  }()
}

/// The shipped set with its corpus of realistic, complete reports.
struct ShippedFixture: Sendable {
  let engine: Engine
  let reports: [Report]

  static let shared: ShippedFixture = {
    let engine = loadEngine(ShippedSet.source())
    return ShippedFixture(
      engine: engine, reports: ShippedSet.reports(over: engine.set, count: reportPoolSize))
  }()
}

let benchmarks: @Sendable () -> Void = {
  let decideConfiguration = Benchmark.Configuration(
    metrics: [.wallClock, .throughput, .mallocCountTotal],
    timeUnits: .microseconds,
    warmupIterations: 1_000,
    maxDuration: .seconds(5),
    maxIterations: 100_000)

  // One decision per iteration, so the percentiles are per decision.
  Benchmark("decide (no explanation)", configuration: decideConfiguration) { benchmark, fixture in
    let report = fixture.reports[benchmark.currentIteration % fixture.reports.count]
    blackHole(fixture.engine.decide(report, asOf: benchmarkDay, explain: false))
  } setup: {
    DecideFixture.shared
  }

  Benchmark("decide (with explanation)", configuration: decideConfiguration) {
    benchmark, fixture in
    let report = fixture.reports[benchmark.currentIteration % fixture.reports.count]
    blackHole(fixture.engine.decide(report, asOf: benchmarkDay, explain: true))
  } setup: {
    DecideFixture.shared
  }

  Benchmark("shipped: decide (no explanation)", configuration: decideConfiguration) {
    benchmark, fixture in
    let report = fixture.reports[benchmark.currentIteration % fixture.reports.count]
    blackHole(fixture.engine.decide(report, asOf: benchmarkDay, explain: false))
  } setup: {
    ShippedFixture.shared
  }

  Benchmark("shipped: decide (with explanation)", configuration: decideConfiguration) {
    benchmark, fixture in
    let report = fixture.reports[benchmark.currentIteration % fixture.reports.count]
    blackHole(fixture.engine.decide(report, asOf: benchmarkDay, explain: true))
  } setup: {
    ShippedFixture.shared
  }

  Benchmark(
    "shipped: load + index",
    configuration: .init(
      metrics: [.wallClock, .throughput, .mallocCountTotal],
      timeUnits: .milliseconds,
      warmupIterations: 1,
      maxDuration: .seconds(10),
      maxIterations: 20)
  ) { _, source in
    blackHole(loadEngine(source))
  } setup: {
    ShippedSet.source()
  }

  // Parsing every generated file (YAML, expressions, CSV) and indexing the set.
  Benchmark(
    "load + index",
    configuration: .init(
      metrics: [.wallClock, .throughput, .mallocCountTotal],
      timeUnits: .milliseconds,
      warmupIterations: 1,
      maxDuration: .seconds(10),
      maxIterations: 20)
  ) { _, source in
    blackHole(loadEngine(source))
  } setup: {
    ProtocolSetGenerator.source()
  }
}
