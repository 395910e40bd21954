import Foundation
import ProtocolEngine
import ScenarioKit
import Scoring
import Testing

@testable import Authoring

/// Deep lint: every planted problem is found with its code and position, the clean fixture
/// and the shipped scenarios have none.
@Suite struct DeepLintTests {
  typealias F = AuthoringFixtures

  static func rubrics() throws -> RubricBook {
    try RubricBook.parse(
      String(
        contentsOf: F.root.appendingPathComponent("Scenarios/rubrics.yaml"), encoding: .utf8))
  }

  static func lint(_ name: String, bound: Int = 200_000) throws -> [ScenarioDiagnostic] {
    let engine = try F.shippedEngine.get()
    let (scenario, found) = ScenarioLoader.parse(
      try F.text("deep/\(name)"), path: name, geography: engine.set.geography)
    guard let scenario else { return found }
    return found
      + DeepLint.lint(scenario, engine: engine, asOf: F.day, rubrics: try rubrics(), bound: bound)
  }

  @Test func theCleanFixtureHasNoFindings() throws {
    #expect(try Self.lint("clean.yaml").filter { $0.severity != .note }.isEmpty)
  }

  /// Each fixture plants one problem; the finding names its code, line and column.
  @Test(arguments: [
    ("hs0033-truth-incomplete.yaml", ScenarioCode.truthIncomplete, 11, 3, "victims[0].age"),
    ("hs0030-key-fact-hidden.yaml", .unrevealable, 11, 3, "victims[0].age is a key fact"),
    ("hs0050-unreachable-answer.yaml", .unreachableAnswer, 44, 9, "topic 'age' answer 1"),
    ("hs0051-unreachable-event.yaml", .unreachableEvent, 67, 5, "at or after the time limit"),
    ("hs0052-unreachable-option.yaml", .unreachableOption, 74, 9, "option 'yes_share'"),
    ("hs0053-dead-end.yaml", .deadEnd, 71, 5, "choice 'share' is a dead end"),
    ("hs0054-conduct-never.yaml", .conductNeverTriggers, 83, 5, "'safety_first'"),
    ("hs0060-transcript-invalid.yaml", .invalidTranscript, 87, 7, "'dispatch' is not a verb"),
    ("hs0061-transcript-fails.yaml", .transcriptFails, 83, 5, "score 0, expected 90..100"),
  ])
  func aPlantedProblemIsFoundWhereItIs(
    file: String, code: ScenarioCode, line: Int, column: Int, words: String
  ) throws {
    let found = try Self.lint(file)
    let hit = found.first { $0.code == code && $0.message.contains(words) }
    #expect(hit != nil, "\(file): \(found.map(\.description))")
    #expect(hit?.location.position == SourcePosition(line: line, column: column))
    #expect(hit?.location.file == file)
  }

  @Test func errorsAndWarningsHaveTheRightSeverity() throws {
    #expect(try Self.lint("hs0053-dead-end.yaml").contains { $0.severity == .error })
    #expect(
      try Self.lint("hs0050-unreachable-answer.yaml").first { $0.code == .unreachableAnswer }?
        .severity == .warning)
    // One dead end per choice, with the shortest play that reaches it.
    #expect(try Self.lint("hs0053-dead-end.yaml").filter { $0.code == .deadEnd }.count == 1)
  }

  /// An event due long after anything else (more than one 600-second wait away) is reached:
  /// the explorer waits in steps.
  @Test func aFarEventIsReachedByWaitingInSteps() throws {
    let engine = try F.shippedEngine.get()
    let text = try F.text("deep/clean.yaml")
      .replacingOccurrences(of: "time_limit: \"10:00\"", with: "time_limit: \"25:00\"")
      .replacingOccurrences(of: "at: \"03:00\"", with: "at: \"22:00\"")
    let scenario = try #require(
      ScenarioLoader.parse(text, path: "far.yaml", geography: engine.set.geography).0)
    let found = DeepLint.lint(scenario, engine: engine, asOf: F.day, rubrics: try Self.rubrics())
    #expect(!found.contains { $0.code == .unreachableEvent }, "\(found.map(\.description))")
  }

  @Test func aLowBoundIsReportedAndLeavesReachabilityOut() throws {
    let found = try Self.lint("hs0050-unreachable-answer.yaml", bound: 5)
    #expect(found.contains { $0.code == .explorationBound })
    #expect(!found.contains { $0.code == .unreachableAnswer })
  }

  @Test(arguments: AuthoringFixtures.shippedIDs)
  func theShippedScenariosHaveNoErrorsOrWarnings(id: String) throws {
    let engine = try F.shippedEngine.get()
    let found = DeepLint.lint(
      try F.shipped(id), engine: engine, asOf: F.day, rubrics: try Self.rubrics())
    #expect(found.isEmpty, "\(found.map(\.description))")
  }

  @Test func keyFactsAreTheFactsWithoutWhichTheDecisionChanges() throws {
    let engine = try F.shippedEngine.get()
    let truth = try F.shipped("tx-minor-online-ad").truth
    let keys = DeepLint.keyFacts(of: truth, engine: engine, asOf: F.day)
    #expect(keys.contains("victims[0].age"))
    #expect(keys.contains("location.state"))
    #expect(!keys.contains("channel"))
  }
}

/// The annotated example in Scenarios/README.md is a scenario that lints clean (so the
/// documentation never teaches a broken file).
@Suite struct ReadmeExampleTests {
  @Test func theAnnotatedExampleLintsClean() throws {
    let readme = try String(
      contentsOf: AuthoringFixtures.root.appendingPathComponent("Scenarios/README.md"),
      encoding: .utf8)
    let start = try #require(readme.range(of: "## A full, annotated example\n\n```yaml\n"))
    let end = try #require(readme.range(of: "```", range: start.upperBound..<readme.endIndex))
    let text = String(readme[start.upperBound..<end.lowerBound])
    let engine = try AuthoringFixtures.shippedEngine.get()
    let (scenario, found) = ScenarioLoader.parse(
      text, path: "README example", geography: engine.set.geography)
    let loaded = try #require(scenario, "\(found.map(\.description))")
    let deep = DeepLint.lint(
      loaded, engine: engine, asOf: AuthoringFixtures.day, rubrics: try DeepLintTests.rubrics())
    let problems = (found + deep + PersonalData.scan(text, path: "README example")).filter {
      $0.severity != .note
    }
    #expect(problems.isEmpty, "\(problems.map(\.description))")
    #expect(loaded.transcripts.count == 1)
  }
}
