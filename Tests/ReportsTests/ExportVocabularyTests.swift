import CurriculumKit
import Foundation
import ProtocolEngine
import Reports
import ResultsStore
import ScenarioKit
import Testing

/// Values and tools the export tests share: the fixture course, hand-made sessions at fixed
/// times, and python3 as the independent reader (its `csv`, `uuid` and `xml` modules).
enum ExportFixtures {
  static let testsFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
  static let root = testsFolder.deletingLastPathComponent().deletingLastPathComponent()
  static let fixtures = testsFolder.appendingPathComponent("Fixtures")

  /// `Fixtures/export-curriculum.yaml`.
  static func curriculum() throws -> Curriculum {
    let (curriculum, diagnostics) = CurriculumCatalog.load(
      path: fixtures.appendingPathComponent("export-curriculum.yaml").path)
    return try #require(curriculum, "\(diagnostics)")
  }

  /// 2026-11-20T09:00:00Z, the fixture sessions' first start.
  static let start = Date(timeIntervalSince1970: 1_795_165_200)

  /// A fixed session id: `00000000-0000-4000-8000-0000000000nn`.
  static func id(_ number: Int) -> String {
    let digits = String(number)
    return "00000000-0000-4000-8000-" + String(repeating: "0", count: 12 - digits.count) + digits
  }

  /// A ruleset hash that looks like one.
  static let ruleset = String(repeating: "ab12", count: 16)

  /// A hand-made session with its score.
  ///
  /// - Parameters:
  ///   - minute: Minutes after ``start`` at which it began; it ended two and a half minutes
  ///     later (wall clock).
  ///   - part: `(curriculum, part)` or nil for a session outside curricula.
  ///   - score: Nil for no score at all (an active session).
  ///   - clock: The simulated clock at the end, as the score record writes it.
  static func session(
    _ number: Int, trainee: String, cohort: String? = "Nov", scenario: String,
    part: (String, String)? = ("export-fixture", "first"), status: SessionStatus = .submitted,
    endReason: String? = nil, score: Int? = 90, compliance: String = "compliant",
    deviations: [StoredDeviation] = [], minute: Int = 0, clock: String = "06:30"
  ) -> SessionSummary {
    let started = start.addingTimeInterval(Double(minute) * 60)
    let record = SessionRecord(
      id: id(number), traineeName: trainee, cohort: cohort, scenarioID: scenario,
      scenarioVersion: 2, scenarioSHA256: "s", scenarioPath: "Scenarios/\(scenario).yaml",
      rulesetVersion: "2026.11.0", rulesetSHA256: ruleset, mode: "practice",
      audience: "telecommunicator", seed: 1, asOf: "2026-11-20", realTime: false,
      curriculumID: part?.0, curriculumVersion: part == nil ? nil : 3, partID: part?.1,
      startedAt: started, pid: 1, host: "test", status: status,
      endReason: status == .active ? nil : (endReason ?? status.rawValue),
      endedAt: status == .active ? nil : started.addingTimeInterval(150))
    let stored = score.map {
      StoredScore(
        score: $0, compliance: compliance, accuracyRevealed: 1, accuracyTruth: 1,
        deviations: deviations,
        record: #"{"score":\#($0),"attempt":{"trainee":"x","clock":"\#(clock)"}}"#)
    }
    return SessionSummary(session: record, score: status == .active ? nil : stored)
  }

  /// A deviation as the store keeps it.
  static func deviation(_ severity: String, at: Int = 95, message: String = "Missed it.")
    -> StoredDeviation
  {
    StoredDeviation(
      severity: severity, category: "key_fact", at: at, message: message,
      because: "TX-MINOR-01 needs the age.")
  }

  struct Output {
    var status: Int32
    var stdout: String
    var stderr: String
  }

  /// Runs `python3 -c script input-file`, the input handed over as a file so that neither
  /// side can block on a full pipe.
  static func python(_ script: String, input: String = "") throws -> Output {
    let folder = FileManager.default.temporaryDirectory
      .appendingPathComponent("hotline-export-py-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let inputFile = folder.appendingPathComponent("input")
    let errorFile = folder.appendingPathComponent("stderr")
    try Data(input.utf8).write(to: inputFile)
    _ = FileManager.default.createFile(atPath: errorFile.path, contents: nil)
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", "-c", script, inputFile.path]
    let stdout = Pipe()
    process.standardOutput = stdout
    process.standardError = try FileHandle(forWritingTo: errorFile)
    try process.run()
    let out = stdout.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return Output(
      status: process.terminationStatus, stdout: String(decoding: out, as: UTF8.self),
      stderr: (try? String(contentsOf: errorFile, encoding: .utf8)) ?? "")
  }

  /// Parses one JSON line into a dictionary.
  static func object(_ line: some StringProtocol) throws -> [String: Any] {
    let value = try JSONSerialization.jsonObject(with: Data(line.utf8))
    return try #require(value as? [String: Any])
  }
}

@Suite("Export vocabulary: home pages and identifiers")
struct ExportVocabularyTests {
  @Test(arguments: [
    ("https://lms.example.gov", "https://lms.example.gov"),
    ("https://lms.example.gov/", "https://lms.example.gov"),
    ("http://training.example.org/hotline//", "http://training.example.org/hotline"),
  ])
  func aHomePageIsAnAbsoluteHTTPURL(text: String, url: String) {
    #expect(ExportHomePage(text)?.url == url)
  }

  @Test(arguments: [
    "lms.example.gov", "ftp://lms.example.gov", "https://", "https://lms.example.gov/?a=1",
    "https://lms.example.gov/#top", "https://user@lms.example.gov", "https://lms example.gov",
    "/relative/path", "",
  ])
  func anythingElseIsRefused(text: String) {
    #expect(ExportHomePage(text) == nil)
  }

  @Test func theDefaultHomePageIsFictional() {
    #expect(ExportHomePage.fictional.url == "https://hotline-sim.example.org")
  }

  /// Statement ids are RFC 9562 version-5 UUIDs; python's `uuid.uuid5` (an independent
  /// implementation) computes the same ones from the documented name.
  @Test func statementIDsAreTheVersion5UUIDsPythonComputes() throws {
    let sessions = [
      ExportFixtures.session(1, trainee: "Ana", scenario: "adult-text-no-consent"),
      ExportFixtures.session(2, trainee: "Bo", scenario: "tx-wrong-caller", status: .abandoned),
    ]
    let home = try #require(ExportHomePage("https://lms.example.gov/hotline"))
    let lines = XAPIStatements(homePage: home).jsonLines(sessions).split(separator: "\n")
    var names: [String] = []
    var ids: [String] = []
    for line in lines {
      let statement = try ExportFixtures.object(line)
      let verb = try #require((statement["verb"] as? [String: Any])?["id"] as? String)
      let context = try #require(statement["context"] as? [String: Any])
      let session = try #require(context["registration"] as? String)
      let short = try #require(verb.split(separator: "/").last)
      names.append("https://lms.example.gov/hotline/xapi/statements/\(session)/\(short)")
      ids.append(try #require(statement["id"] as? String))
    }
    let python = try ExportFixtures.python(
      """
      import sys, uuid
      for name in open(sys.argv[1]).read().splitlines():
          print(uuid.uuid5(uuid.NAMESPACE_URL, name))
      """, input: names.joined(separator: "\n"))
    #expect(python.status == 0, "\(python.stderr)")
    #expect(python.stdout.split(separator: "\n").map(String.init) == ids)
    #expect(ids.allSatisfy { $0.dropFirst(14).first == "5" })
  }
}
