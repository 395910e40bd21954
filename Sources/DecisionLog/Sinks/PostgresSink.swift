import Logging
import PostgresNIO
import ProtocolEngine
import Synchronization

/// A decision log in a PostgreSQL table (default `decision_log`), created if missing:
///
/// ```sql
/// request_id text PRIMARY KEY, time timestamptz, ruleset_version text, ruleset_sha256 text,
/// as_of date, report jsonb, decision jsonb, escalation text   -- and an index on time
/// ```
///
/// Each batch is one `INSERT ... SELECT FROM unnest(...)` statement (atomic on its own) with
/// `ON CONFLICT (request_id) DO NOTHING`, so a batch retried after a lost reply adds no
/// duplicates. The buffer, drop and flush semantics are those of ``JSONLinesSink``.
public final class PostgresSink: DecisionSink {
  /// Records held in memory before `submit` starts dropping.
  public static let defaultCapacity = 65_536
  /// Rows per `INSERT`.
  public static let defaultBatchSize = 500

  /// Where the log is (printable: no password).
  public let location: PostgresLocation
  let queue: RecordQueue
  private let client: PostgresClient
  private let writer: PostgresBatchWriter
  private let started = Mutex(false)

  /// Connects once to check the server and the login, creates the table and its index if
  /// missing, and prepares the connection pool `run()` uses.
  ///
  /// This waits for the server (at most the 5 s connect timeout): call it at startup.
  ///
  /// - Throws: `DecisionLogError.badURL`, or `.database` when the server is unreachable,
  ///   refuses the login or the table cannot be created.
  public init(
    url: String, capacity: Int = PostgresSink.defaultCapacity,
    bufferBytes: Int = DecisionLogs.defaultBufferBytes,
    batchSize: Int = PostgresSink.defaultBatchSize, logger: Logger
  ) throws(DecisionLogError) {
    let location = try PostgresLocation(url: url)
    self.location = location
    try PostgresSink.prepare(location, logger: logger)
    client = PostgresClient(configuration: location.clientConfiguration, backgroundLogger: logger)
    writer = PostgresBatchWriter(client: client, location: location, logger: logger)
    queue = RecordQueue(
      options: RecordQueue.Options(
        capacity: capacity, maximumBytes: bufferBytes, batchSize: batchSize),
      destination: location.description, logger: logger)
  }

  public func submit(_ record: DecisionRecord) -> Bool { queue.submit(record) }

  public func run() async throws {
    let wasStarted = started.withLock { state -> Bool in
      defer { state = true }
      return state
    }
    if wasStarted { throw DecisionLogError.alreadyRunning }
    // The connection pool runs in a detached task: PostgresClient.run() ends at a
    // ServiceLifecycle graceful shutdown, and a task of this one would inherit the
    // shutdown and close the pool while the queue still drains its last batches. The pool
    // stops once the queue has written everything (or given up).
    let client = self.client
    let pool = Task.detached { await client.run() }
    do {
      try await queue.run(writer: writer)
    } catch {
      pool.cancel()
      await pool.value
      throw error
    }
    pool.cancel()
    await pool.value
  }

  public func flush() async throws { try await queue.flush() }
  public func close() async throws { try await queue.close() }
  public var statistics: DecisionLogStatistics { queue.statistics }

  /// The table's SQL, one statement per element.
  static func schema(_ location: PostgresLocation) -> [String] {
    let table = location.quotedTable
    let index = "\"\(location.table.prefix(58))_time\""
    return [
      """
      CREATE TABLE IF NOT EXISTS \(table) (
        request_id text PRIMARY KEY,
        time timestamptz NOT NULL,
        ruleset_version text NOT NULL,
        ruleset_sha256 text NOT NULL,
        as_of date NOT NULL,
        report jsonb NOT NULL,
        decision jsonb NOT NULL,
        escalation text NOT NULL
      )
      """,
      "CREATE INDEX IF NOT EXISTS \(index) ON \(table) (time)",
    ]
  }

  /// Connects, checks the login and creates the schema, waiting on NIO's threads (never on
  /// Swift concurrency's), so it is safe from synchronous code at startup.
  private static func prepare(_ location: PostgresLocation, logger: Logger) throws(DecisionLogError)
  {
    let loop = PostgresConnection.defaultEventLoopGroup.any()
    let connection: PostgresConnection
    do {
      connection = try PostgresConnection.connect(
        on: loop, configuration: try location.connectionConfiguration(), id: 1, logger: logger
      ).wait()
    } catch {
      throw .database(
        url: location.description,
        reason: "cannot connect to the server at \(location.host):\(location.port): "
          + PostgresLocation.describe(error))
    }
    defer { _ = try? connection.close().wait() }
    do {
      for statement in schema(location) { _ = try connection.simpleQuery(statement).wait() }
    } catch {
      throw .database(
        url: location.description,
        reason: "cannot create the table \(location.table): " + PostgresLocation.describe(error))
    }
  }
}

/// Writes batches of records with one statement each.
struct PostgresBatchWriter: BatchWriter {
  let client: PostgresClient
  let location: PostgresLocation
  let logger: Logger

  func write(_ batch: [QueuedRecord]) async throws {
    var bindings = PostgresBindings(capacity: 8)
    bindings.append(batch.map(\.requestID))
    bindings.append(batch.map(\.time))
    bindings.append(batch.map(\.rulesetVersion))
    bindings.append(batch.map(\.rulesetSHA256))
    bindings.append(batch.map(\.asOf))
    bindings.append(batch.map { String(decoding: $0.report, as: UTF8.self) })
    bindings.append(batch.map { String(decoding: $0.decision, as: UTF8.self) })
    bindings.append(batch.map(\.escalation))
    let sql = """
      INSERT INTO \(location.quotedTable)
        (request_id, time, ruleset_version, ruleset_sha256, as_of, report, decision, escalation)
      SELECT r, t::timestamptz, v, s, a::date, p::jsonb, d::jsonb, e
      FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[],
        $7::text[], $8::text[]) AS x(r, t, v, s, a, p, d, e)
      ON CONFLICT (request_id) DO NOTHING
      """
    do {
      try await client.query(PostgresQuery(unsafeSQL: sql, binds: bindings), logger: logger)
    } catch {
      throw DecisionLogError.database(
        url: location.description, reason: "insert failed: " + PostgresLocation.describe(error))
    }
  }

  func shutdown() async {}
}
