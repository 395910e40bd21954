import ArgumentParser
import CurriculumKit
import Foundation
import ProtocolEngine
import Reports
import ResultsStore
import ScenarioKit
import Shell

extension HotlineSim {
  /// `hotline-sim report`: what a training coordinator reads about a trainee, a cohort or one
  /// attempt, as text or as one self-contained HTML page with charts.
  struct Report: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "A trainee's, a cohort's or one session's report, as text or one HTML page.",
      discussion: """
        report trainee NAME: every attempt of one trainee. report cohort [NAME]: a cohort's \
        trainees (every trainee when no name is given), with the key questions most often \
        missed and the escalations most often wrong. report session ID: one attempt (an id \
        or a prefix of at least four characters), the engine's decision beside the \
        trainee's. --format html writes one page with SVG charts and no network access \
        (open it in a browser, print it); each chart has a table with the same numbers. \
        The same store gives the same bytes. --output is replaced atomically. An unknown \
        trainee, cohort or session is exit 64.
        """)

    @Argument(help: "trainee, cohort or session.")
    var kind: ReportKind

    @Argument(help: "The trainee's name, the cohort's name (optional) or the session id.")
    var name: String?

    @Option(help: "text, or html (one self-contained page with charts).")
    var format: ReportFormatOption = .text

    @Option(help: "Write here (replaced atomically) instead of standard output.")
    var output: String?

    @Option(help: "The scenarios directory, for titles (default: the shipped Scenarios/).")
    var scenarios: String?

    @Option(help: "The curricula directory, for progress (default: the shipped Curricula/).")
    var curricula: String?

    @OptionGroup var store: StoreOptions

    func validate() throws {
      if kind != .cohort, name == nil {
        throw ValidationError(
          "report \(kind.rawValue) needs a \(kind.rawValue == "session" ? "session id" : "name")")
      }
      if let output {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: output, isDirectory: &isDirectory),
          isDirectory.boolValue
        {
          throw ValidationError("--output: '\(output)' is a folder; give a file name")
        }
        let parent = URL(fileURLWithPath: output).deletingLastPathComponent().path
        guard FileManager.default.fileExists(atPath: parent, isDirectory: &isDirectory),
          isDirectory.boolValue
        else {
          throw ValidationError("--output: the folder '\(parent)' does not exist")
        }
      }
    }

    func run() throws {
      let results = try store.open()
      let (subject, sessions) = try select(results)
      guard !sessions.isEmpty else {
        Console.error(
          "hotline-sim: no attempts are recorded in \(results.path) yet; nothing to report")
        return
      }
      let report = TrainingReport(
        subject: subject, sessions: sessions, scenarioTitles: titles(sessions),
        curricula: courses(sessions))
      let text: String
      switch format {
      case .text:
        // Names and verbs come from the store: no escape sequence of theirs reaches a terminal.
        text = report.text.split(separator: "\n", omittingEmptySubsequences: false)
          .map { TerminalInput.stripped(String($0)) }.joined(separator: "\n")
      case .html:
        do {
          text = try report.html()
        } catch {
          Console.error("hotline-sim: \(error)")
          throw ExitCode(1)
        }
      }
      guard let output else {
        // Names and titles come from the store and content; a terminal shows them escaped.
        Console.out(TerminalText.sanitized(text))
        return
      }
      do {
        try Data(text.utf8).write(to: URL(fileURLWithPath: output), options: .atomic)
      } catch {
        Console.error("hotline-sim: cannot write \(output): \(error.localizedDescription)")
        throw ExitCode(1)
      }
      Console.error("Wrote the \(format.rawValue) report to \(output)")
    }

    /// The subject and its sessions; exits 64 naming a trainee, cohort or session the store
    /// does not know.
    private func select(_ results: ResultsStore) throws -> (ReportSubject, [SessionSummary]) {
      do {
        switch kind {
        case .trainee:
          let trainee = name ?? ""
          guard try results.trainee(named: trainee) != nil else {
            let known = try results.trainees(cohort: nil).map(\.name)
            throw unknown("trainee", trainee, known: known, in: results)
          }
          return (.trainee(trainee), try results.sessions(SessionFilter(trainee: trainee)))
        case .cohort:
          guard let cohort = name else {
            return (.cohort(nil), try results.sessions(SessionFilter()))
          }
          guard try !results.trainees(cohort: cohort).isEmpty else {
            let known = Set(try results.trainees(cohort: nil).compactMap(\.cohort)).sorted()
            throw unknown("cohort", cohort, known: known, in: results)
          }
          return (.cohort(cohort), try results.sessions(SessionFilter(cohort: cohort)))
        case .session:
          let session = try results.session(name ?? "")
          let context = try results.sessions(
            SessionFilter(trainee: session.traineeName, scenario: session.scenarioID))
          return (.session(session.id), context)
        }
      } catch let error as StoreError {
        Console.error("hotline-sim: \(error)")
        switch error {
        case .noSuchSession, .ambiguous: throw ExitCode(64)
        default: throw ExitCode(1)
        }
      }
    }

    /// Prints what is unknown (with what is known, when there is little of it) and returns the
    /// bad-input exit.
    private func unknown(_ what: String, _ value: String, known: [String], in results: ResultsStore)
      -> ExitCode
    {
      var message = "hotline-sim: no \(what) named '\(value)' in \(results.path)"
      if known.isEmpty {
        message += " (it has no \(what)s yet)"
      } else if known.count <= 12 {
        message += " (known: \(known.joined(separator: ", ")))"
      }
      Console.error(message)
      return ExitCode(64)
    }

    /// Scenario titles: from the file each session recorded, else the scenarios directory;
    /// a scenario found in neither shows as its id.
    private func titles(_ sessions: [SessionSummary]) -> [String: String] {
      let catalog = ScenarioCatalog(root: scenarios ?? ScenarioCatalog.defaultRoot())
      var titles: [String: String] = [:]
      var paths: [String: String] = [:]
      for summary in sessions { paths[summary.session.scenarioID] = summary.session.scenarioPath }
      for id in paths.keys.sorted() {
        if let path = paths[id],
          case (let scenario?, _) = ScenarioCatalog.load(
            path: path, geography: nil), scenario.id == id
        {
          titles[id] = scenario.title
        } else if let scenario = try? catalog.find(id, geography: nil) {
          titles[id] = scenario.title
        }
      }
      return titles
    }

    /// The curricula the sessions were played in; one that cannot be found is left out of the
    /// progress tables, with a note.
    private func courses(_ sessions: [SessionSummary]) -> [Curriculum] {
      let root = curricula ?? CurriculumCatalog.defaultRoot()
      let catalog = CurriculumCatalog(root: root)
      let ids = Set(sessions.compactMap(\.session.curriculumID)).sorted()
      return ids.compactMap { id in
        do {
          return try catalog.find(id)
        } catch {
          Console.error(
            "hotline-sim: note: curriculum \(id) is not under \(root) (\(error)); its progress is left out"
          )
          return nil
        }
      }
    }
  }
}

/// What `report` is about.
enum ReportKind: String, ExpressibleByArgument, CaseIterable {
  case trainee, cohort, session
}

/// What `report` writes.
enum ReportFormatOption: String, ExpressibleByArgument, CaseIterable {
  case text, html
}
