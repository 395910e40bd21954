import Foundation
import PostgresNIO

/// A results store in a PostgreSQL database, shared by hotline-sim on many machines.
///
/// postgres-nio is asynchronous and the store is not: each call runs its queries on this type's
/// own event loop group and waits for them with `EventLoopFuture.wait()` on the caller's thread,
/// which is never one of those event loops (the store hands them no work that calls back into
/// it). Connections are kept for reuse, one per transaction at a time.
///
/// Writers are serialized by a transaction-scoped advisory lock, as SQLite's `IMMEDIATE`
/// transactions serialize them, and wait up to `ResultsStore.busyTimeout` (`lock_timeout`) for
/// it. Every connection runs `synchronous_commit = on`, so a commit is durable when it returns.
///
/// `@unchecked Sendable`: `idle` and `connections` change only while `lock` is held; the rest is
/// immutable.
final class PostgresBackend: StoreBackend, @unchecked Sendable {
  let place: PostgresLocation
  var location: String { place.redacted }
  private let configuration: PostgresConnection.Configuration
  private let logger: Logger
  private let lock = NSLock()
  private var idle: [PostgresConnection] = []
  private var connections = 0

  /// The store's own event loop: one thread for every PostgreSQL store in the process, alive as
  /// long as the process (as NIO's singletons are).
  static let eventLoopGroup = MultiThreadedEventLoopGroup(numberOfThreads: 1)

  /// The advisory lock every writer and migration takes, per database ("HotlineS" in ASCII).
  static let storeLock: Int64 = 0x486F_746C_696E_6553

  /// How many idle connections a store keeps.
  static let idleLimit = 4

  /// Connects, migrates, and keeps the connection for the first call.
  ///
  /// - Parameter last: The last migration to apply (tests make old databases this way); nil
  ///   applies them all.
  /// - Throws: `.cannotOpen` (the server cannot be reached, refuses the login, lacks the
  ///   database, or TLS cannot be set up) or `.newerSchema`, naming the URL without its password.
  init(_ place: PostgresLocation, migratingUpTo last: String? = nil) throws(StoreError) {
    self.place = place
    var logger = Logger(label: "hotline-sim.results-store")
    logger.logLevel = .critical
    self.logger = logger
    do {
      configuration = try Self.configuration(for: place)
      try migrate(upTo: last)
    } catch let error as StoreError {
      throw error
    } catch {
      throw .cannotOpen(path: place.redacted, reason: Self.reason(for: error, at: place))
    }
  }

  deinit {
    let connections = lock.withLock { idle }
    for connection in connections where !connection.eventLoop.inEventLoop {
      try? connection.close().wait()
    }
  }

  /// How to reach the server: TLS as `sslmode` asks, a 10-second connect timeout, and the
  /// settings the store relies on, sent with the login.
  static func configuration(for place: PostgresLocation) throws -> PostgresConnection.Configuration
  {
    let tls: PostgresConnection.Configuration.TLS
    switch place.tls {
    case .disable:
      tls = .disable
    case .prefer, .require:
      var settings = TLSConfiguration.makeClientConfiguration()
      settings.certificateVerification = .none
      let context = try NIOSSLContext(configuration: settings)
      tls = place.tls == .prefer ? .prefer(context) : .require(context)
    case .verifyFull:
      tls = .require(try NIOSSLContext(configuration: .makeClientConfiguration()))
    }
    var configuration = PostgresConnection.Configuration(
      host: place.host, port: place.port, username: place.user, password: place.password,
      database: place.database, tls: tls)
    configuration.options.connectTimeout = .seconds(10)
    configuration.options.additionalStartupParameters = [
      ("application_name", "hotline-sim"),
      // Durable on return, whatever the server's or the role's default.
      ("synchronous_commit", "on"),
      // SQLite's busy timeout: wait this long for another writer, then say so.
      ("lock_timeout", "\(Int(ResultsStore.busyTimeout))s"),
      ("TimeZone", "UTC"),
    ]
    return configuration
  }

  // MARK: - Transactions

  func write<T>(_ body: (any StoreTransaction) throws -> T) throws(StoreError) -> T {
    do {
      return try transaction("BEGIN ISOLATION LEVEL READ COMMITTED", writer: true) { tx in
        try body(tx)
      }
    } catch {
      throw storeError(error)
    }
  }

  func read<T>(_ body: (any StoreTransaction) throws -> T) throws(StoreError) -> T {
    do {
      return try transaction("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", writer: false) {
        tx in try body(tx)
      }
    } catch {
      throw storeError(error)
    }
  }

  func appliedMigrations() throws(StoreError) -> Set<String> {
    do {
      return try transaction("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", writer: false) {
        tx in try Self.applied(tx)
      }
    } catch {
      throw storeError(error)
    }
  }

  func execute(_ sql: String) throws(StoreError) -> [[String?]] {
    do {
      return try transaction("BEGIN", writer: true) { tx in
        try tx.rows(sql).map { row in
          try row.map { cell in try Self.text(cell) }
        }
      }
    } catch {
      throw storeError(error)
    }
  }

  /// A value as text: text, a number or a boolean as PostgreSQL prints it, nil for NULL.
  private static func text(_ cell: PostgresCell) throws -> String? {
    guard cell.bytes != nil else { return nil }
    if let text = try? cell.decode(String.self) { return text }
    if let number = try? cell.decode(Int64.self) { return String(number) }
    if let number = try? cell.decode(Double.self) { return String(number) }
    if let truth = try? cell.decode(Bool.self) { return truth ? "true" : "false" }
    throw RowError(message: "the column \(cell.columnName) is not text, a number or a boolean")
  }

  /// Runs `body` between `begin` and `COMMIT` on one connection, rolling back on any error. A
  /// writer first takes the store's advisory lock, released by the commit or the rollback.
  private func transaction<T>(
    _ begin: String, writer: Bool, _ body: (PostgresTransaction) throws -> T
  ) throws -> T {
    let (connection, tx) = try begun(begin)
    var reusable = true
    defer { checkIn(connection, reusable: reusable) }
    do {
      if writer {
        try tx.run("SELECT pg_advisory_xact_lock(\(Self.storeLock))")
      }
      let result = try body(tx)
      try tx.run("COMMIT")
      return result
    } catch {
      if connection.isClosed || error is PostgresTransaction.NoAnswer {
        reusable = false
      } else {
        do {
          try tx.run("ROLLBACK")
        } catch {
          reusable = false
        }
      }
      throw error
    }
  }

  /// A connection with `begin` run on it. A kept connection the server has since closed (it
  /// restarted, or dropped idle clients) is put aside for a new one, once.
  private func begun(_ begin: String) throws -> (PostgresConnection, PostgresTransaction) {
    while let kept = lock.withLock({ idle.popLast() }) {
      guard !kept.isClosed else {
        checkIn(kept, reusable: false)
        continue
      }
      let tx = PostgresTransaction(connection: kept, logger: logger)
      do {
        try tx.run(begin)
        return (kept, tx)
      } catch {
        checkIn(kept, reusable: false)
      }
    }
    let connection = try connect()
    let tx = PostgresTransaction(connection: connection, logger: logger)
    do {
      try tx.run(begin)
    } catch {
      checkIn(connection, reusable: false)
      throw error
    }
    return (connection, tx)
  }

  private func connect() throws -> PostgresConnection {
    let id = lock.withLock {
      connections += 1
      return connections
    }
    return try PostgresConnection.connect(
      on: Self.eventLoopGroup.next(), configuration: configuration, id: id, logger: logger
    ).wait()
  }

  private func checkIn(_ connection: PostgresConnection, reusable: Bool) {
    let kept =
      reusable && !connection.isClosed
      && lock.withLock {
        guard idle.count < Self.idleLimit else { return false }
        idle.append(connection)
        return true
      }
    if !kept {
      try? connection.close().wait()
    }
  }

  private func storeError(_ error: any Error) -> StoreError {
    if let error = error as? StoreError { return error }
    return .database(path: place.redacted, reason: Self.reason(for: error, at: place))
  }

  // MARK: - Migrations

  /// Refuses a database a newer build migrated, then applies the migrations it lacks (up to and
  /// including `last`, or all), in one transaction under the store's advisory lock: two
  /// processes opening a new database at once take turns, and the second finds nothing to do.
  func migrate(upTo last: String?) throws {
    try transaction("BEGIN ISOLATION LEVEL READ COMMITTED", writer: true) { tx in
      try tx.run(
        """
        CREATE TABLE IF NOT EXISTS \(PostgresSchema.migrationsTable) (
          identifier text COLLATE "C" PRIMARY KEY,
          applied_at timestamptz NOT NULL DEFAULT now())
        """)
      let applied = try Self.applied(tx)
      let known = PostgresSchema.migrations.map(\.identifier)
      guard applied.isSubset(of: known) else {
        throw StoreError.newerSchema(path: place.redacted)
      }
      for migration in PostgresSchema.migrations {
        if !applied.contains(migration.identifier) {
          for statement in migration.statements {
            try tx.run(statement)
          }
          try tx.run(
            "INSERT INTO \(PostgresSchema.migrationsTable) (identifier) VALUES ($1)",
            [migration.identifier])
        }
        if migration.identifier == last { break }
      }
    }
  }

  private static func applied(_ tx: PostgresTransaction) throws -> Set<String> {
    let exists = try tx.rows("SELECT to_regclass($1) IS NOT NULL", [PostgresSchema.migrationsTable])
    guard try exists.first?[0].decode(Bool.self) == true else { return [] }
    return Set(
      try tx.rows("SELECT identifier FROM \(PostgresSchema.migrationsTable)").map { row in
        try row[0].decode(String.self)
      })
  }

  // MARK: - Administration

  /// Runs statements that cannot run in a transaction (`CREATE DATABASE`, `DROP DATABASE`) on a
  /// connection of their own: tests make and remove a database per test this way.
  static func administer(_ place: PostgresLocation, _ statements: [String]) throws(StoreError) {
    var logger = Logger(label: "hotline-sim.results-store")
    logger.logLevel = .critical
    do {
      let connection = try PostgresConnection.connect(
        on: eventLoopGroup.next(), configuration: try configuration(for: place), id: 0,
        logger: logger
      ).wait()
      defer { try? connection.close().wait() }
      let tx = PostgresTransaction(connection: connection, logger: logger)
      for statement in statements {
        try tx.run(statement)
      }
    } catch {
      throw .database(path: place.redacted, reason: reason(for: error, at: place))
    }
  }
}
