import Foundation
import Reports
import Testing

@Suite("Text report")
struct ReportTextTests {
  typealias F = ReportFixture

  @Test func aCohortReportHasEverySectionInOrder() throws {
    let text = try F.report(.cohort("Nov"), store: try F.store()).text
    let headings = [
      "Cohort report: Nov", "Summary", "Compliance levels by scenario",
      "Deviation rate by category", "Score trend over attempts", "Key questions most often missed",
      "Escalations most often wrong", "Trainees", "Progress: ", "The engine's reasons",
    ]
    var from = text.startIndex
    for heading in headings {
      let found = try #require(
        text.range(of: "\n" + heading, range: from..<text.endIndex)
          ?? (heading == headings[0] ? text.range(of: heading) : nil),
        "\(heading) missing or out of order")
      from = found.upperBound
    }
    #expect(text.contains("  Mean score           63.7\n"))
    #expect(
      text.contains(
        "1. When is her birthday - what year was she born? What grade would she be in? (tx-wrong-caller): 8"
      ))
    #expect(text.contains("[see TX-MINOR-01]"))
    #expect(text.hasSuffix("Training data: contacts are fictional.\n"))
  }

  @Test func aSessionReportShowsTheDecisionDeviationsAndTimeline() throws {
    let store = try F.store()
    let id = try F.sessionID("Luis Ortega", "tx-wrong-caller", 2, in: store)
    let text = try F.report(.session(id), store: store).text
    #expect(text.contains("  Score 12/100: Non-compliant.\n"))
    #expect(text.contains("  Escalation: expected mandated report; set services referral.\n"))
    #expect(text.contains("02:40 CRITICAL (Escalation level): You escalated to services referral"))
    #expect(text.contains("  Referred but not expected: tx-travis-case-management.\n"))
    #expect(text.contains("Timeline (simulated clock)\n  00:00  ask is she safe right now\n"))
    #expect(text.contains("\(id.prefix(8))*"))
    // A session's page is about the attempt: no spread over scenarios or categories.
    #expect(!text.contains("Compliance levels by scenario"))
  }

  @Test func noLineRunsPastOneHundredColumnsOutsideTables() throws {
    let text = try F.report(.trainee("Dana Whitfield"), store: try F.store()).text
    var inTable = false
    for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
      if line.uppercased() == line, line.hasPrefix("  "), line.contains("  ") { inTable = true }
      if line.isEmpty { inTable = false }
      if !inTable { #expect(line.count <= 100, "\(line)") }
      #expect(!line.hasSuffix(" "), "trailing space: \(line)")
    }
  }

  @Test func theSameStoreGivesTheSameBytes() throws {
    let store = try F.store()
    let first = try F.report(.cohort(nil), store: store)
    let second = try F.report(.cohort(nil), store: store)
    #expect(first.text == second.text)
    #expect(try first.html() == second.html())
  }
}
