import Foundation
import GRDB

/// The store's steps on an SQLite connection, through GRDB's query interface.
///
/// Rows are found with filters on their columns rather than GRDB's `key:` lookups: those
/// introspect the schema through PRAGMAs, which answer from a connection's possibly stale copy of
/// it (seen on a reader that had loaded the schema before the migration).
struct SQLiteTransaction: StoreTransaction {
  let db: Database

  typealias Trainee = TraineeRow.CodingKeys
  typealias Session = SessionRow.CodingKeys
  typealias Journal = JournalRow.CodingKeys
  typealias Rated = RatingRow.CodingKeys

  func trainee(named name: String) throws -> TraineeRow? {
    try TraineeRow.filter(Trainee.name == name).fetchOne(db)
  }

  func trainees(cohort: String?) throws -> [TraineeRow] {
    var request = TraineeRow.order(Trainee.name, Trainee.id)
    if let cohort {
      request = request.filter(Trainee.cohort == cohort)
    }
    return try request.fetchAll(db)
  }

  func insertTrainee(_ row: TraineeRow) throws -> Int64 {
    var row = row
    try row.insert(db)
    guard let id = row.id else {
      throw RowError(message: "the trainee '\(row.name)' was not given an id")
    }
    return id
  }

  func setCohort(_ cohort: String, ofTrainee id: Int64) throws {
    try TraineeRow.filter(Trainee.id == id).updateAll(db, Trainee.cohort.set(to: cohort))
  }

  func insertSession(_ row: SessionRow) throws {
    try row.insert(db)
  }

  func sessionRow(_ id: String) throws -> SessionRow? {
    try SessionRow.filter(Session.id == id).fetchOne(db)
  }

  func sessionInfo(_ id: String) throws -> SessionInfo? {
    try SessionRow.including(required: SessionRow.trainee)
      .filter(Session.id == id)
      .asRequest(of: SessionInfo.self)
      .fetchOne(db)
  }

  func sessionIDs(like pattern: String) throws -> [String] {
    // SQLite's LIKE already ignores the case of ASCII letters.
    try SessionRow.filter(Session.id.like(pattern, escape: "\\"))
      .select(Session.id, as: String.self)
      .order(Session.id)
      .fetchAll(db)
  }

  func updateSession(_ row: SessionRow) throws {
    try SessionRow.filter(Session.id == row.id).updateAll(
      db, Session.pid.set(to: row.pid), Session.host.set(to: row.host),
      Session.status.set(to: row.status.rawValue), Session.endReason.set(to: row.endReason),
      Session.endedAt.set(to: row.endedAt))
  }

  func sessionInfos(_ filter: SessionFilter) throws -> [SessionInfo] {
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
    return try request.order(Session.startedAt, Session.id)
      .asRequest(of: SessionInfo.self)
      .fetchAll(db)
  }

  func lastJournalSeq(session: String) throws -> Int? {
    try JournalRow.filter(Journal.sessionID == session)
      .select(max(Journal.seq), as: Int.self)
      .fetchOne(db)
  }

  func insertJournal(_ row: JournalRow) throws -> JournalRow {
    try row.insert(db)
    let stored = try JournalRow.filter(Journal.sessionID == row.sessionID && Journal.seq == row.seq)
      .fetchOne(db)
    return stored ?? row
  }

  func journal(session: String) throws -> [JournalRow] {
    try JournalRow.filter(Journal.sessionID == session).order(Journal.seq).fetchAll(db)
  }

  func insertScore(_ row: ScoreRow) throws {
    try row.insert(db)
  }

  func insertDeviation(_ row: DeviationRow) throws {
    try row.insert(db)
  }

  func scoreRow(session: String) throws -> ScoreRow? {
    try ScoreRow.filter(ScoreRow.CodingKeys.sessionID == session).fetchOne(db)
  }

  /// Ids go in batches so a long report stays under SQLite's limit on bound parameters.
  func deviations(sessions: [String]) throws -> [DeviationRow] {
    typealias Deviation = DeviationRow.CodingKeys
    var rows: [DeviationRow] = []
    var start = sessions.startIndex
    while start < sessions.endIndex {
      let end = min(start + 500, sessions.endIndex)
      rows += try DeviationRow.filter(sessions[start..<end].contains(Deviation.sessionID))
        .order(Deviation.sessionID, Deviation.ordinal)
        .fetchAll(db)
      start = end
    }
    return rows
  }

  func lastRatingSeq(session: String) throws -> Int? {
    try RatingRow.filter(Rated.sessionID == session)
      .select(max(Rated.seq), as: Int.self)
      .fetchOne(db)
  }

  func insertRating(_ row: RatingRow) throws -> RatingRow {
    try row.insert(db)
    let stored = try RatingRow.filter(Rated.sessionID == row.sessionID && Rated.seq == row.seq)
      .fetchOne(db)
    return stored ?? row
  }

  func ratings(session: String) throws -> [RatingRow] {
    try RatingRow.filter(Rated.sessionID == session).order(Rated.seq).fetchAll(db)
  }
}
