import DecisionLog
import ProtocolEngine
import Testing

@Suite("Decision records")
struct DecisionRecordTests {
  @Test func aRecordKeepsWhatItWasGiven() throws {
    let day = try #require(Day("2026-11-30"))
    let record = DecisionRecord(
      requestID: "r1", time: "2026-11-30T00:00:00.000Z", rulesetVersion: "1",
      rulesetSHA256: "abc", asOf: day, report: .object([]), decision: .object([]))
    #expect(record.asOf == day)
    #expect(DecisionLogStatistics().dropped == 0)
  }
}
