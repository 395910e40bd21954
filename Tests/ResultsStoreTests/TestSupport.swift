import Foundation
import Testing

@testable import ResultsStore

/// The databases the suite runs against: SQLite always; PostgreSQL when
/// `HOTLINESIM_TEST_POSTGRES` gives a URL (a role that may create databases), else it is skipped
/// with a printed reason.
enum TestBackend: String, Sendable, CaseIterable, CustomTestStringConvertible {
  case sqlite
  case postgres

  var testDescription: String { rawValue }

  /// The server tests make their databases on, or nil.
  static let postgresURL: String? = {
    guard let url = ProcessInfo.processInfo.environment["HOTLINESIM_TEST_POSTGRES"], !url.isEmpty
    else { return nil }
    return url
  }()

  static let skipReason =
    "PostgreSQL backend skipped: set HOTLINESIM_TEST_POSTGRES=postgres://user:password@host:port/"
    + "database (a role with CREATEDB) to run the store's tests against it"

  /// Every backend this run can test; says once why PostgreSQL is missing.
  static let all: [TestBackend] = {
    guard postgresURL != nil else {
      print("ResultsStoreTests: \(skipReason)")
      return [.sqlite]
    }
    return [.sqlite, .postgres]
  }()

  /// The server's location, parsed; only for `.postgres` runs.
  static func server() throws -> PostgresLocation {
    let url = try #require(postgresURL, Comment(rawValue: skipReason))
    return try #require(try PostgresLocation(parsing: url))
  }
}

/// Runs `body` with a new folder under the temporary directory, removed afterwards.
func withTemporaryFolder<T>(_ body: (URL) throws -> T) throws -> T {
  let folder = FileManager.default.temporaryDirectory
    .appendingPathComponent("results-store-\(UUID().uuidString)")
  try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
  defer { try? FileManager.default.removeItem(at: folder) }
  return try body(folder)
}

/// Runs `body` with a new, empty PostgreSQL database of its own (other engineers' tests share
/// the server), dropped afterwards with any connection still open to it.
func withPostgresDatabase<T>(_ body: (PostgresLocation) throws -> T) throws -> T {
  let server = try TestBackend.server()
  let name = "hs_test_" + UUID().uuidString.lowercased().replacing("-", with: "")
  try PostgresBackend.administer(server, ["CREATE DATABASE \(name)"])
  defer {
    try? PostgresBackend.administer(server, ["DROP DATABASE IF EXISTS \(name) WITH (FORCE)"])
  }
  return try body(server.with(database: name))
}

/// Runs `body` with the location of a new, empty database on `backend`: an SQLite file path in
/// a temporary folder, or the URL of a new PostgreSQL database.
func withDatabase<T>(_ backend: TestBackend, _ body: (String) throws -> T) throws -> T {
  switch backend {
  case .sqlite:
    try withTemporaryFolder { folder in
      try body(folder.appendingPathComponent("results.sqlite").path)
    }
  case .postgres:
    try withPostgresDatabase { place in try body(place.url) }
  }
}

/// Runs `body` with a new store on `backend`.
func withStore<T>(_ backend: TestBackend, _ body: (ResultsStore) throws -> T) throws -> T {
  try withDatabase(backend) { location in try body(try ResultsStore(path: location)) }
}

extension ResultsStore {
  /// Runs one trusted SQL statement on the store's database (tests only).
  @discardableResult
  func sql(_ statement: String) throws -> [[String?]] {
    try backend.execute(statement)
  }

  /// The table that records applied migrations.
  var migrationsTable: String {
    backend is PostgresBackend ? PostgresSchema.migrationsTable : "grdb_migrations"
  }

  /// The SQLite backend, for tests of SQLite's own settings.
  var sqlite: SQLiteBackend? { backend as? SQLiteBackend }
}

enum Sample {
  /// A moment on a whole millisecond, because the store keeps dates to the millisecond.
  static func date(_ seconds: Double) -> Date {
    Date(timeIntervalSince1970: 1_780_000_000 + seconds)
  }

  static func session(
    trainee: String = "Ana Ruiz", cohort: String? = "spring-2026",
    scenario: String = "tx-motel-whisper", curriculum: String? = nil, part: String? = nil,
    startedAt: Date = date(0), seed: UInt64 = 42
  ) -> NewSession {
    NewSession(
      trainee: trainee, cohort: cohort, scenarioID: scenario, scenarioVersion: 3,
      scenarioSHA256: String(repeating: "ab", count: 32),
      scenarioPath: "Scenarios/\(scenario).yaml", rulesetVersion: "2026.1",
      rulesetSHA256: String(repeating: "cd", count: 32), mode: "practice",
      audience: "telecommunicator", seed: seed, asOf: "2026-05-01", realTime: false,
      curriculumID: curriculum, curriculumVersion: curriculum == nil ? nil : 2, partID: part,
      startedAt: startedAt, pid: 4242, host: "training-room-3")
  }

  static func deviation(_ severity: String, _ message: String, at: Int = 60) -> StoredDeviation {
    StoredDeviation(
      severity: severity, category: "safety", at: at, message: message,
      because: "the protocol says so")
  }

  static func score(_ deviations: [StoredDeviation] = []) -> StoredScore {
    StoredScore(
      score: 72, compliance: "partial", accuracyRevealed: 0.75, accuracyTruth: 0.5,
      deviations: deviations, record: #"{"score":72}"#)
  }

  /// A session id whose first characters are `prefix`, so tests can make ids that collide.
  static func id(_ prefix: String, _ number: Int) -> String {
    let tail = String(number, radix: 16)
    let hex = prefix + String(repeating: "0", count: 32 - prefix.count - tail.count) + tail
    let parts = [
      hex.prefix(8), hex.dropFirst(8).prefix(4), hex.dropFirst(12).prefix(4),
      hex.dropFirst(16).prefix(4), hex.dropFirst(20),
    ]
    return parts.joined(separator: "-")
  }
}

/// Collects what concurrent workers report. `@unchecked Sendable`: every access holds `lock`.
final class Collector<Element>: @unchecked Sendable {
  private let lock = NSLock()
  private var items: [Element] = []

  func add(_ item: Element) {
    lock.withLock { items.append(item) }
  }

  var all: [Element] { lock.withLock { items } }
}
