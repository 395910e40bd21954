import ArgumentParser
import Foundation
import ProtocolEngine
import ScenarioKit
import Scoring

/// `hotline-sim`: the training platform's command line.
public struct HotlineSim: ParsableCommand {
  public static let configuration = CommandConfiguration(
    commandName: "hotline-sim",
    abstract: "Play and score scripted trafficking scenarios against the protocol engine.",
    discussion:
      "Exit codes: 0 ok, 1 findings (lint errors, a broken protocol set), 64 bad usage or bad input.",
    version: "0.1.0",
    subcommands: [
      Play.self, Train.self, Resume.self, Results.self, Report.self, Export.self,
      Workshop.self, List.self, Explain.self, Lint.self, Playtest.self, Graph.self, Schema.self,
      Impact.self,
    ]
  )

  public init() {}
}

/// Where the protocol set and scenarios come from, and the day protocols are taken as in force.
struct ContentOptions: ParsableArguments {
  @Option(help: "The protocol set directory (default: the shipped Protocols/).")
  var protocols: String?

  @Option(help: "The scenarios directory (default: the shipped Scenarios/).")
  var scenarios: String?

  @Option(
    name: .customLong("as-of"),
    help: "Use protocols and contacts in force on this day (YYYY-MM-DD; default today).")
  var asOf: String?

  func day() throws -> Day {
    guard let asOf else { return Day.today() }
    guard let day = Day(asOf) else {
      throw ValidationError("--as-of: '\(asOf)' is not a date (YYYY-MM-DD)")
    }
    return day
  }

  /// Loads the protocol set, or exits 1 with its errors.
  func loadEngine() throws -> Engine {
    let directory = protocols ?? ProtocolSet.defaultDirectory()
    do {
      return Engine(try ProtocolSet.load(directory: directory))
    } catch {
      Console.error("hotline-sim: protocol set \(directory) has errors:\n\(error)")
      throw ExitCode(1)
    }
  }

  var catalog: ScenarioCatalog { ScenarioCatalog(root: scenarios ?? ScenarioCatalog.defaultRoot()) }

  /// The audiences' rubrics beside the scenarios (`rubrics.yaml`), or exits 1 with the
  /// file's error. Without the file every audience answers for the whole decision.
  func rubrics() throws -> RubricBook {
    let path = catalog.rubricsPath
    let text: String
    do throws(ContentFile.Failure) {
      text = try ContentFile.read(path)
    } catch {
      if error.isMissing { return RubricBook(rubrics: [:]) }
      Console.error(
        "hotline-sim: \(path):\(error.position.line):\(error.position.column): the file is \(error.reason)"
      )
      throw ExitCode(1)
    }
    do throws(FieldIssue) {
      return try RubricBook.parse(text)
    } catch {
      Console.error(
        "hotline-sim: \(path):\(error.position.line):\(error.position.column): \(error.text)")
      throw ExitCode(1)
    }
  }

  /// Finds a scenario by id or path; not found is bad input (64), a broken one is 1.
  func scenario(_ name: String, engine: Engine) throws -> Scenario {
    do {
      return try catalog.find(name, geography: engine.set.geography)
    } catch {
      Console.error("hotline-sim: \(error)")
      if case .invalid = error { throw ExitCode(1) }
      throw ExitCode(64)
    }
  }
}

/// Output formats.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
  case text, json
}

/// Writes to the standard streams.
enum Console {
  static func out(_ text: String) {
    FileHandle.standardOutput.write(Data(text.utf8))
  }

  /// Writes a message to stderr, sanitised: messages quote names, paths and values from
  /// content and input, and none of them may drive the terminal.
  static func error(_ text: String) {
    let safe = TerminalText.sanitized(text)
    FileHandle.standardError.write(Data((safe.hasSuffix("\n") ? safe : safe + "\n").utf8))
  }
}
