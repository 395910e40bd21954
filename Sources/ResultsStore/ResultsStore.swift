import Foundation

/// The results store: every training attempt, its journal of verbs and its score, in one SQLite
/// file or one PostgreSQL database that several hotline-sim processes, on one machine or many,
/// may write at once.
///
/// Durability is the point. The player appends each verb before showing the response, and every
/// write is its own transaction that has committed durably when the call returns: SQLite runs
/// `synchronous = FULL` on every connection, PostgreSQL `synchronous_commit = on`. So a SIGKILL or
/// a power cut loses nothing that a trainee saw answered. Writers are serialized (an `IMMEDIATE`
/// transaction on SQLite, an advisory lock on PostgreSQL) and wait up to 30 seconds for another
/// process rather than fail.
///
/// Every operation is written once, below, in terms of `StoreTransaction`; the backend decides
/// only how a step reaches its database.
///
/// Plain `Sendable` (no `@unchecked`): its state is the location and a `Sendable` backend.
public final class ResultsStore: Sendable {
  /// The database, safe to print: the file path as given, or the PostgreSQL URL with its
  /// password replaced by `***`.
  public let path: String
  /// SQLite (GRDB) or PostgreSQL (postgres-nio).
  let backend: any StoreBackend

  /// How long a writer waits for another process's transaction before giving up; long enough
  /// that two players on one store never lose a verb to a lock.
  static let busyTimeout: TimeInterval = 30

  /// Opens the store at `path`, then brings its schema up to date.
  ///
  /// - Parameter path: An SQLite file, created with its missing parent folders; or a
  ///   `postgres://user:password@host:port/database` URL (also `postgresql://`, with an optional
  ///   `?sslmode=disable|prefer|require|verify-full`) naming an existing database.
  /// - Throws: `.cannotOpen` when the folder cannot be made or the file is a folder, not an
  ///   SQLite database, read-only or damaged, or when the URL is malformed, the server cannot be
  ///   reached or refuses the login; `.newerSchema` when a newer hotline-sim has migrated the
  ///   database. Messages never contain the password.
  public init(path: String) throws(StoreError) {
    if let location = try PostgresLocation(parsing: path) {
      backend = try PostgresBackend(location)
    } else {
      backend = try SQLiteBackend(path: path)
    }
    self.path = backend.location
  }

  /// A store on a backend already open (tests use one migrated part of the way).
  init(backend: any StoreBackend) {
    self.backend = backend
    path = backend.location
  }

  /// Where the store lives when no `--db` is given: `HOTLINESIM_DB` if non-empty (a file or a
  /// `postgres://` URL); else `$XDG_DATA_HOME/hotline-sim/results.sqlite` when `XDG_DATA_HOME` is
  /// absolute (the XDG spec says to ignore a relative one); else
  /// `$HOME/.local/share/hotline-sim/results.sqlite`.
  public static func defaultPath(environment: [String: String]) -> String {
    if let explicit = environment["HOTLINESIM_DB"], !explicit.isEmpty {
      return explicit
    }
    let dataHome: String
    if let xdg = environment["XDG_DATA_HOME"], xdg.hasPrefix("/") {
      dataHome = xdg
    } else {
      let home =
        environment["HOME"].flatMap { $0.isEmpty ? nil : $0 }
        ?? FileManager.default.homeDirectoryForCurrentUser.path
      dataHome = joined(home, ".local/share")
    }
    return joined(dataHome, "hotline-sim/results.sqlite")
  }

  // MARK: - Trainees

  /// The trainee with exactly this name, or nil.
  public func trainee(named name: String) throws(StoreError) -> TraineeRecord? {
    try backend.read { tx in try tx.trainee(named: name)?.record }
  }

  /// Trainees in `cohort`, or all of them when `cohort` is nil, sorted by name.
  public func trainees(cohort: String?) throws(StoreError) -> [TraineeRecord] {
    try backend.read { tx in try tx.trainees(cohort: cohort).map(\.record) }
  }

  // MARK: - Playing a session

  /// Records a new active session, creating its trainee if missing and updating the trainee's
  /// cohort when one is given.
  ///
  /// - Returns: The session as stored, with its new id (dates as read back, to the
  ///   millisecond).
  public func begin(_ session: NewSession) throws(StoreError) -> SessionRecord {
    try begin(session, id: UUID().uuidString.lowercased())
  }

  /// `begin` with a chosen id, so tests can make ids that share a prefix.
  func begin(_ session: NewSession, id: String) throws(StoreError) -> SessionRecord {
    try backend.write { tx in
      let traineeID: Int64
      if let trainee = try tx.trainee(named: session.trainee), let existing = trainee.id {
        traineeID = existing
        if let cohort = session.cohort, cohort != trainee.cohort {
          try tx.setCohort(cohort, ofTrainee: existing)
        }
      } else {
        traineeID = try tx.insertTrainee(
          TraineeRow(
            id: nil, name: session.trainee, cohort: session.cohort, createdAt: session.startedAt))
      }
      try tx.insertSession(SessionRow(id: id, traineeID: traineeID, new: session))
      return try Self.sessionRecord(id, tx)
    }
  }

  /// Appends one entry to an active session's journal, durably, before the caller shows the
  /// response.
  ///
  /// The next seq is computed inside the same serialized write transaction that inserts it, so
  /// two writers on one session queue up rather than clash.
  ///
  /// - Parameter session: The exact session id.
  /// - Returns: The entry with its seq (and its wall time as stored, to the millisecond).
  /// - Throws: `.noSuchSession`, or `.notActive` once the session is finished.
  public func append(_ entry: JournalEntry, to session: String) throws(StoreError)
    -> JournalEntry
  {
    try backend.write { tx in
      _ = try Self.activeSession(session, tx)
      let row = JournalRow(
        sessionID: session, seq: (try tx.lastJournalSeq(session: session) ?? 0) + 1,
        kind: entry.kind, text: entry.text, simulatedSeconds: entry.simulatedSeconds,
        wallTime: entry.wallTime)
      return try tx.insertJournal(row).entry
    }
  }

  /// Ends an active session: its status, end reason and time, and its score with the
  /// deviations in the scorer's order, all in one transaction, so a report never sees a
  /// submitted session without its score.
  ///
  /// - Parameters:
  ///   - session: The exact session id.
  ///   - status: `submitted` or `abandoned`.
  ///   - endReason: The player's words (`submitted`, `timed_out`, `hung_up`, ...).
  ///   - score: Nil for an attempt that was not scored.
  /// - Throws: `.noSuchSession`; `.notActive` when it already ended; `.stillActive` when
  ///   `status` is `active`.
  public func finish(
    _ session: String, status: SessionStatus, endReason: String, endedAt: Date,
    score: StoredScore?
  ) throws(StoreError) {
    guard status != .active else { throw .stillActive(session: session) }
    try backend.write { tx in
      var row = try Self.activeSession(session, tx)
      row.status = status
      row.endReason = endReason
      row.endedAt = endedAt
      try tx.updateSession(row)
      guard let score else { return }
      try tx.insertScore(ScoreRow(sessionID: session, score: score))
      for (index, deviation) in score.deviations.enumerated() {
        try tx.insertDeviation(
          DeviationRow(sessionID: session, ordinal: index + 1, deviation: deviation))
      }
    }
  }

  /// Makes this process the owner of an active session it is resuming, so a third process can
  /// tell the session is live again.
  ///
  /// - Throws: `.noSuchSession`, or `.notActive` when the session already ended.
  public func claim(_ session: String, pid: Int32, host: String) throws(StoreError) {
    try backend.write { tx in
      var row = try Self.activeSession(session, tx)
      row.pid = pid
      row.host = host
      try tx.updateSession(row)
    }
  }

  // MARK: - Reading back

  /// The session with this exact id, or the only one whose id starts with this prefix of at
  /// least four characters (ids are lowercase; the prefix is matched regardless of case).
  ///
  /// - Throws: `.noSuchSession`, or `.ambiguous` with every matching id.
  public func session(_ idOrPrefix: String) throws(StoreError) -> SessionRecord {
    try backend.read { tx in
      let wanted = idOrPrefix.lowercased()
      if try tx.sessionRow(wanted) != nil {
        return try Self.sessionRecord(wanted, tx)
      }
      guard wanted.count >= StoreError.minimumPrefixLength else {
        throw StoreError.noSuchSession(idOrPrefix)
      }
      // Escape LIKE's wildcards so the prefix is taken literally.
      let pattern =
        wanted.replacing("\\", with: "\\\\").replacing("%", with: "\\%")
        .replacing("_", with: "\\_") + "%"
      let matches = try tx.sessionIDs(like: pattern)
      switch matches.count {
      case 0: throw StoreError.noSuchSession(idOrPrefix)
      case 1: return try Self.sessionRecord(matches[0], tx)
      default: throw StoreError.ambiguous(idOrPrefix, matches: matches)
      }
    }
  }

  /// A session's journal, by seq.
  ///
  /// - Parameter session: The exact session id.
  /// - Throws: `.noSuchSession`.
  public func journal(of session: String) throws(StoreError) -> [JournalEntry] {
    try backend.read { tx in
      try Self.requireSession(session, tx)
      return try tx.journal(session: session).map(\.entry)
    }
  }

  /// A session's score with its deviations in the scorer's order, or nil when it has none.
  ///
  /// - Parameter session: The exact session id.
  /// - Throws: `.noSuchSession`.
  public func score(of session: String) throws(StoreError) -> StoredScore? {
    try backend.read { tx in
      try Self.requireSession(session, tx)
      guard let score = try tx.scoreRow(session: session) else { return nil }
      return score.stored(deviations: try tx.deviations(sessions: [session]))
    }
  }

  /// The sessions the filter selects, each with its score and deviations, ordered by start time
  /// and then id, so two runs of a report print the same lines in the same order.
  public func sessions(_ filter: SessionFilter) throws(StoreError) -> [SessionSummary] {
    try backend.read { tx in
      let infos = try tx.sessionInfos(filter)
      var deviations: [String: [DeviationRow]] = [:]
      for row in try tx.deviations(sessions: infos.compactMap(\.score?.sessionID)) {
        deviations[row.sessionID, default: []].append(row)
      }
      return try infos.map { info in
        SessionSummary(
          session: try info.session.record(trainee: info.trainee),
          score: info.score.map { $0.stored(deviations: deviations[$0.sessionID] ?? []) })
      }
    }
  }

  // MARK: - Migrations

  /// The migrations this build knows, in order; PostgreSQL's are checked to be the same.
  static var knownMigrations: [String] { Schema.migrator.migrations }

  /// The migrations applied to the database, known or not.
  func appliedMigrations() throws(StoreError) -> Set<String> {
    try backend.appliedMigrations()
  }

  // MARK: - Helpers

  static func requireSession(_ id: String, _ tx: any StoreTransaction) throws {
    guard try tx.sessionRow(id) != nil else {
      throw StoreError.noSuchSession(id)
    }
  }

  private static func activeSession(_ id: String, _ tx: any StoreTransaction) throws
    -> SessionRow
  {
    guard let row = try tx.sessionRow(id) else {
      throw StoreError.noSuchSession(id)
    }
    guard row.status == .active else {
      throw StoreError.notActive(session: id, status: row.status)
    }
    return row
  }

  private static func sessionRecord(_ id: String, _ tx: any StoreTransaction) throws
    -> SessionRecord
  {
    guard let info = try tx.sessionInfo(id) else {
      throw StoreError.noSuchSession(id)
    }
    return try info.session.record(trainee: info.trainee)
  }

  /// `base/rest`, without a doubled slash when `base` ends in one.
  private static func joined(_ base: String, _ rest: String) -> String {
    base.hasSuffix("/") ? base + rest : base + "/" + rest
  }
}
