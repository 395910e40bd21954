import ArgumentParser
import Authoring
import CurriculumKit
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

    @Argument(
      help: """
        Scenario or curriculum files or folders (default: the scenarios and curricula \
        directories). A file whose top level has `parts` is a curriculum.
        """)
    var paths: [String] = []

    @Option(help: "The curricula directory (default: the shipped Curricula/).")
    var curricula: String?

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
      var roots = paths
      if paths.isEmpty {
        roots = [content.scenarios ?? ScenarioCatalog.defaultRoot()]
        let courses = curricula ?? CurriculumCatalog.defaultRoot()
        if curricula != nil || FileManager.default.fileExists(atPath: courses) {
          roots.append(courses)
        }
      }
      var files: [String] = []
      for root in roots {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: root, isDirectory: &isDirectory) else {
          Console.error("hotline-sim: lint: no such file or folder: \(root)")
          throw ExitCode(64)
        }
        let found = isDirectory.boolValue ? ScenarioCatalog(root: root).files : [root]
        guard !found.isEmpty else {
          Console.error("hotline-sim: lint: no scenario or curriculum files (*.yaml) in \(root)")
          throw ExitCode(64)
        }
        files += found
        let rubricsFile = ScenarioCatalog(root: root).rubricsPath
        if isDirectory.boolValue, let text = Self.text(rubricsFile) {
          diagnostics += PersonalData.scan(text, path: rubricsFile)
        }
      }
      let texts = files.map { LibraryLint.File(path: $0, text: Self.text($0)) }
      let isCourse = texts.map { $0.text.map(CurriculumLoader.looksLikeCurriculum) ?? false }
      let (count, found) = LibraryLint.lint(
        zip(texts, isCourse).filter { !$1 }.map(\.0), engine: engine, asOf: day,
        rubrics: rubrics, bound: maxStates)
      diagnostics += found
      let courses = zip(texts, isCourse).filter { $1 }.map(\.0)
      diagnostics += lintCurricula(
        courses, alongside: zip(texts, isCourse).filter { !$1 }.map(\.0), engine: engine)
      diagnostics.sort()
      let errors = diagnostics.filter { $0.severity == .error }.count
      let warnings = diagnostics.filter { $0.severity == .warning }.count
      switch format {
      case .text:
        for diagnostic in diagnostics { Console.out(diagnostic.description + "\n") }
        let checked =
          "\(count) scenario\(count == 1 ? "" : "s")"
          + (courses.isEmpty
            ? "" : " and \(courses.count) curricul\(courses.count == 1 ? "um" : "a")")
        Console.out(
          "\(checked) checked: \(errors) error\(errors == 1 ? "" : "s"), \(warnings) warning\(warnings == 1 ? "" : "s")\n"
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
          ("scenarios", .int(count)), ("curricula", .int(courses.count)),
          ("errors", .int(errors)), ("warnings", .int(warnings)),
          ("diagnostics", .array(list)),
        ])
        Console.out(summary.rendered(pretty: true) + "\n")
      }
      if errors > 0 { throw ExitCode(1) }
    }

    /// Curriculum files: personal data, the format, then ids, scenarios, audiences,
    /// prerequisites and mastery rules against the scenario library (and any scenario files
    /// linted with them).
    func lintCurricula(
      _ files: [LibraryLint.File], alongside scenarios: [LibraryLint.File], engine: Engine
    ) -> [ScenarioDiagnostic] {
      guard !files.isEmpty else { return [] }
      var diagnostics: [ScenarioDiagnostic] = []
      var loaded: [Curriculum] = []
      for file in files {
        guard let text = file.text else {
          diagnostics.append(
            ScenarioDiagnostic(
              .error, .syntax, at: SourceLocation(file: file.path, line: 1, column: 1),
              "the file is not UTF-8 text"))
          continue
        }
        diagnostics += PersonalData.scan(text, path: file.path)
        let (curriculum, found) = CurriculumLoader.parse(text, path: file.path)
        diagnostics += found
        if let curriculum { loaded.append(curriculum) }
      }
      var infos = content.catalog.loadAll(geography: engine.set.geography).scenarios.map {
        CurriculumCheck.ScenarioInfo(id: $0.id, audience: $0.audience)
      }
      for file in scenarios {
        guard let text = file.text,
          let scenario = ScenarioLoader.parse(
            text, path: file.path, geography: engine.set.geography
          ).0
        else { continue }
        infos.append(CurriculumCheck.ScenarioInfo(id: scenario.id, audience: scenario.audience))
      }
      return diagnostics + CurriculumCheck.check(loaded, scenarios: infos)
    }

    static func text(_ path: String) -> String? {
      FileManager.default.contents(atPath: path).flatMap { String(data: $0, encoding: .utf8) }
    }
  }
}
