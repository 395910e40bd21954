import CurriculumKit
import Foundation
import ProtocolEngine
import Reports
import ResultsStore
import ScenarioKit
import Scoring
import Testing

/// The workshop's facilitator verbs and its after-action report.
@Suite("Workshop: facilitator verbs and the after-action report")
struct WorkshopTests {
  static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent()

  @Test func facilitatorVerbsAreReadAndTeamVerbsPassThrough() throws {
    let evaluators = ["Lee Park", "Sam Ortiz"]
    func parse(_ line: String) throws -> WorkshopCommand {
      try WorkshopCommand.parse(line, objectives: 3, evaluators: evaluators)
    }
    #expect(try parse("next") == .next)
    #expect(try parse("end") == .end)
    #expect(try parse("help") == .help)
    #expect(try parse("escalate emergency") == .team("escalate emergency"))
    #expect(try parse("next steps please") == .team("next steps please"))
    #expect(
      try parse("rate 2 s escalated, but late")
        == .rate(objective: 2, level: .s, evaluator: "Lee Park", comment: "escalated, but late"))
    #expect(
      try parse("rate 3 U @sam no referral made")
        == .rate(objective: 3, level: .u, evaluator: "Sam Ortiz", comment: "no referral made"))
    let wrong: [(String, String)] = [
      ("rate 4 P fine", "Usage: rate <objective 1-3> P|S|M|U [@evaluator] <comment>"),
      ("rate two P fine", "Usage: rate <objective 1-3>"),
      ("rate 1 X fine", "'X' is not a rating: P, S, M or U."),
      ("rate 1 P @kim fine", "No evaluator 'kim': Lee Park, Sam Ortiz."),
    ]
    for (line, message) in wrong {
      #expect(throws: ReportsError.self) { try parse(line) }
      do throws(ReportsError) {
        _ = try WorkshopCommand.parse(line, objectives: 3, evaluators: evaluators)
      } catch {
        #expect(error.description.hasPrefix(message), "\(line): \(error)")
      }
    }
    #expect(throws: ReportsError.self) {
      try WorkshopCommand.parse("rate 1 P @x y", objectives: 3, evaluators: [])
    }
  }

  /// A team plays the motel call in a tabletop: it escalates late and misses a referral.
  static func report() throws -> AfterAction {
    let engine = Engine(
      try ProtocolSet.load(directory: root.appendingPathComponent("Protocols").path))
    let scenario = try ScenarioCatalog(root: root.appendingPathComponent("Scenarios").path)
      .find("tx-motel-whisper", geography: engine.set.geography)
    var player = Player(
      scenario: scenario, engine: engine, mode: .practice, seed: 1,
      asOf: Day("2026-11-29") ?? Day.today())
    _ = player.start()
    var timeline: [AfterAction.Entry] = []
    for verb in ["ask where are you", "wait 90", "escalate emergency", "submit"] {
      timeline.append(AfterAction.Entry(at: player.state.clock, kind: .decision, text: verb))
      _ = player.handle(verb)
    }
    let score = Scorer.score(
      player, trainee: "Harbor | <County> task force", rubric: .wholeDecision(.taskForce))
    let ratings = [
      Rating(
        objective: 2, level: .s, evaluator: "Lee Park", comment: "escalated, but <late>",
        simulatedSeconds: 120, wallTime: Date(timeIntervalSince1970: 0)),
      Rating(
        objective: 3, level: .u, evaluator: "Sam Ortiz", comment: "no referral | made",
        simulatedSeconds: 130, wallTime: Date(timeIntervalSince1970: 0)),
    ]
    return AfterAction(
      exercise: scenario.title, team: "Harbor | <County> task force",
      evaluators: ["Lee Park", "Sam Ortiz"], audience: .taskForce, date: "2026-11-29",
      objectives: AfterAction.defaultObjectives,
      played: [
        AfterAction.Played(score: score, session: "s-1", timeline: timeline, ratings: ratings)
      ])
  }

  @Test func theReportHasEverySectionOfAnAARIP() throws {
    let report = try Self.report()
    let markdown = report.markdown
    for heading in [
      "# After-Action Report / Improvement Plan: ", "## 1. Exercise overview", "## 2. Objectives",
      "## 3. Timeline: ", "## 4. Expected and actual decisions: tx-motel-whisper",
      "## 5. Analysis of objectives", "## 6. Strengths", "## 7. Areas for improvement",
      "## 8. Improvement plan",
    ] {
      #expect(markdown.contains(heading), "missing \(heading)")
    }
    // The engine's expectation beside the team's, with the reason.
    #expect(markdown.contains("| Escalation | emergency | emergency | yes | "))
    #expect(markdown.contains("| Referral: emergency_services |"))
    // Ratings per objective, with their meaning and evaluator.
    #expect(
      markdown.contains(
        "| 2 | Operational Coordination | S (performed with some challenges), Lee Park: escalated, but &lt;late&gt; |"
      ))
    // A U rating and the missed referrals are areas for improvement, and each is a row of the
    // improvement plan with the owner and due date left blank.
    #expect(
      markdown.contains(
        "- Objective 3 rated U: U (unable to be performed), Sam Ortiz: no referral | made"))
    let plan = try #require(markdown.components(separatedBy: "## 8. Improvement plan").last)
    let rows = plan.split(separator: "\n").filter { $0.hasPrefix("| ") && !$0.hasPrefix("| #") }
    #expect(rows.count == report.areasForImprovement.count && rows.count >= 2)
    #expect(rows.allSatisfy { $0.hasSuffix(" | | |") })
    // Team text cannot break a table or inject markup.
    #expect(markdown.contains("| Team | Harbor \\| &lt;County&gt; task force |"))
    #expect(!markdown.contains("<County>"))
  }

  @Test func theHTMLIsOneSelfContainedEscapedPage() throws {
    let html = try Self.report().html
    #expect(html.hasPrefix("<!DOCTYPE html>"))
    #expect(html.contains("<h2>Improvement plan</h2>"))
    #expect(html.contains("Harbor | &lt;County&gt; task force"))
    #expect(!html.contains("<County>"))
    #expect(!html.contains("<script") && !html.contains("http://") && !html.contains("https://"))
    #expect(html.contains("<td class=\"met\">yes</td>"))
  }
}
