import ArgumentParser
import ProtocolEngine

extension HotlineRoute {
  /// `hotline-route route`: the decision for one report.
  public struct Route: ParsableCommand {
    public static let configuration = CommandConfiguration(
      abstract: "Decide escalation, protocols and referrals for a report (JSON).",
      discussion: """
        The report is read from FILE, or from standard input when FILE is - or absent: strict \
        JSON (RFC 8259, UTF-8), or YAML when FILE ends in .yaml or .yml. Limits: 1 MiB, \
        \(Report.Limits.victims) victims, \(Report.Limits.indicators) indicators, \
        \(Report.Limits.textLength) characters per text (Protocols/README.md, "Report \
        limits"); a report over one, unreadable or invalid exits 64. The as-of date defaults \
        to the report's received_at day, else today (UTC).
        """
    )

    @Argument(help: "The report (JSON, or YAML if named .yaml/.yml); - for standard input.")
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
      try RouteService.route(
        reportFile: file, protocols: protocols ?? ProtocolSet.defaultDirectory(), asOf: day,
        format: format
      ).emit()
    }
  }
}

/// The work behind the route commands, separate from argument parsing so it can be tested.
/// Every text it returns for a terminal (errors, `--format text`) has passed through
/// `TerminalText.sanitized`; JSON output escapes control characters itself.
public enum RouteService {
  /// Routes the report in a file, or on standard input when `path` is `-`. A file named
  /// `*.yaml` or `*.yml` is read as YAML, anything else as strict JSON.
  ///
  /// - Returns: as `route(reportBytes:file:protocols:asOf:format:)`; a file that is not a
  ///   readable regular file (a directory, a FIFO, a dangling link) is exit 64 with a code.
  public static func route(
    reportFile path: String, protocols directory: String, asOf: Day?, format: OutputFormat
  ) -> CommandOutput {
    let file = path == "-" ? "<stdin>" : path
    let bytes: [UInt8]
    do throws(RouteError) {
      bytes =
        path == "-"
        ? try ReportInput.readStandardInput(file: file) : try ReportInput.read(path: path)
    } catch {
      return badInput(error)
    }
    return route(
      reportBytes: bytes, file: file, protocols: directory, asOf: asOf, format: format)
  }

  /// Routes one report given as text.
  public static func route(
    report text: String, file: String, protocols directory: String, asOf: Day?, format: OutputFormat
  ) -> CommandOutput {
    route(
      reportBytes: Array(text.utf8), file: file, protocols: directory, asOf: asOf, format: format)
  }

  /// Routes one report given as bytes (UTF-8 JSON, or YAML when `file` ends in `.yaml` or
  /// `.yml`).
  ///
  /// - Returns: the decision on stdout (exit 0); a broken protocol set (exit 1), or a report
  ///   that is too large, not UTF-8 or has a bad field (exit 64) as messages on stderr.
  public static func route(
    reportBytes bytes: [UInt8], file: String, protocols directory: String, asOf: Day?,
    format: OutputFormat
  ) -> CommandOutput {
    guard bytes.count <= Report.Limits.bytes else {
      return badInput(RouteError.reportTooLarge(file: file))
    }
    do throws(ProtocolEngineError) {
      try Report.validateUTF8(bytes, file: file)
    } catch {
      guard case .invalidReport(let location, _, let message) = error else {
        return badInput(error)
      }
      return badInput(RouteError.notUTF8(location: location, message: message))
    }
    let set: ProtocolSet
    do {
      set = try ProtocolSet.load(directory: directory)
    } catch {
      return CommandOutput(
        stderr: terminal("hotline-route: protocol set \(directory) has errors:\n\(error)\n"),
        exitCode: 1)
    }
    let report: Report
    do {
      report = try Report.decode(
        utf8: bytes, file: file, format: Report.Format(fileName: file), geography: set.geography)
    } catch {
      return badInput(error)
    }
    let day = asOf ?? report.receivedDay ?? Day.today()
    let decision = Engine(set).decide(report, asOf: day)
    switch format {
    case .json: return CommandOutput(stdout: decision.json.rendered(pretty: true) + "\n")
    case .text: return CommandOutput(stdout: terminal(decision.text))
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
      return CommandOutput(stderr: terminal("hotline-route: \(error)\n"), exitCode: 1)
    }
    let report = ProtocolChecker.check(source, asOf: asOf)
    let code: Int32 = report.hasErrors ? 1 : 0
    switch format {
    case .json:
      return CommandOutput(stdout: report.json.rendered(pretty: true) + "\n", exitCode: code)
    case .text: return CommandOutput(stdout: terminal(report.text), exitCode: code)
    }
  }

  /// A bad report: its message on stderr, exit 64.
  private static func badInput(_ error: some Error) -> CommandOutput {
    CommandOutput(stderr: terminal("hotline-route: \(error)\n"), exitCode: 64)
  }

  /// Text for a terminal, made safe by the one sanitiser.
  private static func terminal(_ text: String) -> String { TerminalText.sanitized(text) }
}
