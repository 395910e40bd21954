import DecisionLog
import Foundation
import ProtocolEngine
import RouteCommands
import Testing

@Suite("hotline-route replay")
struct ReplayTests {
  static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent()
  static let shipped = root.appendingPathComponent("Protocols").path
  static let examples = [
    "adult-dallas-no-consent.json", "austin-motel-danger.json", "minor-unknown-caregiver.json",
    "tx-minor-houston.json",
  ]

  /// A temporary folder for one test.
  struct Folder {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent(
      "replay-\(UUID().uuidString)")
    init() throws {
      try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }
    func path(_ name: String) -> String { url.appendingPathComponent(name).path }
    func remove() { try? FileManager.default.removeItem(at: url) }
  }

  /// The example reports decided under the shipped set, as a log's lines (an hour apart).
  static func logLines(sha256: String? = nil) throws -> [String] {
    let engine = Engine(try ProtocolSet.load(directory: shipped))
    return try examples.enumerated().map { index, name in
      let text = try String(
        contentsOf: root.appendingPathComponent("Examples/reports/\(name)"), encoding: .utf8)
      let report = try Report.decode(text, file: name)
      let decision = engine.decide(report, asOf: try #require(report.receivedDay))
      var record = DecisionRecord(
        requestID: "req-\(index)",
        time: Date(timeIntervalSince1970: 1_796_000_000 + Double(index) * 3600), report: report,
        decision: decision)
      if let sha256, index >= 2 { record.rulesetSHA256 = sha256 }
      return record.jsonLine
    }
  }

  static func writeLog(_ folder: Folder, lines: [String]) throws -> String {
    let path = folder.path("decisions.jsonl")
    try lines.joined().write(toFile: path, atomically: false, encoding: .utf8)
    return path
  }

  /// The shipped set with one protocol removed.
  static func setWithout(_ file: String, in folder: Folder) throws -> String {
    let copy = folder.path("Protocols")
    try FileManager.default.copyItem(atPath: shipped, toPath: copy)
    try FileManager.default.removeItem(atPath: copy + "/protocols/" + file)
    return copy
  }

  @Test func underTheSameSetNothingChanges() async throws {
    let folder = try Folder()
    defer { folder.remove() }
    let log = try Self.writeLog(folder, lines: try Self.logLines())
    let output = await ReplayService.replay(
      log: log, protocols: Self.shipped, since: nil, format: .text)
    #expect(output.exitCode == 0)
    #expect(output.stderr == "")
    #expect(
      output.stdout.hasSuffix(
        "0 of 4 reports change (replayed under ruleset 2026.11.0 (\(try Self.sha().prefix(12))))\n")
    )
    #expect(output.stdout.hasPrefix("Logged under ruleset 2026.11.0 ("))
  }

  static func sha() throws -> String { try ProtocolSet.load(directory: shipped).sha256 }

  @Test func aRemovedProtocolListsTheChanges() async throws {
    let folder = try Folder()
    defer { folder.remove() }
    let log = try Self.writeLog(folder, lines: try Self.logLines())
    let changed = try Self.setWithout("national/us-danger-01.yaml", in: folder)
    let output = await ReplayService.replay(log: log, protocols: changed, since: nil, format: .text)
    #expect(output.exitCode == 1)
    #expect(output.stderr == "")
    #expect(output.stdout.hasPrefix("req-1 (\(log):2, "))
    #expect(output.stdout.contains("    escalation: emergency -> "))
    #expect(output.stdout.contains("    protocols removed: US-DANGER-01\n"))
    #expect(output.stdout.contains("(emergency_services)"))
    #expect(output.stdout.contains("  escalation changed: 1\n"))
    #expect(output.stdout.contains("  US-DANGER-01: +0 -1\n"))
    #expect(
      output.stdout.hasSuffix(
        "1 of 4 reports change (replayed under ruleset 2026.11.0 (\(try ProtocolSet.load(directory: changed).sha256.prefix(12))))\n"
      ))

    let json = await ReplayService.replay(log: log, protocols: changed, since: nil, format: .json)
    #expect(json.exitCode == 1)
    #expect(json.stdout.contains("\"escalation_changed\": 1"))
    #expect(json.stdout.contains("\"removed\": [\n          \"US-DANGER-01\"\n        ]"))
    // Deterministic: the same bytes again.
    let again = await ReplayService.replay(log: log, protocols: changed, since: nil, format: .json)
    #expect(json == again)
  }

  @Test func sinceReplaysOnlyLaterDecisions() async throws {
    let folder = try Folder()
    defer { folder.remove() }
    let log = try Self.writeLog(folder, lines: try Self.logLines())
    let changed = try Self.setWithout("national/us-danger-01.yaml", in: folder)
    // req-1 (the emergency) is at 1_796_003_600; start after it.
    let since = LogInstant(milliseconds: 1_796_003_601_000).description
    let output = await ReplayService.replay(
      log: log, protocols: changed, since: since, format: .text)
    #expect(output.exitCode == 0)
    #expect(output.stdout.contains("0 of 2 reports change"))
  }

  @Test func severalRulesetsInOneLogAreNoted() async throws {
    let folder = try Folder()
    defer { folder.remove() }
    let other = String(repeating: "b", count: 64)
    let log = try Self.writeLog(folder, lines: try Self.logLines(sha256: other))
    let output = await ReplayService.replay(
      log: log, protocols: Self.shipped, since: nil, format: .text)
    #expect(output.exitCode == 0)
    #expect(
      output.stdout.contains(
        "Note: the log holds decisions from 2 rulesets (the ruleset changes 1 time between records):\n"
      ))
    #expect(
      output.stdout.contains("  ruleset 2026.11.0 (bbbbbbbbbbbb): 2 records (first at \(log):3)\n"))
  }

  @Test func aBadLogExits64WithTheLineColumnAndField() async throws {
    let folder = try Folder()
    defer { folder.remove() }
    var lines = try Self.logLines()
    lines[1] = lines[1].replacingOccurrences(of: #""age":19"#, with: #""age":-3"#)
    let log = try Self.writeLog(folder, lines: lines)
    let age = try #require(lines[1].range(of: #""age":-3"#)).lowerBound
    let column = lines[1].unicodeScalars.distance(from: lines[1].startIndex, to: age) + 7
    let output = await ReplayService.replay(
      log: log, protocols: Self.shipped, since: nil, format: .text)
    #expect(output.exitCode == 64)
    #expect(output.stdout == "")
    #expect(
      output.stderr
        == "hotline-route: \(log):2:\(column): report.victims[0].age: -3 is not an age\n")
  }

  @Test func aBadSinceOrAMissingLogExits64() async throws {
    let bad = await ReplayService.replay(
      log: "x.jsonl", protocols: Self.shipped, since: "yesterday", format: .text)
    #expect(bad.exitCode == 64)
    #expect(
      bad.stderr
        == "hotline-route: --since: 'yesterday' is neither a day (YYYY-MM-DD) nor an RFC 3339 time (2026-11-30T14:05:09Z)\n"
    )
    let missing = await ReplayService.replay(
      log: "/nonexistent/decisions.jsonl", protocols: Self.shipped, since: nil, format: .text)
    #expect(missing.exitCode == 64)
    #expect(
      missing.stderr
        == "hotline-route: /nonexistent/decisions.jsonl: cannot open the decision log: no such file\n"
    )
  }

  @Test func aCutShortLastLineIsAWarning() async throws {
    let folder = try Folder()
    defer { folder.remove() }
    let lines = try Self.logLines()
    let log = try Self.writeLog(folder, lines: lines + [String(lines[0].prefix(30))])
    let output = await ReplayService.replay(
      log: log, protocols: Self.shipped, since: nil, format: .text)
    #expect(output.exitCode == 0)
    #expect(
      output.stderr.hasPrefix("hotline-route: \(log):5:31: warning: the last line has no newline"))
    #expect(output.stdout.contains("0 of 4 reports change"))
  }
}
