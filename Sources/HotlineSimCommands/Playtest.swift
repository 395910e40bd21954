import ArgumentParser
import Authoring
import ProtocolEngine
import ScenarioKit
import Scoring

extension HotlineSim {
  /// `hotline-sim playtest`: play scenarios automatically.
  struct Playtest: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Play scenarios automatically: golden transcripts, exhaustive and random plays.",
      discussion: """
        Every run replays the scenario's golden transcripts (`transcripts:`) and fails when one \
        scores outside what it expects. --exhaustive explores every distinct player state and \
        reports coverage, endings, the range of scores and the states where a trainee can be \
        misled; --random N plays N seeded runs and counts what each answer, event and option \
        got. Exits 1 when a transcript fails or a dead end is found.
        """)

    @Argument(help: "A scenario id or path (or --all).")
    var scenario: String?

    @Flag(help: "Every scenario in the scenarios directory.")
    var all = false

    @Flag(help: "Explore every distinct player state.")
    var exhaustive = false

    @Option(help: "Play this many seeded random runs.")
    var random: Int?

    @Option(help: "The seed of the first random run.")
    var seed: UInt64 = 1

    @Option(
      name: .customLong("max-states"), help: "Stop exhaustive exploration after this many states.")
    var maxStates = 200_000

    @Option(help: "text or json.")
    var format: OutputFormat = .text

    @OptionGroup var content: ContentOptions

    func validate() throws {
      guard all != (scenario != nil) else {
        throw ValidationError("name a scenario or pass --all (not both)")
      }
      if let random, random < 1 || random > 10_000_000 {
        throw ValidationError("--random: \(random) runs; give 1 to 10000000")
      }
      guard maxStates > 0 else { throw ValidationError("--max-states must be positive") }
    }

    func run() throws {
      let engine = try content.loadEngine()
      let day = try content.day()
      let rubrics = try content.rubrics()
      var scenarios: [Scenario] = []
      if let scenario {
        scenarios = [try content.scenario(scenario, engine: engine)]
      } else {
        let (found, diagnostics) = content.catalog.loadAll(geography: engine.set.geography)
        let errors = diagnostics.filter { $0.severity == .error }
        if !errors.isEmpty {
          Console.error(errors.map(\.description).joined(separator: "\n"))
          throw ExitCode(1)
        }
        scenarios = found
        guard !scenarios.isEmpty else {
          Console.error(
            "hotline-sim: playtest: no scenario files (*.yaml) in \(TerminalText.sanitized(content.catalog.root))"
          )
          throw ExitCode(64)
        }
      }
      var failed = false
      var reports: [JSONValue] = []
      for scenario in scenarios {
        let audience = scenario.audience.first ?? .advocate
        let rubric = rubrics.rubric(for: audience)
        let transcripts = GoldenTranscripts.replay(
          scenario, engine: engine, rubrics: rubrics, asOf: day)
        let exploration =
          exhaustive
          ? Explorer(
            scenario: scenario, engine: engine, asOf: day, rubric: rubric, bound: maxStates
          )
          .explore() : nil
        let randomRuns = random.map {
          RandomPlayer(scenario: scenario, engine: engine, asOf: day).play(runs: $0, seed: seed)
        }
        if transcripts.contains(where: { !$0.passed }) || exploration?.deadEnds.isEmpty == false {
          failed = true
        }
        let report = PlaytestReport(
          scenario: scenario, audience: audience, transcripts: transcripts,
          exploration: exploration, random: randomRuns)
        switch format {
        case .text: Console.out(TerminalText.sanitized(report.text) + "\n")
        case .json: reports.append(report.json)
        }
      }
      if format == .json { Console.out(JSONValue.array(reports).rendered(pretty: true) + "\n") }
      if failed { throw ExitCode(1) }
    }
  }
}
