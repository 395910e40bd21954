import Foundation
import ProtocolEngine
import ScenarioKit
import Testing

/// Hostile or careless scenario values (issue 13): each ends in a located error with its
/// code, never a crash, a hang or a value accepted by mistake.
@Suite("Hardening: scenario values")
struct HardeningValueTests {
  static let huge = "99999999999999999:00"

  /// (what the fixture says, what the hostile copy says, the diagnostic expected).
  static let cases: [(String, String, String)] = [
    (
      "time_limit: \"08:00\"", "time_limit: \"\(huge)\"",
      "s.yaml:9:13: error[HS0005]: time_limit: '\(huge)' is longer than 24 hours (\"1440:00\" or 86400 seconds), the longest time a scenario may give"
    ),
    (
      "time_limit: \"08:00\"", "time_limit: 86401",
      "s.yaml:9:13: error[HS0005]: time_limit: '86401' is longer than 24 hours (\"1440:00\" or 86400 seconds), the longest time a scenario may give"
    ),
    (
      "time_limit: \"08:00\"", "time_limit: \"1440:01\"",
      "s.yaml:9:13: error[HS0005]: time_limit: '1440:01' is longer than 24 hours (\"1440:00\" or 86400 seconds), the longest time a scenario may give"
    ),
    (
      "time_limit: \"08:00\"", "time_limit: 999999999999999999999999",
      "s.yaml:9:13: error[HS0005]: time_limit: '999999999999999999999999' is longer than 24 hours (\"1440:00\" or 86400 seconds), the longest time a scenario may give"
    ),
    (
      "at: \"02:00\"", "at: \"\(huge)\"",
      "s.yaml:83:9: error[HS0005]: events[0].at: '\(huge)' is longer than 24 hours (\"1440:00\" or 86400 seconds), the longest time a scenario may give"
    ),
    (
      "seconds: 60", "seconds: \"\(huge)\"",
      "s.yaml:117:14: error[HS0005]: conduct[2].seconds: '\(huge)' is longer than 24 hours (\"1440:00\" or 86400 seconds), the longest time a scenario may give"
    ),
    (
      "time_limit: \"08:00\"", "time_limit: \"+6:30\"",
      "s.yaml:9:13: error[HS0005]: time_limit: '+6:30' is not a time (\"mm:ss\" or seconds)"
    ),
    (
      "time_limit: \"08:00\"", "time_limit: \"-6:30\"",
      "s.yaml:9:13: error[HS0005]: time_limit: '-6:30' is not a time (\"mm:ss\" or seconds)"
    ),
    (
      "time_limit: \"08:00\"", "time_limit: +390",
      "s.yaml:9:13: error[HS0005]: time_limit: '+390' is not a time (\"mm:ss\" or seconds)"
    ),
    (
      "time_limit: \"08:00\"", "time_limit: \" 6:30\"",
      "s.yaml:9:13: error[HS0005]: time_limit: ' 6:30' is not a time (\"mm:ss\" or seconds)"
    ),
    (
      "time_limit: \"08:00\"", "time_limit: \"6:3\"",
      "s.yaml:9:13: error[HS0005]: time_limit: '6:3' is not a time (\"mm:ss\" or seconds)"
    ),
    (
      "time_limit: \"08:00\"", "time_limit: \"6:60\"",
      "s.yaml:9:13: error[HS0005]: time_limit: '6:60' is not a time (\"mm:ss\" or seconds)"
    ),
    (
      "time_limit: \"08:00\"", "time_limit: \"1:2:03\"",
      "s.yaml:9:13: error[HS0005]: time_limit: '1:2:03' is not a time (\"mm:ss\" or seconds)"
    ),
    (
      // Arabic-Indic digits are digits to `Character.isNumber`, not to a clock.
      "time_limit: \"08:00\"", "time_limit: \"٠٨:٠٠\"",
      "s.yaml:9:13: error[HS0005]: time_limit: '٠٨:٠٠' is not a time (\"mm:ss\" or seconds)"
    ),
    (
      // Seconds are a plain number; quoted, the number is text.
      "time_limit: \"08:00\"", "time_limit: \"390\"",
      "s.yaml:9:13: error[HS0005]: time_limit: '390' is not a time (\"mm:ss\" or seconds)"
    ),
    (
      "version: 3", "version: -1",
      "s.yaml:3:10: error[HS0005]: version: -1 is not a version (a whole number, 1 or more)"
    ),
    (
      "version: 3", "version: 0",
      "s.yaml:3:10: error[HS0005]: version: 0 is not a version (a whole number, 1 or more)"
    ),
    (
      "say: Austin, in Travis County.", "say: []",
      "s.yaml:40:14: error[HS0005]: topics[1].answers[0].say: an empty list; give at least one wording, or leave 'say' out"
    ),
    (
      "say: Austin, in Travis County.", "say: \"  \"",
      "s.yaml:40:14: error[HS0005]: topics[1].answers[0].say: an empty reply; write what is said, or leave 'say' out"
    ),
    (
      "say: [\"She's 19, I think.\", \"Nineteen, maybe?\"]", "say: [\"She's 19, I think.\", \"\"]",
      "s.yaml:49:37: error[HS0005]: topics[2].answers[1].say[1]: an empty reply; write what is said, or leave 'say' out"
    ),
    (
      "say: (The line goes dead.)", "say: []",
      "s.yaml:89:10: error[HS0005]: events[1].say: an empty list; give at least one wording, or leave 'say' out"
    ),
    (
      "  reporter.relationship: family", "  victims[100000000].language: en",
      "s.yaml:23:3: error[HS0011]: known.victims[100000000].language: victim index 100000000 is over the limit: a report has at most 100 victims (indexes 0 to 99)"
    ),
    (
      "reveals: { \"victims[0].age\": 19 }", "reveals: { \"victims[100000000].language\": en }",
      "s.yaml:50:20: error[HS0011]: topics[2].answers[1].reveals.victims[100000000].language: victim index 100000000 is over the limit: a report has at most 100 victims (indexes 0 to 99)"
    ),
    (
      "sets: { imminent_danger: true }",
      "sets: { \"victims[99999999999999999999999].language\": en }",
      "s.yaml:85:13: error[HS0011]: events[0].sets.victims[99999999999999999999999].language: 'victims[99999999999999999999999].language' is not a fact that can be set"
    ),
    (
      "sets: { imminent_danger: true }", "sets: { \"victims[100].age\": 30 }",
      "s.yaml:85:13: error[HS0011]: events[0].sets.victims[100].age: victim index 100 is over the limit: a report has at most 100 victims (indexes 0 to 99)"
    ),
    (
      "id: mini-scenario", "id: \(String(repeating: "a", count: 65))",
      "s.yaml:1:5: error[HS0005]: id: 65 characters; at most 64"
    ),
    (
      "title: A mother calls about her daughter (test fixture)",
      "title: \(String(repeating: "t", count: 201))",
      "s.yaml:2:8: error[HS0005]: title: 201 characters; at most 200"
    ),
  ]

  @Test("A hostile value is a located error", arguments: cases)
  func located(target: String, replacement: String, expected: String) throws {
    let found = try Fixtures.diagnostics(replacing: target, with: replacement)
    #expect(found.contains(expected), "\(found)")
  }

  /// The largest values allowed still load.
  @Test(arguments: [
    ("time_limit: \"08:00\"", "time_limit: \"1440:00\""),
    ("time_limit: \"08:00\"", "time_limit: 86400"),
    ("time_limit: \"08:00\"", "time_limit: \"0:00\""),
    ("at: \"02:00\"", "at: \"9:05\""),
    ("version: 3", "version: 1"),
    ("reveals: { \"victims[0].age\": 19 }", "reveals: { \"victims[99].age\": 19 }"),
  ])
  func theLimitsThemselvesAreAllowed(target: String, replacement: String) throws {
    let text = try Fixtures.text().replacingOccurrences(of: target, with: replacement)
    let (scenario, diagnostics) = ScenarioLoader.parse(text, path: "s.yaml")
    #expect(scenario != nil, "\(diagnostics.map(\.description))")
  }

  @Test func aDayLongTimeLimitIsKeptInSeconds() throws {
    let text = try Fixtures.text().replacingOccurrences(
      of: "time_limit: \"08:00\"", with: "time_limit: \"1440:00\"")
    let scenario = try #require(ScenarioLoader.parse(text, path: "s.yaml").0)
    #expect(scenario.timeLimit == ScenarioLoader.maximumSeconds)
    #expect(ScenarioLoader.maximumSeconds == 86_400)
  }

  /// 1,000 nested parentheses in a condition overflowed the parser's stack (SIGSEGV in
  /// `lint` and `play`): now an HS0020 at the condition.
  @Test func aDeeplyNestedConditionIsAnErrorNotACrash() throws {
    let deep =
      String(repeating: "(", count: 1000) + "asked(\"school\")"
      + String(repeating: ")", count: 1000)
    let found = try Fixtures.diagnostics(
      replacing: "when: asked(\"school\")", with: "when: '\(deep)'")
    #expect(
      found.contains { $0.hasPrefix("s.yaml:46:") && $0.contains("error[HS0020]: ") }, "\(found)")
  }

  /// A 3,000-term `&&` chain, the other shape that overflowed.
  @Test func aLongConditionIsAnErrorNotACrash() throws {
    let long = Array(repeating: "asked(\"school\")", count: 3000).joined(separator: " && ")
    let found = try Fixtures.diagnostics(
      replacing: "when: asked(\"school\")", with: "when: '\(long)'")
    #expect(
      found.contains { $0.hasPrefix("s.yaml:46:") && $0.contains("error[HS0020]: ") }, "\(found)")
  }

  /// YAML nested 10,000 deep where text is expected: an error, not a crash.
  @Test func deeplyNestedYAMLIsAnErrorNotACrash() throws {
    let deep = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
    let text = try Fixtures.text().replacingOccurrences(
      of: "summary: Test fixture for the player and scoring.", with: "summary: \(deep)")
    let (scenario, diagnostics) = ScenarioLoader.parse(text, path: "s.yaml")
    #expect(scenario == nil)
    #expect(diagnostics.contains { $0.severity == .error && $0.location.position.line == 8 })
  }

  /// Anchors and aliases repeated ("billion laughs"), at the top and inside a topic where
  /// the loader looks for `reveals`: no walk over an exponential tree.
  @Test(arguments: ["topics:\n", "  - id: safe\n"])
  func repeatedAliasesDoNotBlowUp(before anchor: String) throws {
    let indent = String(anchor.prefix { $0 == " " }) + (anchor.hasPrefix(" ") ? "  " : "")
    var yaml = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n"
    for level in 1...12 {
      let previous = "*a\(level - 1)"
      yaml +=
        "a\(level): &a\(level) [\(Array(repeating: previous, count: 10).joined(separator: ", "))]\n"
    }
    let bomb =
      indent + "x_bomb:\n"
      + yaml.split(separator: "\n").map { indent + "  " + $0 }.joined(separator: "\n") + "\n"
    let text = try Fixtures.text().replacingOccurrences(
      of: anchor, with: anchor.hasPrefix(" ") ? anchor + bomb : bomb + anchor)
    let (scenario, diagnostics) = ScenarioLoader.parse(text, path: "s.yaml")
    #expect(scenario == nil)
    #expect(
      diagnostics.contains { $0.severity == .error && $0.code == .unknownKey }, "\(diagnostics)")
  }

  /// An empty `say` used to load as a caller who says nothing; the player never showed it.
  @Test func everyShippedReplySaysSomething() throws {
    let scenario = try Fixtures.scenario()
    let replies =
      scenario.topics.flatMap { $0.answers.map(\.effect.say) } + scenario.events.map(\.effect.say)
    #expect(replies.allSatisfy { $0.isEmpty || $0.variants.allSatisfy { !$0.isEmpty } })
  }
}

/// Files that cannot be read: a plain reason, located, as HS0001; never a hang on a pipe.
@Suite("Hardening: unreadable files", .serialized)
struct HardeningFileTests {
  static let hardening = Fixtures.folder.appendingPathComponent("Fixtures/hardening")

  /// A fresh folder holding what each test puts there.
  static func folder() throws -> URL {
    let url = FileManager.default.temporaryDirectory
      .appendingPathComponent("hotline-hardening-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
  }

  static func only(_ path: String) -> [String] {
    ScenarioCatalog.load(path: path, geography: nil).1.map(\.description)
  }

  @Test func invalidUTF8IsLocatedAtTheFirstBadByte() {
    let path = Self.hardening.appendingPathComponent("not-utf8.yaml.txt").path
    #expect(
      Self.only(path) == [
        "\(path):2:48: error[HS0001]: the file is not UTF-8 text (byte 0xFF)"
      ])
  }

  @Test func aNamedPipeIsNotReadAndDoesNotBlock() throws {
    let folder = try Self.folder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let pipe = folder.appendingPathComponent("pipe.yaml").path
    #expect(mkfifo(pipe, 0o644) == 0)
    // Nothing ever writes to the pipe: opening it to read would block for ever.
    #expect(
      Self.only(pipe) == [
        "\(pipe):1:1: error[HS0001]: the file is not a regular file (a named pipe)"
      ])
    let catalog = ScenarioCatalog(root: folder.path)
    #expect(catalog.files == [pipe])
    #expect(
      catalog.loadAll(geography: nil).diagnostics.map(\.description) == [
        "\(pipe):1:1: error[HS0001]: the file is not a regular file (a named pipe)"
      ])
  }

  @Test func aFolderNamedLikeAScenarioIsNotAFile() throws {
    let folder = try Self.folder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let directory = folder.appendingPathComponent("looks-like.yaml")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    #expect(
      Self.only(directory.path) == [
        "\(directory.path):1:1: error[HS0001]: the file is not a regular file (a folder)"
      ])
    #expect(
      throws: ScenarioError.invalid([
        ScenarioDiagnostic(
          .error, .syntax, at: SourceLocation(file: directory.path, line: 1, column: 1),
          "the file is not a regular file (a folder)")
      ])
    ) {
      try ScenarioCatalog(root: folder.path).find(directory.path, geography: nil)
    }
  }

  @Test func aBrokenLinkIsSaidToBeOne() throws {
    let folder = try Self.folder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let link = folder.appendingPathComponent("gone.yaml").path
    try FileManager.default.createSymbolicLink(
      atPath: link, withDestinationPath: folder.appendingPathComponent("nowhere.yaml").path)
    #expect(Self.only(link) == ["\(link):1:1: error[HS0001]: the file is a broken link"])
    // Given by path, a broken link is that file, not an unknown scenario id.
    #expect(
      throws: ScenarioError.invalid([
        ScenarioDiagnostic(
          .error, .syntax, at: SourceLocation(file: link, line: 1, column: 1),
          "the file is a broken link")
      ])
    ) {
      try ScenarioCatalog(root: folder.path).find(link, geography: nil)
    }
  }

  @Test func aFileOverTheSizeLimitIsNotRead() throws {
    let folder = try Self.folder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let big = folder.appendingPathComponent("big.yaml")
    try Data(repeating: UInt8(ascii: "#"), count: ContentFile.maximumBytes + 1).write(to: big)
    #expect(
      Self.only(big.path) == [
        "\(big.path):1:1: error[HS0001]: the file is larger than 1 MiB, the most a content file may be"
      ])
  }

  @Test func aPipeIsReadWhenAsked() throws {
    // A verb script may come from `<(...)`: the caller asks for pipes to be read.
    let folder = try Self.folder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let pipe = folder.appendingPathComponent("verbs").path
    #expect(mkfifo(pipe, 0o644) == 0)
    let writer = Thread {
      let handle = FileHandle(forWritingAtPath: pipe)
      handle?.write(Data("ask location\nsubmit\n".utf8))
      try? handle?.close()
    }
    writer.start()
    #expect(try ContentFile.read(pipe, allowPipes: true) == "ask location\nsubmit\n")
  }

  @Test func duplicateIDsInTwoFoldersAreFoundAtTheSecondID() throws {
    let root = try Self.folder()
    defer { try? FileManager.default.removeItem(at: root) }
    for file in ["a/first", "b/second"] {
      let target = root.appendingPathComponent("\(file).yaml")
      try FileManager.default.createDirectory(
        at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
      try FileManager.default.copyItem(
        at: Self.hardening.appendingPathComponent("duplicates/\(file).yaml.txt"), to: target)
    }
    let (scenarios, diagnostics) = ScenarioCatalog(root: root.path).loadAll(geography: nil)
    #expect(scenarios.count == 1)
    #expect(
      diagnostics.filter { $0.severity == .error }.map(\.description) == [
        "\(root.path)/b/second.yaml:1:5: error[HS0006]: scenario id 'same-id' is already used by \(root.path)/a/first.yaml"
      ])
  }
}
