import Foundation
import ProtocolEngine
import Testing

@testable import DecisionLog

@Suite("JSON lines decision log")
struct JSONLinesSinkTests {
  @Test func recordsWrittenConcurrentlyAllReadBack() async throws {
    let folder = try TemporaryFolder()
    defer { folder.remove() }
    let path = folder.path("decisions.jsonl")
    let sink = try DecisionLogs.open(path, logger: Fixtures.logger)
    let writer = Task { try await sink.run() }
    let tasks = 16
    let each = 250
    await withTaskGroup(of: Void.self) { group in
      for task in 0..<tasks {
        group.addTask {
          for index in 0..<each { _ = sink.submit(Fixtures.record(task * each + index)) }
        }
      }
    }
    try await sink.flush()
    let statistics = sink.statistics
    #expect(statistics.accepted == tasks * each)
    #expect(statistics.written == tasks * each)
    #expect(statistics.dropped == 0)
    try await sink.close()
    try await writer.value

    let (records, warnings) = try await Fixtures.read(path)
    #expect(warnings.isEmpty)
    #expect(records.count == tasks * each)
    #expect(Set(records.map(\.record.requestID)).count == tasks * each)
    // Each line is JSON on its own (checked here with Foundation's parser too).
    let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
    #expect(lines.count == tasks * each)
    for line in lines {
      #expect(line.hasPrefix(#"{"request_id":"req-"#))
      let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
      #expect(
        object?.keys.sorted() == ["as_of", "decision", "report", "request_id", "ruleset", "time"])
    }
    let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
    #expect(mode == 0o600)
  }

  @Test func aFullBufferCountsDropsAndLosesNothingItAccepted() async throws {
    let folder = try TemporaryFolder()
    defer { folder.remove() }
    let path = folder.path("small.jsonl")
    let sink = try JSONLinesSink(path: path, capacity: 10, logger: Fixtures.logger)
    // The writer is not running yet: the buffer fills.
    let accepted = (0..<25).map { sink.submit(Fixtures.record($0)) }
    #expect(accepted == Array(repeating: true, count: 10) + Array(repeating: false, count: 15))
    #expect(sink.statistics == DecisionLogStatistics(accepted: 10, written: 0, dropped: 15))
    let writer = Task { try await sink.run() }
    try await sink.close()
    try await writer.value
    #expect(sink.statistics.written == 10)
    let (records, _) = try await Fixtures.read(path)
    #expect(records.map(\.record.requestID) == (0..<10).map { "req-\($0)" })
    // Closed: nothing more is taken.
    #expect(!sink.submit(Fixtures.record(99)))
    #expect(sink.statistics.dropped == 16)
  }

  @Test func flushMakesEverythingAcceptedReadable() async throws {
    let folder = try TemporaryFolder()
    defer { folder.remove() }
    let path = folder.path("flush.jsonl")
    let sink = try JSONLinesSink(path: path, logger: Fixtures.logger)
    let writer = Task { try await sink.run() }
    for round in 0..<3 {
      for index in 0..<7 { #expect(sink.submit(Fixtures.record(round * 7 + index))) }
      try await sink.flush()
      // Read through another descriptor while the sink is still open.
      let (records, warnings) = try await Fixtures.read(path)
      #expect(records.count == (round + 1) * 7)
      #expect(warnings.isEmpty)
    }
    try await sink.close()
    try await writer.value
  }

  @Test func destinationsThatCannotBeWrittenAreClearErrors() throws {
    let folder = try TemporaryFolder()
    defer { folder.remove() }
    #expect(throws: DecisionLogError.isAFolder(path: folder.url.path)) {
      _ = try DecisionLogs.open(folder.url.path, logger: Fixtures.logger)
    }
    let missing = folder.path("no-such-folder/log.jsonl")
    #expect(
      throws: DecisionLogError.cannotOpen(
        path: missing, reason: "the folder \(folder.path("no-such-folder")) does not exist")
    ) { _ = try DecisionLogs.open(missing, logger: Fixtures.logger) }
    let fifo = folder.path("fifo")
    #expect(mkfifo(fifo, 0o600) == 0)
    #expect(
      throws: DecisionLogError.cannotOpen(
        path: fifo, reason: "it is a FIFO (named pipe), not a regular file")
    ) { _ = try DecisionLogs.open(fifo, logger: Fixtures.logger) }
    let path = folder.path("locked.jsonl")
    let first = try DecisionLogs.open(path, logger: Fixtures.logger)
    #expect(
      throws: DecisionLogError.cannotOpen(
        path: path, reason: "another process is writing this log (it is locked)")
    ) { _ = try DecisionLogs.open(path, logger: Fixtures.logger) }
    _ = first
    #expect(
      DecisionLogError.isAFolder(path: "/tmp").description
        == "/tmp: is a folder; give a file name for the decision log")
  }

  @Test func aKilledWritersCutShortLineIsAWarningAndIsRepairedOnReopen() async throws {
    let folder = try TemporaryFolder()
    defer { folder.remove() }
    let path = folder.path("killed.jsonl")
    let complete = (0..<3).map { Fixtures.record($0).jsonLine }.joined()
    let partial = String(Fixtures.record(3).jsonLine.prefix(40))
    try (complete + partial).write(toFile: path, atomically: false, encoding: .utf8)

    let (records, warnings) = try await Fixtures.read(path)
    #expect(records.count == 3)
    #expect(warnings.count == 1)
    #expect(
      warnings.first?.hasPrefix("\(path):4:41: warning: the last line has no newline") == true)

    // A new writer removes the partial line before appending.
    let sink = try JSONLinesSink(path: path, logger: Fixtures.logger)
    let writer = Task { try await sink.run() }
    #expect(sink.submit(Fixtures.record(4)))
    try await sink.close()
    try await writer.value
    let (after, afterWarnings) = try await Fixtures.read(path)
    #expect(after.map(\.record.requestID) == ["req-0", "req-1", "req-2", "req-4"])
    #expect(afterWarnings.isEmpty)
  }

  @Test func aCompleteLastRecordWithoutItsNewlineIsKept() async throws {
    let folder = try TemporaryFolder()
    defer { folder.remove() }
    let path = folder.path("no-newline.jsonl")
    let text = Fixtures.record(0).jsonLine + Fixtures.record(1).jsonLine.dropLast()
    try text.write(toFile: path, atomically: false, encoding: .utf8)
    #expect(try await Fixtures.read(path).records.count == 2)
    let sink = try JSONLinesSink(path: path, logger: Fixtures.logger)
    let writer = Task { try await sink.run() }
    #expect(sink.submit(Fixtures.record(2)))
    try await sink.close()
    try await writer.value
    #expect(
      try await Fixtures.read(path).records.map(\.record.requestID) == ["req-0", "req-1", "req-2"])
  }

  @Test func aRecordWhoseTimeIsNotRFC3339IsRefused() throws {
    let folder = try TemporaryFolder()
    defer { folder.remove() }
    let sink = try JSONLinesSink(path: folder.path("bad-time.jsonl"), logger: Fixtures.logger)
    #expect(!sink.submit(Fixtures.record(0, time: "yesterday")))
    #expect(sink.statistics.dropped == 1)
  }
}

/// A writer that fails a given number of times, then writes into memory.
final class FlakyWriter: BatchWriter, @unchecked Sendable {
  // @unchecked: the queue calls `write` from one task at a time; the lock guards the rest.
  private let lock = NSLock()
  private var failuresLeft: Int
  private var stored: [String] = []

  init(failures: Int) { failuresLeft = failures }

  var written: [String] { lock.withLock { stored } }

  func write(_ batch: [QueuedRecord]) async throws {
    try lock.withLock {
      if failuresLeft > 0 {
        failuresLeft -= 1
        throw DecisionLogError.cannotWrite(path: "flaky", reason: "disk on fire")
      }
      stored += batch.map(\.requestID)
    }
  }

  func shutdown() async {}
}

@Suite("The decision log's buffer and writer")
struct RecordQueueTests {
  static func queue(capacity: Int = 100, maximumBytes: Int = 1 << 30) -> RecordQueue {
    RecordQueue(
      options: RecordQueue.Options(
        capacity: capacity, maximumBytes: maximumBytes, batchSize: 4,
        initialBackoff: .milliseconds(1),
        maximumBackoff: .milliseconds(4)),
      destination: "memory", logger: Fixtures.logger)
  }

  @Test func failedWritesAreCountedRetriedAndLoseNothing() async throws {
    let queue = Self.queue()
    let writer = FlakyWriter(failures: 3)
    for index in 0..<10 { #expect(queue.submit(Fixtures.record(index))) }
    let running = Task { try await queue.run(writer: writer) }
    try await queue.flush()
    #expect(queue.statistics == DecisionLogStatistics(accepted: 10, written: 10, failures: 3))
    #expect(writer.written == (0..<10).map { "req-\($0)" })
    try await queue.close()
    try await running.value
  }

  @Test func closeGivesUpOnAWriterThatKeepsFailing() async throws {
    let queue = Self.queue()
    let writer = FlakyWriter(failures: .max)
    for index in 0..<6 { #expect(queue.submit(Fixtures.record(index))) }
    let running = Task { try await queue.run(writer: writer) }
    await #expect(
      throws: DecisionLogError.notDurable(
        records: 6, reason: "flaky: cannot write the decision log: disk on fire")
    ) {
      try await queue.close()
    }
    try await running.value
    #expect(queue.statistics.written == 0)
    #expect(queue.statistics.failures >= 5)
  }

  /// The buffer is bounded by memory too: records with long explanations fill it sooner.
  @Test func theBufferHoldsAtMostItsBytesAndFreesThemWhenWritten() async throws {
    let sizes = (0..<4).map { QueuedRecord(Fixtures.record($0)).size }
    #expect(sizes.allSatisfy { $0 > QueuedRecord.overhead })
    let queue = Self.queue(maximumBytes: sizes.prefix(3).reduce(0, +) + sizes[3] / 2)
    for index in 0..<3 { #expect(queue.submit(Fixtures.record(index))) }
    #expect(queue.bufferedBytes == sizes.prefix(3).reduce(0, +))
    #expect(!queue.submit(Fixtures.record(3)))
    #expect(queue.statistics == DecisionLogStatistics(accepted: 3, dropped: 1))
    let writer = FlakyWriter(failures: 0)
    let running = Task { try await queue.run(writer: writer) }
    try await queue.flush()
    #expect(queue.bufferedBytes == 0)
    #expect(queue.submit(Fixtures.record(4)))
    try await queue.close()
    try await running.value
    #expect(writer.written == ["req-0", "req-1", "req-2", "req-4"])
  }

  /// A record larger than the whole buffer is still taken when nothing else is buffered.
  @Test func oneRecordIsAlwaysTakenIntoAnEmptyBuffer() async throws {
    let queue = Self.queue(maximumBytes: 10)
    #expect(queue.submit(Fixtures.record(0)))
    #expect(!queue.submit(Fixtures.record(1)))
  }

  /// On Linux (glibc) a drained backlog's memory is handed back with `malloc_trim`.
  @Test func theAllocatorCanBeAskedToGiveMemoryBack() {
    #if os(Linux)
      #expect(ReleaseMemory.isAvailable)
    #endif
    ReleaseMemory.toTheSystem()
  }

  @Test func runTwiceIsAnError() async throws {
    let queue = Self.queue()
    let writer = FlakyWriter(failures: 0)
    let running = Task { try await queue.run(writer: writer) }
    #expect(queue.submit(Fixtures.record(0)))
    try await queue.flush()
    await #expect(throws: DecisionLogError.alreadyRunning) { try await queue.run(writer: writer) }
    try await queue.close()
    try await running.value
  }
}
