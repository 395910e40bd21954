import Logging
import Synchronization

/// Where a batch of records goes: a file or a database. `write` returns when the batch is
/// durable; when it throws, the same batch is handed to it again later (so a writer that
/// got part of a batch out can finish it rather than repeat it).
protocol BatchWriter: Sendable {
  /// Writes one batch durably.
  func write(_ batch: [DecisionRecord]) async throws
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
    var batchSize: Int
    /// The first retry waits this long, doubling up to `maximumBackoff`.
    var initialBackoff: Duration = .milliseconds(50)
    var maximumBackoff: Duration = .seconds(5)
    /// Once closing, the attempts made before giving up on what is left.
    var attemptsWhenClosing = 5
  }

  /// What the writer loop does next.
  private enum Step { case write([DecisionRecord]), wait, finish }

  private struct Waiter {
    var target: Int
    var continuation: CheckedContinuation<Void, any Error>
  }

  private struct State {
    /// Accepted, not yet taken by the writer.
    var pending: [DecisionRecord] = []
    /// Taken by the writer, not yet durable (kept for retries).
    var inFlight: [DecisionRecord] = []
    var statistics = DecisionLogStatistics()
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

  let options: Options
  let logger: Logger
  /// What the queue writes to, for messages (`decisions.jsonl`, `postgres://host/db`).
  let destination: String
  private let state = Mutex(State())
  private let wakeups: AsyncStream<Void>
  private let wake: AsyncStream<Void>.Continuation

  init(options: Options, destination: String, logger: Logger) {
    self.options = Options(
      capacity: max(1, options.capacity), batchSize: max(1, options.batchSize),
      initialBackoff: options.initialBackoff, maximumBackoff: options.maximumBackoff,
      attemptsWhenClosing: max(1, options.attemptsWhenClosing))
    self.destination = destination
    self.logger = logger
    (wakeups, wake) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
  }

  var statistics: DecisionLogStatistics { state.withLock { $0.statistics } }

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
    let outcome = state.withLock { state -> Outcome in
      if !state.closing, state.pending.count + state.inFlight.count < options.capacity {
        state.pending.append(record)
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
            "capacity": "\(options.capacity)",
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
    loop: while true {
      let cancelled = Task.isCancelled
      let step = state.withLock { state -> Step in
        if cancelled { state.closing = true }
        if state.inFlight.isEmpty, !state.pending.isEmpty {
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
          let ready = state.withLock { state -> [Waiter] in
            state.inFlight = []
            state.statistics.written += batch.count
            let written = state.statistics.written
            let ready = state.waiters.filter { $0.target <= written }
            state.waiters.removeAll { $0.target <= written }
            return ready
          }
          for waiter in ready { waiter.continuation.resume() }
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
