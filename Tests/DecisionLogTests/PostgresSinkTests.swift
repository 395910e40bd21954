import Foundation
import PostgresNIO
import ProtocolEngine
import Testing

@testable import DecisionLog

/// The test database, from `HOTLINESIM_TEST_POSTGRES`
/// (e.g. `postgres://hotline:hotline@127.0.0.1:5432/hotline_test`).
let testPostgres = ProcessInfo.processInfo.environment["HOTLINESIM_TEST_POSTGRES"]

@Suite("PostgreSQL decision log")
struct PostgresSinkTests {
  /// A URL naming a table of this test's own; other engineers share the server.
  static func uniqueURL() throws -> String {
    let base = try #require(testPostgres)
    let table =
      "dlog_test_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
    return base + (base.contains("?") ? "&" : "?") + "table=\(table.prefix(40))"
  }

  static func drop(_ url: String) async throws {
    let location = try PostgresLocation(url: url)
    let connection = try await PostgresConnection.connect(
      configuration: try location.connectionConfiguration(), id: 9, logger: Fixtures.logger)
    try await connection.query(
      PostgresQuery(unsafeSQL: "DROP TABLE IF EXISTS \(location.quotedTable)"),
      logger: Fixtures.logger)
    try await connection.close()
  }

  @Test(
    .enabled(
      if: testPostgres != nil,
      "set HOTLINESIM_TEST_POSTGRES=postgres://hotline:hotline@127.0.0.1:5432/hotline_test"))
  func recordsWrittenConcurrentlyAllReadBack() async throws {
    let url = try Self.uniqueURL()
    let sink = try DecisionLogs.open(url, logger: Fixtures.logger)
    do {
      let writer = Task { try await sink.run() }
      await withTaskGroup(of: Void.self) { group in
        for task in 0..<8 {
          group.addTask {
            for index in 0..<125 { _ = sink.submit(Fixtures.record(task * 125 + index)) }
          }
        }
      }
      try await sink.flush()
      #expect(sink.statistics.accepted == 1000)
      #expect(sink.statistics.written == 1000)
      try await sink.close()
      try await writer.value
      let (records, _) = try await Fixtures.read(url)
      #expect(records.count == sink.statistics.accepted)
      #expect(Set(records.map(\.record.requestID)).count == 1000)
      let first = try #require(records.first)
      #expect(first.record.time == "2026-11-30T14:05:09.123Z")
      #expect(first.outcome.escalation == .information)
    } catch {
      try await Self.drop(url)
      throw error
    }
    try await Self.drop(url)
  }

  @Test(
    .enabled(
      if: testPostgres != nil,
      "set HOTLINESIM_TEST_POSTGRES=postgres://hotline:hotline@127.0.0.1:5432/hotline_test"))
  func aRetriedBatchAddsNoDuplicates() async throws {
    let url = try Self.uniqueURL()
    let sink = try PostgresSink(url: url, logger: Fixtures.logger)
    do {
      let client = PostgresClient(
        configuration: sink.location.clientConfiguration, backgroundLogger: Fixtures.logger)
      let records = (0..<50).map { Fixtures.record($0) }
      let batch = records.map(QueuedRecord.init)
      let writer = PostgresBatchWriter(
        client: client, location: sink.location, logger: Fixtures.logger)
      try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask { await client.run() }
        // The same batch twice, as after a commit whose reply was lost.
        try await writer.write(batch)
        try await writer.write(batch)
        group.cancelAll()
      }
      // And through the sink: the same request ids again.
      let running = Task { try await sink.run() }
      for record in records.prefix(10) { #expect(sink.submit(record)) }
      try await sink.close()
      try await running.value
      #expect(try await Fixtures.read(url).records.count == 50)
    } catch {
      try await Self.drop(url)
      throw error
    }
    try await Self.drop(url)
  }

  @Test func anUnreachableServerIsAClearError() throws {
    let error = #expect(throws: DecisionLogError.self) {
      _ = try DecisionLogs.open("postgres://hotline:secret@127.0.0.1:1/x", logger: Fixtures.logger)
    }
    let text = try #require(error).description
    #expect(
      text.hasPrefix(
        "postgres://hotline@127.0.0.1:1/x?table=decision_log: cannot connect to the server at "
          + "127.0.0.1:1: "))
    #expect(!text.contains("secret"))
  }

  @Test(arguments: [
    ("postgres://127.0.0.1/db", "no user name (postgres://user@host/database)"),
    ("postgres://u@127.0.0.1", "no database name (postgres://user@host/database)"),
    (
      "postgres://u@127.0.0.1/db?table=Bad-Name",
      "table 'Bad-Name' is not a lower-case SQL name (a-z, 0-9, _; at most 63)"
    ),
    ("postgres://u@127.0.0.1/db?colour=red", "unknown parameter 'colour' (table, sslmode)"),
    ("postgres://u@127.0.0.1/db?sslmode=maybe", "sslmode must be disable, prefer or require"),
  ])
  func aBadURLIsAClearError(_ url: String, _ reason: String) {
    #expect(throws: DecisionLogError.badURL(url: url, reason: reason)) {
      _ = try DecisionLogs.open(url, logger: Fixtures.logger)
    }
  }

  @Test func aPasswordIsNeverPrinted() throws {
    #expect(
      throws: DecisionLogError.badURL(
        url: "postgres://u:***@127.0.0.1/db?x=1", reason: "unknown parameter 'x' (table, sslmode)")
    ) { _ = try PostgresLocation(url: "postgres://u:hunter2@127.0.0.1/db?x=1") }
    #expect(
      try PostgresLocation(url: "postgresql://u:hunter2@db.example.org:6543/logs?table=t1")
        .description == "postgres://u@db.example.org:6543/logs?table=t1")
  }
}
