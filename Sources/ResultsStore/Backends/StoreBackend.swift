import Foundation

// The seam between the store and its database. `ResultsStore` writes every operation once, in
// terms of `StoreTransaction`'s row-level steps; a backend runs those steps on SQLite (GRDB) or
// PostgreSQL (postgres-nio) inside the transactions `StoreBackend` gives. So an operation such as
// "append the next journal entry" has one meaning, whichever database holds the store.

/// A database that holds a results store: it opens and migrates itself when made, then runs
/// transactions.
protocol StoreBackend: Sendable {
  /// The database as a coordinator may see it: a file path, or a URL without its password.
  var location: String { get }

  /// Runs `body` in one write transaction. Writers are serialized (SQLite's `IMMEDIATE`
  /// transaction, PostgreSQL's advisory lock), so a read-then-write such as the next seq cannot
  /// be overtaken by another process. The transaction commits, durably, before this returns;
  /// anything `body` throws rolls it back.
  ///
  /// - Throws: What `body` throws as a `StoreError` passes through; anything else becomes
  ///   `.database` naming the location.
  func write<T>(_ body: (any StoreTransaction) throws -> T) throws(StoreError) -> T

  /// Runs `body` in a read-only snapshot that concurrent writes do not change.
  func read<T>(_ body: (any StoreTransaction) throws -> T) throws(StoreError) -> T

  /// The identifiers of the migrations applied to the database, known to this build or not.
  func appliedMigrations() throws(StoreError) -> Set<String>

  /// Runs one trusted SQL statement (never built from input) and returns its rows with every
  /// value as text, or nil for NULL. For tests and maintenance only.
  func execute(_ sql: String) throws(StoreError) -> [[String?]]
}

/// The row-level steps the store's operations are made of, inside one transaction.
///
/// Each step has the same meaning on every backend; orders are spelled out because reports
/// print rows in the order these return them.
protocol StoreTransaction {
  /// The trainee with exactly this name (names compare byte for byte).
  func trainee(named name: String) throws -> TraineeRow?
  /// Trainees in `cohort`, or all when nil, by name then id (byte order).
  func trainees(cohort: String?) throws -> [TraineeRow]
  /// Inserts a trainee and returns its new id.
  func insertTrainee(_ row: TraineeRow) throws -> Int64
  /// Sets a trainee's cohort.
  func setCohort(_ cohort: String, ofTrainee id: Int64) throws

  /// Inserts a new session.
  func insertSession(_ row: SessionRow) throws
  /// The session with exactly this id.
  func sessionRow(_ id: String) throws -> SessionRow?
  /// The session with exactly this id, joined with its trainee (its score is left nil).
  func sessionInfo(_ id: String) throws -> SessionInfo?
  /// The ids that match a `LIKE` pattern escaped with a backslash, ASCII letters matching
  /// regardless of case, sorted.
  func sessionIDs(like pattern: String) throws -> [String]
  /// Writes a session's owner (`pid`, `host`) and ending (`status`, `endReason`, `endedAt`).
  func updateSession(_ row: SessionRow) throws
  /// The sessions `filter` selects, each with its trainee and score, by start time then id.
  func sessionInfos(_ filter: SessionFilter) throws -> [SessionInfo]

  /// The highest seq in a session's journal, or nil when it is empty.
  func lastJournalSeq(session: String) throws -> Int?
  /// Inserts a journal entry and returns it as stored (its wall time to the millisecond).
  func insertJournal(_ row: JournalRow) throws -> JournalRow
  /// A session's journal, by seq.
  func journal(session: String) throws -> [JournalRow]

  /// Inserts a session's score.
  func insertScore(_ row: ScoreRow) throws
  /// Inserts one deviation of a score.
  func insertDeviation(_ row: DeviationRow) throws
  /// A session's score row.
  func scoreRow(session: String) throws -> ScoreRow?
  /// The deviations of these sessions, each session's in ordinal (the scorer's) order.
  func deviations(sessions: [String]) throws -> [DeviationRow]

  /// The highest rating seq in a session, or nil when it has none.
  func lastRatingSeq(session: String) throws -> Int?
  /// Inserts a rating and returns it as stored.
  func insertRating(_ row: RatingRow) throws -> RatingRow
  /// A session's ratings, by seq.
  func ratings(session: String) throws -> [RatingRow]
}
