import Foundation
import ProtocolEngine
import ScenarioKit
import Scoring
import Testing

@testable import Authoring

/// Playtest: exhaustive exploration, seeded random plays and golden transcripts, all through
/// the player's own `handle`.
@Suite struct PlaytestTests {
  typealias F = AuthoringFixtures

  static func explorer(_ scenario: Scenario, bound: Int = 200_000) throws -> Explorer {
    Explorer(
      scenario: scenario, engine: try F.shippedEngine.get(), asOf: F.day,
      rubric: try DeepLintTests.rubrics().rubric(for: scenario.audience.first ?? .advocate),
      bound: bound)
  }

  @Test func exhaustiveExplorationCoversTheCleanFixture() throws {
    let scenario = try F.scenario("deep/clean.yaml")
    let exploration = try Self.explorer(scenario).explore()
    let answers = scenario.topics.reduce(0) { $0 + $1.answers.count }
    #expect(exploration.reachedAnswers.count == answers)
    #expect(exploration.reachedEvents == Set(scenario.events.map(\.id)))
    #expect(exploration.reachedOptions == ["yes_share", "no_share"])
    #expect(!exploration.boundHit)
    #expect(exploration.deadEnds.isEmpty)
    #expect(exploration.misleadingCount == 0)
    // The conduct rule (never ask why_stay) is broken by some play, and some play keeps it.
    #expect(exploration.rulesTriggered.contains("no_blame"))
    let scores = try #require(exploration.scores)
    #expect(scores.upperBound > scores.lowerBound)
    #expect(exploration.endings.values.reduce(0, +) > 0)
  }

  @Test func theFirstPathToAnAnswerReallyReachesIt() throws {
    let scenario = try F.scenario("deep/clean.yaml")
    let exploration = try Self.explorer(scenario).explore()
    let path = try #require(exploration.firstPath["answer:age#1"])
    var player = Player(
      scenario: scenario, engine: try F.shippedEngine.get(), mode: .assessment, seed: 1,
      asOf: F.day)
    _ = player.start()
    for verb in path.verbs { _ = player.handle(verb) }
    #expect(player.state.answered.last?.value == AnswerRef(topic: "age", index: 0))
  }

  @Test func aWrongCallerIsFoundAsMisleading() throws {
    let exploration = try Self.explorer(try F.scenario("deep/misleading.yaml")).explore()
    #expect(exploration.misleadingCount > 0)
    let example = try #require(exploration.misleading.first)
    #expect(example.difference.contains("instead of mandated_report"))
    #expect(example.path.verbs.contains("ask age"))
    #expect(!exploration.truthDecisionReachable)
  }

  @Test func theBoundIsReportedWhenHit() throws {
    let exploration = try Self.explorer(try F.scenario("deep/clean.yaml"), bound: 10).explore()
    #expect(exploration.boundHit)
    #expect(exploration.states == 10)
    #expect(exploration.deadEnds.isEmpty)
  }

  @Test(arguments: AuthoringFixtures.shippedIDs)
  func theShippedScenariosAreFullyCoveredWithoutDeadEnds(id: String) throws {
    let scenario = try F.shipped(id)
    var explorer = try Self.explorer(scenario)
    explorer.score = nil
    let exploration = explorer.explore()
    #expect(!exploration.boundHit)
    #expect(exploration.deadEnds.isEmpty)
    #expect(exploration.reachedAnswers.count == scenario.topics.reduce(0) { $0 + $1.answers.count })
    #expect(exploration.reachedEvents.count == scenario.events.count)
    // Misleading states are a report, not a fault: a caller who is wrong on purpose makes
    // them (tx-wrong-caller).
  }

  @Test func explorationIsDeterministic() throws {
    let scenario = try F.scenario("deep/misleading.yaml")
    let first = try Self.explorer(scenario).explore()
    let second = try Self.explorer(scenario).explore()
    let report = { (exploration: Exploration) in
      PlaytestReport(
        scenario: scenario, audience: .advocate, transcripts: [], exploration: exploration,
        random: nil
      ).json.rendered()
    }
    #expect(report(first) == report(second))
  }

  @Test func randomPlaysAreSeededAndCountWhatTheyReach() throws {
    let scenario = try F.scenario("deep/clean.yaml")
    let player = RandomPlayer(scenario: scenario, engine: try F.shippedEngine.get(), asOf: F.day)
    let first = player.play(runs: 300, seed: 7)
    let again = player.play(runs: 300, seed: 7)
    let other = player.play(runs: 300, seed: 8)
    #expect(first.answerHits == again.answerHits && first.eventHits == again.eventHits)
    #expect(first.answerHits != other.answerHits)
    #expect(first.endings.values.reduce(0, +) == 300)
    #expect(first.answerHits.values.reduce(0, +) > 300)
    // Every answer and option of the clean fixture is reached by some random play.
    #expect(first.answerHits.count == scenario.topics.reduce(0) { $0 + $1.answers.count })
    #expect(Set(first.optionHits.keys) == ["yes_share", "no_share"])
  }

  @Test func goldenTranscriptsPassOnTheShippedScenarios() throws {
    for id in F.shippedIDs {
      let results = GoldenTranscripts.replay(
        try F.shipped(id), engine: try F.shippedEngine.get(),
        rubrics: try DeepLintTests.rubrics(), asOf: F.day)
      #expect(results.count >= 2, "\(id)")
      for result in results {
        #expect(result.passed, "\(id).\(result.transcript.id): \(result.failures)")
      }
    }
  }

  @Test func aTranscriptThatMissesOrRotsFailsWithTheReason() throws {
    var scenario = try F.scenario("deep/hs0061-transcript-fails.yaml")
    var results = GoldenTranscripts.replay(
      scenario, engine: try F.shippedEngine.get(), rubrics: try DeepLintTests.rubrics(),
      asOf: F.day)
    #expect(results.first?.passed == false)
    #expect(results.first?.failures.contains("score 0, expected 90..100") == true)
    // A verb that can no longer be carried out (a contact that is gone) is named by line.
    scenario.transcripts[0].verbs.insert(("refer tx-nowhere-contact", 90), at: 1)
    results = GoldenTranscripts.replay(
      scenario, engine: try F.shippedEngine.get(), rubrics: try DeepLintTests.rubrics(),
      asOf: F.day)
    #expect(
      results.first?.failures.contains {
        $0.hasPrefix("line 90: `refer tx-nowhere-contact` could not be carried out")
      } == true)
  }
}
