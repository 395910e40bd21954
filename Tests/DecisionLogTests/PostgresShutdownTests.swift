import Foundation
import Logging
import ProtocolEngine
import ServiceLifecycle
import Testing

@testable import DecisionLog

/// A sink run the way `hotline-route serve` runs it: as a service in a ServiceGroup that
/// flushes and closes it on graceful shutdown. PostgresClient's pool also ends at a graceful
/// shutdown; once it ended before the queue had drained, and the last batches failed for
/// ever ("poolShutdown"). Every record accepted before the shutdown must reach the table.
@Suite("PostgreSQL decision log at shutdown")
struct PostgresShutdownTests {
  struct SinkService: Service {
    let sink: any DecisionSink

    func run() async throws {
      try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask { try await sink.run() }
        try? await gracefulShutdown()
        try await sink.flush()
        try await sink.close()
        try await group.waitForAll()
      }
    }
  }

  // Two seconds on an idle machine; the old code never ended. The limit is generous because
  // the whole suite shares Swift's cooperative pool (two threads here) with tests that block
  // it while they wait on terminals and processes, and CI once took more than a minute.
  @Test(
    .timeLimit(.minutes(5)),
    .enabled(
      if: testPostgres != nil,
      "set HOTLINESIM_TEST_POSTGRES=postgres://hotline:hotline@127.0.0.1:5432/hotline_test"))
  func aBacklogAtGracefulShutdownIsWrittenInFull() async throws {
    let url = try PostgresSinkTests.uniqueURL()
    let sink = try DecisionLogs.open(url, logger: Fixtures.logger)
    do {
      let group = ServiceGroup(
        configuration: .init(services: [SinkService(sink: sink)], logger: Fixtures.logger))
      try await withThrowingTaskGroup(of: Void.self) { tasks in
        tasks.addTask { try await group.run() }
        // A backlog far larger than one batch, then shutdown at once.
        for index in 0..<20_000 { _ = sink.submit(Fixtures.record(index)) }
        await group.triggerGracefulShutdown()
        try await tasks.waitForAll()
      }
      #expect(sink.statistics.accepted == 20_000)
      #expect(sink.statistics.dropped == 0)
      #expect(sink.statistics.written == 20_000)
      let (records, _) = try await Fixtures.read(url)
      #expect(records.count == 20_000)
    } catch {
      try await PostgresSinkTests.drop(url)
      throw error
    }
    try await PostgresSinkTests.drop(url)
  }
}
