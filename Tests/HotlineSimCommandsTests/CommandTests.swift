import Foundation
import ResultsStore
import ScenarioKit
import Testing

/// Runs the real `hotline-sim` binary as a user would, checking output and exit codes.
@Suite("hotline-sim commands", .enabled(if: Binary.available))
struct CommandTests {
  @Test func listShowsTheShippedScenarios() throws {
    let text = try Binary.run(["list"])
    #expect(text.status == 0)
    #expect(text.stdout.hasPrefix("ID "))
    for id in ["tx-motel-whisper", "tx-minor-online-ad", "adult-text-no-consent"] {
      #expect(text.stdout.contains(id))
    }
    let json = try Binary.run(["list", "--format", "json"])
    let parsed = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]]
    // Every scenario file under Scenarios/ (rubrics.yaml is not a scenario).
    let files = try #require(
      FileManager.default.enumerator(atPath: Binary.root.appendingPathComponent("Scenarios").path)
    ).compactMap { $0 as? String }.filter { $0.hasSuffix(".yaml") && $0 != "rubrics.yaml" }
    #expect(parsed?.count == files.count)
    #expect(parsed?.first?["difficulty"] as? String != nil)
    // Grouped by folder, with a count per group and in all.
    #expect(text.stdout.contains("\ntx/ ("))
    #expect(text.stdout.hasSuffix("\(files.count) of \(files.count) scenarios\n"))
  }

  @Test func listFiltersByAudienceStateAndChannel() throws {
    func listed(_ arguments: [String]) throws -> [[String: Any]] {
      let result = try Binary.run(["list", "--format", "json"] + arguments)
      #expect(result.status == 0)
      return try #require(
        try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]])
    }
    let all = try listed([])
    let forTaskForces = try listed(["--audience", "task_force"])
    #expect(!forTaskForces.isEmpty && forTaskForces.count < all.count)
    #expect(
      forTaskForces.allSatisfy { ($0["audience"] as? [String])?.contains("task_force") == true })
    let texas = try listed(["--state", "tx"])
    #expect(!texas.isEmpty && texas.allSatisfy { $0["state"] as? String == "TX" })
    let calls = try listed(["--channel", "call", "--state", "TX"])
    #expect(!calls.isEmpty)
    #expect(
      calls.allSatisfy { $0["channel"] as? String == "call" && $0["state"] as? String == "TX" })
    let bad = try Binary.run(["list", "--channel", "fax"])
    #expect(bad.status == 64)
    #expect(bad.stderr.contains("--channel: 'fax' is not one of call"))
  }

  @Test func explainShowsTheEnginesDecisionOnTheTruth() throws {
    let result = try Binary.run([
      "explain", "tx-motel-whisper", "--as-of", "2026-11-29", "--format", "json",
    ])
    #expect(result.status == 0)
    #expect(result.stdout.hasPrefix("{\n  \"escalation\": \"emergency\""))
  }

  @Test func aScriptedPlayIsScoredAndTheRecordIsByteIdentical() throws {
    // The scenario's own strong golden transcript, as a script file.
    let text = try String(
      contentsOf: Binary.root.appendingPathComponent("Scenarios/tx/tx-minor-online-ad.yaml"),
      encoding: .utf8)
    let scenario = try #require(ScenarioLoader.parse(text, path: "tx-minor-online-ad.yaml").0)
    let strong = try #require(scenario.transcripts.first { $0.id == "strong" })
    let script = FileManager.default.temporaryDirectory
      .appendingPathComponent("hotline-sim-strong-\(UUID().uuidString).txt").path
    try strong.verbs.map(\.text).joined(separator: "\n").write(
      toFile: script, atomically: true, encoding: .utf8)
    defer { try? FileManager.default.removeItem(atPath: script) }
    let arguments = [
      "play", "tx-minor-online-ad", "--script", script, "--as-of", "2026-11-29", "--format", "json",
      "--trainee", "t",
    ]
    let first = try Binary.run(arguments)
    let second = try Binary.run(arguments)
    #expect(first.status == 0)
    #expect(first.stdout == second.stdout)
    #expect(first.stdout.contains("\"compliance\": \"high_compliance\""))
    #expect(first.stdout.contains("\"score\": 100"))
  }

  @Test func pipedVerbsAreEchoedAndDebriefed() throws {
    let result = try Binary.run(
      ["play", "tx-motel-whisper", "--as-of", "2026-11-29"],
      input: "ask where are you\nescalate emergency\n")
    #expect(result.status == 0)
    #expect(result.stdout.contains("[00:00 call] > ask where are you\n"))
    #expect(result.stdout.contains("(end of input: the attempt is submitted)"))
    #expect(result.stdout.contains("Debrief: "))
  }

  @Test func badInputExitsWithTheDocumentedCodes() throws {
    let unknown = try Binary.run(["play", "tx-motel-whispr"])
    #expect(unknown.status == 64)
    #expect(
      unknown.stderr.contains("no scenario 'tx-motel-whispr' (did you mean 'tx-motel-whisper'?)"))
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
      "hs-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let bad = folder.appendingPathComponent("bad.yaml")
    try "id: bad\ntitle: [unclosed\n".write(to: bad, atomically: true, encoding: .utf8)
    let broken = try Binary.run(["play", bad.path])
    #expect(broken.status == 1)
    #expect(broken.stderr.contains("bad.yaml:3:1: error[HS0001]: invalid YAML"))
    let lint = try Binary.run(["lint", folder.path])
    #expect(lint.status == 1)
    #expect(
      lint.stdout.contains("1 scenario checked: 1 error")
        || lint.stdout.contains("0 scenarios checked: 1 error"))
    let script = try Binary.run(["play", "tx-motel-whisper", "--script", "/nonexistent/script"])
    #expect(script.status == 64)
    #expect(script.stderr == "hotline-sim: --script: cannot read /nonexistent/script\n")
    let date = try Binary.run(["explain", "tx-motel-whisper", "--as-of", "soon"])
    #expect(date.status == 64)
  }
}

enum Binary {
  static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent()
    .deletingLastPathComponent()
  /// The `hotline-sim` built beside this test runner (whatever the scratch path), else the
  /// one in `.build/debug`.
  static let path: String = {
    let sibling = Bundle.main.executableURL?.deletingLastPathComponent()
      .appendingPathComponent("hotline-sim").path
    if let sibling, FileManager.default.isExecutableFile(atPath: sibling) { return sibling }
    return root.appendingPathComponent(".build/debug/hotline-sim").path
  }()
  static var available: Bool { FileManager.default.isExecutableFile(atPath: path) }

  struct Result {
    var status: Int32
    var stdout: String
    var stderr: String
  }

  /// A results store for the tests' plays, never the user's own.
  static let scratchStore = FileManager.default.temporaryDirectory
    .appendingPathComponent("hotline-tests-\(UUID().uuidString)/results.sqlite").path

  /// Runs the binary from the repository root (so it finds Protocols/ and Scenarios/).
  ///
  /// - Parameter environment: more variables; plays go to ``scratchStore`` unless
  ///   `HOTLINESIM_DB` is given here.
  static func run(
    _ arguments: [String], input: String = "", environment extra: [String: String] = [:]
  ) throws -> Result {
    let process = try start(arguments, environment: extra)
    let stdin = process.standardInput as? Pipe
    let stdout = process.standardOutput as? Pipe
    let stderr = process.standardError as? Pipe
    stdin?.fileHandleForWriting.write(Data(input.utf8))
    try stdin?.fileHandleForWriting.close()
    let out = stdout?.fileHandleForReading.readDataToEndOfFile() ?? Data()
    let err = stderr?.fileHandleForReading.readDataToEndOfFile() ?? Data()
    process.waitUntilExit()
    return Result(
      status: process.terminationStatus, stdout: String(decoding: out, as: UTF8.self),
      stderr: String(decoding: err, as: UTF8.self))
  }

  /// Starts the binary with pipes on its three streams, without waiting for it.
  /// Three `play` processes writing one results store (a file or a `postgres://` URL) at
  /// once, each with the script of `verbs`: every attempt is submitted and scored, and each
  /// journal holds every verb, in order, numbered 1 to n.
  static func expectConcurrentWritersLoseNothing(
    verbs: [String], script path: String, store: String,
    sourceLocation: SourceLocation = #_sourceLocation
  ) throws {
    let processes = try (1...3).map { index in
      try Binary.start(
        [
          "play", "tx-motel-whisper", "--trainee", "writer \(index)", "--script", path,
          "--as-of", "2026-11-29",
        ],
        environment: ["HOTLINESIM_DB": store])
    }
    for process in processes {
      // Drain the output so no process blocks on a full pipe.
      _ = (process.standardOutput as? Pipe)?.fileHandleForReading.readDataToEndOfFile()
      process.waitUntilExit()
      #expect(process.terminationStatus == 0, sourceLocation: sourceLocation)
    }
    let results = try ResultsStore(path: store)
    let sessions = try results.sessions(SessionFilter(statuses: [.submitted]))
    #expect(
      Set(sessions.map(\.session.traineeName)) == ["writer 1", "writer 2", "writer 3"],
      sourceLocation: sourceLocation)
    for summary in sessions {
      let journal = try results.journal(of: summary.session.id)
      #expect(journal.map(\.text) == verbs, sourceLocation: sourceLocation)
      #expect(journal.map(\.seq) == Array(1...verbs.count), sourceLocation: sourceLocation)
      #expect(summary.score != nil, sourceLocation: sourceLocation)
    }
  }

  static func start(_ arguments: [String], environment extra: [String: String] = [:]) throws
    -> Process
  {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: path)
    process.arguments = arguments
    process.currentDirectoryURL = root
    var environment = ProcessInfo.processInfo.environment
    environment["NO_COLOR"] = "1"
    environment["HOTLINESIM_DB"] = scratchStore
    environment.merge(extra) { _, new in new }
    process.environment = environment
    process.standardInput = Pipe()
    process.standardOutput = Pipe()
    process.standardError = Pipe()
    try process.run()
    return process
  }
}
