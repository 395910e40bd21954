import ProtocolEngine
import ScenarioKit
import Testing

@Suite("Scenario loader")
struct ScenarioLoaderTests {
  @Test func loadsTheFixture() throws {
    let scenario = try Fixtures.scenario()
    #expect(scenario.id == "mini-scenario")
    #expect(scenario.audience == [.telecommunicator, .advocate])
    #expect(scenario.timeLimit == 480)
    #expect(scenario.emergencyWithin == 60)
    #expect(scenario.caller == "Caller")
    #expect(
      scenario.topics.map(\.id) == [
        "safe", "location", "age", "school", "what", "boyfriend", "blame", "consent",
      ])
    #expect(scenario.topic("what")?.cost == 30)
    // Reading your own screen is free, whatever the scenario's clock says.
    #expect(scenario.cost(of: .facts) == 0)
    #expect(scenario.cost(of: .ask) == 20)
    #expect(scenario.truth.victims?.first?.age == 16)
    #expect(scenario.knownReport.reporter?.relationship == .family)
    #expect(scenario.events.map(\.id) == ["voice", "hangup"])
    #expect(scenario.sha256.count == 64)
  }

  @Test func notesTheCallersMistake() throws {
    let (_, diagnostics) = ScenarioLoader.parse(try Fixtures.text(), path: "s.yaml")
    #expect(
      diagnostics.map(\.description).contains {
        $0.hasPrefix("s.yaml:50:")
          && $0.contains(
            "note[HS0032]: topics[2].answers[1].reveals.victims[0].age: 19 differs from the truth")
      })
  }

  static let cases: [(String, String, String)] = [
    (
      "channel: call", "channel: fax",
      "s.yaml:5:10: error[HS0005]: channel: 'fax' is not one of call, text, chat, webform, email"
    ),
    (
      "summary:", "summery:",
      "s.yaml:8:1: error[HS0002]: summery: unknown key (did you mean 'summary'?)"
    ),
    (
      "opening: |\n  Caller: I think my daughter is in trouble.\n", "",
      "s.yaml:1:1: error[HS0003]: missing required key 'opening'"
    ),
    (
      "version: 3", "version: three",
      "s.yaml:3:10: error[HS0004]: version: expected a whole number, found three"
    ),
    (
      "time_limit: \"08:00\"", "time_limit: \"8 min\"",
      "s.yaml:9:13: error[HS0005]: time_limit: '8 min' is not a time (\"mm:ss\" or seconds)"
    ),
    (
      "victims: [ { age: 16, consents", "victims: [ { age: -16, consents",
      "s.yaml:18:21: error[HS0010]: truth.victims[0].age: -16 is not an age"
    ),
    (
      "reveals: { \"victims[0].age\": 19 }", "reveals: { \"victims[0].age\": -19 }",
      "s.yaml:50:38: error[HS0011]: topics[2].answers[1].reveals.victims[0].age: -19 is not an age"
    ),
    (
      "reveals: { perpetrator.caregiver: false }", "reveals: { perpetrator.carer: false }",
      "s.yaml:69:20: error[HS0011]: topics[5].answers[0].reveals.perpetrator.carer: 'perpetrator.carer' is not a fact that can be set"
    ),
    (
      "when: asked(\"school\")", "when: asked(\"school\") &&",
      "s.yaml:46:33: error[HS0020]: topics[2].answers[0].when: the expression ends too early"
    ),
    (
      "when: asked(\"school\")", "when: askd(\"school\")",
      "s.yaml:46:15: error[HS0020]: topics[2].answers[0].when: unknown function 'askd' (did you mean 'asked'?); the functions are any, all, known, refers, asked, fired, chose, escalated and referred"
    ),
    (
      "when: fired(\"voice\")", "when: fired(\"voices\")",
      "s.yaml:1:1: error[HS0021]: topic 'safe': no event 'voices' (did you mean 'voice'?)"
    ),
    (
      "offers: stay_on", "offers: stay",
      "s.yaml:1:1: error[HS0021]: event 'voice': no choice 'stay'"
    ),
    (
      "  - id: school", "  - id: age",
      "s.yaml:51:9: error[HS0006]: topics[3].id: 'age' is already used"
    ),
    (
      "ends: hang_up", "ends: hangup",
      "s.yaml:90:11: error[HS0005]: events[1].ends: 'hangup' is not one of hang_up, disconnected (did you mean 'hang_up'?)"
    ),
    (
      "    topic: blame", "    topic: blam",
      "s.yaml:1:1: error[HS0021]: conduct rule 'no_blame': no topic 'blam' (did you mean 'blame'?)"
    ),
    (
      "severity: major, message", "severity: huge, message",
      "s.yaml:101:32: error[HS0005]: choices[0].options[1].deviation.severity: 'huge' is not one of minor, moderate, major, critical"
    ),
  ]

  @Test("Errors name the file, line, column and field", arguments: cases)
  func errors(target: String, replacement: String, expected: String) throws {
    let found = try Fixtures.diagnostics(replacing: target, with: replacement)
    #expect(found.contains(expected), "\(found)")
  }

  @Test func aMissingTruthIsAMissingKey() throws {
    let text = try Fixtures.text()
    let start = try #require(text.range(of: "truth:\n"))
    let end = try #require(text.range(of: "known:\n"))
    let (scenario, diagnostics) = ScenarioLoader.parse(
      text.replacingCharacters(in: start.lowerBound..<end.lowerBound, with: ""), path: "s.yaml")
    #expect(scenario == nil)
    #expect(
      diagnostics.map(\.description).contains(
        "s.yaml:1:1: error[HS0003]: missing required key 'truth'"))
  }

  @Test func aTopicWithOnlyConditionalAnswersIsAWarning() throws {
    let found = try Fixtures.diagnostics(
      replacing: "      - say: A man is selling her for sex online.",
      with: "      - when: asked(\"safe\")\n        say: A man is selling her for sex online.")
    #expect(
      found.contains {
        $0.contains(
          "warning[HS0031]: topics[4].answers: topic 'what' has no answer without a condition")
      })
  }

  @Test func notYAMLIsASyntaxError() {
    let (scenario, diagnostics) = ScenarioLoader.parse("id: [unclosed\n", path: "bad.yaml")
    #expect(scenario == nil)
    #expect(
      diagnostics.first?.description.hasPrefix("bad.yaml:2:1: error[HS0001]: invalid YAML") == true)
  }

  @Test func theCatalogFindsScenariosByIDAndPath() throws {
    let catalog = ScenarioCatalog(root: Fixtures.folder.appendingPathComponent("Fixtures").path)
    #expect(try catalog.find("mini-scenario", geography: nil).id == "mini-scenario")
    #expect(try catalog.find(Fixtures.scenarioPath, geography: nil).id == "mini-scenario")
    #expect(throws: ScenarioError.notFound("mini-scenari", known: ["mini-scenario"])) {
      try catalog.find("mini-scenari", geography: nil)
    }
    #expect(
      ScenarioError.notFound("mini-scenari", known: ["mini-scenario"]).description
        == "no scenario 'mini-scenari' (did you mean 'mini-scenario'?); `hotline-sim list` shows them"
    )
  }
}
