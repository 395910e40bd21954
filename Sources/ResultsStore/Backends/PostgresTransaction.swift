import Foundation
import GRDB
import PostgresNIO

/// The store's steps on a PostgreSQL connection, in SQL with bound parameters (values are never
/// spliced into the text).
///
/// Times travel as GRDB's text (`yyyy-MM-dd HH:mm:ss.SSS`, UTC) and are stored as `timestamptz`,
/// so a date is rounded exactly as the SQLite backend rounds it, and compares and sorts alike.
struct PostgresTransaction: StoreTransaction {
  let connection: PostgresConnection
  let logger: Logger

  /// A bound value; nil binds NULL.
  typealias Value = (any PostgresDynamicTypeEncodable)?

  /// Runs `sql` with `values` bound to `$1`, `$2`... and waits for every row.
  func rows(_ sql: String, _ values: [Value] = []) throws -> [PostgresRandomAccessRow] {
    var binds = PostgresBindings(capacity: values.count)
    for value in values {
      if let value {
        Self.bind(value, into: &binds)
      } else {
        binds.appendNull()
      }
    }
    // A deadline, because a query sent on a connection the server has just closed is never
    // answered: a lost server must end in an error, not a wait without end.
    let query = connection.query(PostgresQuery(unsafeSQL: sql, binds: binds), logger: logger)
    let answer = connection.eventLoop.makePromise(of: PostgresQueryResult.self)
    query.cascade(to: answer)
    let deadline = connection.eventLoop.scheduleTask(in: .seconds(Self.deadline)) {
      answer.fail(NoAnswer())
    }
    answer.futureResult.whenComplete { _ in deadline.cancel() }
    return try answer.futureResult.wait().map { $0.makeRandomAccess() }
  }

  /// How long a query may go unanswered: longer than a writer waits for the lock.
  static let deadline = Int64(ResultsStore.busyTimeout) * 2

  /// A query went unanswered for `deadline` seconds.
  struct NoAnswer: Error {}

  func run(_ sql: String, _ values: [Value] = []) throws {
    _ = try rows(sql, values)
  }

  private static func bind<T: PostgresDynamicTypeEncodable>(
    _ value: T, into binds: inout PostgresBindings
  ) {
    binds.append(value)
  }

  // MARK: - Times

  /// A bound time, as `timestamptz`.
  static func time(_ parameter: Int) -> String {
    "($\(parameter)::timestamp AT TIME ZONE 'UTC')"
  }

  /// A time column read back as GRDB's text.
  static func text(_ column: String) -> String {
    "to_char(\(column) AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.MS')"
  }

  /// GRDB's text for a date: to the millisecond, in UTC.
  static func text(_ date: Date) -> String {
    String.fromDatabaseValue(date.databaseValue) ?? ""
  }

  static func text(_ date: Date?) -> String? {
    date.map { text($0) }
  }

  // MARK: - Columns, in the order `Cursor` reads them

  static let traineeColumns = "t.id, t.name, t.cohort, \(text("t.created_at"))"
  static let sessionColumns = """
    s.id, s.trainee_id, s.scenario_id, s.scenario_version, s.scenario_sha256, s.scenario_path, \
    s.ruleset_version, s.ruleset_sha256, s.mode, s.audience, s.seed, s.as_of, s.real_time, \
    s.curriculum_id, s.curriculum_version, s.part_id, \(text("s.started_at")), s.pid, s.host, \
    s.status, s.end_reason, \(text("s.ended_at"))
    """
  static let scoreColumns = """
    c.session_id, c.score, c.compliance, c.accuracy_revealed, c.accuracy_truth, c.record
    """
  static let journalColumns = """
    session_id, seq, kind, text, simulated_seconds, \(text("wall_time"))
    """
  static let deviationColumns = "session_id, ordinal, severity, category, at, message, because"
  static let ratingColumns = """
    session_id, seq, objective, rating, evaluator, comment, simulated_seconds, \
    \(text("wall_time"))
    """

  // MARK: - Trainees

  func trainee(named name: String) throws -> TraineeRow? {
    try rows("SELECT \(Self.traineeColumns) FROM trainee t WHERE t.name = $1", [name])
      .first.map { row in
        var cursor = Cursor(row)
        return try cursor.trainee()
      }
  }

  func trainees(cohort: String?) throws -> [TraineeRow] {
    let select = "SELECT \(Self.traineeColumns) FROM trainee t"
    let order = " ORDER BY t.name, t.id"
    let found =
      if let cohort {
        try rows(select + " WHERE t.cohort = $1" + order, [cohort])
      } else {
        try rows(select + order)
      }
    return try found.map { row in
      var cursor = Cursor(row)
      return try cursor.trainee()
    }
  }

  func insertTrainee(_ row: TraineeRow) throws -> Int64 {
    let inserted = try rows(
      "INSERT INTO trainee (name, cohort, created_at) VALUES ($1, $2, \(Self.time(3))) "
        + "RETURNING id", [row.name, row.cohort, Self.text(row.createdAt)])
    guard let id = try inserted.first?[0].decode(Int64.self) else {
      throw RowError(message: "the trainee '\(row.name)' was not given an id")
    }
    return id
  }

  func setCohort(_ cohort: String, ofTrainee id: Int64) throws {
    try run("UPDATE trainee SET cohort = $1 WHERE id = $2", [cohort, id])
  }

  // MARK: - Sessions

  func insertSession(_ row: SessionRow) throws {
    try run(
      """
      INSERT INTO session (id, trainee_id, scenario_id, scenario_version, scenario_sha256,
        scenario_path, ruleset_version, ruleset_sha256, mode, audience, seed, as_of, real_time,
        curriculum_id, curriculum_version, part_id, started_at, pid, host, status, end_reason,
        ended_at)
      VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16,
        \(Self.time(17)), $18, $19, $20, $21, \(Self.time(22)))
      """,
      [
        row.id, row.traineeID, row.scenarioID, row.scenarioVersion, row.scenarioSHA256,
        row.scenarioPath, row.rulesetVersion, row.rulesetSHA256, row.mode, row.audience,
        row.seed, row.asOf, row.realTime, row.curriculumID, row.curriculumVersion, row.partID,
        Self.text(row.startedAt), row.pid, row.host, row.status.rawValue, row.endReason,
        Self.text(row.endedAt),
      ])
  }

  func sessionRow(_ id: String) throws -> SessionRow? {
    try rows("SELECT \(Self.sessionColumns) FROM session s WHERE s.id = $1", [id])
      .first.map { row in
        var cursor = Cursor(row)
        return try cursor.session()
      }
  }

  func sessionInfo(_ id: String) throws -> SessionInfo? {
    try rows(
      "SELECT \(Self.sessionColumns), \(Self.traineeColumns) FROM session s "
        + "JOIN trainee t ON t.id = s.trainee_id WHERE s.id = $1", [id]
    ).first.map { row in
      var cursor = Cursor(row)
      return SessionInfo(session: try cursor.session(), trainee: try cursor.trainee(), score: nil)
    }
  }

  func sessionIDs(like pattern: String) throws -> [String] {
    // ILIKE, because SQLite's LIKE ignores the case of ASCII letters.
    try rows("SELECT id FROM session WHERE id ILIKE $1 ESCAPE '\\' ORDER BY id", [pattern])
      .map { row in try row[0].decode(String.self) }
  }

  func updateSession(_ row: SessionRow) throws {
    try run(
      "UPDATE session SET pid = $2, host = $3, status = $4, end_reason = $5, "
        + "ended_at = \(Self.time(6)) WHERE id = $1",
      [row.id, row.pid, row.host, row.status.rawValue, row.endReason, Self.text(row.endedAt)])
  }

  func sessionInfos(_ filter: SessionFilter) throws -> [SessionInfo] {
    var conditions: [String] = []
    var values: [Value] = []
    func add(_ condition: (Int) -> String, _ value: Value) {
      values.append(value)
      conditions.append(condition(values.count))
    }
    if let name = filter.trainee { add({ "t.name = $\($0)" }, name) }
    if let cohort = filter.cohort { add({ "t.cohort = $\($0)" }, cohort) }
    if let curriculum = filter.curriculum { add({ "s.curriculum_id = $\($0)" }, curriculum) }
    if let part = filter.part { add({ "s.part_id = $\($0)" }, part) }
    if let scenario = filter.scenario { add({ "s.scenario_id = $\($0)" }, scenario) }
    if let since = filter.since { add({ "s.started_at >= \(Self.time($0))" }, Self.text(since)) }
    if let statuses = filter.statuses {
      add({ "s.status = ANY($\($0))" }, statuses.map(\.rawValue))
    }
    let condition = conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")
    return try rows(
      "SELECT \(Self.sessionColumns), \(Self.traineeColumns), \(Self.scoreColumns) "
        + "FROM session s JOIN trainee t ON t.id = s.trainee_id "
        + "LEFT JOIN score c ON c.session_id = s.id"
        + condition + " ORDER BY s.started_at, s.id", values
    ).map { row in
      var cursor = Cursor(row)
      return SessionInfo(
        session: try cursor.session(), trainee: try cursor.trainee(), score: try cursor.score())
    }
  }

  // MARK: - Journal

  func lastJournalSeq(session: String) throws -> Int? {
    guard let row = try rows("SELECT max(seq) FROM journal WHERE session_id = $1", [session]).first
    else { return nil }
    return try row[0].decode(Int?.self)
  }

  func insertJournal(_ row: JournalRow) throws -> JournalRow {
    let stored = try rows(
      "INSERT INTO journal (session_id, seq, kind, text, simulated_seconds, wall_time) "
        + "VALUES ($1, $2, $3, $4, $5, \(Self.time(6))) RETURNING \(Self.journalColumns)",
      [
        row.sessionID, row.seq, row.kind.rawValue, row.text, row.simulatedSeconds,
        Self.text(row.wallTime),
      ])
    return try stored.first.map { row in
      var cursor = Cursor(row)
      return try cursor.journal()
    } ?? row
  }

  func journal(session: String) throws -> [JournalRow] {
    try rows(
      "SELECT \(Self.journalColumns) FROM journal WHERE session_id = $1 ORDER BY seq", [session]
    ).map { row in
      var cursor = Cursor(row)
      return try cursor.journal()
    }
  }

  // MARK: - Scores

  func insertScore(_ row: ScoreRow) throws {
    try run(
      "INSERT INTO score (session_id, score, compliance, accuracy_revealed, accuracy_truth, "
        + "record) VALUES ($1, $2, $3, $4, $5, $6)",
      [
        row.sessionID, row.score, row.compliance, row.accuracyRevealed, row.accuracyTruth,
        row.record,
      ])
  }

  func insertDeviation(_ row: DeviationRow) throws {
    try run(
      "INSERT INTO deviation (\(Self.deviationColumns)) VALUES ($1, $2, $3, $4, $5, $6, $7)",
      [
        row.sessionID, row.ordinal, row.severity, row.category, row.at, row.message,
        row.because,
      ])
  }

  func scoreRow(session: String) throws -> ScoreRow? {
    try rows("SELECT \(Self.scoreColumns) FROM score c WHERE c.session_id = $1", [session])
      .first.flatMap { row in
        var cursor = Cursor(row)
        return try cursor.score()
      }
  }

  func deviations(sessions: [String]) throws -> [DeviationRow] {
    guard !sessions.isEmpty else { return [] }
    return try rows(
      "SELECT \(Self.deviationColumns) FROM deviation WHERE session_id = ANY($1) "
        + "ORDER BY session_id, ordinal", [sessions]
    ).map { row in
      var cursor = Cursor(row)
      return try cursor.deviation()
    }
  }

  // MARK: - Ratings

  func lastRatingSeq(session: String) throws -> Int? {
    guard let row = try rows("SELECT max(seq) FROM rating WHERE session_id = $1", [session]).first
    else { return nil }
    return try row[0].decode(Int?.self)
  }

  func insertRating(_ row: RatingRow) throws -> RatingRow {
    let stored = try rows(
      "INSERT INTO rating (session_id, seq, objective, rating, evaluator, comment, "
        + "simulated_seconds, wall_time) VALUES ($1, $2, $3, $4, $5, $6, $7, \(Self.time(8))) "
        + "RETURNING \(Self.ratingColumns)",
      [
        row.sessionID, row.seq, row.objective, row.rating.rawValue, row.evaluator, row.comment,
        row.simulatedSeconds, Self.text(row.wallTime),
      ])
    return try stored.first.map { row in
      var cursor = Cursor(row)
      return try cursor.rating()
    } ?? row
  }

  func ratings(session: String) throws -> [RatingRow] {
    try rows(
      "SELECT \(Self.ratingColumns) FROM rating WHERE session_id = $1 ORDER BY seq", [session]
    ).map { row in
      var cursor = Cursor(row)
      return try cursor.rating()
    }
  }
}

/// Reads a row's columns left to right into the store's row types.
struct Cursor {
  let row: PostgresRandomAccessRow
  var index = 0

  init(_ row: PostgresRandomAccessRow) {
    self.row = row
  }

  mutating func next<T: PostgresDecodable>(_: T.Type = T.self) throws -> T {
    defer { index += 1 }
    return try row[index].decode(T.self)
  }

  mutating func date() throws -> Date {
    guard let date = try optionalDate() else {
      throw RowError(message: "the column \(row[index - 1].columnName) has no time")
    }
    return date
  }

  mutating func optionalDate() throws -> Date? {
    guard let text = try next(String?.self) else { return nil }
    guard let date = Date.fromDatabaseValue(text.databaseValue) else {
      throw RowError(
        message: "the column \(row[index - 1].columnName) holds '\(text)', which is not a time")
    }
    return date
  }

  mutating func value<T: RawRepresentable>(_: T.Type) throws -> T where T.RawValue == String {
    let text = try next(String.self)
    guard let value = T(rawValue: text) else {
      throw RowError(
        message: "the column \(row[index - 1].columnName) holds '\(text)', which is not a "
          + "\(T.self)")
    }
    return value
  }

  mutating func trainee() throws -> TraineeRow {
    TraineeRow(
      id: try next(Int64.self), name: try next(), cohort: try next(), createdAt: try date())
  }

  mutating func session() throws -> SessionRow {
    SessionRow(
      id: try next(), traineeID: try next(), scenarioID: try next(), scenarioVersion: try next(),
      scenarioSHA256: try next(), scenarioPath: try next(), rulesetVersion: try next(),
      rulesetSHA256: try next(), mode: try next(), audience: try next(), seed: try next(),
      asOf: try next(), realTime: try next(), curriculumID: try next(),
      curriculumVersion: try next(), partID: try next(), startedAt: try date(), pid: try next(),
      host: try next(), status: try value(SessionStatus.self), endReason: try next(),
      endedAt: try optionalDate())
  }

  /// Nil when a left join found no score (its key column is NULL).
  mutating func score() throws -> ScoreRow? {
    guard let sessionID = try next(String?.self) else { return nil }
    return ScoreRow(
      sessionID: sessionID, score: try next(), compliance: try next(),
      accuracyRevealed: try next(), accuracyTruth: try next(), record: try next())
  }

  mutating func journal() throws -> JournalRow {
    JournalRow(
      sessionID: try next(), seq: try next(), kind: try value(JournalEntry.Kind.self),
      text: try next(), simulatedSeconds: try next(), wallTime: try date())
  }

  mutating func deviation() throws -> DeviationRow {
    DeviationRow(
      sessionID: try next(), ordinal: try next(), severity: try next(), category: try next(),
      at: try next(), message: try next(), because: try next())
  }

  mutating func rating() throws -> RatingRow {
    RatingRow(
      sessionID: try next(), seq: try next(), objective: try next(),
      rating: try value(Rating.Level.self), evaluator: try next(), comment: try next(),
      simulatedSeconds: try next(), wallTime: try date())
  }
}
