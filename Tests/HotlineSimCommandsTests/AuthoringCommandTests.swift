import Foundation
import Testing

/// `hotline-sim lint` and `hotline-sim playtest` as an instructor (or a pull-request check)
/// runs them: exit codes, `file:line:col`, and JSON a tool can read.
@Suite(.serialized) struct AuthoringCommandTests {
  static let fixtures = "Tests/AuthoringTests/Fixtures"

  @Test func lintPassesOnTheShippedScenariosAndCurricula() throws {
    let result = try Binary.run(["lint", "--as-of", "2026-11-29"])
    #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
    #expect(result.stdout.hasSuffix(" scenarios and 3 curricula checked: 0 errors, 0 warnings\n"))
    #expect(!result.stdout.contains("warning["))
  }

  @Test func lintFlagsAPlantedPhoneNumberWithItsPosition() throws {
    let file = "\(Self.fixtures)/personal-data/hs0040-phone.yaml"
    let result = try Binary.run(["lint", file, "--as-of", "2026-11-29"])
    #expect(result.status == 1)
    #expect(result.stdout.contains("\(file):"))
    #expect(result.stdout.contains(": error[HS0040]: "))
  }

  @Test func lintJSONListsEveryDiagnosticWithItsPosition() throws {
    let file = "\(Self.fixtures)/deep/hs0050-unreachable-answer.yaml"
    let result = try Binary.run(["lint", file, "--format", "json", "--as-of", "2026-11-29"])
    #expect(result.status == 1)
    let object = try #require(
      try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    let diagnostics = try #require(object["diagnostics"] as? [[String: Any]])
    let unreachable = try #require(diagnostics.first { $0["code"] as? String == "HS0050" })
    #expect(unreachable["severity"] as? String == "warning")
    #expect(unreachable["file"] as? String == file)
    #expect(unreachable["line"] as? Int == 44)
    #expect(unreachable["column"] as? Int == 9)
    #expect(
      object["errors"] as? Int == diagnostics.filter { $0["severity"] as? String == "error" }.count)
  }

  @Test func lintOfAMissingPathIsBadUsage() throws {
    let result = try Binary.run(["lint", "no/such/file.yaml"])
    #expect(result.status == 64)
    #expect(result.stderr.contains("no such file or folder: no/such/file.yaml"))
  }

  @Test func lintAndPlaytestOfAFolderWithNoScenariosSaySo() throws {
    let folder = FileManager.default.temporaryDirectory
      .appendingPathComponent("hotline-sim-empty-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let lint = try Binary.run(["lint", folder.path])
    #expect(lint.status == 64)
    #expect(lint.stderr.contains("no scenario or curriculum files (*.yaml) in \(folder.path)"))
    let playtest = try Binary.run(["playtest", "--all", "--scenarios", folder.path])
    #expect(playtest.status == 64)
  }

  @Test func aFileThatIsNotTextIsAnErrorNotACrash() throws {
    let file = FileManager.default.temporaryDirectory
      .appendingPathComponent("hotline-sim-binary-\(UUID().uuidString).yaml")
    try Data([0xFF, 0xFE, 0x00, 0x62]).write(to: file)
    defer { try? FileManager.default.removeItem(at: file) }
    let result = try Binary.run(["lint", file.path])
    #expect(result.status == 1)
    #expect(result.stdout.contains("\(file.path):1:1: error[HS0001]: the file is not UTF-8 text"))
  }

  @Test func playtestReplaysTranscriptsAndFailsOnAMiss() throws {
    let passing = try Binary.run(["playtest", "tx-minor-online-ad", "--as-of", "2026-11-29"])
    #expect(passing.status == 0, "\(passing.stdout)\(passing.stderr)")
    #expect(passing.stdout.contains("transcript strong: PASS"))
    #expect(passing.stdout.contains("transcript typical: PASS"))
    let failing = try Binary.run([
      "playtest", "\(Self.fixtures)/deep/hs0061-transcript-fails.yaml", "--as-of", "2026-11-29",
    ])
    #expect(failing.status == 1)
    #expect(failing.stdout.contains("transcript strong: FAIL"))
    #expect(failing.stdout.contains("score 0, expected 90..100"))
  }

  @Test func playtestExhaustiveAndRandomReportInJSON() throws {
    let arguments = [
      "playtest", "\(Self.fixtures)/deep/clean.yaml", "--exhaustive", "--random", "50", "--seed",
      "3", "--format", "json", "--as-of", "2026-11-29",
    ]
    let result = try Binary.run(arguments)
    #expect(result.status == 0, "\(result.stderr)")
    let list = try #require(
      try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]])
    let report = try #require(list.first)
    let exhaustive = try #require(report["exhaustive"] as? [String: Any])
    let coverage = try #require(exhaustive["coverage"] as? [String: [String: Any]])
    #expect(coverage["answers"]?["reached"] as? Int == coverage["answers"]?["total"] as? Int)
    let random = try #require(report["random"] as? [String: Any])
    #expect(random["runs"] as? Int == 50)
    // The same run twice is byte-identical.
    #expect(try Binary.run(arguments).stdout == result.stdout)
  }

  @Test func playtestNeedsAScenarioOrAll() throws {
    #expect(try Binary.run(["playtest"]).status == 64)
    #expect(try Binary.run(["playtest", "tx-motel-whisper", "--all"]).status == 64)
    #expect(try Binary.run(["playtest", "no-such-scenario"]).status == 64)
  }
}
