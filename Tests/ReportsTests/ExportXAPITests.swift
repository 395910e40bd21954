import CurriculumKit
import Foundation
import Reports
import ResultsStore
import Testing

@Suite("Export: xAPI statements")
struct ExportXAPITests {
  static let deviations = [
    ExportFixtures.deviation("minor", at: 95, message: "Key question missed: \"how old\"."),
    ExportFixtures.deviation("moderate", at: 390),
  ]

  static func export() throws -> XAPIStatements {
    XAPIStatements(
      homePage: try #require(ExportHomePage("https://lms.example.gov/hotline")),
      curricula: [try ExportFixtures.curriculum()],
      scenarios: [
        ExportScenario(
          id: "adult-text-no-consent", title: "She wants out, but no police",
          description: "A text conversation (introductory). Content warning: an adult.")
      ])
  }

  static func statements(_ summary: SessionSummary) throws -> [[String: Any]] {
    try export().jsonLines([summary]).split(separator: "\n").map(ExportFixtures.object)
  }

  static func verbs(_ statements: [[String: Any]]) -> [String] {
    statements.compactMap { ($0["verb"] as? [String: Any])?["id"] as? String }
  }

  /// A scored session in a curriculum part: attempted, completed, passed, each with the
  /// fields an LRS and an LMS read.
  @Test func aScoredSessionIsAttemptedCompletedAndJudged() throws {
    let summary = ExportFixtures.session(
      1, trainee: "Ana Ruiz", scenario: "adult-text-no-consent", score: 88,
      deviations: Self.deviations)
    let statements = try Self.statements(summary)
    #expect(
      Self.verbs(statements) == [
        "http://adlnet.gov/expapi/verbs/attempted", "http://adlnet.gov/expapi/verbs/completed",
        "http://adlnet.gov/expapi/verbs/passed",
      ])
    for statement in statements {
      let actor = try #require(statement["actor"] as? [String: Any])
      #expect(actor["objectType"] as? String == "Agent")
      #expect(actor["name"] as? String == "Ana Ruiz")
      let account = try #require(actor["account"] as? [String: String])
      #expect(account == ["homePage": "https://lms.example.gov/hotline", "name": "Ana Ruiz"])
      let verb = try #require(statement["verb"] as? [String: Any])
      let display = try #require(verb["display"] as? [String: String])
      #expect(display["en-US"].map { (verb["id"] as? String)?.hasSuffix("/" + $0) } == true)
      let object = try #require(statement["object"] as? [String: Any])
      #expect(object["objectType"] as? String == "Activity")
      #expect(
        object["id"] as? String == "https://lms.example.gov/hotline/scenarios/adult-text-no-consent"
      )
      let definition = try #require(object["definition"] as? [String: Any])
      #expect(definition["type"] as? String == "http://adlnet.gov/expapi/activities/simulation")
      #expect(
        (definition["name"] as? [String: String]) == ["en-US": "She wants out, but no police"])
      #expect((definition["description"] as? [String: String])?["en-US"]?.isEmpty == false)
      let context = try #require(statement["context"] as? [String: Any])
      #expect(context["registration"] as? String == ExportFixtures.id(1))
      #expect(context["revision"] as? String == "scenario v2; ruleset \(ExportFixtures.ruleset)")
      let activities = try #require(context["contextActivities"] as? [String: Any])
      let parent = try #require((activities["parent"] as? [[String: Any]])?.first)
      #expect(
        parent["id"] as? String
          == "https://lms.example.gov/hotline/curricula/export-fixture/parts/first")
      let grouping = try #require((activities["grouping"] as? [[String: Any]])?.first)
      #expect(
        grouping["id"] as? String == "https://lms.example.gov/hotline/curricula/export-fixture")
      #expect(statement["version"] == nil, "xAPI 1.0.3 2.4.10: producers SHOULD NOT set it")
    }
    #expect(statements[0]["result"] == nil)
    #expect(statements[0]["timestamp"] as? String == "2026-11-20T09:00:00.000Z")
    #expect(statements[1]["timestamp"] as? String == "2026-11-20T09:02:30.000Z")

    let completed = try #require(statements[1]["result"] as? [String: Any])
    let score = try #require(completed["score"] as? [String: Double])
    #expect(score == ["scaled": 0.88, "raw": 88, "min": 0, "max": 100])
    #expect(completed["completion"] as? Bool == true)
    #expect(completed["success"] == nil)
    #expect(completed["duration"] as? String == "PT6M30S")
    let extensions = try #require(completed["extensions"] as? [String: Any])
    let key = "https://lms.example.gov/hotline/xapi/extensions/"
    #expect(extensions[key + "compliance"] as? String == "compliant")
    #expect(extensions[key + "wall-clock-duration"] as? String == "PT2M30S")
    let deviations = try #require(extensions[key + "deviations"] as? [[String: Any]])
    #expect(deviations.count == 2)
    #expect(deviations[0]["severity"] as? String == "minor")
    #expect(deviations[0]["at"] as? String == "01:35")
    #expect(deviations[0]["message"] as? String == "Key question missed: \"how old\".")
    #expect(deviations[1]["because"] as? String == "TX-MINOR-01 needs the age.")

    let passed = try #require(statements[2]["result"] as? [String: Any])
    #expect(passed["success"] as? Bool == true)
    #expect(passed["completion"] as? Bool == true)
    #expect((passed["score"] as? [String: Double])?["raw"] == 88)
    let rule = (passed["extensions"] as? [String: String])?[key + "passing-rule"]
    #expect(rule == "compliant or better, score 75+ (the bar of part 'first' of export-fixture)")
  }

  /// 78 is under `second`'s bar of 80 but compliant, which is the bar outside a curriculum.
  @Test func passOrFailIsJudgedByThePartsBar() throws {
    let inPart = ExportFixtures.session(
      1, trainee: "Ana", scenario: "tx-minor-online-ad", part: ("export-fixture", "second"),
      score: 78)
    let outside = ExportFixtures.session(
      2, trainee: "Ana", scenario: "tx-minor-online-ad", part: nil, score: 78)
    let unknownPart = ExportFixtures.session(
      3, trainee: "Ana", scenario: "tx-minor-online-ad", part: ("gone-course", "x"), score: 78)
    let critical = ExportFixtures.session(
      4, trainee: "Ana", scenario: "tx-minor-online-ad", score: 95, compliance: "non_compliant",
      deviations: [ExportFixtures.deviation("critical")])
    #expect(Self.verbs(try Self.statements(inPart)).last?.hasSuffix("/failed") == true)
    #expect(Self.verbs(try Self.statements(outside)).last?.hasSuffix("/passed") == true)
    #expect(Self.verbs(try Self.statements(unknownPart)).last?.hasSuffix("/passed") == true)
    #expect(Self.verbs(try Self.statements(critical)).last?.hasSuffix("/failed") == true)
    let failed = try #require(try Self.statements(inPart).last?["result"] as? [String: Any])
    #expect(failed["success"] as? Bool == false)
    let context = try #require(try Self.statements(outside).first?["context"] as? [String: Any])
    #expect(context["contextActivities"] == nil)
  }

  @Test func anAbandonedSessionIsAbandonedWithoutAScore() throws {
    let statements = try Self.statements(
      ExportFixtures.session(
        1, trainee: "Ana", scenario: "tx-wrong-caller", status: .abandoned, score: 0,
        compliance: "non_compliant", clock: "00:20"))
    #expect(
      Self.verbs(statements) == [
        "http://adlnet.gov/expapi/verbs/attempted", "https://w3id.org/xapi/adl/verbs/abandoned",
      ])
    let result = try #require(statements[1]["result"] as? [String: Any])
    #expect(result["completion"] as? Bool == false)
    #expect(result["score"] == nil)
    #expect(result["success"] == nil)
    #expect(result["duration"] as? String == "PT20S")
  }

  @Test func aSessionStillActiveIsOnlyAttempted() throws {
    let statements = try Self.statements(
      ExportFixtures.session(1, trainee: "Ana", scenario: "tx-wrong-caller", status: .active))
    #expect(Self.verbs(statements) == ["http://adlnet.gov/expapi/verbs/attempted"])
    #expect(statements[0]["result"] == nil)
  }

  /// A scenario the catalogue does not have is still an activity, named by its id.
  @Test func anUnknownScenarioIsNamedByItsID() throws {
    let statement = try #require(
      try Self.statements(
        ExportFixtures.session(1, trainee: "Ana", scenario: "retired-scenario", status: .active)
      ).first)
    let object = try #require(statement["object"] as? [String: Any])
    let definition = try #require(object["definition"] as? [String: Any])
    #expect((definition["name"] as? [String: String])?["en-US"] == "retired-scenario")
  }

  @Test(arguments: [
    ("00:00", "PT0S"), ("00:59", "PT59S"), ("06:30", "PT6M30S"), ("15:00", "PT15M"),
    ("61:05", "PT1H1M5S"), ("120:00", "PT2H"),
  ])
  func theSimulatedClockIsTheDuration(clock: String, duration: String) throws {
    let completed = try Self.statements(
      ExportFixtures.session(1, trainee: "Ana", scenario: "x", clock: clock))[1]
    #expect((completed["result"] as? [String: Any])?["duration"] as? String == duration)
  }

  /// The same sessions always give the same bytes: ids and times come from the store, not
  /// from the clock or a random generator, and no dictionary order leaks into the JSON.
  @Test func theSameSessionsGiveTheSameBytes() throws {
    let sessions = ExportGradebookTests.sessions
    let first = try Self.export().jsonLines(sessions)
    let second = try Self.export().jsonLines(sessions)
    #expect(first == second)
    let lines = first.split(separator: "\n")
    let ids = try lines.map { try #require(try ExportFixtures.object($0)["id"] as? String) }
    #expect(Set(ids).count == ids.count)
    #expect(first.hasSuffix("\n"))
    let elsewhere = XAPIStatements(
      homePage: try #require(ExportHomePage("https://other.example.net")))
    let other = try elsewhere.jsonLines(sessions).split(separator: "\n").map {
      try #require(try ExportFixtures.object($0)["id"] as? String)
    }
    #expect(Set(other).isDisjoint(with: ids), "another home page, other statements")
  }
}
