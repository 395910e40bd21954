import ArgumentParser
import Foundation
import ProtocolEngine
import ResultsStore
import TextTable
import Yams

extension HotlineSim {
  /// `hotline-sim results`: the attempts in the results store, filtered.
  struct Results: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "The recorded attempts: compliance, score and the worst deviation.",
      discussion: """
        A table of attempts, oldest first. --format json gives each session with its whole \
        score record (what `play --format json` prints); --format csv one row per attempt \
        for a spreadsheet. Interrupted attempts show as active until they are resumed.
        """)

    @Option(help: "Only this trainee's attempts.")
    var trainee: String?

    @Option(help: "Only this cohort's attempts.")
    var cohort: String?

    @Option(help: "Only attempts in this curriculum.")
    var curriculum: String?

    @Option(help: "Only attempts at this scenario.")
    var scenario: String?

    @Option(help: "Only attempts begun on or after this day (YYYY-MM-DD, UTC).")
    var since: String?

    @Option(help: "Only attempts with this status: active, submitted or abandoned.")
    var status: SessionStatus?

    @Option(help: "text (a table), json or csv.")
    var format: ResultsFormat = .text

    @OptionGroup var store: StoreOptions

    func validate() throws {
      if let since, Day(since) == nil {
        throw ValidationError("--since: '\(since)' is not a date (YYYY-MM-DD)")
      }
    }

    func run() throws {
      let results = try store.open()
      let start = since.flatMap { Day($0) }.flatMap(ResultsFormat.date)
      let filter = SessionFilter(
        trainee: trainee, cohort: cohort, curriculum: curriculum, scenario: scenario,
        since: start, statuses: status.map { [$0] })
      let rows: [SessionSummary]
      do {
        rows = try results.sessions(filter)
      } catch {
        Console.error("hotline-sim: \(TerminalText.sanitized("\(error)"))")
        throw ExitCode(1)
      }
      switch format {
      case .text: Console.out(ResultsFormat.table(rows))
      case .json:
        Console.out(JSONValue.array(rows.map(ResultsFormat.json)).rendered(pretty: true) + "\n")
      case .csv: Console.out(ResultsFormat.csv(rows))
      }
    }
  }
}

extension SessionStatus: ExpressibleByArgument {}

/// The outputs of `results`: a table, JSON records, CSV rows.
enum ResultsFormat: String, ExpressibleByArgument, CaseIterable {
  case text, json, csv

  static let columns = [
    "session", "started", "trainee", "cohort", "scenario", "curriculum", "part", "mode",
    "status", "ended", "compliance", "score", "worst_severity", "worst_deviation",
  ]

  /// One attempt's cells, in `columns` order.
  static func cells(_ row: SessionSummary) -> [String] {
    let session = row.session
    let worst = row.score?.worst
    return [
      session.id, time(session.startedAt), session.traineeName, session.cohort ?? "",
      session.scenarioID, session.curriculumID ?? "", session.partID ?? "", session.mode,
      session.status.rawValue, session.endReason ?? "", row.score?.compliance ?? "",
      row.score.map { String($0.score) } ?? "", worst?.severity.uppercased() ?? "",
      worst?.message ?? "",
    ]
  }

  /// A table for people (TextTable), with a count; long messages are cut.
  static func table(_ rows: [SessionSummary]) -> String {
    guard !rows.isEmpty else { return "No attempts match.\n" }
    struct Row {
      var cells: [String]
    }
    let table = TextTable<Row> { row in
      [
        Column(title: "SESSION", value: String(row.cells[0].prefix(8))),
        Column(title: "STARTED (UTC)", value: row.cells[1]),
        Column(title: "TRAINEE", value: cut(row.cells[2], 24)),
        Column(title: "COHORT", value: cut(row.cells[3], 16)),
        Column(title: "SCENARIO", value: row.cells[4]),
        Column(
          title: "CURRICULUM/PART",
          value: row.cells[5].isEmpty ? "-" : "\(row.cells[5])/\(row.cells[6])"),
        Column(title: "MODE", value: row.cells[7]),
        Column(
          title: "STATUS", value: row.cells[8] == "submitted" ? row.cells[9] : row.cells[8]),
        Column(title: "COMPLIANCE", value: row.cells[10]),
        Column(title: "SCORE", value: row.cells[11], align: .right),
        Column(
          title: "WORST DEVIATION",
          value: row.cells[12].isEmpty ? "" : cut("\(row.cells[12]): \(row.cells[13])", 60)),
      ]
    }
    // Names, cohorts and messages come from input: each cell passes the terminal sanitiser
    // (before the widths are measured, so the columns line up as printed).
    let text =
      table.string(
        for: rows.map { Row(cells: cells($0).map(TerminalText.sanitizedLine)) }) ?? ""
    let lines = text.split(separator: "\n").map { line in
      var line = Substring(line)
      while line.last == " " { line.removeLast() }
      return String(line)
    }
    return lines.joined(separator: "\n")
      + "\n\n\(rows.count) attempt\(rows.count == 1 ? "" : "s")\n"
  }

  /// `text` cut to `length` characters, with an ellipsis when cut.
  static func cut(_ text: String, _ length: Int) -> String {
    text.count <= length ? text : String(text.prefix(length - 1)) + "…"
  }

  /// RFC 4180 CSV: a header, one row per attempt, CRLF line ends, fields quoted when needed.
  static func csv(_ rows: [SessionSummary]) -> String {
    func field(_ text: String) -> String {
      guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" })
      else { return text }
      return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
    // Every cell passes the terminal sanitiser (a quoted cell may span lines).
    return ([columns] + rows.map { cells($0).map(TerminalText.sanitized) })
      .map { $0.map(field).joined(separator: ",") }
      .joined(separator: "\r\n") + "\r\n"
  }

  /// A session and its whole score record (the attempt file of earlier versions).
  static func json(_ row: SessionSummary) -> JSONValue {
    let session = row.session
    func optional(_ text: String?) -> JSONValue { text.map(JSONValue.string) ?? .null }
    let record: JSONValue = row.score.flatMap { JSONValue.parsing($0.record) } ?? .null
    return .object([
      (
        "session",
        .object([
          ("id", .string(session.id)), ("trainee", .string(session.traineeName)),
          ("cohort", optional(session.cohort)), ("scenario", .string(session.scenarioID)),
          ("scenario_version", .int(session.scenarioVersion)),
          ("scenario_sha256", .string(session.scenarioSHA256)),
          ("ruleset_version", .string(session.rulesetVersion)),
          ("ruleset_sha256", .string(session.rulesetSHA256)), ("mode", .string(session.mode)),
          ("audience", .string(session.audience)), ("seed", .string(String(session.seed))),
          ("as_of", .string(session.asOf)), ("curriculum", optional(session.curriculumID)),
          ("curriculum_version", session.curriculumVersion.map(JSONValue.int) ?? .null),
          ("part", optional(session.partID)), ("started_at", .string(time(session.startedAt))),
          ("ended_at", optional(session.endedAt.map(time))),
          ("status", .string(session.status.rawValue)), ("ended", optional(session.endReason)),
        ])
      ),
      ("score", record),
    ])
  }

  /// `2026-11-29T22:55:05Z`: a moment in UTC, to the second.
  static func time(_ date: Date) -> String {
    let formatter = ISO8601DateFormatter()
    formatter.timeZone = TimeZone(identifier: "UTC")
    return formatter.string(from: date)
  }

  /// Midnight UTC at the start of a day.
  static func date(_ day: Day) -> Date? {
    ISO8601DateFormatter().date(from: "\(day.description)T00:00:00Z")
  }
}

extension JSONValue {
  /// Parses JSON text keeping the order of keys (through the YAML parser: JSON is YAML);
  /// nil when the text is not JSON.
  static func parsing(_ text: String) -> JSONValue? {
    guard let node = try? Yams.compose(yaml: text, .basic, .default, .utf8) else { return nil }
    return convert(node)
  }

  private static func convert(_ node: Node) -> JSONValue? {
    switch node {
    case .scalar(let scalar):
      if scalar.style != .plain { return .string(scalar.string) }
      switch scalar.string {
      case "null": return .null
      case "true": return .bool(true)
      case "false": return .bool(false)
      default:
        if let int = Int(scalar.string) { return .int(int) }
        if let double = Double(scalar.string) { return .double(double) }
        return .string(scalar.string)
      }
    case .sequence(let sequence):
      var items: [JSONValue] = []
      for item in sequence {
        guard let value = convert(item) else { return nil }
        items.append(value)
      }
      return .array(items)
    case .mapping(let mapping):
      var pairs: [(String, JSONValue)] = []
      for (key, value) in mapping {
        guard case .scalar(let name) = key, let converted = convert(value) else { return nil }
        pairs.append((name.string, converted))
      }
      return .object(pairs)
    case .alias: return nil
    }
  }
}
