import Foundation
import Reports
import ResultsStore
import Testing

/// `hotline-sim export` as a coordinator runs it: the binary built beside these tests.
@Suite("Export: the hotline-sim export command")
struct ExportCommandTests {
  /// `hotline-sim` in the folder the test runner was built in, else `.build/debug`.
  static let binary: String? = {
    let runner = URL(fileURLWithPath: CommandLine.arguments.first ?? "")
      .deletingLastPathComponent().appendingPathComponent("hotline-sim").path
    let debug = ExportFixtures.root.appendingPathComponent(".build/debug/hotline-sim").path
    return [runner, debug].first { FileManager.default.isExecutableFile(atPath: $0) }
  }()

  static let fixtureCourse = ExportFixtures.fixtures
    .appendingPathComponent("export-curriculum.yaml").path

  static func scratch() throws -> URL {
    let folder = FileManager.default.temporaryDirectory
      .appendingPathComponent("hotline-export-cmd-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    return folder
  }

  /// A store holding the gradebook fixture's sessions, written through the store's API.
  static func store(in folder: URL) throws -> String {
    let path = folder.appendingPathComponent("results.sqlite").path
    let store = try ResultsStore(path: path)
    for summary in ExportGradebookTests.sessions {
      let session = summary.session
      let begun = try store.begin(
        NewSession(
          trainee: session.traineeName, cohort: session.cohort, scenarioID: session.scenarioID,
          scenarioVersion: session.scenarioVersion, scenarioSHA256: session.scenarioSHA256,
          scenarioPath: session.scenarioPath, rulesetVersion: session.rulesetVersion,
          rulesetSHA256: session.rulesetSHA256, mode: session.mode, audience: session.audience,
          seed: session.seed, asOf: session.asOf, realTime: false,
          curriculumID: session.curriculumID, curriculumVersion: session.curriculumVersion,
          partID: session.partID, startedAt: session.startedAt, pid: 1, host: "test"))
      guard session.status != .active, let ended = session.endedAt else { continue }
      try store.finish(
        begun.id, status: session.status, endReason: session.endReason ?? "submitted",
        endedAt: ended, score: summary.score)
    }
    return path
  }

  static func run(_ arguments: [String]) throws -> ExportFixtures.Output {
    let binary = try #require(binary)
    let folder = try scratch()
    defer { try? FileManager.default.removeItem(at: folder) }
    let out = folder.appendingPathComponent("stdout")
    let err = folder.appendingPathComponent("stderr")
    _ = FileManager.default.createFile(atPath: out.path, contents: nil)
    _ = FileManager.default.createFile(atPath: err.path, contents: nil)
    let process = Process()
    process.executableURL = URL(fileURLWithPath: binary)
    process.arguments = ["export"] + arguments
    process.currentDirectoryURL = ExportFixtures.root
    var environment = ProcessInfo.processInfo.environment
    environment["HOTLINESIM_DB"] = folder.appendingPathComponent("unused.sqlite").path
    process.environment = environment
    process.standardInput = FileHandle.nullDevice
    process.standardOutput = try FileHandle(forWritingTo: out)
    process.standardError = try FileHandle(forWritingTo: err)
    try process.run()
    process.waitUntilExit()
    return ExportFixtures.Output(
      status: process.terminationStatus,
      stdout: (try? String(contentsOf: out, encoding: .utf8)) ?? "",
      stderr: (try? String(contentsOf: err, encoding: .utf8)) ?? "")
  }

  /// Bad usage exits 64 and names what is wrong.
  @Test(
    .enabled(if: binary != nil, "hotline-sim is not built (swift build)"),
    arguments: [
      (["--format", "pdf"], "--format"),
      (["--format", "csv", "--since", "last week"], "--since: 'last week' is not a date"),
      (["--format", "xapi", "--home-page", "lms.example.gov"], "--home-page: 'lms.example.gov'"),
      (["--format", "cmi5"], "give --curriculum ID, or --output DIR"),
      (
        ["--format", "cmi5", "--curriculum", "texas-911-dispatch", "--trainee", "Ana"],
        "--trainee does not apply to --format cmi5"
      ),
      (
        ["--format", "csv", "--output", "/nonexistent-hotline-folder/grades.csv"],
        "--output: the folder '/nonexistent-hotline-folder' does not exist"
      ),
      (["--format", "csv", "--output", "/tmp"], "--output: '/tmp' is a folder"),
      (["--format", "xapi", "--curriculum", "no-such-course"], "no curriculum 'no-such-course'"),
    ])
  func badUsageExits64NamingIt(arguments: [String], message: String) throws {
    let result = try Self.run(arguments)
    #expect(result.status == 64)
    #expect(result.stderr.contains(message), "\(result.stderr)")
    #expect(result.stdout.isEmpty)
  }

  /// The gradebook goes to --output whole (written beside it and renamed, so no temporary
  /// file stays behind), and a spreadsheet's reader gets the fixture's rows.
  @Test(.enabled(if: binary != nil, "hotline-sim is not built (swift build)"))
  func theGradebookIsWrittenToOutput() throws {
    let folder = try Self.scratch()
    defer { try? FileManager.default.removeItem(at: folder) }
    let db = try Self.store(in: folder)
    let target = folder.appendingPathComponent("out/grades.csv")
    try FileManager.default.createDirectory(
      at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
    try Data("old contents\n".utf8).write(to: target)
    let result = try Self.run([
      "--format", "csv", "--db", db, "--curriculum", Self.fixtureCourse, "--output", target.path,
    ])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout.isEmpty)
    #expect(result.stderr.contains("Wrote 9 gradebook rows to \(target.path)"))
    let expected = try Data(
      contentsOf: ExportFixtures.fixtures.appendingPathComponent("export-gradebook.csv"))
    #expect(try Data(contentsOf: target) == expected)
    let left = try FileManager.default.contentsOfDirectory(
      atPath: target.deletingLastPathComponent().path)
    #expect(left == ["grades.csv"])
  }

  /// Two runs over one store print the same statements; --since and --trainee narrow them.
  @Test(.enabled(if: binary != nil, "hotline-sim is not built (swift build)"))
  func statementsAreTheSameOnEveryRun() throws {
    let folder = try Self.scratch()
    defer { try? FileManager.default.removeItem(at: folder) }
    let db = try Self.store(in: folder)
    let first = try Self.run(["--format", "xapi", "--db", db])
    let second = try Self.run(["--format", "xapi", "--db", db])
    #expect(first.status == 0, "\(first.stderr)")
    #expect(first.stdout == second.stdout)
    #expect(first.stdout.split(separator: "\n").count == 18)
    let narrowed = try Self.run([
      "--format", "xapi", "--db", db, "--trainee", "Ana Ruiz", "--since", "2026-11-20",
      "--home-page", "https://lms.example.gov/",
    ])
    #expect(narrowed.status == 0, "\(narrowed.stderr)")
    let lines = narrowed.stdout.split(separator: "\n")
    #expect(lines.count == 11)
    #expect(lines.allSatisfy { $0.contains("\"homePage\":\"https://lms.example.gov\"") })
  }

  /// Without --curriculum, cmi5 writes DIR/<id>/cmi5.xml for every shipped curriculum.
  @Test(.enabled(if: binary != nil, "hotline-sim is not built (swift build)"))
  func everyCurriculumGetsItsCourseStructure() throws {
    let folder = try Self.scratch()
    defer { try? FileManager.default.removeItem(at: folder) }
    let target = folder.appendingPathComponent("lms")
    let result = try Self.run([
      "--format", "cmi5", "--output", target.path, "--curricula",
      ExportFixtures.root.appendingPathComponent("Curricula").path,
    ])
    #expect(result.status == 0, "\(result.stderr)")
    let written = try FileManager.default.contentsOfDirectory(atPath: target.path).sorted()
    #expect(
      written == ["hotline-advocate-onboarding", "task-force-tabletop", "texas-911-dispatch"])
    for id in written {
      let xml = try String(
        contentsOf: target.appendingPathComponent(id).appendingPathComponent("cmi5.xml"),
        encoding: .utf8)
      #expect(xml.contains("<course id=\"https://hotline-sim.example.org/curricula/\(id)\">"))
    }
  }
}
