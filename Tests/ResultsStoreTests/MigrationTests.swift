import Foundation
import Testing

@testable import ResultsStore

/// The schema comes only from named migrations, and a database from a newer build is refused.
@Suite("Migrations and connection settings")
struct MigrationTests {
  static let tables = [
    "trainee", "session", "journal", "score", "deviation", "rating",
  ]

  /// Each table's columns, in order, as the database describes them.
  static func columns(_ store: ResultsStore) throws -> [String: [String]] {
    var columns: [String: [String]] = [:]
    for table in tables {
      let rows =
        store.sqlite != nil
        ? try store.sql("SELECT name FROM pragma_table_info('\(table)') ORDER BY cid")
        : try store.sql(
          "SELECT column_name::text FROM information_schema.columns WHERE table_schema = "
            + "current_schema() AND table_name = '\(table)' ORDER BY ordinal_position")
      columns[table] = rows.compactMap { $0.first ?? nil }
    }
    return columns
  }

  @Test(arguments: TestBackend.all)
  func aNewDatabaseGetsEveryTableAndEveryMigration(backend: TestBackend) throws {
    try withStore(backend) { store throws in
      let columns = try Self.columns(store)
      for table in Self.tables {
        #expect(columns[table]?.isEmpty == false, "\(table)")
      }
      #expect(ResultsStore.knownMigrations == ["v1", "v2"])
      #expect(try store.appliedMigrations() == Set(ResultsStore.knownMigrations))
    }
  }

  /// Both backends have the same migrations, tables and columns: one schema, two databases.
  @Test(.enabled(if: TestBackend.postgresURL != nil, Comment(rawValue: TestBackend.skipReason)))
  func postgreSQLHasTheSameSchemaAsSQLite() throws {
    #expect(PostgresSchema.migrations.map(\.identifier) == ResultsStore.knownMigrations)
    let sqlite = try withStore(.sqlite) { store in try Self.columns(store) }
    let postgres = try withStore(.postgres) { store in try Self.columns(store) }
    #expect(postgres == sqlite)
    #expect(sqlite["session"]?.count == 22)
  }

  @Test(arguments: TestBackend.all)
  func theJournalAndSessionIndexesExist(backend: TestBackend) throws {
    try withStore(backend) { store throws in
      if let sqlite = store.sqlite {
        let journal = try sqlite.pool.read { db in try db.indexes(on: "journal") }
        #expect(journal.contains { $0.isUnique && $0.columns == ["session_id", "seq"] })
        let session = try sqlite.pool.read { db in try db.indexes(on: "session") }
        #expect(session.contains { $0.columns == ["trainee_id", "started_at"] })
        let foreignKeys = try sqlite.pool.read { db in try db.foreignKeys(on: "journal") }
        #expect(foreignKeys.map(\.destinationTable) == ["session"])
      } else {
        let indexes = try store.sql(
          "SELECT indexname::text, indexdef FROM pg_indexes WHERE schemaname = current_schema() "
            + "ORDER BY indexname")
        #expect(
          indexes.contains([
            "journal_on_session_seq",
            "CREATE UNIQUE INDEX journal_on_session_seq ON public.journal USING btree "
              + "(session_id, seq)",
          ]))
        #expect(
          indexes.contains([
            "session_on_trainee_started",
            "CREATE INDEX session_on_trainee_started ON public.session USING btree "
              + "(trainee_id, started_at)",
          ]))
        let foreignKeys = try store.sql(
          "SELECT confrelid::regclass::text FROM pg_constraint WHERE contype = 'f' "
            + "AND conrelid = 'journal'::regclass")
        #expect(foreignKeys == [["session"]])
      }
      // The same seq twice in one session is refused by the database itself.
      let session = try store.begin(Sample.session())
      _ = try store.append(
        JournalEntry(kind: .verb, text: "greet", simulatedSeconds: 0, wallTime: Sample.date(1)),
        to: session.id)
      #expect(throws: StoreError.self) {
        try store.sql(
          "INSERT INTO journal (session_id, seq, kind, text, simulated_seconds, wall_time) "
            + "VALUES ('\(session.id)', 1, 'verb', 'again', 0, '2026-05-28 20:26:40.000')")
      }
      #expect(try store.journal(of: session.id).map(\.text) == ["greet"])
    }
  }

  /// DatabasePool turns the writer to `synchronous = NORMAL` when it enables WAL; the store
  /// must put FULL back, or a power cut can lose a verb the trainee saw answered. On
  /// PostgreSQL, every connection commits with `synchronous_commit = on`.
  @Test(arguments: TestBackend.all)
  func everyConnectionIsDurable(backend: TestBackend) throws {
    try withStore(backend) { store throws in
      guard let sqlite = store.sqlite else {
        #expect(try store.sql("SHOW synchronous_commit") == [["on"]])
        #expect(try store.sql("SHOW lock_timeout") == [["30s"]])
        #expect(try store.sql("SHOW TimeZone") == [["UTC"]])
        return
      }
      let writer = try sqlite.pool.writeWithoutTransaction { db in
        (
          try Int.fetchOne(db, sql: "PRAGMA synchronous"),
          try Bool.fetchOne(db, sql: "PRAGMA foreign_keys"),
          try String.fetchOne(db, sql: "PRAGMA journal_mode")
        )
      }
      #expect(writer.0 == 2, "synchronous = FULL on the writer")
      #expect(writer.1 == true)
      #expect(writer.2 == "wal")
      let reader = try sqlite.pool.read { db in
        (
          try Int.fetchOne(db, sql: "PRAGMA synchronous"),
          try Bool.fetchOne(db, sql: "PRAGMA foreign_keys")
        )
      }
      #expect(reader.0 == 2, "synchronous = FULL on a reader")
      #expect(reader.1 == true)
    }
  }

  @Test(arguments: TestBackend.all)
  func reopeningIsANoOpAndKeepsData(backend: TestBackend) throws {
    try withDatabase(backend) { path throws in
      let begun = try ResultsStore(path: path).begin(Sample.session())
      let reopened = try ResultsStore(path: path)
      #expect(try reopened.session(begun.id) == begun)
      #expect(try reopened.appliedMigrations() == Set(ResultsStore.knownMigrations))
      let rows = try reopened.sql("SELECT CAST(COUNT(*) AS TEXT) FROM \(reopened.migrationsTable)")
      #expect(rows == [["\(ResultsStore.knownMigrations.count)"]])
    }
  }

  @Test func creatingTheStoreCreatesMissingFolders() throws {
    try withTemporaryFolder { folder throws in
      let path = folder.appendingPathComponent("a/b/c/results.sqlite").path
      let store = try ResultsStore(path: path)
      #expect(store.path == path)
      #expect(FileManager.default.fileExists(atPath: path))
    }
  }

  @Test(arguments: TestBackend.all)
  func aDatabaseMigratedByANewerBuildIsRefused(backend: TestBackend) throws {
    try withDatabase(backend) { path throws in
      let store = try ResultsStore(path: path)
      try store.sql("INSERT INTO \(store.migrationsTable) (identifier) VALUES ('v99-future')")
      #expect(throws: StoreError.newerSchema(path: store.path)) { try ResultsStore(path: path) }
      let error = StoreError.newerSchema(path: store.path)
      let other = backend == .sqlite ? "file" : "database"
      #expect(
        error.description
          == "the results store \(store.path) was updated by a newer hotline-sim: use that "
          + "version, or set HOTLINESIM_DB to another \(other)")
      // Refused before anything was written: the newer build's schema is as it left it.
      #expect(try store.appliedMigrations() == ["v1", "v2", "v99-future"])
    }
  }

  /// Two hotline-sim processes started at once on a first run both find the database
  /// unmigrated; the one that loses the race must still open it.
  @Test(arguments: TestBackend.all)
  func severalOpenersOfANewDatabaseAllSucceed(backend: TestBackend) throws {
    try withDatabase(backend) { path throws in
      let failures = Collector<String>()
      DispatchQueue.concurrentPerform(iterations: 4) { _ in
        do {
          _ = try ResultsStore(path: path)
        } catch {
          failures.add("\(error)")
        }
      }
      #expect(failures.all.isEmpty)
      #expect(
        try ResultsStore(path: path).appliedMigrations() == Set(ResultsStore.knownMigrations))
    }
  }
}
