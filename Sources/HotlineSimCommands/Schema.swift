import ArgumentParser
import Authoring

extension HotlineSim {
  /// `hotline-sim schema`: a JSON Schema for the files authors write, for their editor.
  struct Schema: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Print a JSON Schema for scenario files (or rubrics.yaml).",
      discussion: """
        The schemas (JSON Schema draft 2020-12) let an editor complete and check the files as \
        they are typed: Scenarios/scenario.schema.json and Scenarios/rubrics.schema.json hold \
        this output. `hotline-sim lint` remains the full check.
        """)

    /// The files there is (or will be) a schema for.
    enum Document: String, ExpressibleByArgument, CaseIterable {
      case scenario, rubrics, curriculum
    }

    @Argument(help: "scenario (default) or rubrics; curriculum is not built yet.")
    var document: Document = .scenario

    func run() throws {
      switch document {
      case .scenario: Console.out(ScenarioSchema.text(.scenario))
      case .rubrics: Console.out(ScenarioSchema.text(.rubrics))
      case .curriculum:
        Console.error(
          "hotline-sim: schema curriculum: curricula are not built yet (issue 11); try scenario or rubrics"
        )
        throw ExitCode(64)
      }
    }
  }
}
