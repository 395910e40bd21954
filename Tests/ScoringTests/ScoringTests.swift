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
    "refer tx-travis-shelter-youth", "refer tx-cps", "refer tx-dps", "protocol T-DANGER",
    // Stay on the line while she is in danger, until the call ends (07:00).
    "wait 600", "submit",
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

  /// A golden transcript's verbs, from the shipped scenario's `transcripts`.
  static func golden(_ id: String, _ kind: String) throws -> [String] {
    try transcript(id, kind).verbs.map(\.text)
  }

  static func transcript(_ id: String, _ kind: String) throws -> Transcript {
    let scenario = try shippedPlayer(id).scenario
    return try #require(scenario.transcripts.first { $0.id == kind })
  }

  static func play(_ player: Player, _ inputs: [String], rubric: Rubric? = nil) -> Score {
    var player = player
    _ = player.start()
    for input in inputs where !player.isOver { _ = player.handle(input) }
    player.end(.submitted)
    return Scorer.score(player, trainee: "test", rubric: rubric)
  }

  /// The shipped rubrics (`Scenarios/rubrics.yaml`).
  static let rubrics: Result<RubricBook, Error> = Result {
    try RubricBook.parse(
      String(
        contentsOf: root.appendingPathComponent("Scenarios/rubrics.yaml"), encoding: .utf8))
  }

  /// The rubric of a scenario's first audience.
  static func rubric(for player: Player) throws -> Rubric {
    try rubrics.get().rubric(for: player.scenario.audience.first ?? .advocate)
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
    #expect(
      deviation.message == "You escalated to mandated report; the situation calls for emergency.")
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
      late.message.hasPrefix("You escalated to emergency 01:30 after the danger was known at 02:20")
    )
    #expect(score.compliance == .low)
  }

  @Test func referringAnAdultToPoliceWithoutConsentIsAtLeastMajor() throws {
    var inputs = try F.golden("adult-text-no-consent", "strong")
    inputs.insert("refer tx-dallas-dallas-pd-htu", at: inputs.count - 1)
    let score = F.play(try F.shippedPlayer("adult-text-no-consent"), inputs)
    let deviation = try #require(
      score.deviations.first { $0.message.contains("without her consent") })
    #expect(deviation.severity >= .major)
    #expect(deviation.because.hasPrefix("Consent rule: an adult victim decides"))
  }

  /// A danger lifts an adult's say only for the emergency response: after the violence is
  /// heard, sending her case to the state police as well is still a referral without consent.
  @Test func aDangerDoesNotLiftConsentForTheStatePolice() throws {
    var inputs = try F.golden("fl-violence-audible", "strong")
    let strong = F.play(try F.shippedPlayer("fl-violence-audible"), inputs)
    #expect(!strong.deviations.contains { $0.message.contains("without her consent") })
    inputs.insert("refer fl-fdle", at: inputs.count - 1)
    let score = F.play(try F.shippedPlayer("fl-violence-audible"), inputs)
    let deviation = try #require(
      score.deviations.first { $0.message.contains("(fl-fdle) without her consent") },
      "\(score.deviations.map(\.message))")
    #expect(deviation.severity == .major)
  }

  @Test func aMissedKeyQuestionIsNamed() throws {
    let inputs = F.perfectMini.filter { $0 != "ask what" }
    let score = F.play(try F.miniPlayer(), inputs)
    let missed = score.deviations.filter { $0.message.hasPrefix("Key question missed") }.map(
      \.message)
    #expect(
      missed.contains {
        $0.hasPrefix(
          "Key question missed: \"What is happening to her?\" (it tells you the signs of force, fraud or coercion: coercion, commercial sex"
        )
      }, "\(missed)")
    let outdated = try #require(
      score.deviations.first {
        $0.message.hasPrefix("Whether someone is in danger right now changed to yes at 02:00")
      }, "\(score.deviations.map(\.message))")
    #expect(outdated.message.hasSuffix("ask again: \"Is everyone safe right now?\"."))
    #expect(score.debrief.contains("Ask next time"))
    // Plain language: no fact paths, no consent codes.
    #expect(!score.debrief.contains("victims["))
    #expect(!score.debrief.contains("not_required"))
    #expect(!score.debrief.contains("(never set)"))
  }

  @Test func anUnsureAgeStaysUnknownUntilConfirmed() throws {
    // "Seventeen, I think? Or she just turned eighteen": never the larger number.
    let inputs = try F.golden("tx-minor-online-ad", "strong").filter {
      $0 != "ask what grade is she in"
    }
    let score = F.play(try F.shippedPlayer("tx-minor-online-ad"), inputs)
    #expect(score.state.revealed.victims?.first?.age == nil)
    #expect(score.expected.escalation == .mandatedReport)
    #expect(score.expectedOnRevealed.needs.map(\.fact).contains("victims[0].age"))
    let missed = try #require(
      score.deviations.first { $0.message.contains("the victim's age: 16") })
    #expect(missed.message.hasPrefix("Key question missed: confirm \"How old is your daughter?\""))
    #expect(!score.debrief.contains("services only"))
  }

  @Test func conductRulesAndChoices() throws {
    let inputs = [
      "ask age", "ask blame", "ask location", "ask safe", "ask location", "ask location",
      "choose 2", "submit",
    ]
    let score = F.play(try F.miniPlayer(), inputs)
    let conduct = score.deviations.filter { $0.category == .conduct }.map(\.message)
    #expect(
      conduct.contains("You asked \"How old is she?\" before \"Is everyone safe right now?\"."))
    #expect(conduct.contains("You asked \"Why did you let her go out?\"."))
    #expect(!conduct.contains { $0.contains("Where are you?") })
    let choice = try #require(score.deviations.first { $0.category == .choice })
    #expect(choice.severity == .major)
    #expect(choice.because == "Never send a caller toward the trafficker.")
  }

  @Test func aTopicAskedTooLateBreaksAWithinRule() throws {
    let score = F.play(
      try F.miniPlayer(), ["ask safe", "ask age", "ask what", "ask location", "submit"])
    #expect(
      score.deviations.contains {
        $0.message == "You asked \"Where are you?\" at 01:10; it is due within 01:00."
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

  /// The golden transcripts (in each shipped scenario's `transcripts`) score inside the range
  /// their author expects, and their debriefs fit on a screen. `hotline-sim playtest` checks
  /// the same through `GoldenTranscripts`; this test plays them through the scorer directly.
  @Test(arguments: [
    ("tx-motel-whisper", "strong"), ("tx-motel-whisper", "typical"),
    ("tx-minor-online-ad", "strong"), ("tx-minor-online-ad", "typical"),
    ("adult-text-no-consent", "strong"), ("adult-text-no-consent", "typical"),
  ])
  func goldenTranscriptsLandWhereTheirAuthorSays(id: String, kind: String) throws {
    let transcript = try F.transcript(id, kind)
    let player = try F.shippedPlayer(id)
    let score = F.play(player, try F.golden(id, kind), rubric: try F.rubric(for: player))
    #expect(
      transcript.compliance.contains(score.compliance),
      "\(id).\(kind): \(score.compliance) \(score.score) \(score.deviations.map(\.message))")
    #expect(transcript.score.contains(score.score), "\(id).\(kind): score \(score.score)")
    #expect(score.debrief.split(separator: "\n", omittingEmptySubsequences: false).count <= 60)
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
