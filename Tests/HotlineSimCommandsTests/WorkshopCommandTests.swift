import Foundation
import ResultsStore
import Testing

/// A task force's tabletop driven from a script, as a facilitator rehearses one.
@Suite("hotline-sim workshop", .enabled(if: Binary.available), .serialized)
struct WorkshopCommandTests {
  let folder = FileManager.default.temporaryDirectory
    .appendingPathComponent("hotline-workshop-\(UUID().uuidString)")
  var store: String { folder.appendingPathComponent("results.sqlite").path }

  func script(_ lines: [String]) throws -> String {
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    let path = folder.appendingPathComponent("workshop-\(UUID().uuidString).txt").path
    try (lines.joined(separator: "\n") + "\n").write(
      toFile: path, atomically: true, encoding: .utf8)
    return path
  }

  @Test func aScriptedTabletopWritesItsAfterActionReportAndRecordsTheTeam() throws {
    let output = folder.appendingPathComponent("aar.md").path
    let result = try Binary.run(
      [
        "workshop", "tx-motel-whisper", "--team", "Travis County task force",
        "--evaluator", "Lee Park", "--evaluator", "Sam Ortiz", "--as-of", "2026-11-29",
        "--output", output, "--script",
        try script([
          "ask where are you", "next", "rate 1 P @lee asked where she is first",
          "escalate emergency", "rate 2 S @sam escalated only after the voice", "rate 9 P x",
          "end",
        ]),
      ], environment: ["HOTLINESIM_DB": store])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout.contains("Objectives:\n  1. Operational Communications"))
    #expect(
      result.stdout.contains("Objective 1 rated P (performed without challenges) by Lee Park."))
    #expect(result.stdout.contains("Usage: rate <objective 1-3>"))
    #expect(result.stdout.contains("After-Action Report / Improvement Plan: \(output) and "))
    let markdown = try String(contentsOfFile: output, encoding: .utf8)
    for section in [
      "## 1. Exercise overview", "## 3. Timeline: ", "## 4. Expected and actual decisions",
      "## 5. Analysis of objectives", "## 6. Strengths", "## 7. Areas for improvement",
      "## 8. Improvement plan",
    ] {
      #expect(markdown.contains(section), "missing \(section)")
    }
    // The inject the facilitator put (the voice at 01:30) and the team's decisions, in order.
    let timeline = try #require(
      markdown.components(separatedBy: "## 3. Timeline").last?
        .components(separatedBy: "## 4.").first)
    let voice = try #require(timeline.range(of: "| 01:30 | inject |"))
    let escalation = try #require(timeline.range(of: "| team | escalate emergency |"))
    #expect(voice.lowerBound < escalation.lowerBound)
    #expect(markdown.contains("| Evaluators | Lee Park, Sam Ortiz |"))
    #expect(
      markdown.contains(
        "S (performed with some challenges), Sam Ortiz: escalated only after the voice"))
    let html = try String(
      contentsOfFile: output.replacingOccurrences(of: ".md", with: ".html"), encoding: .utf8)
    #expect(html.contains("<h2>Improvement plan</h2>"))

    // Recorded as the team's session, with its journal and both ratings.
    let results = try ResultsStore(path: store)
    let sessions = try results.sessions(SessionFilter(trainee: "Travis County task force"))
    let session = try #require(sessions.first?.session)
    #expect(sessions.count == 1 && session.status == .submitted)
    #expect(session.audience == "task_force")
    let journal = try results.journal(of: session.id).map(\.text)
    #expect(journal.first == "ask where are you")
    #expect(journal.contains("escalate emergency") && journal.last == "submit")
    #expect(journal.contains { $0.hasPrefix("wait ") })
    #expect(try results.ratings(of: session.id).map(\.level) == [.p, .s])
  }

  @Test func aCurriculumPartIsPlayedScenarioAfterScenarioWithItsObjectives() throws {
    let output = folder.appendingPathComponent("part.md").path
    let result = try Binary.run(
      [
        "workshop", "task-force-tabletop", "--part", "child-reports", "--team", "Team B",
        "--as-of", "2026-11-29", "--output", output, "--script",
        try script(["submit", "rate 1 M the first webform was not reported", "end"]),
      ], environment: ["HOTLINESIM_DB": store])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(
      result.stdout.contains("== Scenario 1 of 2") && result.stdout.contains("== Scenario 2 of 2"))
    let markdown = try String(contentsOfFile: output, encoding: .utf8)
    #expect(markdown.contains("## 3. Timeline: ") && markdown.contains("## 5. Timeline: "))
    #expect(markdown.contains("Objective 1 rated M"))
    let results = try ResultsStore(path: store)
    let sessions = try results.sessions(SessionFilter(trainee: "Team B"))
    #expect(sessions.count == 2)
    #expect(
      sessions.allSatisfy {
        $0.session.curriculumID == "task-force-tabletop" && $0.session.partID == "child-reports"
      })
    let bad = try Binary.run(
      ["workshop", "task-force-tabletop", "--part", "nope", "--team", "T", "--no-record"])
    #expect(bad.status == 64)
    #expect(bad.stderr.contains("has no part 'nope' (child-reports, adult-victims, exercise)"))
  }
}
