import ArgumentParser
import Authoring
import ProtocolEngine

extension HotlineSim {
  /// `hotline-sim graph`: a scenario's topics, answers, events and choices as a graph.
  struct Graph: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract:
        "Draw a scenario's topics, answers, events and choices as a graph (DOT or Mermaid).",
      discussion: """
        Render DOT with Graphviz (hotline-sim graph tx-motel-whisper | dot -Tsvg > graph.svg); \
        paste Mermaid into a ```mermaid block. Dashed edges run from what a condition reads \
        (asked, fired, chose, escalated, referred) to the answer or event that waits for it.
        """)

    /// The notations, as spelled on the command line.
    enum Format: String, ExpressibleByArgument, CaseIterable {
      case dot, mermaid

      var notation: ScenarioGraph.Format {
        switch self {
        case .dot: .dot
        case .mermaid: .mermaid
        }
      }
    }

    @Argument(help: "A scenario id or path.")
    var scenario: String

    @Option(help: "dot (Graphviz) or mermaid.")
    var format: Format = .dot

    @OptionGroup var content: ContentOptions

    func run() throws {
      let engine = try content.loadEngine()
      let found = try content.scenario(scenario, engine: engine)
      // DOT and Mermaid are read by people too: labels pass the terminal sanitiser.
      Console.out(TerminalText.sanitized(ScenarioGraph(found).render(format.notation)))
    }
  }
}
