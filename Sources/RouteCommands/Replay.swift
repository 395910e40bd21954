import ArgumentParser
import DecisionLog
import ProtocolEngine

extension HotlineRoute {
  /// `hotline-route replay`: what a changed ruleset would decide differently on the decisions
  /// in a log (docs/decision-log.md).
  public struct Replay: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
      abstract: "Replay a decision log under another protocol set and show what would change.",
      discussion: """
        Decides every logged (masked) report again under NEW_DIR's ruleset, on the day the \
        log says it was decided for (as_of), and compares with the logged decision: \
        escalation, referrals made now (by contact and role) and protocols. SOURCE is a JSON \
        lines file or a postgres:// URL (?table= names the table). Exit codes: 0 nothing \
        changes, 1 something changes (or NEW_DIR has errors), 64 bad usage or a bad log \
        (file:line:col: field: message).
        """)

    @Option(
      name: .customLong("log"),
      help: ArgumentHelp(
        "The decision log: a JSON lines file or a postgres:// URL.", valueName: "source"))
    var log: String

    @Option(help: ArgumentHelp("The protocol set to replay under.", valueName: "new-dir"))
    var protocols: String

    @Option(help: "Only decisions made at or after this day (YYYY-MM-DD) or RFC 3339 time.")
    var since: String?

    @Option(help: "text or json.")
    var format: OutputFormat = .text

    public init() {}

    public func run() async throws {
      try await ReplayService.replay(log: log, protocols: protocols, since: since, format: format)
        .emit()
    }
  }
}

/// The work behind `hotline-route replay`, apart from argument parsing so it can be tested.
public enum ReplayService {
  /// Replays a decision log under a protocol set.
  ///
  /// - Returns: the changes on stdout (exit 1 when any, 0 when none); warnings (a cut-short
  ///   last line) on stderr; a set with errors exits 1; a bad `since`, an unreadable log or a
  ///   bad record exits 64 with its `file:line:col: field: message`.
  public static func replay(
    log source: String, protocols directory: String, since: String?, format: OutputFormat
  ) async -> CommandOutput {
    var sinceInstant: LogInstant?
    if let since {
      guard let instant = LogInstant(since: since) else {
        return badInput(DecisionLogError.badSince(since))
      }
      sinceInstant = instant
    }
    let set: ProtocolSet
    do {
      set = try ProtocolSet.load(directory: directory)
    } catch {
      return CommandOutput(
        stderr: terminal("hotline-route: protocol set \(directory) has errors:\n\(error)\n"),
        exitCode: 1)
    }
    let engine = Engine(set)
    // The identity every decision under the set carries.
    var report = ReplayReport(
      proposed: engine.decide(Report(), asOf: Day.today(), explain: false).ruleset)
    var warnings = ""
    do {
      let reader = try DecisionLogReader(source)
      try await reader.read(
        since: sinceInstant,
        warn: { warnings += "hotline-route: \($0)\n" }
      ) { logged in
        report.replay(logged, engine: engine)
      }
    } catch {
      return CommandOutput(stderr: terminal(warnings + "hotline-route: \(error)\n"), exitCode: 64)
    }
    let stdout: String
    switch format {
    case .text: stdout = terminal(report.text)
    case .json: stdout = report.json.rendered(pretty: true) + "\n"
    }
    return CommandOutput(
      stdout: stdout, stderr: terminal(warnings), exitCode: report.changes.isEmpty ? 0 : 1)
  }

  private static func badInput(_ error: some Error) -> CommandOutput {
    CommandOutput(stderr: terminal("hotline-route: \(error)\n"), exitCode: 64)
  }

  private static func terminal(_ text: String) -> String { TerminalText.sanitized(text) }
}
