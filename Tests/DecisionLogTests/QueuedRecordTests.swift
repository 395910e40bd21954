import Foundation
import ProtocolEngine
import Testing

@testable import DecisionLog

/// The sinks buffer records rendered (``QueuedRecord``); what they write must be what the
/// record says it is, byte for byte.
@Suite("Queued decision records")
struct QueuedRecordTests {
  /// Every example report's real decision, and records whose strings need escaping.
  static func records() throws -> [DecisionRecord] {
    let set = try ProtocolSet.load(directory: Paths.protocols)
    let engine = Engine(set)
    let folder = Paths.root.appendingPathComponent("Examples/reports")
    let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
    var records = try names.filter { $0.hasSuffix(".json") }.map { name in
      let text = try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
      let report = try Report.decode(text, file: name)
      return DecisionRecord(
        requestID: "req-" + name, time: Date(timeIntervalSince1970: 1_796_000_000),
        report: report, decision: engine.decide(report, asOf: Fixtures.day))
    }
    #expect(records.count >= 4)
    let awkward =
      "quote \" backslash \\ tab \t newline \n nul \u{0} esc \u{1B}[2J del \u{7F} "
      + "bidi \u{202E} emoji 🚨 é"
    records.append(
      DecisionRecord(
        requestID: awkward, time: "2026-11-30T14:05:09.123Z", rulesetVersion: awkward,
        rulesetSHA256: awkward, asOf: Fixtures.day,
        report: .object([("location", .object([("city", .string(awkward))]))]),
        decision: .object([("escalation", .string("emergency_911")), ("note", .string(awkward))])))
    records += (0..<3).map { Fixtures.record($0) }
    return records
  }

  @Test func aQueuedRecordsLineIsTheRecordsJSONLine() throws {
    for record in try Self.records() {
      var bytes: [UInt8] = []
      QueuedRecord(record).appendLine(to: &bytes)
      #expect(bytes == Array(record.jsonLine.utf8), "request \(record.requestID)")
    }
  }

  @Test func aBatchIsItsRecordsLinesInOrderAndReadsBack() throws {
    let records = try Self.records()
    let bytes = LogFile.lines(of: records.map(QueuedRecord.init))
    #expect(bytes == Array(records.map(\.jsonLine).joined().utf8))
    let lines = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
    #expect(lines.count == records.count + 1)
    // The real decisions (the first records) read back as they were logged.
    for (index, line) in lines.prefix(4).enumerated() {
      let decoded = try RecordDecoder.decode(line: Array(line), location: "batch", line: index + 1)
      #expect(decoded.record == records[index])
    }
  }

  @Test func theColumnsThePostgreSQLWriterBindsComeFromTheRecord() throws {
    for record in try Self.records() {
      let queued = QueuedRecord(record)
      #expect(queued.requestID == record.requestID)
      #expect(queued.asOf == record.asOf.description)
      #expect(String(decoding: queued.report, as: UTF8.self) == record.report.rendered())
      #expect(String(decoding: queued.decision, as: UTF8.self) == record.decision.rendered())
      #expect(queued.escalation == (record.escalation?.rawValue ?? ""))
    }
  }
}
