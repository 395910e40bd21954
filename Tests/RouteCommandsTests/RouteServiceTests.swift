import Foundation
import ProtocolEngine
import RouteCommands
import Testing

@Suite("hotline-route")
struct RouteServiceTests {
  static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent()
  static let shipped = root.appendingPathComponent("Protocols").path
  static let day = Day("2026-11-29")

  func example(_ name: String) throws -> String {
    try String(
      contentsOf: Self.root.appendingPathComponent("Examples/reports/\(name)"), encoding: .utf8)
  }

  @Test func routesAnExampleReportAsJSON() throws {
    let output = RouteService.route(
      report: try example("tx-minor-houston.json"), file: "tx-minor-houston.json",
      protocols: Self.shipped, asOf: nil, format: .json)
    #expect(output.exitCode == 0)
    #expect(output.stderr.isEmpty)
    #expect(output.stdout.hasPrefix("{\n  \"escalation\": \"mandated_report\",\n  \"category\": "))
    #expect(output.stdout.contains("\"contact\": \"us-ncmec-cybertipline\""))
  }

  @Test func textExplainsTheDecision() throws {
    let output = RouteService.route(
      report: try example("austin-motel-danger.json"), file: "x.json", protocols: Self.shipped,
      asOf: Self.day, format: .text)
    #expect(output.exitCode == 0)
    #expect(output.stdout.hasPrefix("Escalation: EMERGENCY (category: crisis)\n"))
    #expect(output.stdout.contains("Referrals to make now:"))
    #expect(output.stdout.contains("consent: not_required:imminent_danger"))
  }

  @Test func routingIsByteIdentical() throws {
    let report = try example("minor-unknown-caregiver.json")
    let first = RouteService.route(
      report: report, file: "r", protocols: Self.shipped, asOf: nil, format: .json)
    let second = RouteService.route(
      report: report, file: "r", protocols: Self.shipped, asOf: nil, format: .json)
    #expect(first == second)
  }

  @Test func aBadReportExits64NamingTheField() {
    let output = RouteService.route(
      report: "{\n  \"victims\": [ { \"age\": -3 } ]\n}\n", file: "report.json",
      protocols: Self.shipped,
      asOf: Self.day, format: .json)
    #expect(output.exitCode == 64)
    #expect(output.stdout.isEmpty)
    #expect(output.stderr == "hotline-route: report.json:2:25: victims[0].age: -3 is not an age\n")
  }

  @Test func aBrokenProtocolSetExits1WithLocatedErrors() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
      "broken-set-\(UUID().uuidString)")
    try FileManager.default.createDirectory(
      at: folder.appendingPathComponent("protocols"), withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    try "version: \"1\"\n".write(
      to: folder.appendingPathComponent("policy.yaml"), atomically: true, encoding: .utf8)
    try
      "id: X-1\ntitle: t\nversion: 1\neffective: 2020-01-01\nscope: US\nwhen: imminent_danger &&\n"
      .write(
        to: folder.appendingPathComponent("protocols/x.yaml"), atomically: true, encoding: .utf8)
    let route = RouteService.route(
      report: "{}", file: "r", protocols: folder.path, asOf: Self.day, format: .json)
    #expect(route.exitCode == 1)
    #expect(
      route.stderr.contains(
        "protocols/x.yaml:6:25: error[HR0020]: when: the expression ends too early"))
    let check = RouteService.check(protocols: folder.path, asOf: TestDay.value, format: .text)
    #expect(check.exitCode == 1)
    #expect(
      check.stdout.contains("protocols/x.yaml:1:1: error[HR0003]: missing required key 'then'"))
  }

  @Test func checkPassesOnTheShippedSet() {
    let output = RouteService.check(protocols: Self.shipped, asOf: TestDay.value, format: .text)
    #expect(output.exitCode == 0, "\(output.stdout)")
    #expect(output.stdout.contains(", 0 failed"))
    let json = RouteService.check(protocols: Self.shipped, asOf: TestDay.value, format: .json)
    #expect(json.stdout.contains("\"ok\": true"))
  }

  @Test func aMissingProtocolDirectoryIsReported() {
    let output = RouteService.check(protocols: "/nonexistent", asOf: TestDay.value, format: .text)
    #expect(output.exitCode == 1)
    #expect(
      output.stderr == "hotline-route: /nonexistent: cannot read: no such protocol set directory\n")
  }

  @Test func theBinaryExitsWithTheDocumentedCodes() throws {
    let binary = Self.root.appendingPathComponent(".build/debug/hotline-route")
    try #require(FileManager.default.isExecutableFile(atPath: binary.path))
    func run(_ arguments: [String], input: String) throws -> (Int32, String) {
      let process = Process()
      process.executableURL = binary
      process.arguments = arguments
      let stdin = Pipe()
      let stderr = Pipe()
      process.standardInput = stdin
      process.standardOutput = Pipe()
      process.standardError = stderr
      try process.run()
      stdin.fileHandleForWriting.write(Data(input.utf8))
      try stdin.fileHandleForWriting.close()
      process.waitUntilExit()
      let message = String(
        decoding: stderr.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
      return (process.terminationStatus, message)
    }
    let good = try run(
      ["route", "--protocols", Self.shipped, "-"], input: #"{"imminent_danger": true}"#)
    #expect(good.0 == 0)
    let bad = try run(
      ["route", "--protocols", Self.shipped], input: #"{"imminent_danger": "maybe"}"#)
    #expect(bad.0 == 64)
    #expect(bad.1.contains("<stdin>:1:21: imminent_danger: expected true or false"))
    let usage = try run(["route", "--as-of", "tomorrow"], input: "{}")
    #expect(usage.0 == 64)
    #expect(usage.1.contains("'tomorrow' is not a date"))
  }
}

enum TestDay {
  static let value = Day("2026-11-29") ?? Day.today()
}
