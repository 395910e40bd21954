import DecisionLog
import Foundation
import ProtocolEngine
import Testing

@Suite("Reading decision logs back")
struct DecisionLogReaderTests {
  /// A bad line and the error it gives: `{col}` is the column of `at` in the line.
  struct BadLine: Sendable, CustomTestStringConvertible {
    var line: String
    var at: String
    var field: String
    var message: String
    var testDescription: String { message }
  }

  static let good = Fixtures.record(0).jsonLine.dropLast()

  static let badLines: [BadLine] = [
    BadLine(line: "not json", at: "not", field: "", message: "expected a JSON value"),
    BadLine(
      line: good.replacingOccurrences(
        of: #""imminent_danger":true"#, with: #""victims":[{"age":-3}]"#),
      at: "-3}", field: "report.victims[0].age", message: "-3 is not an age"),
    BadLine(
      line: good.replacingOccurrences(of: #""channel":"call""#, with: #""channel":"fax""#),
      at: #""fax""#, field: "report.channel",
      message: "'fax' is not one of call, text, chat, webform, email"),
    BadLine(
      line: good.replacingOccurrences(of: #""channel":"call""#, with: #""name":"Ana""#),
      at: #""name""#, field: "report.name", message: "unknown key"),
    BadLine(
      line: good.replacingOccurrences(
        of: #""escalation":"information""#, with: #""escalation":"panic""#),
      at: #""panic""#, field: "decision.escalation",
      message: "'panic' is not one of emergency, mandated_report, law_enforcement_referral, "
        + "services_referral, information"),
    BadLine(
      line: good.replacingOccurrences(of: #""as_of":"2026-11-30""#, with: #""as_of":"2026-02-30""#),
      at: #""2026-02-30""#, field: "as_of", message: "'2026-02-30' is not a date (YYYY-MM-DD)"),
    BadLine(
      line: good.replacingOccurrences(
        of: #""request_id":"req-0","#, with: #""request_id":"req-0","x":1,"#),
      at: "1,", field: "x",
      message:
        "not a field of a decision record (request_id, time, ruleset, as_of, report, decision)"),
    BadLine(
      line: good.replacingOccurrences(
        of: #""time":"2026-11-30T14:05:09.123Z""#, with: #""time":17"#),
      at: "17", field: "time", message: "expected a string, not a number"),
  ]

  @Test(arguments: badLines)
  func aBadLineIsALocatedError(_ bad: BadLine) async throws {
    let folder = try TemporaryFolder()
    defer { folder.remove() }
    let path = folder.path("log.jsonl")
    try (Fixtures.record(1).jsonLine + bad.line + "\n" + Fixtures.record(2).jsonLine)
      .write(toFile: path, atomically: false, encoding: .utf8)
    let offset = try #require(bad.line.range(of: bad.at)).lowerBound
    let column =
      bad.line.unicodeScalars.distance(
        from: bad.line.unicodeScalars.startIndex, to: offset) + 1
    let error = DecisionLogError.invalidRecord(
      location: "\(path):2:\(column)", field: bad.field, message: bad.message)
    await #expect(throws: error) { _ = try await Fixtures.read(path) }
  }

  @Test func anErrorMessageNamesFileLineColumnAndField() {
    let error = DecisionLogError.invalidRecord(
      location: "log.jsonl:2:99", field: "report.victims[0].age", message: "-3 is not an age")
    #expect(error.description == "log.jsonl:2:99: report.victims[0].age: -3 is not an age")
  }

  @Test func sinceKeepsLaterDecisions() async throws {
    let folder = try TemporaryFolder()
    defer { folder.remove() }
    let path = folder.path("since.jsonl")
    let times = [
      "2026-11-28T23:59:59.999Z", "2026-11-29T00:00:00.000Z", "2026-11-29T12:00:00.000Z",
      "2026-11-30T08:00:00.000Z",
    ]
    try times.enumerated().map { Fixtures.record($0.offset, time: $0.element).jsonLine }.joined()
      .write(toFile: path, atomically: false, encoding: .utf8)
    let day = try #require(LogInstant(since: "2026-11-29"))
    #expect(
      try await Fixtures.read(path, since: day).records.map(\.record.requestID) == [
        "req-1", "req-2", "req-3",
      ])
    // 12:00 in UTC-6 is 18:00 UTC.
    let time = try #require(LogInstant(since: "2026-11-29T12:00:00-06:00"))
    #expect(try await Fixtures.read(path, since: time).records.map(\.record.requestID) == ["req-3"])
    #expect(LogInstant(since: "last tuesday") == nil)
  }

  @Test func aMissingLogOrAFolderIsAnError() async throws {
    let folder = try TemporaryFolder()
    defer { folder.remove() }
    await #expect(
      throws: DecisionLogError.cannotOpen(path: folder.path("none"), reason: "no such file")
    ) {
      _ = try await Fixtures.read(folder.path("none"))
    }
    await #expect(throws: DecisionLogError.isAFolder(path: folder.url.path)) {
      _ = try await Fixtures.read(folder.url.path)
    }
  }
}

@Suite("Log instants")
struct LogInstantTests {
  @Test(arguments: [
    ("2026-11-30T14:05:09.123Z", "2026-11-30T14:05:09.123Z"),
    ("2026-11-30T14:05:09Z", "2026-11-30T14:05:09.000Z"),
    ("2026-11-30T08:05:09.5-06:00", "2026-11-30T14:05:09.500Z"),
    ("1969-12-31T23:59:59.999Z", "1969-12-31T23:59:59.999Z"),
    ("2024-02-29T00:00:00+01:00", "2024-02-28T23:00:00.000Z"),
  ])
  func parsesAndPrintsInUTC(_ text: String, _ printed: String) throws {
    #expect(try #require(LogInstant(rfc3339: text)).description == printed)
  }

  @Test(arguments: [
    "2026-11-30", "2026-11-30T14:05Z", "2026-13-01T00:00:00Z", "2026-11-30T14:05:09",
  ])
  func rejectsWhatIsNotRFC3339(_ text: String) {
    #expect(LogInstant(rfc3339: text) == nil)
  }

  @Test func aDayIsItsMidnightInUTC() throws {
    let day = try #require(Day("2026-11-30"))
    #expect(LogInstant(startOf: day).description == "2026-11-30T00:00:00.000Z")
    #expect(LogInstant(startOf: day).day == day)
  }
}
