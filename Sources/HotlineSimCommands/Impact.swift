import ArgumentParser
import Authoring
import Foundation
import ProtocolEngine
import ScenarioKit

extension HotlineSim {
  /// `hotline-sim impact`: which scenarios expect something else of a trainee under a
  /// changed protocol set. Meant for pull requests that edit `Protocols/`.
  ///
  /// It does not take `ContentOptions`: there `--protocols` overrides the shipped set, while
  /// here it names the changed set and `--baseline` the one it is compared with.
  struct Impact: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Show how a changed protocol set changes every scenario's expected decision.",
      discussion: """
        For every scenario, decides the hidden truth and the best a trainee can learn (the \
        known facts plus every reveal) under the baseline set and under the changed one, and \
        prints what changes: escalation, referral roles, protocols, key facts (the facts whose \
        answer moves the decision) and the facts the decision still needs.
        Exits 1 when any scenario's expectation changes, or a protocol set or a scenario does \
        not load; 0 when none changes; 64 on bad usage.
        """)

    @Option(
      help: ArgumentHelp("The changed protocol set directory.", valueName: "new-dir"))
    var protocols: String

    @Option(
      help: ArgumentHelp(
        "The protocol set to compare with (default: the shipped Protocols/).", valueName: "dir"))
    var baseline: String?

    @Option(help: "The scenarios directory (default: the shipped Scenarios/).")
    var scenarios: String?

    @Option(
      name: .customLong("as-of"),
      help: "Use protocols and contacts in force on this day (YYYY-MM-DD; default today).")
    var asOf: String?

    @Option(help: "text or json.")
    var format: OutputFormat = .text

    @Argument(help: "Scenario files or folders (default: the scenarios directory).")
    var paths: [String] = []

    func validate() throws {
      if let asOf, Day(asOf) == nil {
        throw ValidationError("--as-of: '\(asOf)' is not a date (YYYY-MM-DD)")
      }
      for path in paths where !FileManager.default.fileExists(atPath: path) {
        throw ValidationError("no such scenario file or folder: \(path)")
      }
    }

    func run() throws {
      let day = asOf.flatMap { Day($0) } ?? Day.today()
      let old = try Impact.engine(baseline ?? ProtocolSet.defaultDirectory())
      let new = try Impact.engine(protocols)
      var loaded: [Scenario] = []
      var skipped: [SkippedScenario] = []
      var seen: [String: String] = [:]
      let roots = paths.isEmpty ? [scenarios ?? ScenarioCatalog.defaultRoot()] : paths
      for root in roots {
        let catalog = ScenarioCatalog(root: root)
        let files = catalog.files.isEmpty ? [root] : catalog.files
        for file in files {
          let (scenario, diagnostics) = ScenarioCatalog.load(
            path: file, geography: old.set.geography)
          guard let scenario else {
            let error = diagnostics.sorted().first { $0.severity == .error }
            skipped.append(
              SkippedScenario(path: file, error: error?.description ?? "does not load"))
            continue
          }
          // The same file named twice (a folder and a file in it) is compared once.
          if seen[scenario.id] == file { continue }
          seen[scenario.id] = file
          loaded.append(scenario)
        }
      }
      var report = ImpactReport(comparing: loaded, baseline: old, proposed: new, asOf: day)
      report.skipped = skipped
      for item in skipped {
        Console.error("hotline-sim: skipped \(item.path), which does not load: \(item.error)")
      }
      switch format {
      case .text: Console.out(TerminalText.sanitized(report.text))
      case .json: Console.out(report.json.rendered(pretty: true) + "\n")
      }
      // A scenario that does not load cannot be vouched for: fail as for a change.
      if !report.changed.isEmpty || !skipped.isEmpty { throw ExitCode(1) }
    }

    /// Loads a protocol set, or exits 1 with its errors.
    static func engine(_ directory: String) throws -> Engine {
      do {
        return Engine(try ProtocolSet.load(directory: directory))
      } catch {
        Console.error("hotline-sim: protocol set \(directory) has errors:\n\(error)")
        throw ExitCode(1)
      }
    }
  }
}
