import Authoring
import Benchmark
import Foundation
import ProtocolEngine
import ScenarioKit
import Scoring

// Authoring benchmarks: lint of a library of generated scenarios, exhaustive playtest of the
// largest shipped scenario, and seeded random playthroughs.
//
//   HOTLINESIM_BENCHMARKS=1 swift package --scratch-path .build-bench benchmark \
//     --target AuthoringBenchmarks
//
// Targets: lint of 1,000 generated scenarios < 2 s; exhaustive playtest of the largest shipped
// scenario < 1 s; 10,000 random playthroughs < 1 s.

let benchmarkDay: Day = {
  guard let day = Day("2026-11-29") else { fatalError("2026-11-29 is a valid day") }
  return day
}()

let root = URL(fileURLWithPath: #filePath)
  .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// The shipped protocol set, rubrics and scenarios, loaded once outside any measurement.
struct Shipped: Sendable {
  let engine: Engine
  let rubrics: RubricBook
  let scenarios: [Scenario]

  static let loaded: Shipped = {
    do {
      let engine = Engine(
        try ProtocolSet.load(directory: root.appendingPathComponent("Protocols").path))
      let rubrics = try RubricBook.parse(
        String(
          contentsOf: root.appendingPathComponent("Scenarios/rubrics.yaml"), encoding: .utf8))
      let (scenarios, diagnostics) = ScenarioCatalog(
        root: root.appendingPathComponent("Scenarios").path
      ).loadAll(geography: engine.set.geography)
      precondition(!diagnostics.contains { $0.severity == .error }, "\(diagnostics)")
      return Shipped(engine: engine, rubrics: rubrics, scenarios: scenarios)
    } catch {
      fatalError("cannot load the shipped content: \(error)")
    }
  }()

  /// The scenario with the most topics, answers, events and options.
  var largest: Scenario {
    scenarios.max { size($0) < size($1) } ?? scenarios[0]
  }

  func size(_ scenario: Scenario) -> Int {
    scenario.topics.reduce(0) { $0 + $1.answers.count } + scenario.events.count
      + scenario.choices.reduce(0) { $0 + $1.options.count }
  }
}

/// The full lint of one scenario file's text, as `hotline-sim lint` runs it.
func lint(_ text: String, path: String, shipped: Shipped) -> [ScenarioDiagnostic] {
  var found = PersonalData.scan(text, path: path)
  let (scenario, diagnostics) = ScenarioLoader.parse(
    text, path: path, geography: shipped.engine.set.geography)
  found += diagnostics
  if let scenario {
    found += DeepLint.lint(
      scenario, engine: shipped.engine, asOf: benchmarkDay, rubrics: shipped.rubrics)
  }
  return found
}

let benchmarks: @Sendable () -> Void = {
  let configuration = Benchmark.Configuration(
    metrics: [.wallClock, .throughput, .mallocCountTotal],
    timeUnits: .milliseconds,
    warmupIterations: 1,
    maxDuration: .seconds(20),
    maxIterations: 10)

  Benchmark("lint 1,000 generated scenarios", configuration: configuration) {
    (_, library: [String]) in
    let shipped = Shipped.loaded
    let findings = LibraryLint.lint(
      library.enumerated().map { LibraryLint.File(path: "generated-\($0).yaml", text: $1) },
      engine: shipped.engine, asOf: benchmarkDay, rubrics: shipped.rubrics
    ).diagnostics.count
    blackHole(findings)
  } setup: {
    let library = ScenarioGenerator.library(count: 1_000)
    // The library must be valid scenarios that the deep checks really explore.
    let shipped = Shipped.loaded
    for (index, text) in library.prefix(20).enumerated() {
      let errors = lint(text, path: "generated-\(index).yaml", shipped: shipped)
        .filter { $0.severity == .error }
      precondition(errors.isEmpty, "generated scenario \(index) has errors: \(errors)")
    }
    return library
  }

  Benchmark("exhaustive playtest of the largest shipped scenario", configuration: configuration) {
    _, shipped in
    let scenario = shipped.largest
    let rubric = shipped.rubrics.rubric(for: scenario.audience.first ?? .advocate)
    let transcripts = GoldenTranscripts.replay(
      scenario, engine: shipped.engine, rubrics: shipped.rubrics, asOf: benchmarkDay)
    let exploration = Explorer(
      scenario: scenario, engine: shipped.engine, asOf: benchmarkDay, rubric: rubric
    ).explore()
    precondition(!exploration.boundHit)
    blackHole((transcripts, exploration.states))
  } setup: {
    Shipped.loaded
  }

  // The largest of the first three scenarios, for comparison across library sizes.
  Benchmark("exhaustive playtest of tx-motel-whisper", configuration: configuration) {
    (_, shipped: Shipped) in
    guard let scenario = shipped.scenarios.first(where: { $0.id == "tx-motel-whisper" }) else {
      fatalError("tx-motel-whisper is not shipped")
    }
    let rubric = shipped.rubrics.rubric(for: scenario.audience.first ?? .advocate)
    let exploration = Explorer(
      scenario: scenario, engine: shipped.engine, asOf: benchmarkDay, rubric: rubric
    ).explore()
    blackHole(exploration.states)
  } setup: {
    Shipped.loaded
  }

  Benchmark(
    "10,000 random playthroughs of the largest shipped scenario", configuration: configuration
  ) { _, shipped in
    let player = RandomPlayer(scenario: shipped.largest, engine: shipped.engine, asOf: benchmarkDay)
    blackHole(player.play(runs: 10_000, seed: 1).steps)
  } setup: {
    Shipped.loaded
  }
}
