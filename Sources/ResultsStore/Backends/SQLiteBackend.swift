import Foundation
import GRDB

// The SQLite backend: one file, one GRDB `DatabasePool` in WAL mode. Several hotline-sim
// processes may open the same file at the same moment, including a file that does not exist
// yet, so each step of opening copes with another process doing the same step alongside.

/// A results store in an SQLite file.
///
/// Plain `Sendable` (no `@unchecked`): its only state is the path and GRDB's `DatabasePool`,
/// which serializes writes and is itself `Sendable`.
final class SQLiteBackend: StoreBackend {
  /// The database file, as given.
  let location: String
  /// One pool: a writer connection plus concurrent readers in WAL mode.
  let pool: DatabasePool

  static var busyTimeout: TimeInterval { ResultsStore.busyTimeout }

  /// Opens the file, creating it and its missing parent folders, and migrates it.
  ///
  /// - Throws: `.cannotOpen` or `.newerSchema`, naming the file.
  init(path: String) throws(StoreError) {
    location = path
    try Self.prepareLocation(path)
    pool = try Self.openPool(path)
    try migrate()
  }

  func appliedMigrations() throws(StoreError) -> Set<String> {
    do {
      return try pool.read { db in try Schema.migrator.appliedIdentifiers(db) }
    } catch {
      throw storeError(error)
    }
  }

  // MARK: - Transactions

  /// Runs `body` in one IMMEDIATE write transaction: it takes the write lock before reading, so
  /// a read-then-write (like the next seq) cannot be overtaken by another process, and a busy
  /// file is waited for (up to `busyTimeout`) rather than failing mid-transaction.
  func write<T>(_ body: (any StoreTransaction) throws -> T) throws(StoreError) -> T {
    do {
      return try pool.writeWithoutTransaction { db in
        var result: T?
        try db.inTransaction(.immediate) {
          result = try body(SQLiteTransaction(db: db))
          return .commit
        }
        guard let result else {
          throw RowError(message: "a write transaction committed without a result")
        }
        return result
      }
    } catch {
      throw storeError(error)
    }
  }

  /// Runs `body` on a reader, in a snapshot that concurrent writes do not change.
  func read<T>(_ body: (any StoreTransaction) throws -> T) throws(StoreError) -> T {
    do {
      return try pool.read { db in try body(SQLiteTransaction(db: db)) }
    } catch {
      throw storeError(error)
    }
  }

  func execute(_ sql: String) throws(StoreError) -> [[String?]] {
    do {
      return try pool.writeWithoutTransaction { db in
        try Row.fetchAll(db, sql: sql).map { row in
          row.databaseValues.map { value in
            switch value.storage {
            case .null: nil
            case .int64(let number): String(number)
            case .double(let number): String(number)
            case .string(let text): text
            case .blob(let data): data.base64EncodedString()
            }
          }
        }
      }
    } catch {
      throw storeError(error)
    }
  }

  private func storeError(_ error: any Error) -> StoreError {
    switch error {
    case let error as StoreError: return error
    case let error as RowError: return .database(path: location, reason: error.message)
    default: return .database(path: location, reason: Self.reason(for: error))
    }
  }

  // MARK: - Opening

  /// Makes the file's folder if missing and refuses a folder in the file's place, so the
  /// coordinator reads what is wrong rather than SQLite's "unable to open database file".
  static func prepareLocation(_ path: String) throws(StoreError) {
    guard !path.isEmpty else {
      throw .cannotOpen(path: path, reason: "no file name was given")
    }
    let fileManager = FileManager.default
    var isFolder: ObjCBool = false
    if fileManager.fileExists(atPath: path, isDirectory: &isFolder) {
      if isFolder.boolValue {
        throw .cannotOpen(path: path, reason: "it is a folder, not a database file")
      }
      return
    }
    let folder = URL(fileURLWithPath: path).deletingLastPathComponent()
    if fileManager.fileExists(atPath: folder.path, isDirectory: &isFolder) {
      guard isFolder.boolValue else {
        throw .cannotOpen(path: path, reason: "\(folder.path) is a file, not a folder")
      }
      return
    }
    do {
      try fileManager.createDirectory(at: folder, withIntermediateDirectories: true)
    } catch {
      throw .cannotOpen(
        path: path, reason: "cannot create its folder \(folder.path) (\(blocker(of: folder)))")
    }
  }

  /// Opens the pool: WAL, foreign keys, a 30-second wait for other writers, and
  /// `synchronous = FULL` on every connection.
  static func openPool(_ path: String) throws(StoreError) -> DatabasePool {
    var configuration = Configuration()
    configuration.busyMode = .timeout(busyTimeout)
    configuration.foreignKeysEnabled = true
    configuration.prepareDatabase { db in
      try db.execute(sql: "PRAGMA synchronous = FULL")
    }
    do {
      return try retryingRaces {
        let pool = try DatabasePool(path: path, configuration: configuration)
        // Enabling WAL, DatabasePool sets the writer to `synchronous = NORMAL` after
        // `prepareDatabase` has run, which can lose the last commits on power loss: put FULL
        // back.
        try pool.writeWithoutTransaction { db in
          try db.execute(sql: "PRAGMA synchronous = FULL")
        }
        return pool
      }
    } catch {
      throw .cannotOpen(path: path, reason: reason(for: error))
    }
  }

  /// Refuses a file a newer build migrated, then applies the migrations it lacks.
  ///
  /// Two processes opening a new file at once both find it unmigrated: the loser's look at
  /// `grdb_migrations` can fall between the winner's statements, and its migration fails on
  /// tables the winner just made. Each failed attempt waited for the winner's transaction, so
  /// the next attempt finds the schema complete and has nothing to do.
  func migrate() throws(StoreError) {
    let migrator = Schema.migrator
    do {
      try Self.retryingRaces {
        // On the writer: a reader that loaded the schema before the migration would keep that
        // stale schema for the PRAGMA-based introspection GRDB does.
        if try pool.writeWithoutTransaction({ db in try migrator.hasBeenSuperseded(db) }) {
          throw StoreError.newerSchema(path: location)
        }
        try migrator.migrate(pool)
      }
    } catch let error as StoreError {
      throw error
    } catch {
      throw .cannotOpen(path: location, reason: Self.reason(for: error))
    }
  }

  /// Runs `attempt` again after the failures that come from another process opening the same
  /// file at the same moment.
  ///
  /// SQLite fails some of these at once instead of waiting on the busy timeout: turning a new
  /// file to WAL needs a lock no other connection holds. Those (`SQLITE_BUSY`, `SQLITE_LOCKED`)
  /// are retried until `busyTimeout` has passed. Other SQLite errors (a table another process
  /// just created) get a few attempts, so a file that is really broken is reported within a
  /// second.
  static func retryingRaces<T>(_ attempt: () throws -> T) throws -> T {
    let deadline = Date.now.addingTimeInterval(busyTimeout)
    var pause: TimeInterval = 0.01
    var otherFailures = 0
    while true {
      do {
        return try attempt()
      } catch let error as DatabaseError {
        let code = error.resultCode.primaryResultCode
        let busy = code == .SQLITE_BUSY || code == .SQLITE_LOCKED
        if !busy { otherFailures += 1 }
        guard Date.now < deadline, otherFailures <= 4 else { throw error }
      }
      Thread.sleep(forTimeInterval: pause)
      pause = min(pause * 2, 0.2)
    }
  }

  /// Why a folder could not be made, in words: the nearest existing ancestor is a file, or is
  /// not writable.
  private static func blocker(of folder: URL) -> String {
    var ancestor = folder.deletingLastPathComponent()
    var isFolder: ObjCBool = false
    while !FileManager.default.fileExists(atPath: ancestor.path, isDirectory: &isFolder) {
      let parent = ancestor.deletingLastPathComponent()
      if parent.path == ancestor.path { break }
      ancestor = parent
    }
    if !isFolder.boolValue {
      return "\(ancestor.path) is a file, not a folder"
    }
    return "\(ancestor.path) is not writable"
  }

  /// SQLite's failure in a coordinator's words.
  static func reason(for error: any Error) -> String {
    guard let error = error as? DatabaseError else { return "\(error)" }
    return reason(sqliteCode: error.resultCode.primaryResultCode.rawValue, message: error.message)
  }

  /// The words for an SQLite primary result code; other codes keep SQLite's own message.
  static func reason(sqliteCode: Int32, message: String?) -> String {
    switch ResultCode(rawValue: sqliteCode) {
    case .SQLITE_NOTADB: return "it is not an SQLite database"
    case .SQLITE_CORRUPT: return "the database file is damaged"
    case .SQLITE_READONLY: return "the file or its folder is read-only"
    case .SQLITE_PERM, .SQLITE_AUTH: return "permission denied"
    case .SQLITE_CANTOPEN: return "SQLite cannot open or create the file"
    case .SQLITE_FULL: return "the disk is full"
    case .SQLITE_IOERR: return "a disk read or write failed"
    case .SQLITE_BUSY, .SQLITE_LOCKED:
      return "another hotline-sim kept it locked for more than \(Int(busyTimeout)) seconds"
    default: return message ?? "SQLite error \(sqliteCode)"
    }
  }
}
