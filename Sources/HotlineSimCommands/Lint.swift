import ArgumentParser
import Authoring
import Foundation
import ProtocolEngine
import ScenarioKit

extension HotlineSim {
  /// `hotline-sim lint`: check scenario files.
  struct Lint: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract:
        "Check scenarios: format, references, personal data, decidability and reachability.",
      discussion: """
        Prints file:line:col: severity[HSnnnn]: message (the codes are in Scenarios/README.md), \
        or with --format json a list of diagnostics with code, severity, file, line, column \
        and message. Reachability explores every distinct player state, as `playtest \
        --exhaustive` does. Exits 1 when there is an error.
        """
    )

    @Argument(help: "Scenario files or folders (default: the scenarios directory).")
    var paths: [String] = []

    @Option(help: "text or json.")
    var format: OutputFormat = .text

    @Option(
      name: .customLong("max-states"),
      help: "Stop each scenario's reachability exploration after this many states.")
    var maxStates = 200_000

    @OptionGroup var content: ContentOptions

    func run() throws {
      let engine = try content.loadEngine()
      let day = try content.day()
      // The audiences' rubrics beside the scenarios must parse too (exit 1 naming the line).
      let rubrics = try content.rubrics()
      var diagnostics: [ScenarioDiagnostic] = []
      let roots = paths.isEmpty ? [content.scenarios ?? ScenarioCatalog.defaultRoot()] : paths
      var files: [String] = []
      for root in roots {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: root, isDirectory: &isDirectory) else {
          Console.error("hotline-sim: lint: no such file or folder: \(root)")
          throw ExitCode(64)
        }
        let found = isDirectory.boolValue ? ScenarioCatalog(root: root).files : [root]
        guard !found.isEmpty else {
          Console.error("hotline-sim: lint: no scenario files (*.yaml) in \(root)")
          throw ExitCode(64)
        }
        files += found
        let rubricsFile = ScenarioCatalog(root: root).rubricsPath
        if isDirectory.boolValue, let text = Self.text(rubricsFile) {
          diagnostics += PersonalData.scan(text, path: rubricsFile)
        }
      }
      let (count, found) = LibraryLint.lint(
        files.map { LibraryLint.File(path: $0, text: Self.text($0)) }, engine: engine, asOf: day,
        rubrics: rubrics, bound: maxStates)
      diagnostics += found
      diagnostics.sort()
      let errors = diagnostics.filter { $0.severity == .error }.count
      let warnings = diagnostics.filter { $0.severity == .warning }.count
      switch format {
      case .text:
        for diagnostic in diagnostics { Console.out(diagnostic.description + "\n") }
        Console.out(
          "\(count) scenario\(count == 1 ? "" : "s") checked: \(errors) error\(errors == 1 ? "" : "s"), \(warnings) warning\(warnings == 1 ? "" : "s")\n"
        )
      case .json:
        let list: [JSONValue] = diagnostics.map { diagnostic in
          .object([
            ("code", .string(diagnostic.code.rawValue)),
            ("severity", .string(diagnostic.severity.rawValue)),
            ("file", .string(diagnostic.location.file)),
            ("line", .int(diagnostic.location.position.line)),
            ("column", .int(diagnostic.location.position.column)),
            ("message", .string(diagnostic.message)),
          ])
        }
        let summary: JSONValue = .object([
          ("scenarios", .int(count)), ("errors", .int(errors)), ("warnings", .int(warnings)),
          ("diagnostics", .array(list)),
        ])
        Console.out(summary.rendered(pretty: true) + "\n")
      }
      if errors > 0 { throw ExitCode(1) }
    }

    static func text(_ path: String) -> String? {
      FileManager.default.contents(atPath: path).flatMap { String(data: $0, encoding: .utf8) }
    }
  }
}
