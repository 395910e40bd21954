import ArgumentParser
import Foundation
import ProtocolEngine

extension HotlineRoute {
  /// `hotline-route route`: the decision for one report.
  public struct Route: ParsableCommand {
    public static let configuration = CommandConfiguration(
      abstract: "Decide escalation, protocols and referrals for a report (JSON).",
      discussion: """
        The report is read from FILE, or from standard input when FILE is - or absent. The \
        as-of date defaults to the report's received_at day, else today (UTC).
        """
    )

    @Argument(help: "The report (JSON); - for standard input.")
    var file: String = "-"

    @Option(help: "The protocol set directory (default: the shipped Protocols/).")
    var protocols: String?

    @Option(
      name: .customLong("as-of"),
      help: "Use protocols and contacts in force on this day (YYYY-MM-DD).")
    var asOf: String?

    @Option(help: "json (the Decision JSON) or text (the explanation a person reads).")
    var format: OutputFormat = .json

    public init() {}

    public func run() throws {
      let day = try parseDay(asOf)
      let input: String
      if file == "-" {
        input = String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
      } else {
        guard let data = FileManager.default.contents(atPath: file) else {
          throw ValidationError("\(file): cannot read the report")
        }
        input = String(decoding: data, as: UTF8.self)
      }
      try RouteService.route(
        report: input, file: file == "-" ? "<stdin>" : file,
        protocols: protocols ?? ProtocolSet.defaultDirectory(), asOf: day, format: format
      ).emit()
    }
  }
}

/// The work behind the route commands, separate from argument parsing so it can be tested.
public enum RouteService {
  /// Routes one report.
  ///
  /// - Returns: the decision on stdout (exit 0); a broken protocol set (exit 1) or a bad
  ///   report (exit 64) as messages on stderr.
  public static func route(
    report text: String, file: String, protocols directory: String, asOf: Day?, format: OutputFormat
  ) -> CommandOutput {
    let set: ProtocolSet
    do {
      set = try ProtocolSet.load(directory: directory)
    } catch {
      return CommandOutput(
        stderr: "hotline-route: protocol set \(directory) has errors:\n\(error)\n", exitCode: 1)
    }
    let report: Report
    do {
      report = try Report.decode(text, file: file, geography: set.geography)
    } catch {
      return CommandOutput(stderr: "hotline-route: \(error)\n", exitCode: 64)
    }
    let day = asOf ?? report.receivedDay ?? Day.today()
    let decision = Engine(set).decide(report, asOf: day)
    switch format {
    case .json: return CommandOutput(stdout: decision.json.rendered(pretty: true) + "\n")
    case .text: return CommandOutput(stdout: decision.text)
    }
  }

  /// Checks a protocol set; exit 1 when there are errors.
  public static func check(protocols directory: String, asOf: Day, format: OutputFormat)
    -> CommandOutput
  {
    let source: ProtocolSetSource
    do {
      source = try ProtocolSetSource.read(directory: directory)
    } catch {
      return CommandOutput(stderr: "hotline-route: \(error)\n", exitCode: 1)
    }
    let report = ProtocolChecker.check(source, asOf: asOf)
    let code: Int32 = report.hasErrors ? 1 : 0
    switch format {
    case .json:
      return CommandOutput(stdout: report.json.rendered(pretty: true) + "\n", exitCode: code)
    case .text: return CommandOutput(stdout: report.text, exitCode: code)
    }
  }
}
