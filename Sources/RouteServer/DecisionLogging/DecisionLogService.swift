import DecisionLog
import Logging
import ServiceLifecycle

/// Runs a decision sink's writer for as long as the service runs. On graceful shutdown
/// (after the HTTP server has finished its requests, since services stop in reverse order)
/// it flushes the sink and closes it, so every decision answered is written.
struct DecisionLogService: Service {
  let sink: any DecisionSink
  let logger: Logger

  func run() async throws {
    try await withThrowingTaskGroup(of: Void.self) { group in
      group.addTask { try await sink.run() }
      // Wait for shutdown; a cancellation (a failed sibling service) ends the wait too.
      try? await gracefulShutdown()
      do {
        try await sink.flush()
        try await sink.close()
      } catch {
        logger.error("decision log: could not flush and close: \(error)")
        throw error
      }
      try await group.waitForAll()
      let statistics = sink.statistics
      logger.info(
        "decision log closed",
        metadata: [
          "accepted": .stringConvertible(statistics.accepted),
          "written": .stringConvertible(statistics.written),
          "dropped": .stringConvertible(statistics.dropped),
          "failures": .stringConvertible(statistics.failures),
        ])
    }
  }
}
