import CurriculumKit
import Foundation
import ProtocolEngine
import ScenarioKit
import Testing

/// The fixtures beside this file: one per curriculum diagnostic, and a clean course.
enum Fixture {
  static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("Fixtures")

  static func path(_ name: String) -> String { folder.appendingPathComponent(name).path }

  static func text(_ name: String) throws -> String {
    try String(contentsOfFile: path(name), encoding: .utf8)
  }

  /// A small scenario library: two telecommunicator calls and an advocate chat.
  static let library = [
    CurriculumCheck.ScenarioInfo(id: "tx-motel-whisper", audience: [.telecommunicator]),
    CurriculumCheck.ScenarioInfo(id: "tx-wrong-caller", audience: [.telecommunicator]),
    CurriculumCheck.ScenarioInfo(id: "nm-adult-info-only", audience: [.advocate]),
  ]

  /// Every diagnostic of one or more fixture files: the file's own, then the cross-checks.
  static func lint(_ names: [String]) throws -> [ScenarioDiagnostic] {
    var diagnostics: [ScenarioDiagnostic] = []
    var loaded: [Curriculum] = []
    for name in names {
      let (curriculum, found) = CurriculumLoader.parse(try text(name), path: name)
      diagnostics += found
      if let curriculum { loaded.append(curriculum) }
    }
    return (diagnostics + CurriculumCheck.check(loaded, scenarios: library)).sorted()
  }
}

@Suite("Curriculum files and their diagnostics")
struct CurriculumLoadingTests {
  @Test func theCleanCourseLoadsWithEveryKey() throws {
    let (course, diagnostics) = CurriculumLoader.parse(
      try Fixture.text("clean.yaml"), path: "clean.yaml")
    #expect(diagnostics.isEmpty)
    let loaded = try #require(course)
    #expect(loaded.id == "clean-course" && loaded.version == 1)
    #expect(loaded.audience == .telecommunicator)
    #expect(loaded.parts.map(\.id) == ["recognise", "assess"])
    let first = loaded.parts[0]
    #expect(first.mode == .practice && first.requires.isEmpty)
    #expect(
      first.objectives == [
        Objective(
          capability: "Operational Communications",
          tasks: ["Ask whether the caller can speak safely."])
      ])
    #expect(first.scenarios.map(\.id) == ["tx-motel-whisper", "tx-wrong-caller"])
    var expected = MasteryRule(level: .compliant, minScore: 70, consecutive: 2)
    expected.position = SourcePosition(line: 17, column: 7)
    #expect(first.mastery == expected)
    let second = loaded.parts[1]
    #expect(second.mode == .assessment && second.requires.map(\.id) == ["recognise"])
    // Unset keys take their defaults.
    expected = MasteryRule(everyScenario: true, attempts: 4)
    expected.position = SourcePosition(line: 30, column: 7)
    #expect(second.mastery == expected)
    #expect(loaded.scenarioIDs == ["tx-motel-whisper", "tx-wrong-caller"])
    #expect(try Fixture.lint(["clean.yaml"]).isEmpty)
  }

  /// Each fixture, the code it must raise, where, and words the message must hold.
  static let cases: [(String, ScenarioCode, Severity, Int, Int, String)] = [
    ("hs0001-syntax.yaml", .syntax, .error, 3, 8, "invalid YAML"),
    ("hs0002-unknown-key.yaml", .unknownKey, .error, 11, 5, "did you mean 'mode'?"),
    ("hs0003-missing-key.yaml", .missingKey, .error, 8, 5, "missing required key 'title'"),
    ("hs0004-wrong-type.yaml", .wrongType, .error, 19, 20, "consecutive: expected a whole number"),
    ("hs0005-invalid-value.yaml", .invalidValue, .error, 18, 18, "170 is not a score (0 to 100)"),
    ("hs0006-duplicate-part.yaml", .duplicateID, .error, 20, 5, "already used at line 8"),
    (
      "hs0101-unknown-scenario.yaml", .unknownScenario, .error, 15, 35,
      "did you mean 'tx-wrong-caller'?"
    ),
    ("hs0102-unknown-part.yaml", .unknownPart, .error, 22, 16, "requires 'recognize-it'"),
    ("hs0103-cycle.yaml", .unreachablePart, .error, 8, 5, "(recognise -> assess -> recognise)"),
    ("hs0103-self.yaml", .unreachablePart, .error, 20, 5, "it requires itself"),
    (
      "hs0103-never-mastered.yaml", .unreachablePart, .error, 21, 5,
      "'recognise', which can never be mastered"
    ),
    (
      "hs0104-consecutive.yaml", .impossibleMastery, .error, 30, 7,
      "5 counting attempts in a row but allows only 4 attempts"
    ),
    (
      "hs0104-every-scenario.yaml", .impossibleMastery, .error, 30, 7,
      "each of its 2 scenarios but allows only 1 attempt"
    ),
    (
      "hs0105-audience.yaml", .audienceMismatch, .warning, 28, 35,
      "written for advocate, not telecommunicator"
    ),
    (
      "hs0106-repeated.yaml", .repeatedScenario, .warning, 15, 35,
      "lists scenario 'tx-motel-whisper' twice"
    ),
    (
      "hs0107-later-part.yaml", .requiresLaterPart, .warning, 10, 16,
      "requires 'review', which comes after it"
    ),
  ]

  @Test(arguments: cases)
  func eachDiagnosticIsLocated(
    file: String, code: ScenarioCode, severity: Severity, line: Int, column: Int, words: String
  ) throws {
    let found = try Fixture.lint([file])
    let match = found.first { $0.code == code }
    let diagnostic = try #require(match, "\(file) raised \(found.map(\.description))")
    #expect(diagnostic.severity == severity)
    #expect(diagnostic.location.position == SourcePosition(line: line, column: column))
    #expect(diagnostic.message.contains(words), "\(diagnostic.message)")
    #expect(
      diagnostic.description.hasPrefix(
        "\(file):\(line):\(column): \(severity.rawValue)[\(code.rawValue)]"))
  }

  @Test func everyCurriculumCodeHasAFixture() {
    let curriculumCodes: [ScenarioCode] = [
      .unknownScenario, .unknownPart, .unreachablePart, .impossibleMastery, .audienceMismatch,
      .repeatedScenario, .requiresLaterPart,
    ]
    for code in curriculumCodes {
      #expect(Self.cases.contains { $0.1 == code }, "\(code.rawValue) has no fixture")
    }
  }

  @Test func twoCurriculaWithOneIDAreReported() throws {
    let found = try Fixture.lint(["hs0006-duplicate-a.yaml", "hs0006-duplicate-b.yaml"])
    #expect(found.map(\.code) == [.duplicateID])
    #expect(found.first?.location.file == "hs0006-duplicate-b.yaml")
    #expect(
      found.first?.message
        == "curriculum id 'same-course' is already used by hs0006-duplicate-a.yaml")
  }

  @Test func aCycleNamesBothParts() throws {
    let found = try Fixture.lint(["hs0103-cycle.yaml"]).filter { $0.code == .unreachablePart }
    #expect(found.count == 2)
    #expect(found.last?.message.contains("(assess -> recognise -> assess)") == true)
  }

  @Test func wrongValuesAreNamed() throws {
    let clean = try Fixture.text("clean.yaml")
    let cases: [(String, String, String)] = [
      ("id: clean-course", "id: Clean Course", "'Clean Course' is not a curriculum id"),
      ("version: 1", "version: 0", "0 is not a version"),
      ("audience: telecommunicator", "audience: dispatcher", "'dispatcher' is not one of"),
      ("    mode: practice", "    mode: drill", "'drill' is not one of practice, assessment"),
      ("      level: compliant", "      level: good", "'good' is not one of high_compliance"),
      ("      consecutive: 2", "      consecutive: 0", "0 is not a number of attempts"),
      ("      attempts: 4", "      attempts: -1", "-1 is not a number of attempts"),
      (
        "    scenarios: [tx-motel-whisper, tx-wrong-caller]\n    mastery:\n      every",
        "    scenarios: []\n    mastery:\n      every", "name at least one scenario"
      ),
      ("parts:\n", "parts: []\nignored:\n", "name at least one part"),
      (
        "          - Ask whether the caller can speak safely.", "          - \"\"",
        "must not be empty"
      ),
    ]
    for (from, to, words) in cases {
      let text = clean.replacingOccurrences(of: from, with: to)
      #expect(text != clean, "\(from) is not in the fixture")
      let (course, found) = CurriculumLoader.parse(text, path: "c.yaml")
      #expect(course == nil)
      #expect(found.contains { $0.message.contains(words) }, "\(to): \(found)")
    }
  }

  @Test func anEmptyFileAndAScenarioAreTold() {
    #expect(CurriculumLoader.parse("", path: "e.yaml").1.first?.message == "empty curriculum file")
    #expect(CurriculumLoader.looksLikeCurriculum("id: x\nparts: []\n"))
    #expect(!CurriculumLoader.looksLikeCurriculum("id: x\ntopics: []\n"))
    #expect(!CurriculumLoader.looksLikeCurriculum("- a list\n"))
  }

  @Test func aCatalogFindsByIDAndSuggests() throws {
    let catalog = CurriculumCatalog(root: Fixture.folder.path)
    #expect(try catalog.find("clean-course").id == "clean-course")
    #expect(throws: CurriculumError.self) { try catalog.find("clean-cours") }
    do {
      _ = try catalog.find("clean-cours")
    } catch {
      #expect(
        error.description.hasPrefix("no curriculum 'clean-cours' (did you mean 'clean-course'?)"))
    }
    do {
      _ = try catalog.find("hs0005-invalid-value")
      Issue.record("a broken file was found")
    } catch {
      guard case .invalid(let diagnostics) = error else {
        Issue.record("expected .invalid, got \(error)")
        return
      }
      #expect(diagnostics.contains { $0.code == .invalidValue })
    }
  }
}
