import Foundation
import Synchronization
import Testing

#if canImport(FoundationNetworking)
  import FoundationNetworking
#endif
#if canImport(Glibc)
  import Glibc
#endif

/// The real `hotline-route serve`: started on a free port, asked over HTTP, reloaded with
/// SIGHUP and stopped with SIGTERM; and its refusals to start.
@Suite("hotline-route serve (the binary)", .serialized)
struct BinaryTests {
  /// A running `hotline-route serve` and what it has written to standard error.
  final class Server: @unchecked Sendable {
    // @unchecked: `log` is guarded by its mutex; the process is only signalled and awaited.
    let process = Process()
    private let text = Mutex("")
    private let errors = Pipe()
    private let finished = DispatchSemaphore(value: 0)

    init(arguments: [String]) throws {
      guard let binary = Fixtures.binary else { throw ServerFailed(log: "no hotline-route binary") }
      process.executableURL = binary
      process.arguments = ["serve"] + arguments
      process.standardOutput = FileHandle.nullDevice
      process.standardError = errors
      try process.run()
      let handle = errors.fileHandleForReading
      Thread { [self] in
        while true {
          let data = handle.availableData
          if data.isEmpty { break }
          text.withLock { $0 += String(decoding: data, as: UTF8.self) }
        }
        finished.signal()
      }.start()
    }

    /// What it has written to standard error so far.
    var log: String { text.withLock { $0 } }

    /// Waits for a line of the log matching `pattern` and returns its first group.
    func await(_ pattern: String) async throws -> String {
      let expression = try Regex(pattern)
      for _ in 0..<2_000 {
        if let match = log.firstMatch(of: expression) {
          return match.output.count > 1 ? String(match.output[1].substring ?? "") : ""
        }
        guard process.isRunning else { break }
        try await Task.sleep(for: .milliseconds(10))
      }
      throw ServerFailed(log: log)
    }

    /// Waits for the process to end; its status.
    func wait() -> Int32 {
      process.waitUntilExit()
      finished.wait()
      return process.terminationStatus
    }
  }

  struct ServerFailed: Error, CustomStringConvertible {
    var log: String
    var description: String { "the server did not say what was expected:\n\(log)" }
  }

  func request(
    _ url: String, method: String = "GET", token: String? = Fixtures.token, body: Data? = nil,
    requestID: String? = nil
  ) async throws -> (Int, String) {
    var request = URLRequest(url: try #require(URL(string: url)))
    request.httpMethod = method
    if let requestID { request.setValue(requestID, forHTTPHeaderField: "X-Request-ID") }
    request.httpBody = body
    if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
    let (data, response) = try await URLSession.shared.data(for: request)
    let status = try #require(response as? HTTPURLResponse).statusCode
    return (status, String(decoding: data, as: UTF8.self))
  }

  func tokenFile(in folder: URL, _ text: String) throws -> String {
    let file = folder.appendingPathComponent("tokens")
    try Data(text.utf8).write(to: file)
    return file.path
  }

  @Test func itServesReloadsOnSIGHUPAndStopsOnSIGTERM() async throws {
    let folder = try Fixtures.temporaryFolder("binary")
    defer { try? FileManager.default.removeItem(at: folder) }
    let tokens = try tokenFile(in: folder, "# ops\n\(Fixtures.token)\n")
    let decisions = folder.appendingPathComponent("decisions.jsonl")
    let server = try Server(arguments: [
      "--port", "0", "--protocols", Fixtures.shipped, "--token-file", tokens,
      "--decision-log", decisions.path,
    ])
    let port = try await server.await(#"listening on http://127\.0\.0\.1:(\d+)"#)
    let base = "http://127.0.0.1:\(port)"
    let name = try #require(Fixtures.exampleReports.first)
    let bytes = try Fixtures.exampleBytes(name)
    let expected = try Fixtures.route(bytes)

    let (status, body) = try await request(
      base + "/v1/decisions", method: "POST", body: Data(bytes), requestID: "binary-first")
    #expect(status == 200)
    #expect(body == expected.stdout)
    #expect(try await request(base + "/v1/ruleset", token: nil).0 == 401)

    kill(server.process.processIdentifier, SIGHUP)
    _ = try await server.await("protocol set reloaded")
    let (after, again) = try await request(
      base + "/v1/decisions", method: "POST", body: Data(bytes))
    #expect(after == 200)
    #expect(again == expected.stdout)
    let (_, metrics) = try await request(base + "/metrics", token: nil)
    #expect(metrics.contains("hotline_route_ruleset_reloads_total{result=\"ok\"} 1"))

    // A second server cannot listen on the same port: exit 1, saying so.
    let second = try Server(arguments: [
      "--port", port, "--protocols", Fixtures.mini, "--token-file", tokens,
    ])
    #expect(second.wait() == 1)
    #expect(second.log.contains("hotline-route: cannot listen on 127.0.0.1:\(port):"))

    kill(server.process.processIdentifier, SIGTERM)
    #expect(server.wait() == 0)
    let log = server.log
    #expect(log.contains("stopped"))
    // One line per request, with its status; never the token.
    #expect(log.contains("status=200"))
    #expect(log.contains("status=401"))
    #expect(!log.contains(Fixtures.token))
    // Both decisions were written to the decision log before the exit.
    let lines = try String(contentsOf: decisions, encoding: .utf8).split(separator: "\n")
    #expect(lines.count == 2)
    #expect(lines.first?.contains("\"binary-first\"") == true)
  }

  @Test func aDecisionLogThatCannotBeOpenedExits1() throws {
    let folder = try Fixtures.temporaryFolder("binary-log")
    defer { try? FileManager.default.removeItem(at: folder) }
    let tokens = try tokenFile(in: folder, "\(Fixtures.token)\n")
    let server = try Server(arguments: [
      "--port", "0", "--protocols", Fixtures.mini, "--token-file", tokens,
      "--decision-log", folder.path,
    ])
    #expect(server.wait() == 1)
    #expect(server.log.contains("hotline-route: --decision-log \(folder.path): "))
  }

  @Test func withoutATokenFileItExits64() throws {
    let server = try Server(arguments: ["--port", "0", "--protocols", Fixtures.mini])
    #expect(server.wait() == 64)
    #expect(server.log.contains("--token-file is required"))
  }

  @Test func anEmptyTokenFileExits64AndABrokenSetExits1() throws {
    let folder = try Fixtures.temporaryFolder("binary-refusals")
    defer { try? FileManager.default.removeItem(at: folder) }
    let empty = try tokenFile(in: folder, "# no tokens yet\n\n")
    let refused = try Server(arguments: [
      "--port", "0", "--protocols", Fixtures.mini, "--token-file", empty,
    ])
    #expect(refused.wait() == 64)
    #expect(refused.log.contains("holds no token"))

    let tokens = try tokenFile(in: folder, "\(Fixtures.token)\n")
    let set = try Fixtures.copy(set: Fixtures.mini, label: "binary-broken")
    defer { try? FileManager.default.removeItem(at: set.deletingLastPathComponent()) }
    try Data("version: [\n".utf8).write(to: set.appendingPathComponent("policy.yaml"))
    let broken = try Server(arguments: [
      "--port", "0", "--protocols", set.path, "--token-file", tokens,
    ])
    #expect(broken.wait() == 1)
    let log = broken.log
    #expect(log.contains("hotline-route: protocol set \(set.path) has"))
    #expect(log.contains("policy.yaml:"))
    #expect(!log.contains(Fixtures.token))
  }

  @Test func aBadPortExits64() throws {
    let server = try Server(arguments: ["--port", "70000", "--protocols", Fixtures.mini])
    #expect(server.wait() == 64)
    #expect(server.log.contains("--port: 70000 is not a port (0 to 65535; 0 picks a free one)"))
  }

  @Test(arguments: ["0", "65537"])
  func aDecisionLogBufferOutOfRangeExits64(_ mebibytes: String) throws {
    let server = try Server(arguments: [
      "--port", "0", "--protocols", Fixtures.mini, "--decision-log-buffer-mib", mebibytes,
    ])
    #expect(server.wait() == 64)
    #expect(
      server.log.contains("--decision-log-buffer-mib: \(mebibytes) is not between 1 and 65536"))
  }

  @Test func aBadLogLevelExits64() throws {
    let folder = try Fixtures.temporaryFolder("binary-level")
    defer { try? FileManager.default.removeItem(at: folder) }
    let tokens = try tokenFile(in: folder, "\(Fixtures.token)\n")
    let server = try Server(arguments: [
      "--port", "0", "--protocols", Fixtures.mini, "--token-file", tokens, "--log-level", "loud",
    ])
    #expect(server.wait() == 64)
    #expect(server.log.contains("--log-level: 'loud' is not a level"))
  }
}
