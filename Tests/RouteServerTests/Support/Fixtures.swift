import DecisionLog
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import ProtocolEngine
import Synchronization
import Testing

@testable import RouteServer

/// Paths, tokens, prepared servers and the `hotline-route` binary, shared by the suites.
enum Fixtures {
  static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
  static let shipped = root.appendingPathComponent("Protocols").path
  static let mini = root.appendingPathComponent("Tests/ProtocolEngineTests/Fixtures/mini").path
  static let examples = root.appendingPathComponent("Examples/reports")
  static let token = "test-token-0123456789abcdef"
  static let otherToken = "second-token"

  /// The shipped reports (Examples/reports/*.json), by file name.
  static let exampleReports: [String] = {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: examples.path)) ?? []
    return names.filter { $0.hasSuffix(".json") }.sorted()
  }()

  static func exampleBytes(_ name: String) throws -> [UInt8] {
    Array(try Data(contentsOf: examples.appendingPathComponent(name)))
  }

  /// The shipped set, loaded and checked once for the whole test run.
  static let shippedRuleset: Result<LoadedRuleset, RouteServerError> = {
    do throws(RouteServerError) {
      return .success(
        try LoadedRuleset.load(
          directory: shipped, checkedOn: UTCTime.today(), loadedAt: UTCTime.timestamp()))
    } catch {
      return .failure(error)
    }
  }()

  /// The engine's decision on a report, as `route` makes it (as of its received day).
  static func decision(_ bytes: [UInt8], explain: Bool = true) throws -> Decision {
    let ruleset = try shippedRuleset.get()
    let report = try Report.decode(
      utf8: bytes, file: "<test>", geography: ruleset.engine.set.geography)
    return ruleset.engine.decide(
      report, asOf: report.receivedDay ?? UTCTime.today(), explain: explain)
  }

  static let quietLogger: Logger = {
    var logger = Logger(label: "route-server-tests")
    logger.logLevel = .warning
    return logger
  }()

  static func tokens() throws -> BearerTokens {
    try BearerTokens(text: "# test tokens\n\(token)\n\n\(otherToken)\n", path: "<test>")
  }

  /// A server state over the shipped set (or `directory`, loaded now).
  static func state(
    directory: String? = nil, sink: (any DecisionSink)? = nil, logger: Logger = quietLogger
  ) throws -> ServerState {
    let metrics = ServerMetrics()
    let rulesets: RulesetStore
    if let directory {
      rulesets = try RulesetStore(directory: directory, metrics: metrics, logger: logger)
    } else {
      rulesets = RulesetStore(
        directory: shipped, initial: try shippedRuleset.get(), metrics: metrics, logger: logger)
    }
    return ServerState(
      rulesets: rulesets, tokens: try tokens(), metrics: metrics, sink: sink, logger: logger)
  }

  static func app(_ state: ServerState) -> some ApplicationProtocol {
    RouteServer.application(state: state, host: "127.0.0.1", port: 0, handleHangup: false)
  }

  static var auth: HTTPFields { [.authorization: "Bearer \(token)"] }

  static func text(_ buffer: ByteBuffer) -> String {
    String(decoding: buffer.readableBytesView, as: UTF8.self)
  }

  /// A fresh temporary folder; the caller removes it.
  static func temporaryFolder(_ label: String) throws -> URL {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
      "route-server-\(label)-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    return folder
  }

  /// A copy of a protocol set in a temporary folder.
  static func copy(set directory: String, label: String) throws -> URL {
    let folder = try temporaryFolder(label)
    let target = folder.appendingPathComponent("set")
    try FileManager.default.copyItem(atPath: directory, toPath: target.path)
    return target
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

  /// What `hotline-route route --protocols <set> -` prints for `bytes` on standard input.
  static func route(_ bytes: [UInt8], protocols: String = shipped) throws
    -> (stdout: String, stderr: String, status: Int32)
  {
    let binary = try #require(binary)
    let folder = try temporaryFolder("route")
    defer { try? FileManager.default.removeItem(at: folder) }
    let input = folder.appendingPathComponent("in")
    let output = folder.appendingPathComponent("out")
    let errors = folder.appendingPathComponent("err")
    try Data(bytes).write(to: input)
    _ = FileManager.default.createFile(atPath: output.path, contents: nil)
    _ = FileManager.default.createFile(atPath: errors.path, contents: nil)
    let process = Process()
    process.executableURL = binary
    process.arguments = ["route", "--protocols", protocols, "-"]
    process.standardInput = try FileHandle(forReadingFrom: input)
    process.standardOutput = try FileHandle(forWritingTo: output)
    process.standardError = try FileHandle(forWritingTo: errors)
    try process.run()
    process.waitUntilExit()
    return (
      try String(contentsOf: output, encoding: .utf8),
      try String(contentsOf: errors, encoding: .utf8),
      process.terminationStatus
    )
  }
}

/// A decision sink that keeps what it is given, for the tests.
final class RecordingSink: DecisionSink {
  private let records = Mutex<[DecisionRecord]>([])
  private let counts = Mutex(DecisionLogStatistics())
  private let state = Mutex((flushed: false, closed: false))
  private let stream: AsyncStream<Void>
  private let continuation: AsyncStream<Void>.Continuation
  let capacity: Int

  init(capacity: Int = 10_000) {
    self.capacity = capacity
    (stream, continuation) = AsyncStream<Void>.makeStream()
  }

  var received: [DecisionRecord] { records.withLock { $0 } }
  var flushedAndClosed: (flushed: Bool, closed: Bool) { state.withLock { $0 } }

  func submit(_ record: DecisionRecord) -> Bool {
    let accepted = records.withLock { records in
      guard records.count < capacity else { return false }
      records.append(record)
      return true
    }
    counts.withLock {
      if accepted { $0.accepted += 1 } else { $0.dropped += 1 }
    }
    return accepted
  }

  func run() async throws {
    for await _ in stream {}
  }

  func flush() async throws {
    counts.withLock { $0.written = $0.accepted }
    state.withLock { $0.flushed = true }
  }

  func close() async throws {
    try await flush()
    state.withLock { $0.closed = true }
    continuation.finish()
  }

  var statistics: DecisionLogStatistics { counts.withLock { $0 } }
}
