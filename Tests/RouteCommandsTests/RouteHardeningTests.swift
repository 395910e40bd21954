import Foundation
import ProtocolEngine
import RouteCommands
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// `route` and `check` against hostile input (issue 13): unreadable report files, YAML in
/// JSON, invalid UTF-8, limits, and terminal escapes in anything printed as text.
@Suite("hotline-route hardening")
struct RouteHardeningTests {
  static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent()
  static let shipped = root.appendingPathComponent("Protocols").path
  static let hostile = root.appendingPathComponent(
    "Tests/ProtocolEngineTests/Fixtures/reports-hostile")
  static let mini = root.appendingPathComponent("Tests/ProtocolEngineTests/Fixtures/mini")
  static let day = Day("2026-11-29")
  static let escape: Character = "\u{1B}"

  /// A fresh temporary folder, removed by the caller.
  func temporaryFolder() throws -> URL {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
      "route-hardening-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    return folder
  }

  func route(_ path: String, format: OutputFormat = .json) -> CommandOutput {
    RouteService.route(reportFile: path, protocols: Self.mini.path, asOf: Self.day, format: format)
  }

  func hostile(_ name: String) -> String { Self.hostile.appendingPathComponent(name).path }

  // MARK: Files that are not report files

  @Test func aFIFOIsRefusedWithoutWaitingForAWriter() throws {
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let fifo = folder.appendingPathComponent("report.json").path
    try #require(mkfifo(fifo, 0o600) == 0)
    let output = route(fifo)
    #expect(output.exitCode == 64)
    #expect(output.stdout.isEmpty)
    #expect(
      output.stderr
        == "hotline-route: \(fifo):1:1: error[HR0101]: cannot read the report: it is a FIFO (named pipe), not a regular file; to stream a report, give - and write it to standard input\n"
    )
  }

  @Test func aDirectoryADanglingLinkAndAMissingFileAreRefused() throws {
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let directory = folder.appendingPathComponent("report.json")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: false)
    #expect(
      route(directory.path)
        == CommandOutput(
          stderr:
            "hotline-route: \(directory.path):1:1: error[HR0101]: cannot read the report: it is a directory, not a file\n",
          exitCode: 64))
    let link = folder.appendingPathComponent("link.json").path
    try FileManager.default.createSymbolicLink(
      atPath: link, withDestinationPath: folder.appendingPathComponent("gone.json").path)
    #expect(
      route(link).stderr
        == "hotline-route: \(link):1:1: error[HR0101]: cannot read the report: it is a symbolic link to '\(folder.path)/gone.json', which does not exist\n"
    )
    let missing = folder.appendingPathComponent("missing.json").path
    #expect(
      route(missing)
        == CommandOutput(
          stderr:
            "hotline-route: \(missing):1:1: error[HR0101]: cannot read the report: no such file\n",
          exitCode: 64))
  }

  @Test func aReportThatIsNotUTF8IsALocatedErrorWithACode() {
    let path = hostile("invalid-utf8.json")
    let output = route(path)
    #expect(output.exitCode == 64)
    #expect(
      output.stderr
        == "hotline-route: \(path):1:62: error[HR0102]: not UTF-8 (byte 0xFF); a report must be UTF-8 text\n"
    )
  }

  @Test func aReportOverOneMebibyteIsRefusedBeforeItIsRead() throws {
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let path = folder.appendingPathComponent("huge.json").path
    #expect(FileManager.default.createFile(atPath: path, contents: nil))
    let handle = try #require(FileHandle(forWritingAtPath: path))
    try handle.truncate(atOffset: UInt64(Report.Limits.bytes) + 1)
    try handle.close()
    #expect(
      route(path)
        == CommandOutput(
          stderr:
            "hotline-route: \(path):1:1: error[HR0103]: the report is larger than 1048576 bytes (1 MiB), the limit for one report\n",
          exitCode: 64))
    let text = RouteService.route(
      report: String(repeating: " ", count: Report.Limits.bytes + 1), file: "<stdin>",
      protocols: Self.mini.path, asOf: Self.day, format: .json)
    #expect(text.exitCode == 64)
    #expect(text.stderr.contains("error[HR0103]"))
  }

  // MARK: Strict JSON, YAML only for .yaml

  @Test func aJSONReportWrittenAsYAMLExits64AndAYAMLFileRoutes() {
    let yamlInJSON = route(hostile("yaml-in-json.json"))
    #expect(yamlInJSON.exitCode == 64)
    #expect(
      yamlInJSON.stderr
        == "hotline-route: \(hostile("yaml-in-json.json")):1:1: invalid JSON: expected a value, found '#'; JSON has no comments\n"
    )
    let yaml = route(hostile("truth.yaml"))
    #expect(yaml.exitCode == 0, "\(yaml.stderr)")
    #expect(yaml.stdout.hasPrefix("{\n  \"escalation\": \"emergency\""))
  }

  @Test func wrongTypesAreNeverCoerced() {
    let city = route(hostile("city-true.json"))
    #expect(city.exitCode == 64)
    #expect(
      city.stderr.hasSuffix("city-true.json:1:40: location.city: expected text, found true\n"))
    let age = route(hostile("age-text.json"))
    #expect(age.exitCode == 64)
    #expect(age.stderr.hasSuffix(": victims[0].age: expected a whole number, found \"16\"\n"))
  }

  @Test func tooManyVictimsExit64NamingTheField() {
    let fixture = route(hostile("101-victims.json"))
    #expect(fixture.exitCode == 64)
    #expect(fixture.stderr.hasSuffix(":1:38: victims: 101 victims, over the limit of 100\n"))
    // The issue's reproducer: 100,000 victims took 12 s and printed 46 MB of decision.
    func victims(_ victim: String) -> CommandOutput {
      let report =
        #"{"imminent_danger": true, "victims": ["#
        + Array(repeating: victim, count: 100_000).joined(separator: ",") + "]}"
      return RouteService.route(
        report: report, file: "<stdin>", protocols: Self.mini.path, asOf: Self.day, format: .json)
    }
    #expect(
      victims("{}")
        == CommandOutput(
          stderr: "hotline-route: <stdin>:1:38: victims: 100000 victims, over the limit of 100\n",
          exitCode: 64))
    // With their ages the same report is 1.2 MB: over the size limit before it is parsed.
    let aged = victims(#"{"age": 30}"#)
    #expect(aged.exitCode == 64)
    #expect(aged.stderr.contains("<stdin>:1:1: error[HR0103]: the report is larger than"))
  }

  // MARK: Terminal text

  @Test func anErrorQuotingInputShowsItsEscapesEscaped() {
    let key = route(hostile("escape-in-key.json"))
    #expect(key.exitCode == 64)
    #expect(!key.stderr.contains(Self.escape))
    #expect(key.stderr.hasSuffix(":1:2: \\u{1B}]0;pwned\\u{07}\\u{1B}[2J: unknown key\n"))
    let county = route(hostile("escape-sequences.json"))
    #expect(county.exitCode == 64)
    #expect(!county.stderr.contains(Self.escape))
    let bidi = route(hostile("bidi-override.json"))
    #expect(bidi.exitCode == 64)
    #expect(
      bidi.stderr.hasSuffix(
        ":1:40: location.county: '\\u{202E}txet desrever' is not a county of TX\n"))
  }

  /// The mini protocol set with an escape sequence in a protocol's title, and a protocol
  /// file with one in a key.
  func hostileSet() throws -> URL {
    let folder = try temporaryFolder()
    let set = folder.appendingPathComponent("set")
    try FileManager.default.copyItem(at: Self.mini, to: set)
    let danger = set.appendingPathComponent("protocols/danger.yaml")
    let text = try String(contentsOf: danger, encoding: .utf8).replacingOccurrences(
      of: "title: Imminent danger\n",
      with: "title: \"Imminent danger \\e]0;pwned\\a\\e[2J\\u202E\"\n")
    try text.write(to: danger, atomically: true, encoding: .utf8)
    return set
  }

  @Test func decisionTextIsSanitisedAndDecisionJSONEscaped() throws {
    let set = try hostileSet()
    defer { try? FileManager.default.removeItem(at: set.deletingLastPathComponent()) }
    func route(_ format: OutputFormat) -> CommandOutput {
      RouteService.route(
        report: #"{"imminent_danger": true}"#, file: "r.json", protocols: set.path,
        asOf: Self.day, format: format)
    }
    let text = route(.text)
    #expect(text.exitCode == 0, "\(text.stderr)")
    #expect(!text.stdout.contains(Self.escape))
    #expect(text.stdout.contains("Imminent danger \\u{1B}]0;pwned\\u{07}\\u{1B}[2J\\u{202E}"))
    let json = route(.json)
    #expect(json.exitCode == 0)
    #expect(!json.stdout.contains(Self.escape))
    #expect(json.stdout.contains(#""title": "Imminent danger \u001b]0;pwned\u0007\u001b[2J"#))
  }

  @Test func checkDiagnosticsAreSanitised() throws {
    let set = try hostileSet()
    defer { try? FileManager.default.removeItem(at: set.deletingLastPathComponent()) }
    let danger = set.appendingPathComponent("protocols/danger.yaml")
    let text = try String(contentsOf: danger, encoding: .utf8) + "\"\\e[2Jcolour\": red\n"
    try text.write(to: danger, atomically: true, encoding: .utf8)
    let check = RouteService.check(protocols: set.path, asOf: Self.day ?? .today(), format: .text)
    #expect(check.exitCode == 1)
    #expect(!check.stdout.contains(Self.escape))
    #expect(check.stdout.contains("error[HR0002]: \\u{1B}[2Jcolour: unknown key"))
    let route = RouteService.route(
      report: "{}", file: "r.json", protocols: set.path, asOf: Self.day, format: .text)
    #expect(route.exitCode == 1)
    #expect(!route.stderr.contains(Self.escape))
    #expect(route.stderr.contains("\\u{1B}[2Jcolour: unknown key"))
  }

  // MARK: The binary

  /// `hotline-route` as built next to this test bundle (whatever the scratch path).
  static var binary: URL? {
    let candidates = [
      URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent(),
      Bundle.main.bundleURL.deletingLastPathComponent(),
      root.appendingPathComponent(".build/debug"),
    ].map { $0.appendingPathComponent("hotline-route") }
    return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) }
  }

  @Test func theBinaryExits64OnAFIFOAndSanitisesArgumentErrors() throws {
    let binary = try #require(Self.binary)
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let fifo = folder.appendingPathComponent("pipe.json").path
    try #require(mkfifo(fifo, 0o600) == 0)
    func run(_ arguments: [String]) throws -> (Int32, String) {
      let process = Process()
      process.executableURL = binary
      process.arguments = arguments
      let stderr = Pipe()
      process.standardInput = FileHandle.nullDevice
      process.standardOutput = FileHandle.nullDevice
      process.standardError = stderr
      try process.run()
      let message = String(
        decoding: stderr.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
      process.waitUntilExit()
      return (process.terminationStatus, message)
    }
    let pipe = try run(["route", "--protocols", Self.shipped, fifo])
    #expect(pipe.0 == 64)
    #expect(pipe.1.contains("error[HR0101]: cannot read the report: it is a FIFO"))
    let asOf = try run(["route", "--as-of", "\u{1B}]0;pwned\u{07}", "-"])
    #expect(asOf.0 == 64)
    #expect(!asOf.1.contains(Self.escape))
    #expect(asOf.1.contains("'\\u{1B}]0;pwned\\u{07}' is not a date"))
    let format = try run(["route", "--format", "\u{1B}[2J", "-"])
    #expect(format.0 == 64)
    #expect(!format.1.contains(Self.escape))
  }
}
