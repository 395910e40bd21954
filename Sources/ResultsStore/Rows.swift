import Foundation
import GRDB

// The rows, one Codable struct per table, mapped to snake_case columns by their CodingKeys. Both
// backends use them: GRDB through its record protocols, PostgreSQL column by column (`Cursor`).
// They stay internal so the public API is plain values that leak neither database.

/// A row of `trainee`.
struct TraineeRow: Codable, FetchableRecord, MutablePersistableRecord {
  static let databaseTableName = "trainee"

  /// Nil until inserted; SQLite assigns it.
  var id: Int64?
  var name: String
  var cohort: String?
  var createdAt: Date

  enum CodingKeys: String, CodingKey, ColumnExpression {
    case id, name, cohort
    case createdAt = "created_at"
  }

  mutating func didInsert(_ inserted: InsertionSuccess) {
    id = inserted.rowID
  }

  var record: TraineeRecord {
    TraineeRecord(id: id ?? 0, name: name, cohort: cohort, createdAt: createdAt)
  }
}

/// A row of `session`.
struct SessionRow: Codable, FetchableRecord, PersistableRecord {
  static let databaseTableName = "session"
  static let trainee = belongsTo(TraineeRow.self)
  static let score = hasOne(ScoreRow.self)

  var id: String
  var traineeID: Int64
  var scenarioID: String
  var scenarioVersion: Int
  var scenarioSHA256: String
  var scenarioPath: String
  var rulesetVersion: String
  var rulesetSHA256: String
  var mode: String
  var audience: String
  /// Decimal text of the UInt64 seed.
  var seed: String
  var asOf: String
  var realTime: Bool
  var curriculumID: String?
  var curriculumVersion: Int?
  var partID: String?
  var startedAt: Date
  var pid: Int32
  var host: String
  var status: SessionStatus
  var endReason: String?
  var endedAt: Date?

  enum CodingKeys: String, CodingKey, ColumnExpression {
    case id
    case traineeID = "trainee_id"
    case scenarioID = "scenario_id"
    case scenarioVersion = "scenario_version"
    case scenarioSHA256 = "scenario_sha256"
    case scenarioPath = "scenario_path"
    case rulesetVersion = "ruleset_version"
    case rulesetSHA256 = "ruleset_sha256"
    case mode, audience, seed
    case asOf = "as_of"
    case realTime = "real_time"
    case curriculumID = "curriculum_id"
    case curriculumVersion = "curriculum_version"
    case partID = "part_id"
    case startedAt = "started_at"
    case pid, host, status
    case endReason = "end_reason"
    case endedAt = "ended_at"
  }

  /// The public value, with the trainee's name and cohort joined in.
  ///
  /// - Throws: A message for `StoreError.database` when the seed is not a UInt64, which only a
  ///   hand-edited file can produce.
  func record(trainee: TraineeRow) throws(RowError) -> SessionRecord {
    guard let seed = UInt64(seed) else {
      throw RowError(message: "session \(id) has the seed '\(seed)', which is not a UInt64")
    }
    return SessionRecord(
      id: id, traineeName: trainee.name, cohort: trainee.cohort, scenarioID: scenarioID,
      scenarioVersion: scenarioVersion, scenarioSHA256: scenarioSHA256,
      scenarioPath: scenarioPath, rulesetVersion: rulesetVersion, rulesetSHA256: rulesetSHA256,
      mode: mode, audience: audience, seed: seed, asOf: asOf, realTime: realTime,
      curriculumID: curriculumID, curriculumVersion: curriculumVersion, partID: partID,
      startedAt: startedAt, pid: pid, host: host, status: status, endReason: endReason,
      endedAt: endedAt)
  }
}

/// A session joined with its trainee and, when it has one, its score row.
struct SessionInfo: Decodable, FetchableRecord {
  var session: SessionRow
  var trainee: TraineeRow
  var score: ScoreRow?
}

/// A row of `journal`.
struct JournalRow: Codable, FetchableRecord, PersistableRecord {
  static let databaseTableName = "journal"

  var sessionID: String
  var seq: Int
  var kind: JournalEntry.Kind
  var text: String
  var simulatedSeconds: Int
  var wallTime: Date

  enum CodingKeys: String, CodingKey, ColumnExpression {
    case sessionID = "session_id"
    case seq, kind, text
    case simulatedSeconds = "simulated_seconds"
    case wallTime = "wall_time"
  }

  var entry: JournalEntry {
    JournalEntry(
      seq: seq, kind: kind, text: text, simulatedSeconds: simulatedSeconds, wallTime: wallTime)
  }
}

/// A row of `score`: one per scored session.
struct ScoreRow: Codable, FetchableRecord, PersistableRecord {
  static let databaseTableName = "score"

  var sessionID: String
  var score: Int
  var compliance: String
  var accuracyRevealed: Double
  var accuracyTruth: Double
  var record: String

  enum CodingKeys: String, CodingKey, ColumnExpression {
    case sessionID = "session_id"
    case score, compliance
    case accuracyRevealed = "accuracy_revealed"
    case accuracyTruth = "accuracy_truth"
    case record
  }

  func stored(deviations: [DeviationRow]) -> StoredScore {
    StoredScore(
      score: score, compliance: compliance, accuracyRevealed: accuracyRevealed,
      accuracyTruth: accuracyTruth, deviations: deviations.map(\.stored), record: record)
  }
}

/// A row of `deviation`; `ordinal` keeps the scorer's order.
struct DeviationRow: Codable, FetchableRecord, PersistableRecord {
  static let databaseTableName = "deviation"

  var sessionID: String
  var ordinal: Int
  var severity: String
  var category: String
  var at: Int
  var message: String
  var because: String

  enum CodingKeys: String, CodingKey, ColumnExpression {
    case sessionID = "session_id"
    case ordinal, severity, category, at, message, because
  }

  var stored: StoredDeviation {
    StoredDeviation(
      severity: severity, category: category, at: at, message: message, because: because)
  }
}

/// A row that decoded but makes no sense (only a hand-edited file produces one); the store
/// reports it as `StoreError.database` with the path.
struct RowError: Error {
  var message: String
}

extension SessionRow {
  init(id: String, traineeID: Int64, new: NewSession) {
    self.id = id
    self.traineeID = traineeID
    scenarioID = new.scenarioID
    scenarioVersion = new.scenarioVersion
    scenarioSHA256 = new.scenarioSHA256
    scenarioPath = new.scenarioPath
    rulesetVersion = new.rulesetVersion
    rulesetSHA256 = new.rulesetSHA256
    mode = new.mode
    audience = new.audience
    seed = String(new.seed)
    asOf = new.asOf
    realTime = new.realTime
    curriculumID = new.curriculumID
    curriculumVersion = new.curriculumVersion
    partID = new.partID
    startedAt = new.startedAt
    pid = new.pid
    host = new.host
    status = .active
    endReason = nil
    endedAt = nil
  }
}

extension ScoreRow {
  init(sessionID: String, score: StoredScore) {
    self.sessionID = sessionID
    self.score = score.score
    compliance = score.compliance
    accuracyRevealed = score.accuracyRevealed
    accuracyTruth = score.accuracyTruth
    record = score.record
  }
}

extension DeviationRow {
  init(sessionID: String, ordinal: Int, deviation: StoredDeviation) {
    self.sessionID = sessionID
    self.ordinal = ordinal
    severity = deviation.severity
    category = deviation.category
    at = deviation.at
    message = deviation.message
    because = deviation.because
  }
}
