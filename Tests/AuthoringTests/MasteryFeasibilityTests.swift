import Authoring
import Foundation
import ProtocolEngine
import ScenarioKit
import Scoring
import Testing

/// Whether a curriculum part's bar can be met by some play of a scenario.
@Suite("Mastery bars no play can meet")
struct MasteryFeasibilityTests {
  static func noWin() throws -> Scenario {
    try AuthoringFixtures.scenario("curricula/no-win.yaml")
  }

  @Test func aNoWinBeatCapsEveryPlayAtPartial() throws {
    let engine = try AuthoringFixtures.shippedEngine.get()
    let scenario = try Self.noWin()
    let rubrics = RubricBook(rubrics: [:])
    let strict = MasteryFeasibility.check(
      scenario, audience: .advocate,
      bar: MasteryFeasibility.Bar(level: .compliant, minScore: 0, noCritical: true),
      engine: engine, asOf: AuthoringFixtures.day, rubrics: rubrics)
    // The explorer's own best agrees: one moderate deviation is unavoidable.
    var explorer = Explorer(
      scenario: scenario, engine: engine, asOf: AuthoringFixtures.day,
      rubric: rubrics.rubric(for: .advocate))
    explorer.namesProtocols = true
    let best = try #require(explorer.explore().scores?.upperBound)
    #expect(best < 100)
    #expect(strict == .unreachable(bestScore: best, bestCompliance: .partial))
    let lenient = MasteryFeasibility.check(
      scenario, audience: .advocate,
      bar: MasteryFeasibility.Bar(level: .partial, minScore: best, noCritical: true),
      engine: engine, asOf: AuthoringFixtures.day, rubrics: rubrics)
    #expect(lenient == .reachable)
    let tooHigh = MasteryFeasibility.check(
      scenario, audience: .advocate,
      bar: MasteryFeasibility.Bar(level: .partial, minScore: best + 1, noCritical: true),
      engine: engine, asOf: AuthoringFixtures.day, rubrics: rubrics)
    #expect(tooHigh == .unreachable(bestScore: best, bestCompliance: .partial))
  }

  @Test func aGoldenTranscriptThatMeetsTheBarSettlesIt() throws {
    let engine = try AuthoringFixtures.shippedEngine.get()
    let scenario = try AuthoringFixtures.shipped("tx-motel-whisper")
    let verdict = MasteryFeasibility.check(
      scenario, audience: .telecommunicator,
      bar: MasteryFeasibility.Bar(level: .compliant, minScore: 80, noCritical: true),
      engine: engine, asOf: AuthoringFixtures.day, rubrics: RubricBook(rubrics: [:]))
    guard case .shownByTranscript(let id) = verdict else {
      Issue.record("expected a transcript to settle it, got \(verdict)")
      return
    }
    #expect(scenario.transcripts.contains { $0.id == id })
  }

  @Test func lintReportsTheBarAtTheScenarioInThePart() throws {
    let folder = AuthoringFixtures.folder.appendingPathComponent("Fixtures/curricula").path
    let result = try ExternalTool.hotlineSim(["lint", folder, "--as-of", "2026-11-29"])
    #expect(result.status == 1)
    #expect(
      result.stdout.contains(
        "no-win-course.yaml:15:17: error[HS0104]: part 'only': no play of 'no-win' meets its bar (one attempt at compliant or better) for an advocate: the best play scores"
      ))
    #expect(result.stdout.hasSuffix("1 scenario and 1 curriculum checked: 1 error, 0 warnings\n"))
  }
}
