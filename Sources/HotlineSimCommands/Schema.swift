import ArgumentParser
import Authoring

extension HotlineSim {
  /// `hotline-sim schema`: a JSON Schema for the files authors write, for their editor.
  struct Schema: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Print a JSON Schema for scenario files (or rubrics.yaml, or curricula).",
      discussion: """
        The schemas (JSON Schema draft 2020-12) let an editor complete and check the files as \
        they are typed: Scenarios/scenario.schema.json, Scenarios/rubrics.schema.json and \
        Curricula/curriculum.schema.json hold this output. `hotline-sim lint` remains the full \
        check.
        """)

    @Argument(help: "scenario (default), rubrics or curriculum.")
    var document: ScenarioSchema.Document = .scenario

    func run() throws {
      Console.out(ScenarioSchema.text(document))
    }
  }
}

extension ScenarioSchema.Document: ExpressibleByArgument {}
