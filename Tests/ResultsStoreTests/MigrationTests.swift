import Foundation
import Testing

@testable import ResultsStore

/// The schema comes only from named migrations, and a file from a newer build is refused.
@Suite("Migrations and connection settings")
struct MigrationTests {
  static let tables = [
    "trainee", "session", "journal", "score", "deviation", "rating",
  ]

  @Test func aNewFileGetsEveryTableAndEveryMigration() throws {
    try withStore { store throws in
      for table in Self.tables {
        #expect(try store.pool.read { db in try db.tableExists(table) }, "\(table)")
      }
      #expect(ResultsStore.knownMigrations == ["v1", "v2"])
      #expect(try store.appliedMigrations() == Set(ResultsStore.knownMigrations))
    }
  }

  @Test func theJournalAndSessionIndexesExist() throws {
    try withStore { store throws in
      let journal = try store.pool.read { db in try db.indexes(on: "journal") }
      #expect(journal.contains { $0.isUnique && $0.columns == ["session_id", "seq"] })
      let session = try store.pool.read { db in try db.indexes(on: "session") }
      #expect(session.contains { $0.columns == ["trainee_id", "started_at"] })
      let foreignKeys = try store.pool.read { db in try db.foreignKeys(on: "journal") }
      #expect(foreignKeys.map(\.destinationTable) == ["session"])
    }
  }

  /// DatabasePool turns the writer to `synchronous = NORMAL` when it enables WAL; the store
  /// must put FULL back, or a power cut can lose a verb the trainee saw answered.
  @Test func everyConnectionIsDurableWithForeignKeysInWAL() throws {
    try withStore { store throws in
      let writer = try store.pool.writeWithoutTransaction { db in
        (
          try Int.fetchOne(db, sql: "PRAGMA synchronous"),
          try Bool.fetchOne(db, sql: "PRAGMA foreign_keys"),
          try String.fetchOne(db, sql: "PRAGMA journal_mode")
        )
      }
      #expect(writer.0 == 2, "synchronous = FULL on the writer")
      #expect(writer.1 == true)
      #expect(writer.2 == "wal")
      let reader = try store.pool.read { db in
        (
          try Int.fetchOne(db, sql: "PRAGMA synchronous"),
          try Bool.fetchOne(db, sql: "PRAGMA foreign_keys")
        )
      }
      #expect(reader.0 == 2, "synchronous = FULL on a reader")
      #expect(reader.1 == true)
    }
  }

  @Test func reopeningIsANoOpAndKeepsData() throws {
    try withTemporaryFolder { folder throws in
      let path = folder.appendingPathComponent("results.sqlite").path
      let begun = try ResultsStore(path: path).begin(Sample.session())
      let reopened = try ResultsStore(path: path)
      #expect(try reopened.session(begun.id) == begun)
      #expect(try reopened.appliedMigrations() == Set(ResultsStore.knownMigrations))
      let rows = try reopened.pool.read { db in
        try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM grdb_migrations")
      }
      #expect(rows == ResultsStore.knownMigrations.count)
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

  @Test func aFileMigratedByANewerBuildIsRefused() throws {
    try withTemporaryFolder { folder throws in
      let path = folder.appendingPathComponent("results.sqlite").path
      let store = try ResultsStore(path: path)
      try store.pool.write { db in
        try db.execute(
          sql: "INSERT INTO grdb_migrations (identifier) VALUES (?)", arguments: ["v99-future"])
      }
      #expect(throws: StoreError.newerSchema(path: path)) { try ResultsStore(path: path) }
      let error = StoreError.newerSchema(path: path)
      #expect(
        error.description
          == "the results store \(path) was updated by a newer hotline-sim: use that version, "
          + "or set HOTLINESIM_DB to another file")
    }
  }

  /// Two hotline-sim processes started at once on a first run both find the file unmigrated;
  /// the one that loses the race must still open it.
  @Test func severalOpenersOfANewFileAllSucceed() throws {
    try withTemporaryFolder { folder throws in
      let path = folder.appendingPathComponent("results.sqlite").path
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
