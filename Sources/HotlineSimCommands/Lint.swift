import ArgumentParser
import Authoring
import CurriculumKit
import Foundation
import ProtocolEngine
import ScenarioKit
import Scoring

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
        // A broken link, a pipe or a folder named `x.yaml` is linted as a file: it gets an
        // HS0001 saying why it cannot be read.
        guard let isFolder = Self.isFolder(root) else {
          Console.error(
            "hotline-sim: lint: no such file or folder: \(TerminalText.sanitized(root))")
          throw ExitCode(64)
        }
        let found = isFolder ? ScenarioCatalog(root: root).files : [root]
        guard !found.isEmpty else {
          Console.error(
            "hotline-sim: lint: no scenario or curriculum files (*.yaml) in \(TerminalText.sanitized(root))"
          )
          throw ExitCode(64)
        }
        files += found
        let rubricsFile = ScenarioCatalog(root: root).rubricsPath
        if isFolder, let text = try? ContentFile.read(rubricsFile) {
          diagnostics += PersonalData.scan(text, path: rubricsFile)
        }
      }
      let texts = files.map { LibraryLint.File(reading: $0) }
      let isCourse = texts.map { $0.text.map(CurriculumLoader.looksLikeCurriculum) ?? false }
      let (count, found) = LibraryLint.lint(
        zip(texts, isCourse).filter { !$1 }.map(\.0), engine: engine, asOf: day,
        rubrics: rubrics, bound: maxStates)
      diagnostics += found
      let courses = zip(texts, isCourse).filter { $1 }.map(\.0)
      diagnostics += lintCurricula(
        courses, alongside: zip(texts, isCourse).filter { !$1 }.map(\.0), engine: engine,
        asOf: day, rubrics: rubrics)
      diagnostics.sort()
      let errors = diagnostics.filter { $0.severity == .error }.count
      let warnings = diagnostics.filter { $0.severity == .warning }.count
      switch format {
      case .text:
        // A diagnostic's description is sanitised (it quotes what the file says).
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
      _ files: [LibraryLint.File], alongside scenarios: [LibraryLint.File], engine: Engine,
      asOf: Day, rubrics: RubricBook
    ) -> [ScenarioDiagnostic] {
      guard !files.isEmpty else { return [] }
      var diagnostics: [ScenarioDiagnostic] = []
      var loaded: [Curriculum] = []
      for file in files {
        guard let text = file.text else {
          diagnostics.append(file.readError)
          continue
        }
        diagnostics += PersonalData.scan(text, path: file.path)
        let (curriculum, found) = CurriculumLoader.parse(text, path: file.path)
        diagnostics += found
        if let curriculum { loaded.append(curriculum) }
      }
      var library: [String: Scenario] = [:]
      for scenario in content.catalog.loadAll(geography: engine.set.geography).scenarios {
        library[scenario.id] = library[scenario.id] ?? scenario
      }
      for file in scenarios {
        guard let text = file.text,
          let scenario = ScenarioLoader.parse(
            text, path: file.path, geography: engine.set.geography
          ).0
        else { continue }
        library[scenario.id] = scenario
      }
      let infos = library.values.map {
        CurriculumCheck.ScenarioInfo(id: $0.id, audience: $0.audience)
      }
      diagnostics += CurriculumCheck.check(loaded, scenarios: infos)
      return diagnostics
        + unreachableBars(loaded, library: library, engine: engine, asOf: asOf, rubrics: rubrics)
    }

    /// HS0104 for a scenario no play of which can meet its part's bar for the curriculum's
    /// audience. A golden transcript that meets the bar settles it; else every play is
    /// explored (bounded by --max-states; when the bound is hit nothing is said).
    func unreachableBars(
      _ curricula: [Curriculum], library: [String: Scenario], engine: Engine, asOf: Day,
      rubrics: RubricBook
    ) -> [ScenarioDiagnostic] {
      struct Question: Hashable {
        var scenario: String
        var audience: Audience
        var bar: MasteryFeasibility.Bar
      }
      var questions: [Question] = []
      for curriculum in curricula {
        for part in curriculum.parts {
          let bar = MasteryFeasibility.Bar(
            level: part.mastery.level, minScore: part.mastery.minScore,
            noCritical: part.mastery.noCritical)
          for item in part.scenarios where library[item.id] != nil {
            let question = Question(scenario: item.id, audience: curriculum.audience, bar: bar)
            if !questions.contains(question) { questions.append(question) }
          }
        }
      }
      let verdicts = VerdictBox(count: questions.count)
      let asked = questions
      DispatchQueue.concurrentPerform(iterations: asked.count) { index in
        let question = asked[index]
        guard let scenario = library[question.scenario] else { return }
        verdicts.set(
          index,
          MasteryFeasibility.check(
            scenario, audience: question.audience, bar: question.bar, engine: engine,
            asOf: asOf, rubrics: rubrics, bound: maxStates))
      }
      var found: [ScenarioDiagnostic] = []
      for curriculum in curricula {
        for part in curriculum.parts {
          for item in part.scenarios {
            guard
              let index = questions.firstIndex(where: {
                $0.scenario == item.id && $0.audience == curriculum.audience
                  && $0.bar.level == part.mastery.level
                  && $0.bar.minScore == part.mastery.minScore
                  && $0.bar.noCritical == part.mastery.noCritical
              }),
              case .unreachable(let score, let compliance) = verdicts.all[index]
            else { continue }
            found.append(
              ScenarioDiagnostic(
                .error, .impossibleMastery,
                at: SourceLocation(file: curriculum.path, position: item.position),
                "part '\(part.id)': no play of '\(item.id)' meets its bar (\(part.mastery.summary)) for \(curriculum.audience == .advocate ? "an" : "a") \(curriculum.audience.rawValue): the best play scores \(score) (\(compliance.rawValue))"
              ))
          }
        }
      }
      return found
    }

    /// Verdicts written from the worker threads.
    final class VerdictBox: @unchecked Sendable {
      // Every access holds `lock`.
      private let lock = NSLock()
      private var verdicts: [MasteryFeasibility.Verdict?]

      init(count: Int) { verdicts = Array(repeating: nil, count: count) }

      func set(_ index: Int, _ verdict: MasteryFeasibility.Verdict) {
        lock.lock()
        verdicts[index] = verdict
        lock.unlock()
      }

      var all: [MasteryFeasibility.Verdict?] {
        lock.lock()
        defer { lock.unlock() }
        return verdicts
      }
    }

    /// Whether `path` is a folder (following links); nil when nothing at all is there (a
    /// broken link is something: it is reported as a file that cannot be read).
    static func isFolder(_ path: String) -> Bool? {
      var info = stat()
      guard lstat(path, &info) == 0 else { return nil }
      var target = stat()
      guard stat(path, &target) == 0 else { return false }
      // A folder named like a scenario file is reported as one that cannot be read.
      return target.st_mode & 0o170000 == 0o040000 && !path.hasSuffix(".yaml")
        && !path.hasSuffix(".yml")
    }
  }
}
