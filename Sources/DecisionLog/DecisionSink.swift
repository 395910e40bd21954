import Logging
import ProtocolEngine

/// One decision as the log keeps it: who asked (a request id), when, under which ruleset,
/// the report masked by ``ReportMask`` and the decision exactly as `hotline-route route`
/// prints it.
public struct DecisionRecord: Sendable, Hashable {
  /// The request id the service answered with (`X-Request-ID`), unique per decision.
  public var requestID: String
  /// When the decision was made: RFC 3339 in UTC with milliseconds
  /// (`2026-11-30T14:05:09.123Z`).
  public var time: String
  /// The ruleset's `policy.yaml` version.
  public var rulesetVersion: String
  /// The ruleset's sha256 (`ProtocolSet.sha256`).
  public var rulesetSHA256: String
  /// The day the protocols and contacts were taken as in force.
  public var asOf: Day
  /// The report as masked by ``ReportMask`` (the facts the engine reads; the report's `id`
  /// dropped).
  public var report: JSONValue
  /// The decision JSON (`Decision.json`).
  public var decision: JSONValue

  public init(
    requestID: String, time: String, rulesetVersion: String, rulesetSHA256: String, asOf: Day,
    report: JSONValue, decision: JSONValue
  ) {
    self.requestID = requestID
    self.time = time
    self.rulesetVersion = rulesetVersion
    self.rulesetSHA256 = rulesetSHA256
    self.asOf = asOf
    self.report = report
    self.decision = decision
  }
}

/// What a sink has done since it opened; the service reports these on `/metrics`.
public struct DecisionLogStatistics: Sendable, Hashable {
  /// Records accepted into the buffer.
  public var accepted: Int = 0
  /// Records written durably (a file's fsync, a committed PostgreSQL batch).
  public var written: Int = 0
  /// Records refused because the buffer was full: counted and reported, never silent.
  public var dropped: Int = 0
  /// Write attempts that failed (each failure is retried; the records stay buffered).
  public var failures: Int = 0

  public init(accepted: Int = 0, written: Int = 0, dropped: Int = 0, failures: Int = 0) {
    self.accepted = accepted
    self.written = written
    self.dropped = dropped
    self.failures = failures
  }
}

/// Where decisions are logged. `submit` never blocks a response: it puts the record in a
/// bounded buffer that a background task writes out in batches.
///
/// `flush()` and `close()` return once `run()` has written what they wait for, so `run()`
/// must be running (or be started) for them to return.
public protocol DecisionSink: Sendable {
  /// Buffers a record; false when the buffer is full or the sink is closed (the record is
  /// counted as dropped), or when the record's `time` is not RFC 3339 (logged as an error).
  func submit(_ record: DecisionRecord) -> Bool
  /// Runs the writer until `close()` (or until its task is cancelled, which closes the
  /// sink); the service runs it as a ServiceLifecycle service. A failed write is counted,
  /// logged and retried with backoff; the records stay buffered meanwhile.
  ///
  /// - Throws: `DecisionLogError.alreadyRunning` when called a second time.
  func run() async throws
  /// Waits until every record accepted before the call is durable (fsynced, committed).
  ///
  /// - Throws: `DecisionLogError.notDurable` if the sink closed without writing them.
  func flush() async throws
  /// Refuses new records, flushes, then ends `run()`. While closing, a write that keeps
  /// failing is given up after a few attempts.
  ///
  /// - Throws: `DecisionLogError.notDurable` naming how many records were lost.
  func close() async throws
  /// What the sink has done so far.
  var statistics: DecisionLogStatistics { get }
}

/// Opens decision logs by destination.
public enum DecisionLogs {
  /// Opens a decision log: a `postgres://` or `postgresql://` URL is a PostgreSQL table
  /// (``PostgresSink``, `?table=` names it), anything else a JSON lines file
  /// (``JSONLinesSink``). Run the sink's `run()` for it to write.
  ///
  /// - Throws: `DecisionLogError`: the path is a folder or cannot be created or written, the
  ///   URL is malformed, the server is unreachable or refuses the login or the table.
  /// - Parameter bufferBytes: the most memory the buffer holds (``defaultBufferBytes``).
  public static func open(
    _ destination: String, bufferBytes: Int = DecisionLogs.defaultBufferBytes, logger: Logger
  ) throws -> any DecisionSink {
    if PostgresLocation.isURL(destination) {
      return try PostgresSink(url: destination, bufferBytes: bufferBytes, logger: logger)
    }
    return try JSONLinesSink(path: destination, bufferBytes: bufferBytes, logger: logger)
  }

  /// The memory a sink's buffer may hold before `submit` drops (256 MiB): a record with its
  /// explained decision is 3 to 10 KB, so some 35,000 records, minutes of a hotline's busiest
  /// traffic while a disk or a database is slow. The buffer also holds at most 65,536 records.
  public static let defaultBufferBytes = 256 * 1_048_576
}
