import Foundation

@testable import ResultsStore

/// Runs `body` with a new folder under the temporary directory, removed afterwards.
func withTemporaryFolder<T>(_ body: (URL) throws -> T) throws -> T {
  let folder = FileManager.default.temporaryDirectory
    .appendingPathComponent("results-store-\(UUID().uuidString)")
  try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
  defer { try? FileManager.default.removeItem(at: folder) }
  return try body(folder)
}

/// Runs `body` with a new store in a temporary folder.
func withStore<T>(_ body: (ResultsStore) throws -> T) throws -> T {
  try withTemporaryFolder { folder in
    let store = try ResultsStore(path: folder.appendingPathComponent("results.sqlite").path)
    return try body(store)
  }
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
