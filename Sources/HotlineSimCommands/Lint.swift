import ArgumentParser
import ProtocolEngine
import ScenarioKit

extension HotlineSim {
  /// `hotline-sim lint`: check scenario files.
  struct Lint: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract:
        "Check scenarios: format, references, conditions, and facts a trainee can never learn.",
      discussion: "Prints file:line:col: severity[HSnnnn]: message. Exits 1 when there is an error."
    )

    @Argument(help: "Scenario files or folders (default: the scenarios directory).")
    var paths: [String] = []

    @OptionGroup var content: ContentOptions

    func run() throws {
      let engine = try content.loadEngine()
      let day = try content.day()
      // The audiences' rubrics beside the scenarios must parse too (exit 1 naming the line).
      _ = try content.rubrics()
      var diagnostics: [ScenarioDiagnostic] = []
      var count = 0
      let roots = paths.isEmpty ? [content.scenarios ?? ScenarioCatalog.defaultRoot()] : paths
      for root in roots {
        let catalog = ScenarioCatalog(root: root)
        let files = catalog.files.isEmpty ? [root] : catalog.files
        for file in files {
          let (scenario, found) = ScenarioCatalog.load(path: file, geography: engine.set.geography)
          diagnostics += found
          if let scenario {
            count += 1
            diagnostics += ScenarioLinter.lint(scenario, engine: engine, asOf: day)
          }
        }
      }
      for diagnostic in diagnostics.sorted() { Console.out(diagnostic.description + "\n") }
      let errors = diagnostics.filter { $0.severity == .error }.count
      let warnings = diagnostics.filter { $0.severity == .warning }.count
      Console.out(
        "\(count) scenario\(count == 1 ? "" : "s") checked: \(errors) error\(errors == 1 ? "" : "s"), \(warnings) warning\(warnings == 1 ? "" : "s")\n"
      )
      if errors > 0 { throw ExitCode(1) }
    }
  }
}
