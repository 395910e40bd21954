import Foundation
import ProtocolEngine
import ScenarioKit
import Scoring
import Testing

enum ScoringFixtures {
  static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
  static let root = folder.deletingLastPathComponent().deletingLastPathComponent()
  static let day = Day("2026-11-29") ?? Day.today()
  static let perfectMini = [
    "ask safe", "ask location", "ask school", "ask age", "ask what", "ask boyfriend", "choose 1",
    "ask safe", "escalate emergency", "refer us-911", "refer tx-travis-austin-pd",
    "refer tx-travis-shelter-youth", "refer tx-cps", "refer tx-dps", "protocol T-DANGER", "submit",
  ]

  static func miniPlayer(seed: UInt64 = 1) throws -> Player {
    let engine = Engine(
      try ProtocolSet.load(
        directory: root.appendingPathComponent("Tests/ProtocolEngineTests/Fixtures/mini").path))
    let text = try String(
      contentsOf: root.appendingPathComponent("Tests/ScenarioKitTests/Fixtures/mini-scenario.yaml"),
      encoding: .utf8)
    let (scenario, diagnostics) = ScenarioLoader.parse(text, path: "mini-scenario.yaml")
    guard let scenario else { throw ScenarioError.invalid(diagnostics) }
    return Player(scenario: scenario, engine: engine, mode: .practice, seed: seed, asOf: day)
  }

  static let shippedEngine: Result<Engine, Error> = Result {
    Engine(try ProtocolSet.load(directory: root.appendingPathComponent("Protocols").path))
  }

  static func shippedPlayer(_ id: String) throws -> Player {
    let engine = try shippedEngine.get()
    let catalog = ScenarioCatalog(root: root.appendingPathComponent("Scenarios").path)
    let scenario = try catalog.find(id, geography: engine.set.geography)
    return Player(scenario: scenario, engine: engine, mode: .assessment, seed: 1, asOf: day)
  }

  static func perfectScript(_ id: String) throws -> [String] {
    try String(
      contentsOf: folder.appendingPathComponent("Fixtures/transcripts/\(id).perfect"),
      encoding: .utf8
    )
    .split(separator: "\n").map(String.init)
  }

  static func play(_ player: Player, _ inputs: [String]) -> Score {
    var player = player
    _ = player.start()
    for input in inputs where !player.isOver { _ = player.handle(input) }
    player.end(.submitted)
    return Scorer.score(player, trainee: "test")
  }
}

@Suite("Scoring")
struct ScoringTests {
  typealias F = ScoringFixtures

  @Test func aPerfectTranscriptIsHighCompliance() throws {
    let score = F.play(try F.miniPlayer(), F.perfectMini)
    #expect(score.deviations.isEmpty, "\(score.deviations)")
    #expect(score.compliance == .highCompliance)
    #expect(score.score == 100)
    #expect(score.accuracyTruth == 1 && score.accuracyRevealed == 1)
  }

  @Test func aMissedEmergencyIsCritical() throws {
    let inputs = F.perfectMini.map { $0 == "escalate emergency" ? "escalate mandated_report" : $0 }
    let score = F.play(try F.miniPlayer(), inputs)
    #expect(score.compliance == .nonCompliant)
    let deviation = try #require(score.deviations.first { $0.category == .escalation })
    #expect(deviation.severity == .critical)
    #expect(deviation.message == "Escalated to mandated_report; the truth calls for emergency.")
    #expect(deviation.because == "T-DANGER: Someone is in danger now.")
    #expect(score.score <= 60)
  }

  @Test func aLateEmergencyIsAMajorTimelinessDeviation() throws {
    var inputs = F.perfectMini
    inputs.insert(
      contentsOf: [
        "note waiting", "note waiting", "note waiting", "note waiting", "note waiting",
        "note waiting", "note waiting",
      ], at: 8)
    let score = F.play(try F.miniPlayer(), inputs)
    let late = try #require(score.deviations.first { $0.category == .timeliness })
    #expect(late.severity == .major)
    #expect(
      late.message.hasPrefix("Escalated to emergency 01:30 after the danger was known at 02:20"))
    #expect(score.compliance == .low)
  }

  @Test func referringAnAdultToPoliceWithoutConsentIsAtLeastMajor() throws {
    var inputs = try F.perfectScript("adult-text-no-consent")
    inputs.insert("refer tx-dallas-dallas-pd-htu", at: inputs.count - 1)
    let score = F.play(try F.shippedPlayer("adult-text-no-consent"), inputs)
    let deviation = try #require(score.deviations.first { $0.message.contains("without consent") })
    #expect(deviation.severity >= .major)
    #expect(deviation.because.contains("consent"))
  }

  @Test func aMissedKeyQuestionIsNamed() throws {
    let inputs = F.perfectMini.filter { $0 != "ask what" }
    let score = F.play(try F.miniPlayer(), inputs)
    let missed = score.deviations.filter { $0.message.hasPrefix("Key question missed") }.map(
      \.message)
    #expect(
      missed.contains {
        $0.hasPrefix(
          "Key question missed: indicators (ask: What is happening to her?); it is coercion, commercial_sex"
        )
      })
    let outdated = try #require(
      score.deviations.first { $0.message.hasPrefix("imminent_danger changed to true at 02:10") })
    #expect(outdated.message.hasSuffix("ask again: \"Is everyone safe right now?\"."))
    #expect(score.debrief.contains("Key questions to ask next time"))
  }

  @Test func theCallersMistakeIsScoredAgainstTheTruth() throws {
    let inputs = try F.perfectScript("tx-minor-online-ad").filter {
      $0 != "ask what grade is she in"
    }
    let score = F.play(try F.shippedPlayer("tx-minor-online-ad"), inputs)
    #expect(score.state.revealed.victims?.first?.age == 18)
    #expect(score.expected.escalation == .mandatedReport)
    #expect(score.expectedOnRevealed.escalation != .mandatedReport)
    let mistake = try #require(
      score.deviations.first {
        $0.message.hasPrefix("The caller said victims[0].age = 18; the truth is 16")
      })
    #expect(mistake.message.contains("grade"))
    // Acting on the truth, not on what the caller said, agrees with the truth only.
    #expect(score.accuracyTruth > score.accuracyRevealed)
  }

  @Test func conductRulesAndChoices() throws {
    let inputs = [
      "ask age", "ask blame", "ask location", "ask safe", "ask location", "ask location",
      "choose 2", "submit",
    ]
    let score = F.play(try F.miniPlayer(), inputs)
    let conduct = score.deviations.filter { $0.category == .conduct }.map(\.message)
    #expect(conduct.contains("Asked 'age' before 'safe' (rule safety_first)."))
    #expect(conduct.contains("Asked 'blame' (rule no_blame)."))
    #expect(!conduct.contains { $0.contains("location_soon") })
    let choice = try #require(score.deviations.first { $0.category == .choice })
    #expect(choice.severity == .major)
    #expect(choice.because == "Never send a caller toward the trafficker.")
  }

  @Test func aTopicAskedTooLateBreaksAWithinRule() throws {
    let score = F.play(
      try F.miniPlayer(), ["ask safe", "ask age", "ask what", "ask location", "submit"])
    #expect(
      score.deviations.contains {
        $0.message == "'location' was asked at 01:10; the rule location_soon wants it within 01:00."
      })
  }

  @Test func theScoreRecordIsByteIdentical() throws {
    let first = F.play(try F.miniPlayer(seed: 3), F.perfectMini).json.rendered(pretty: true)
    let second = F.play(try F.miniPlayer(seed: 3), F.perfectMini).json.rendered(pretty: true)
    #expect(first == second)
    #expect(
      first.hasPrefix(
        "{\n  \"scenario\": {\n    \"id\": \"mini-scenario\",\n    \"version\": 3,\n    \"sha256\": "
      ))
    for key in [
      "\"ruleset\"", "\"expected\"", "\"expected_on_revealed\"", "\"trainee\"", "\"deviations\"",
      "\"compliance\": \"high_compliance\"", "\"score\": 100", "\"accuracy\"",
    ] {
      #expect(first.contains(key), "\(key)")
    }
  }

  @Test(arguments: ["tx-motel-whisper", "tx-minor-online-ad", "adult-text-no-consent"])
  func theShippedScenariosScorePerfectTranscriptsAt100(id: String) throws {
    let score = F.play(try F.shippedPlayer(id), try F.perfectScript(id))
    #expect(score.deviations.isEmpty, "\(score.deviations.map(\.message))")
    #expect(score.score == 100)
    #expect(score.ended == .submitted)
  }

  @Test(arguments: ["tx-motel-whisper", "tx-minor-online-ad", "adult-text-no-consent"])
  func followingExplainScoresNoCriticalDeviation(id: String) throws {
    let player = try F.shippedPlayer(id)
    let expected = player.engine.decide(player.scenario.truth, asOf: F.day)
    var inputs = ["escalate \(expected.escalation.rawValue)"]
    var roles = Set<Role>()
    for referral in expected.referrals where roles.insert(referral.role).inserted {
      inputs.append("refer \(referral.contact)")
    }
    inputs += expected.protocols.map { "protocol \($0.id)" }
    let score = F.play(player, inputs + ["submit"])
    #expect(
      !score.deviations.contains { $0.severity == .critical }, "\(score.deviations.map(\.message))")
  }

  @Test func complianceFollowsTheWorstDeviation() {
    #expect(Compliance(worst: nil) == .highCompliance)
    #expect(Compliance(worst: .minor) == .compliant)
    #expect(Compliance(worst: .moderate) == .partial)
    #expect(Compliance(worst: .major) == .low)
    #expect(Compliance(worst: .critical) == .nonCompliant)
  }
}
