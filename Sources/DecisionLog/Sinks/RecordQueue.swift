import Logging
import Synchronization

/// Where a batch of records goes: a file or a database. `write` returns when the batch is
/// durable; when it throws, the same batch is handed to it again later (so a writer that
/// got part of a batch out can finish it rather than repeat it).
protocol BatchWriter: Sendable {
  /// Writes one batch durably.
  func write(_ batch: [QueuedRecord]) async throws
  /// Releases the file or the connections, once the queue is done.
  func shutdown() async
}

/// The bounded buffer, counters and background writer loop that both sinks share.
///
/// `submit` takes a lock only long enough to append; the writer is woken through an
/// `AsyncStream` and takes up to `batchSize` records at a time. Records stay in the queue
/// until their batch is durable, so a failed write loses nothing: it is counted in
/// `failures` and retried with exponential backoff. Records leave in the order they came,
/// which is what lets `flush()` wait for a count (`written >= accepted when asked`).
final class RecordQueue: Sendable {
  /// How the queue is sized and how it retries.
  struct Options: Sendable {
    var capacity: Int
    /// The most bytes the buffer holds (``QueuedRecord/size``), whatever the count.
    var maximumBytes: Int = DecisionLogs.defaultBufferBytes
    var batchSize: Int
    /// The first retry waits this long, doubling up to `maximumBackoff`.
    var initialBackoff: Duration = .milliseconds(50)
    var maximumBackoff: Duration = .seconds(5)
    /// How long the writer lets a part batch fill before writing it. Writing each record as
    /// it comes would mean hundreds of `fsync`s or statements a second under load (and,
    /// with PostgresNIO's pool, a cancelled idle timer each, held until it would have
    /// fired); a few milliseconds make batches of hundreds. `flush` waits at most this more.
    var linger: Duration = .milliseconds(20)
    /// Once closing, the attempts made before giving up on what is left.
    var attemptsWhenClosing = 5
  }

  /// What the writer loop does next.
  private enum Step { case write([QueuedRecord]), linger, wait, finish }

  private struct Waiter {
    var target: Int
    var continuation: CheckedContinuation<Void, any Error>
  }

  private struct State {
    /// Accepted, not yet taken by the writer.
    var pending: [QueuedRecord] = []
    /// Taken by the writer, not yet durable (kept for retries).
    var inFlight: [QueuedRecord] = []
    var statistics = DecisionLogStatistics()
    /// The bytes of `pending` and `inFlight`.
    var bytes = 0
    /// The most `bytes` since the allocator was last asked to give memory back.
    var peakBytes = 0
    var closing = false
    var running = false
    var finished = false
    /// Set when closing gave up; flushes after that fail with it.
    var abandoned: DecisionLogError?
    var waiters: [Waiter] = []
    var endWaiters: [CheckedContinuation<Void, Never>] = []
    var lastDropWarning: ContinuousClock.Instant?
    var droppedSinceWarning = 0
  }

  /// A backlog that reached this many bytes is given back to the system once it has drained.
  static let trimAfterBytes = 16 * 1_048_576

  let options: Options
  let logger: Logger
  /// What the queue writes to, for messages (`decisions.jsonl`, `postgres://host/db`).
  let destination: String
  private let state = Mutex(State())
  private let wakeups: AsyncStream<Void>
  private let wake: AsyncStream<Void>.Continuation

  init(options: Options, destination: String, logger: Logger) {
    self.options = Options(
      capacity: max(1, options.capacity), maximumBytes: max(1, options.maximumBytes),
      batchSize: max(1, options.batchSize),
      initialBackoff: options.initialBackoff, maximumBackoff: options.maximumBackoff,
      linger: options.linger, attemptsWhenClosing: max(1, options.attemptsWhenClosing))
    self.destination = destination
    self.logger = logger
    (wakeups, wake) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
  }

  var statistics: DecisionLogStatistics { state.withLock { $0.statistics } }

  /// The bytes the buffered records hold now (``QueuedRecord/size``).
  var bufferedBytes: Int { state.withLock { $0.bytes } }

  /// Buffers a record without waiting; false (and counted as dropped) when the buffer is full
  /// or the sink is closed.
  func submit(_ record: DecisionRecord) -> Bool {
    enum Outcome { case accepted, dropped(warn: Int?) }
    guard LogInstant(rfc3339: record.time) != nil else {
      state.withLock { $0.statistics.dropped += 1 }
      logger.error(
        "decision record refused: its time is not RFC 3339",
        metadata: ["request_id": "\(record.requestID)", "time": "\(record.time)"])
      return false
    }
    // Rendered before the lock is taken: the buffer keeps bytes, not JSON trees.
    let queued = QueuedRecord(record)
    let outcome = state.withLock { state -> Outcome in
      let queuedCount = state.pending.count + state.inFlight.count
      // One record is always taken when the buffer is empty, however large it is.
      if !state.closing, queuedCount < options.capacity,
        queuedCount == 0 || state.bytes + queued.size <= options.maximumBytes
      {
        state.pending.append(queued)
        state.bytes += queued.size
        state.peakBytes = max(state.peakBytes, state.bytes)
        state.statistics.accepted += 1
        return .accepted
      }
      state.statistics.dropped += 1
      state.droppedSinceWarning += 1
      let now = ContinuousClock.now
      if let last = state.lastDropWarning, now - last < .seconds(1) { return .dropped(warn: nil) }
      state.lastDropWarning = now
      defer { state.droppedSinceWarning = 0 }
      return .dropped(warn: state.droppedSinceWarning)
    }
    switch outcome {
    case .accepted:
      wake.yield()
      return true
    case .dropped(let count):
      if let count {
        logger.warning(
          "decision log buffer full or closed: records dropped",
          metadata: [
            "destination": "\(destination)", "dropped": "\(count)",
            "capacity": "\(options.capacity) records, \(options.maximumBytes / 1_048_576) MiB",
          ])
      }
      return false
    }
  }

  /// Waits until every record accepted before the call is durable.
  ///
  /// - Throws: `DecisionLogError.notDurable` when the sink closed without writing them.
  func flush() async throws {
    wake.yield()
    try await withCheckedThrowingContinuation {
      (continuation: CheckedContinuation<Void, any Error>) in
      let resume: Result<Void, any Error>? = state.withLock { state in
        let target = state.statistics.accepted
        if state.statistics.written >= target { return .success(()) }
        if let abandoned = state.abandoned { return .failure(abandoned) }
        state.waiters.append(Waiter(target: target, continuation: continuation))
        return nil
      }
      if let resume { continuation.resume(with: resume) }
    }
  }

  /// Refuses new records, writes what is buffered and waits for the writer loop to end.
  ///
  /// `run` must be running (or start later) for this to return.
  func close() async throws {
    state.withLock { $0.closing = true }
    wake.yield()
    defer { wake.finish() }
    try await flush()
    await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
      let done = state.withLock { state -> Bool in
        if state.finished || !state.running { return true }
        state.endWaiters.append(continuation)
        return false
      }
      if done { continuation.resume() }
      wake.yield()
    }
  }

  /// The writer loop: writes batches until closed (or cancelled) and the buffer is empty.
  func run(writer: some BatchWriter) async throws {
    let alreadyRunning = state.withLock { state -> Bool in
      defer { state.running = true }
      return state.running
    }
    if alreadyRunning { throw DecisionLogError.alreadyRunning }
    var iterator = wakeups.makeAsyncIterator()
    var backoff = options.initialBackoff
    var attemptsWhileClosing = 0
    var lingered = false
    loop: while true {
      let cancelled = Task.isCancelled
      let step = state.withLock { state -> Step in
        if cancelled { state.closing = true }
        // Less than a batch waiting: give it a moment to fill (not when closing).
        if state.inFlight.isEmpty, !state.pending.isEmpty, state.pending.count < options.batchSize,
          !state.closing, !lingered, options.linger > .zero
        {
          return .linger
        }
        if state.inFlight.isEmpty, !state.pending.isEmpty {
          lingered = false
          if state.pending.count <= options.batchSize {
            state.inFlight = state.pending
            state.pending = []
          } else {
            state.inFlight = Array(state.pending.prefix(options.batchSize))
            state.pending.removeFirst(options.batchSize)
          }
        }
        if !state.inFlight.isEmpty { return .write(state.inFlight) }
        return state.closing ? .finish : .wait
      }
      switch step {
      case .linger:
        lingered = true
        try? await Task.sleep(for: options.linger)
      case .finish:
        break loop
      case .wait:
        if await iterator.next() == nil, !Task.isCancelled {
          // The stream ended (close): go round once more to finish.
          state.withLock { $0.closing = true }
        }
      case .write(let batch):
        do {
          try await writer.write(batch)
          backoff = options.initialBackoff
          attemptsWhileClosing = 0
          let (ready, trim) = state.withLock { state -> ([Waiter], Bool) in
            state.inFlight = []
            state.bytes -= batch.reduce(0) { $0 + $1.size }
            state.statistics.written += batch.count
            let written = state.statistics.written
            let ready = state.waiters.filter { $0.target <= written }
            state.waiters.removeAll { $0.target <= written }
            // A backlog that has drained leaves its pages with the allocator.
            let trim = state.pending.isEmpty && state.peakBytes >= RecordQueue.trimAfterBytes
            if trim { state.peakBytes = 0 }
            return (ready, trim)
          }
          for waiter in ready { waiter.continuation.resume() }
          if trim { ReleaseMemory.toTheSystem() }
        } catch {
          let closing = state.withLock { state -> Bool in
            state.statistics.failures += 1
            return state.closing
          }
          logger.error(
            "decision log write failed; the records are kept and retried",
            metadata: [
              "destination": "\(destination)", "records": "\(batch.count)",
              "error": "\(error)", "retry_in": "\(backoff)",
            ])
          if closing || Task.isCancelled {
            attemptsWhileClosing += 1
            if attemptsWhileClosing >= options.attemptsWhenClosing {
              abandon(reason: "\(error)")
              break loop
            }
          }
          try? await Task.sleep(for: backoff)
          backoff = min(backoff * 2, options.maximumBackoff)
        }
      }
    }
    await writer.shutdown()
    let (waiters, ends) = state.withLock { state in
      state.finished = true
      defer {
        state.waiters = []
        state.endWaiters = []
      }
      return (state.waiters, state.endWaiters)
    }
    for waiter in waiters {
      // Only records accepted after the loop decided to finish can be left here.
      waiter.continuation.resume(
        throwing: DecisionLogError.notDurable(
          records: waiter.target - statistics.written, reason: "the log was closed"))
    }
    for end in ends { end.resume() }
  }

  /// Gives up on what is left after repeated failures while closing.
  private func abandon(reason: String) {
    let (lost, waiters) = state.withLock { state -> (Int, [Waiter]) in
      let lost = state.pending.count + state.inFlight.count
      state.pending = []
      state.inFlight = []
      state.bytes = 0
      state.abandoned = .notDurable(records: lost, reason: reason)
      defer { state.waiters = [] }
      return (lost, state.waiters)
    }
    logger.critical(
      "decision log closed with records it could not write",
      metadata: ["destination": "\(destination)", "records": "\(lost)", "error": "\(reason)"])
    for waiter in waiters {
      waiter.continuation.resume(
        throwing: DecisionLogError.notDurable(records: lost, reason: reason))
    }
  }
}
