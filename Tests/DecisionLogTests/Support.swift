import DecisionLog
import Foundation
import Logging
import ProtocolEngine

/// A fresh temporary folder, removed by `remove()`.
struct TemporaryFolder {
  let url: URL

  init() throws {
    url = FileManager.default.temporaryDirectory.appendingPathComponent(
      "decision-log-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
  }

  func path(_ name: String) -> String { url.appendingPathComponent(name).path }

  func remove() { try? FileManager.default.removeItem(at: url) }
}

enum Fixtures {
  static let logger = Logger(label: "decision-log-tests") { _ in SwiftLogNoOpLogHandler() }
  static let day = Day("2026-11-30") ?? Day.today()

  /// A record that reads back: a small report and a decision with an escalation.
  static func record(_ index: Int, time: String = "2026-11-30T14:05:09.123Z") -> DecisionRecord {
    DecisionRecord(
      requestID: "req-\(index)", time: time, rulesetVersion: "2026.11.0",
      rulesetSHA256: String(repeating: "a", count: 64), asOf: day,
      report: .object([("channel", .string("call")), ("imminent_danger", .bool(index % 2 == 0))]),
      decision: .object([
        ("escalation", .string("information")), ("category", .string("general_information")),
        ("protocols", .array([])), ("referrals", .array([])),
      ]))
  }

  /// Every record of a log, with the warnings reading it gave.
  static func read(_ source: String, since: LogInstant? = nil) async throws -> (
    records: [LoggedDecision], warnings: [String]
  ) {
    var records: [LoggedDecision] = []
    var warnings: [String] = []
    try await DecisionLogReader(source).read(since: since, warn: { warnings.append($0) }) {
      records.append($0)
    }
    return (records, warnings)
  }
}
