import Foundation
import GRDB

/// The results store: every training attempt, its journal of verbs and its score, in one SQLite
/// file that several hotline-sim processes may write at once.
///
/// Durability is the point. The player appends each verb before showing the response, every
/// write is its own `IMMEDIATE` transaction, and every connection runs `synchronous = FULL`, so a
/// SIGKILL or a power cut loses nothing that a trainee saw answered. Writers from other
/// processes wait up to 30 seconds for the lock rather than fail.
///
/// Plain `Sendable` (no `@unchecked`): its only state is the path and GRDB's `DatabasePool`,
/// which serializes writes and is itself `Sendable`.
public final class ResultsStore: Sendable {
  /// The database file, as given.
  public let path: String
  /// One pool: a writer connection plus concurrent readers in WAL mode.
  let pool: DatabasePool

  /// How long a writer waits for another process's transaction before giving up; long enough
  /// that two players on one file never lose a verb to a lock.
  static let busyTimeout: TimeInterval = 30

  /// Opens the store at `path`, creating the file and its missing parent folders, then brings
  /// its schema up to date.
  ///
  /// - Throws: `.cannotOpen` when the folder cannot be made or the file is a folder, not an
  ///   SQLite database, read-only or damaged; `.newerSchema` when a newer hotline-sim has
  ///   migrated the file.
  public init(path: String) throws(StoreError) {
    self.path = path
    try Self.prepareLocation(path)
    pool = try Self.openPool(path)
    try migrate()
  }

  /// Where the store lives when no `--db` is given: `HOTLINESIM_DB` if non-empty; else
  /// `$XDG_DATA_HOME/hotline-sim/results.sqlite` when `XDG_DATA_HOME` is absolute (the XDG spec
  /// says to ignore a relative one); else `$HOME/.local/share/hotline-sim/results.sqlite`.
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
    try read { db in
      try TraineeRow.filter(TraineeRow.CodingKeys.name == name).fetchOne(db)?.record
    }
  }

  /// Trainees in `cohort`, or all of them when `cohort` is nil, sorted by name.
  public func trainees(cohort: String?) throws(StoreError) -> [TraineeRecord] {
    try read { db in
      var request = TraineeRow.order(TraineeRow.CodingKeys.name, TraineeRow.CodingKeys.id)
      if let cohort {
        request = request.filter(TraineeRow.CodingKeys.cohort == cohort)
      }
      return try request.fetchAll(db).map(\.record)
    }
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
    try write { db in
      var trainee =
        try TraineeRow.filter(TraineeRow.CodingKeys.name == session.trainee).fetchOne(db)
        ?? TraineeRow(
          id: nil, name: session.trainee, cohort: session.cohort, createdAt: session.startedAt)
      if trainee.id == nil {
        try trainee.insert(db)
      } else if let cohort = session.cohort, cohort != trainee.cohort {
        trainee.cohort = cohort
        try trainee.update(db)
      }
      guard let traineeID = trainee.id else {
        throw RowError(message: "the trainee '\(session.trainee)' was not given an id")
      }
      try SessionRow(id: id, traineeID: traineeID, new: session).insert(db)
      return try Self.sessionRecord(id, db)
    }
  }

  /// Appends one entry to an active session's journal, durably, before the caller shows the
  /// response.
  ///
  /// The next seq is computed inside the same IMMEDIATE transaction that inserts it, so two
  /// writers on one session queue up rather than clash.
  ///
  /// - Parameter session: The exact session id.
  /// - Returns: The entry with its seq (and its wall time as stored, to the millisecond).
  /// - Throws: `.noSuchSession`, or `.notActive` once the session is finished.
  public func append(_ entry: JournalEntry, to session: String) throws(StoreError)
    -> JournalEntry
  {
    try write { db in
      _ = try Self.activeSession(session, db)
      let last = try JournalRow.filter(JournalRow.CodingKeys.sessionID == session)
        .select(max(JournalRow.CodingKeys.seq), as: Int.self)
        .fetchOne(db)
      let row = JournalRow(
        sessionID: session, seq: (last ?? 0) + 1, kind: entry.kind, text: entry.text,
        simulatedSeconds: entry.simulatedSeconds, wallTime: entry.wallTime)
      try row.insert(db)
      let stored = try JournalRow.filter(
        JournalRow.CodingKeys.sessionID == session && JournalRow.CodingKeys.seq == row.seq
      ).fetchOne(db)
      return (stored ?? row).entry
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
    try write { db in
      var row = try Self.activeSession(session, db)
      row.status = status
      row.endReason = endReason
      row.endedAt = endedAt
      try row.update(db)
      guard let score else { return }
      try ScoreRow(sessionID: session, score: score).insert(db)
      for (index, deviation) in score.deviations.enumerated() {
        try DeviationRow(sessionID: session, ordinal: index + 1, deviation: deviation).insert(db)
      }
    }
  }

  /// Makes this process the owner of an active session it is resuming, so a third process can
  /// tell the session is live again.
  ///
  /// - Throws: `.noSuchSession`, or `.notActive` when the session already ended.
  public func claim(_ session: String, pid: Int32, host: String) throws(StoreError) {
    try write { db in
      var row = try Self.activeSession(session, db)
      row.pid = pid
      row.host = host
      try row.update(db)
    }
  }

  // MARK: - Reading back

  /// The session with this exact id, or the only one whose id starts with this prefix of at
  /// least four characters (ids are lowercase; the prefix is matched regardless of case).
  ///
  /// - Throws: `.noSuchSession`, or `.ambiguous` with every matching id.
  public func session(_ idOrPrefix: String) throws(StoreError) -> SessionRecord {
    try read { db in
      let wanted = idOrPrefix.lowercased()
      if try Self.sessionExists(wanted, db) {
        return try Self.sessionRecord(wanted, db)
      }
      guard wanted.count >= StoreError.minimumPrefixLength else {
        throw StoreError.noSuchSession(idOrPrefix)
      }
      // Escape LIKE's wildcards so the prefix is taken literally.
      let pattern =
        wanted.replacing("\\", with: "\\\\").replacing("%", with: "\\%")
        .replacing("_", with: "\\_") + "%"
      let matches = try SessionRow.filter(SessionRow.CodingKeys.id.like(pattern, escape: "\\"))
        .select(SessionRow.CodingKeys.id, as: String.self)
        .order(SessionRow.CodingKeys.id)
        .fetchAll(db)
      switch matches.count {
      case 0: throw StoreError.noSuchSession(idOrPrefix)
      case 1: return try Self.sessionRecord(matches[0], db)
      default: throw StoreError.ambiguous(idOrPrefix, matches: matches)
      }
    }
  }

  /// A session's journal, by seq.
  ///
  /// - Parameter session: The exact session id.
  /// - Throws: `.noSuchSession`.
  public func journal(of session: String) throws(StoreError) -> [JournalEntry] {
    try read { db in
      guard try Self.sessionExists(session, db) else {
        throw StoreError.noSuchSession(session)
      }
      return try JournalRow.filter(JournalRow.CodingKeys.sessionID == session)
        .order(JournalRow.CodingKeys.seq)
        .fetchAll(db)
        .map(\.entry)
    }
  }

  /// A session's score with its deviations in the scorer's order, or nil when it has none.
  ///
  /// - Parameter session: The exact session id.
  /// - Throws: `.noSuchSession`.
  public func score(of session: String) throws(StoreError) -> StoredScore? {
    try read { db in
      guard try Self.sessionExists(session, db) else {
        throw StoreError.noSuchSession(session)
      }
      guard let score = try ScoreRow.filter(ScoreRow.CodingKeys.sessionID == session).fetchOne(db)
      else { return nil }
      return score.stored(deviations: try Self.deviations(of: [session], db)[session] ?? [])
    }
  }

  /// The sessions the filter selects, each with its score and deviations, ordered by start time
  /// and then id, so two runs of a report print the same lines in the same order.
  public func sessions(_ filter: SessionFilter) throws(StoreError) -> [SessionSummary] {
    try read { db in
      typealias Session = SessionRow.CodingKeys
      typealias Trainee = TraineeRow.CodingKeys
      var trainee = SessionRow.trainee
      if let name = filter.trainee {
        trainee = trainee.filter(Trainee.name == name)
      }
      if let cohort = filter.cohort {
        trainee = trainee.filter(Trainee.cohort == cohort)
      }
      var request = SessionRow.including(required: trainee)
        .including(optional: SessionRow.score)
      if let curriculum = filter.curriculum {
        request = request.filter(Session.curriculumID == curriculum)
      }
      if let part = filter.part {
        request = request.filter(Session.partID == part)
      }
      if let scenario = filter.scenario {
        request = request.filter(Session.scenarioID == scenario)
      }
      if let since = filter.since {
        request = request.filter(Session.startedAt >= since)
      }
      if let statuses = filter.statuses {
        request = request.filter(statuses.map(\.rawValue).contains(Session.status))
      }
      let infos = try request.order(Session.startedAt, Session.id)
        .asRequest(of: SessionInfo.self)
        .fetchAll(db)
      let deviations = try Self.deviations(of: infos.compactMap(\.score?.sessionID), db)
      return try infos.map { info in
        SessionSummary(
          session: try info.session.record(trainee: info.trainee),
          score: info.score.map { $0.stored(deviations: deviations[$0.sessionID] ?? []) })
      }
    }
  }

  // MARK: - Transactions

  /// Runs `body` in one IMMEDIATE write transaction: it takes the write lock before reading, so
  /// a read-then-write (like the next seq) cannot be overtaken by another process, and a busy
  /// file is waited for (up to `busyTimeout`) rather than failing mid-transaction.
  func write<T>(_ body: (Database) throws -> T) throws(StoreError) -> T {
    do {
      return try pool.writeWithoutTransaction { db in
        var result: T?
        try db.inTransaction(.immediate) {
          result = try body(db)
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
  func read<T>(_ body: (Database) throws -> T) throws(StoreError) -> T {
    do {
      return try pool.read(body)
    } catch {
      throw storeError(error)
    }
  }

  private func storeError(_ error: any Error) -> StoreError {
    switch error {
    case let error as StoreError: return error
    case let error as RowError: return .database(path: path, reason: error.message)
    default: return .database(path: path, reason: Self.reason(for: error))
    }
  }

  // MARK: - Helpers

  // Rows are found with filters on their columns rather than GRDB's `key:` lookups: those
  // introspect the schema through PRAGMAs, which answer from a connection's possibly stale copy
  // of it (seen on a reader that had loaded the schema before the migration).

  static func sessionExists(_ id: String, _ db: Database) throws -> Bool {
    try SessionRow.filter(SessionRow.CodingKeys.id == id).isEmpty(db) == false
  }

  private static func activeSession(_ id: String, _ db: Database) throws -> SessionRow {
    guard let row = try SessionRow.filter(SessionRow.CodingKeys.id == id).fetchOne(db) else {
      throw StoreError.noSuchSession(id)
    }
    guard row.status == .active else {
      throw StoreError.notActive(session: id, status: row.status)
    }
    return row
  }

  private static func sessionRecord(_ id: String, _ db: Database) throws -> SessionRecord {
    guard
      let info = try SessionRow.including(required: SessionRow.trainee)
        .filter(SessionRow.CodingKeys.id == id)
        .asRequest(of: SessionInfo.self)
        .fetchOne(db)
    else {
      throw StoreError.noSuchSession(id)
    }
    return try info.session.record(trainee: info.trainee)
  }

  /// The deviations of these scored sessions, each list in the scorer's order. Ids go in
  /// batches so a long report stays under SQLite's limit on bound parameters.
  private static func deviations(of sessions: [String], _ db: Database) throws
    -> [String: [DeviationRow]]
  {
    var bySession: [String: [DeviationRow]] = [:]
    var start = sessions.startIndex
    while start < sessions.endIndex {
      let end = min(start + 500, sessions.endIndex)
      let rows = try DeviationRow.filter(
        sessions[start..<end].contains(DeviationRow.CodingKeys.sessionID)
      )
      .order(DeviationRow.CodingKeys.sessionID, DeviationRow.CodingKeys.ordinal)
      .fetchAll(db)
      for row in rows {
        bySession[row.sessionID, default: []].append(row)
      }
      start = end
    }
    return bySession
  }

  /// `base/rest`, without a doubled slash when `base` ends in one.
  private static func joined(_ base: String, _ rest: String) -> String {
    base.hasSuffix("/") ? base + rest : base + "/" + rest
  }
}
