import ArgumentParser
import ProtocolEngine
import ScenarioKit

extension HotlineSim {
  /// `hotline-sim explain`: the engine's decision on a scenario's truth, for instructors.
  struct Explain: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Show the engine's decision on a scenario's hidden truth (for instructors).")

    @Argument(help: "A scenario id or path.")
    var scenario: String

    @OptionGroup var content: ContentOptions

    @Option(help: "text or json.")
    var format: OutputFormat = .text

    func run() throws {
      let engine = try content.loadEngine()
      let found = try content.scenario(scenario, engine: engine)
      let decision = engine.decide(found.truth, asOf: try content.day())
      switch format {
      case .json: Console.out(decision.json.rendered(pretty: true) + "\n")
      case .text:
        Console.out(
          TerminalText.sanitized(
            "\(found.title) (\(found.id) v\(found.version)): the engine's decision on the truth")
            + "\n\n")
        Console.out(TerminalText.sanitized(decision.text))
      }
    }
  }
}
