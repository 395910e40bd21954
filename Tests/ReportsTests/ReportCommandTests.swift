import Foundation
import ResultsStore
import Testing

/// The built `hotline-sim`, run from the repository root as a user would run it.
enum ReportBinary {
  /// Beside the test bundle (whatever the build folder), else in `.build/debug`.
  static let path: String? = {
    let candidates = [
      URL(fileURLWithPath: CommandLine.arguments.first ?? "").deletingLastPathComponent()
        .appendingPathComponent("hotline-sim").path,
      ReportFixture.root.appendingPathComponent(".build/debug/hotline-sim").path,
    ]
    return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
  }()

  struct Result {
    var status: Int32
    var stdout: String
    var stderr: String
  }

  static func run(_ arguments: [String]) throws -> Result {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: try #require(path))
    process.arguments = arguments
    process.currentDirectoryURL = ReportFixture.root
    var environment = ProcessInfo.processInfo.environment
    environment["NO_COLOR"] = "1"
    // Never the user's own store: every test passes --db.
    environment["HOTLINESIM_DB"] = "/nonexistent/never-used.sqlite"
    process.environment = environment
    // Output through files: a large report cannot fill a pipe and stall the binary.
    let folder = FileManager.default.temporaryDirectory
      .appendingPathComponent("hotline-report-run-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    let out = folder.appendingPathComponent("stdout")
    let err = folder.appendingPathComponent("stderr")
    _ = FileManager.default.createFile(atPath: out.path, contents: nil)
    _ = FileManager.default.createFile(atPath: err.path, contents: nil)
    process.standardOutput = try FileHandle(forWritingTo: out)
    process.standardError = try FileHandle(forWritingTo: err)
    process.standardInput = FileHandle.nullDevice
    try process.run()
    process.waitUntilExit()
    return Result(
      status: process.terminationStatus, stdout: try String(contentsOf: out, encoding: .utf8),
      stderr: try String(contentsOf: err, encoding: .utf8))
  }
}

@Suite(
  "hotline-sim report", .enabled(if: ReportBinary.path != nil, "hotline-sim is not built"))
struct ReportCommandTests {
  typealias F = ReportFixture

  @Test func anUnknownTraineeCohortOrSessionIsBadInputThatNamesIt() throws {
    let store = try F.store()
    let trainee = try ReportBinary.run(["report", "trainee", "Nobody Here", "--db", store.path])
    #expect(trainee.status == 64)
    #expect(trainee.stderr.contains("no trainee named 'Nobody Here' in \(store.path)"))
    #expect(trainee.stderr.contains("(known: Dana Whitfield, Luis Ortega, Marcus Okafor"))
    #expect(trainee.stdout.isEmpty)
    let cohort = try ReportBinary.run(["report", "cohort", "Jan", "--db", store.path])
    #expect(cohort.status == 64)
    #expect(cohort.stderr.contains("no cohort named 'Jan' in \(store.path) (known: Dec, Nov)"))
    let session = try ReportBinary.run(["report", "session", "ffffffff", "--db", store.path])
    #expect(session.status == 64)
    #expect(session.stderr.contains("no session has the id 'ffffffff'"))
    let missing = try ReportBinary.run(["report", "trainee", "--db", store.path])
    #expect(missing.status == 64)
    #expect(missing.stderr.contains("report trainee needs a name"))
    let kind = try ReportBinary.run(["report", "team", "--db", store.path])
    #expect(kind.status == 64)
  }

  @Test func anEmptyStoreSaysSoAndWritesNothing() throws {
    let folder = FileManager.default.temporaryDirectory
      .appendingPathComponent("hotline-report-empty-\(UUID().uuidString)")
    let db = folder.appendingPathComponent("results.sqlite").path
    _ = try ResultsStore(path: db)
    let output = folder.appendingPathComponent("cohort.html").path
    let result = try ReportBinary.run([
      "report", "cohort", "--format", "html", "--output", output, "--db", db,
    ])
    #expect(result.status == 0)
    #expect(result.stdout.isEmpty)
    #expect(
      result.stderr == "hotline-sim: no attempts are recorded in \(db) yet; nothing to report\n")
    #expect(!FileManager.default.fileExists(atPath: output))
  }

  @Test func theOutputFileIsReplacedWholeAndTheSameStoreGivesTheSameBytes() throws {
    let store = try F.store()
    let folder = FileManager.default.temporaryDirectory
      .appendingPathComponent("hotline-report-output-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    let output = folder.appendingPathComponent("nov.html")
    try Data("an older report".utf8).write(to: output)
    let arguments = ["report", "cohort", "Nov", "--format", "html", "--db", store.path]
    let first = try ReportBinary.run(arguments + ["--output", output.path])
    #expect(first.status == 0)
    #expect(first.stdout.isEmpty)
    #expect(first.stderr == "Wrote the html report to \(output.path)\n")
    let written = try Data(contentsOf: output)
    let second = try ReportBinary.run(arguments)
    #expect(second.status == 0)
    #expect(Data(second.stdout.utf8) == written)
    #expect(second.stdout.hasPrefix("<!DOCTYPE html>"))
    // Only the report is left in the folder: no temporary file beside it.
    #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["nov.html"])
    let badFolder = try ReportBinary.run(
      arguments + ["--output", folder.appendingPathComponent("missing/nov.html").path])
    #expect(badFolder.status == 64)
    #expect(badFolder.stderr.contains("does not exist"))
  }

  @Test func theTextReportsReadTitlesFromTheScenarioFiles() throws {
    let store = try F.store()
    let trainee = try ReportBinary.run(["report", "trainee", "Dana Whitfield", "--db", store.path])
    #expect(trainee.status == 0)
    #expect(trainee.stdout.hasPrefix("Trainee report: Dana Whitfield\nCohort Nov · 9 attempts"))
    #expect(trainee.stdout.contains("Progress: Texas 911"))
    let id = try F.sessionID("Luis Ortega", "tx-wrong-caller", 2, in: store)
    let session = try ReportBinary.run([
      "report", "session", String(id.prefix(8)), "--db", store.path,
    ])
    #expect(session.status == 0)
    #expect(session.stdout.hasPrefix("Session report: "))
    #expect(session.stdout.contains("Luis Ortega · cohort Nov · session \(id.prefix(8))"))
    let everyone = try ReportBinary.run(["report", "cohort", "--db", store.path])
    #expect(everyone.status == 0)
    #expect(everyone.stdout.hasPrefix("Cohort report: all trainees\n5 trainees · 37 attempts"))
  }

  @Test func noEscapeSequenceFromTheStoreReachesTheTerminal() throws {
    let name = "Dana \u{1B}[31mWhitfield\u{07}"
    let store = try F.store { session in
      if session["trainee"] as? String == "Dana Whitfield" { session["trainee"] = name }
    }
    let result = try ReportBinary.run(["report", "trainee", name, "--db", store.path])
    #expect(result.status == 0)
    let clean = !result.stdout.unicodeScalars.contains { $0 == "\u{1B}" || $0 == "\u{07}" }
    #expect(clean)
    #expect(result.stdout.hasPrefix("Trainee report: Dana Whitfield\n"))
  }
}
