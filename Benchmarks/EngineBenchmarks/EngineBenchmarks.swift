import Benchmark
import ProtocolEngine

// Engine benchmarks on a generated, production-scale protocol set (see Generator.swift).
//
//   HOTLINESIM_BENCHMARKS=1 swift package --scratch-path .build-bench benchmark \
//     --target EngineBenchmarks
//
// Targets: decide p50 < 5 µs without explanation and < 50 µs with it; load + index < 200 ms;
// decoding a report from its bytes a tenth of the 113-183 µs it cost through Yams.

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

/// An engine and the reports the decide benchmarks rotate through, built once (outside any
/// measurement).
struct DecidePool: Sendable {
  let engine: Engine
  let reports: [Report]

  /// The generated production-scale set and its varied reports.
  static let generated: DecidePool = {
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
    return DecidePool(engine: engine, reports: reports)
  }()

  /// The shipped set with its corpus of realistic, complete reports.
  static let shipped: DecidePool = {
    let engine = loadEngine(ShippedSet.source())
    return DecidePool(
      engine: engine, reports: ShippedSet.reports(over: engine.set, count: reportPoolSize))
  }()
}

/// The two decide benchmarks (without and with explanation) over one pool of reports.
func decideBenchmarks(
  _ prefix: String, configuration: Benchmark.Configuration,
  pool: @escaping @Sendable () -> DecidePool
) {
  for explain in [false, true] {
    Benchmark(
      "\(prefix)decide (\(explain ? "with" : "no") explanation)", configuration: configuration
    ) { benchmark, fixture in
      let report = fixture.reports[benchmark.currentIteration % fixture.reports.count]
      blackHole(fixture.engine.decide(report, asOf: benchmarkDay, explain: explain))
    } setup: {
      pool()
    }
  }
}

/// Parsing every file of a set and indexing it.
func loadBenchmark(_ name: String, source: @escaping @Sendable () -> ProtocolSetSource) {
  Benchmark(
    name,
    configuration: .init(
      metrics: [.wallClock, .throughput, .mallocCountTotal],
      timeUnits: .milliseconds,
      warmupIterations: 1,
      maxDuration: .seconds(10),
      maxIterations: 20)
  ) { _, source in
    blackHole(loadEngine(source))
  } setup: {
    source()
  }
}

/// The shipped corpus as the service receives it: each report's JSON bytes (pretty-printed,
/// as a case system or a person writes them), and the same reports each with one bad value.
struct DecodePool: Sendable {
  let geography: Geography
  let valid: [[UInt8]]
  let invalid: [[UInt8]]

  static let shipped: DecodePool = {
    let pool = DecidePool.shipped
    let valid = pool.reports.map { $0.json.renderedUTF8(pretty: true) }
    // The last victim's age becomes a word: an error deep in the file, worded with its
    // line, column and field, as `route` and the service word it.
    let invalid = pool.reports.map { report in
      var text = String(decoding: report.json.renderedUTF8(pretty: true), as: UTF8.self)
      if let age = text.range(of: "\"age\": ", options: .backwards) {
        text.insert(contentsOf: "\"twelve\", \"x\": ", at: age.upperBound)
      } else {
        text.insert(
          contentsOf: "\"channel\": \"fax\",\n  ", at: text.index(after: text.startIndex))
      }
      return Array(text.utf8)
    }
    let geography = pool.engine.set.geography
    for bytes in valid.prefix(64) {
      do {
        _ = try Report.decode(utf8: bytes, file: "corpus.json", geography: geography)
      } catch {
        fatalError("a corpus report does not decode: \(error)")
      }
    }
    for bytes in invalid.prefix(64) {
      if (try? Report.decode(utf8: bytes, file: "corpus.json", geography: geography)) != nil {
        fatalError("a broken corpus report decodes")
      }
    }
    return DecodePool(geography: geography, valid: valid, invalid: invalid)
  }()

  /// The error message for a report that does not decode (nil when it does).
  func message(decoding bytes: [UInt8]) -> String? {
    do {
      _ = try Report.decode(utf8: bytes, file: "report.json", geography: geography)
      return nil
    } catch {
      return error.description
    }
  }
}

/// Decoding a report from its bytes: the fast path for a valid report, and the path that
/// locates the error for an invalid one.
func decodeBenchmarks(configuration: Benchmark.Configuration) {
  Benchmark("shipped: decode report (valid)", configuration: configuration) {
    benchmark, pool in
    let bytes = pool.valid[benchmark.currentIteration % pool.valid.count]
    blackHole(try? Report.decode(utf8: bytes, file: "report.json", geography: pool.geography))
  } setup: {
    DecodePool.shipped
  }
  Benchmark("shipped: decode report (invalid, located)", configuration: configuration) {
    benchmark, pool in
    let bytes = pool.invalid[benchmark.currentIteration % pool.invalid.count]
    blackHole(pool.message(decoding: bytes))
  } setup: {
    DecodePool.shipped
  }
}

let benchmarks: @Sendable () -> Void = {
  let decideConfiguration = Benchmark.Configuration(
    metrics: [.wallClock, .throughput, .mallocCountTotal],
    timeUnits: .microseconds,
    warmupIterations: 1_000,
    maxDuration: .seconds(5),
    maxIterations: 100_000)

  // One decision per iteration, so the percentiles are per decision.
  decideBenchmarks("", configuration: decideConfiguration) { DecidePool.generated }
  // Parsing every file (YAML, expressions, CSV) and indexing the set.
  loadBenchmark("load + index") { ProtocolSetGenerator.source() }

  decideBenchmarks("shipped: ", configuration: decideConfiguration) { DecidePool.shipped }
  loadBenchmark("shipped: load + index") { ShippedSet.source() }
  // Target (issue 14): a tenth of the 113-183 µs that decoding cost through Yams.
  decodeBenchmarks(configuration: decideConfiguration)
}
