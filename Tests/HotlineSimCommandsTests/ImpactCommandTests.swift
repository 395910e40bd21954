import Foundation
import Testing

/// The binary built with the tests (beside the test bundle, whatever the scratch path),
/// else the default build's.
enum ImpactBinary {
  static let path: String? = {
    let beside = URL(fileURLWithPath: CommandLine.arguments.first ?? "")
      .deletingLastPathComponent().appendingPathComponent("hotline-sim").path
    return [beside, Binary.path].first { FileManager.default.isExecutableFile(atPath: $0) }
  }()
}

/// Runs `hotline-sim impact` as a pull-request check would, on copies of the shipped set.
@Suite("hotline-sim impact", .enabled(if: ImpactBinary.path != nil))
struct ImpactCommandTests {
  static func run(_ arguments: [String]) throws -> Binary.Result {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: try #require(ImpactBinary.path))
    process.arguments = ["impact"] + arguments
    process.currentDirectoryURL = Binary.root
    var environment = ProcessInfo.processInfo.environment
    environment["NO_COLOR"] = "1"
    process.environment = environment
    let stdout = Pipe()
    let stderr = Pipe()
    process.standardOutput = stdout
    process.standardError = stderr
    process.standardInput = FileHandle.nullDevice
    try process.run()
    let out = stdout.fileHandleForReading.readDataToEndOfFile()
    let err = stderr.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return Binary.Result(
      status: process.terminationStatus, stdout: String(decoding: out, as: UTF8.self),
      stderr: String(decoding: err, as: UTF8.self))
  }

  /// A copy of the shipped set in a fresh folder (removed afterwards), changed by `edit`.
  final class Copy {
    let folder: URL
    var path: String { folder.appendingPathComponent("Protocols").path }

    init(_ edit: (URL) throws -> Void = { _ in }) throws {
      folder = FileManager.default.temporaryDirectory.appendingPathComponent("impact-\(UUID())")
      try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
      let protocols = folder.appendingPathComponent("Protocols")
      try FileManager.default.copyItem(
        at: Binary.root.appendingPathComponent("Protocols"), to: protocols)
      try edit(protocols)
    }

    deinit { try? FileManager.default.removeItem(at: folder) }
  }

  static func edit(_ file: URL, _ old: String, _ new: String) throws {
    let text = try String(contentsOf: file, encoding: .utf8)
    try #require(text.components(separatedBy: old).count == 2, "\(old) in \(file.path)")
    try text.replacingOccurrences(of: old, with: new).write(
      to: file, atomically: true, encoding: .utf8)
  }

  static let online = "protocols/tx/tx-online-01.yaml"

  /// How many scenarios ship (every YAML file under Scenarios/ but the rubrics).
  static let shipped: Int = {
    let root = Binary.root.appendingPathComponent("Scenarios").path
    let files = FileManager.default.enumerator(atPath: root)?.allObjects as? [String] ?? []
    return files.filter { $0.hasSuffix(".yaml") && $0 != "rubrics.yaml" }.count
  }()

  @Test func anUnchangedSetExitsZero() throws {
    let copy = try Copy()
    let result = try ImpactCommandTests.run(["--protocols", copy.path, "--as-of", "2026-11-29"])
    #expect(result.status == 0)
    #expect(
      result.stdout.hasPrefix(
        "0 of \(ImpactCommandTests.shipped) scenarios change (ruleset 2026.11.0 ("))
    #expect(result.stderr.isEmpty)
  }

  @Test func aChangeNamesTheScenarioAndExitsOne() throws {
    let copy = try Copy {
      try ImpactCommandTests.edit(
        $0.appendingPathComponent(ImpactCommandTests.online),
        "then:\n  escalation: mandated_report", "then:\n  escalation: emergency")
    }
    let text = try ImpactCommandTests.run(["--protocols", copy.path, "--as-of", "2026-11-29"])
    #expect(text.status == 1)
    #expect(
      text.stdout.hasPrefix(
        """
        tx-minor-online-ad: A mother finds her daughter in an online ad (Scenarios/tx/tx-minor-online-ad.yaml)
          on the truth:
            escalation: mandated_report -> emergency
          on what a trainee can learn: the same

        1 of \(ImpactCommandTests.shipped) scenarios change
        """))
    #expect(!text.stdout.contains("tx-motel-whisper") && !text.stdout.contains("adult-text"))

    let json = try ImpactCommandTests.run([
      "--protocols", copy.path, "--as-of", "2026-11-29", "--format", "json",
    ])
    #expect(json.status == 1)
    let again = try ImpactCommandTests.run([
      "--protocols", copy.path, "--as-of", "2026-11-29", "--format", "json",
    ])
    #expect(json.stdout == again.stdout)
    let parsed = try #require(
      try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
    #expect(parsed["changed"] as? Int == 1)
    #expect(
      (parsed["scenarios"] as? [[String: Any]])?.first?["id"] as? String == "tx-minor-online-ad")

    // The other way round: the changed set as the baseline, the shipped one as proposed.
    let reverse = try ImpactCommandTests.run([
      "--baseline", copy.path, "--protocols", "Protocols", "--as-of", "2026-11-29",
      "Scenarios/tx/tx-minor-online-ad.yaml",
    ])
    #expect(reverse.status == 1)
    #expect(reverse.stdout.contains("escalation: emergency -> mandated_report"))
    #expect(reverse.stdout.contains("1 of 1 scenario change"))
  }

  @Test func aBrokenSetExitsOneNamingTheFileAndLine() throws {
    let copy = try Copy {
      try ImpactCommandTests.edit(
        $0.appendingPathComponent(ImpactCommandTests.online), "v.age < 18)", "v.age <)")
    }
    let result = try ImpactCommandTests.run(["--protocols", copy.path])
    #expect(result.status == 1)
    #expect(result.stdout.isEmpty)
    #expect(
      result.stderr.hasPrefix(
        "hotline-sim: protocol set \(copy.path) has errors:\n\(copy.path)/\(ImpactCommandTests.online):6:"
      ))
    #expect(result.stderr.contains("error[HR0020]"))
    let missing = try ImpactCommandTests.run(["--protocols", "/nonexistent/protocols"])
    #expect(missing.status == 1)
    #expect(
      missing.stderr.contains("/nonexistent/protocols: cannot read: no such protocol set directory")
    )
  }

  @Test func aScenarioThatDoesNotLoadIsReportedAndFails() throws {
    let copy = try Copy()
    let folder = copy.folder.appendingPathComponent("scenarios")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    try "id: bad\ntitle: [unclosed\n".write(
      to: folder.appendingPathComponent("bad.yaml"), atomically: true, encoding: .utf8)
    let result = try ImpactCommandTests.run(["--protocols", copy.path, "--scenarios", folder.path])
    #expect(result.status == 1)
    #expect(result.stdout.hasPrefix("0 of 0 scenarios change"))
    #expect(
      result.stderr.contains("hotline-sim: skipped \(folder.path)/bad.yaml, which does not load: "))
    #expect(result.stderr.contains("bad.yaml:3:1: error[HS0001]: invalid YAML"))
  }

  @Test func badUsageExits64() throws {
    let noSet = try ImpactCommandTests.run([])
    #expect(noSet.status == 64)
    #expect(noSet.stderr.contains("Missing expected argument '--protocols <new-dir>'"))
    let date = try ImpactCommandTests.run(["--protocols", "Protocols", "--as-of", "soon"])
    #expect(date.status == 64)
    #expect(date.stderr.contains("--as-of: 'soon' is not a date (YYYY-MM-DD)"))
    let path = try ImpactCommandTests.run(["--protocols", "Protocols", "no/such/scenario.yaml"])
    #expect(path.status == 64)
    #expect(path.stderr.contains("no such scenario file or folder: no/such/scenario.yaml"))
    let format = try ImpactCommandTests.run(["--protocols", "Protocols", "--format", "xml"])
    #expect(format.status == 64)
  }
}
