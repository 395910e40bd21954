import Foundation

/// Where an attempt stands. Only an `active` session takes verbs; the other two are final.
public enum SessionStatus: String, Sendable, Codable, CaseIterable {
  /// Being played now, or interrupted (killed, power cut) and waiting to be resumed.
  case active
  /// Ended and scored.
  case submitted
  /// Ended without a score (the trainee gave up, or a coordinator closed it).
  case abandoned
}

/// A person who plays scenarios. Names are unique: the name is how commands find a trainee.
public struct TraineeRecord: Sendable, Hashable {
  public var id: Int64
  public var name: String
  /// The training group, if one was ever given; the latest one given wins.
  public var cohort: String?
  /// When the trainee's first session began.
  public var createdAt: Date

  public init(id: Int64, name: String, cohort: String?, createdAt: Date) {
    self.id = id
    self.name = name
    self.cohort = cohort
    self.createdAt = createdAt
  }
}

/// What a new session records when it begins: enough to replay the attempt exactly (scenario
/// and ruleset hashes, seed, the day protocols were taken as in force) and to tell who is
/// playing it.
public struct NewSession: Sendable, Hashable {
  /// The trainee's name; the trainee row is created if missing.
  public var trainee: String
  /// When given, sets or updates the trainee's cohort; nil leaves it as it was.
  public var cohort: String?
  public var scenarioID: String
  public var scenarioVersion: Int
  public var scenarioSHA256: String
  public var scenarioPath: String
  public var rulesetVersion: String
  public var rulesetSHA256: String
  /// `practice` or `assessment`.
  public var mode: String
  /// `telecommunicator`, `task_force` or `advocate`.
  public var audience: String
  /// Stored as text, because a UInt64 above Int64.max does not fit an SQLite integer.
  public var seed: UInt64
  /// `YYYY-MM-DD`: the day protocols were taken as in force.
  public var asOf: String
  public var realTime: Bool
  public var curriculumID: String?
  public var curriculumVersion: Int?
  public var partID: String?
  public var startedAt: Date
  /// The process playing the session, with `host`, so `resume` can tell a live session from an
  /// interrupted one.
  public var pid: Int32
  public var host: String

  public init(
    trainee: String, cohort: String? = nil, scenarioID: String, scenarioVersion: Int,
    scenarioSHA256: String, scenarioPath: String, rulesetVersion: String, rulesetSHA256: String,
    mode: String, audience: String, seed: UInt64, asOf: String, realTime: Bool,
    curriculumID: String? = nil, curriculumVersion: Int? = nil, partID: String? = nil,
    startedAt: Date, pid: Int32, host: String
  ) {
    self.trainee = trainee
    self.cohort = cohort
    self.scenarioID = scenarioID
    self.scenarioVersion = scenarioVersion
    self.scenarioSHA256 = scenarioSHA256
    self.scenarioPath = scenarioPath
    self.rulesetVersion = rulesetVersion
    self.rulesetSHA256 = rulesetSHA256
    self.mode = mode
    self.audience = audience
    self.seed = seed
    self.asOf = asOf
    self.realTime = realTime
    self.curriculumID = curriculumID
    self.curriculumVersion = curriculumVersion
    self.partID = partID
    self.startedAt = startedAt
    self.pid = pid
    self.host = host
  }
}

/// One recorded attempt, as the store holds it.
public struct SessionRecord: Sendable, Hashable {
  /// A lowercase UUID, made by the store.
  public var id: String
  public var traineeName: String
  /// The trainee's cohort now (it follows the trainee, not the day the session began).
  public var cohort: String?
  public var scenarioID: String
  public var scenarioVersion: Int
  public var scenarioSHA256: String
  public var scenarioPath: String
  public var rulesetVersion: String
  public var rulesetSHA256: String
  public var mode: String
  public var audience: String
  public var seed: UInt64
  public var asOf: String
  public var realTime: Bool
  public var curriculumID: String?
  public var curriculumVersion: Int?
  public var partID: String?
  /// Stored to the millisecond (GRDB's date format), like every date in the store.
  public var startedAt: Date
  /// The process that owns the session now: the one that began it, or the last to `claim` it.
  public var pid: Int32
  public var host: String
  public var status: SessionStatus
  /// The player's words for how it ended: `submitted`, `timed_out`, `hung_up`, `disconnected`
  /// or `abandoned`; nil while active.
  public var endReason: String?
  public var endedAt: Date?

  public init(
    id: String, traineeName: String, cohort: String?, scenarioID: String, scenarioVersion: Int,
    scenarioSHA256: String, scenarioPath: String, rulesetVersion: String, rulesetSHA256: String,
    mode: String, audience: String, seed: UInt64, asOf: String, realTime: Bool,
    curriculumID: String?, curriculumVersion: Int?, partID: String?, startedAt: Date, pid: Int32,
    host: String, status: SessionStatus, endReason: String?, endedAt: Date?
  ) {
    self.id = id
    self.traineeName = traineeName
    self.cohort = cohort
    self.scenarioID = scenarioID
    self.scenarioVersion = scenarioVersion
    self.scenarioSHA256 = scenarioSHA256
    self.scenarioPath = scenarioPath
    self.rulesetVersion = rulesetVersion
    self.rulesetSHA256 = rulesetSHA256
    self.mode = mode
    self.audience = audience
    self.seed = seed
    self.asOf = asOf
    self.realTime = realTime
    self.curriculumID = curriculumID
    self.curriculumVersion = curriculumVersion
    self.partID = partID
    self.startedAt = startedAt
    self.pid = pid
    self.host = host
    self.status = status
    self.endReason = endReason
    self.endedAt = endedAt
  }
}

/// One line of an attempt's journal. The player writes it before showing the response, so an
/// attempt killed mid-call can be replayed verb by verb.
public struct JournalEntry: Sendable, Hashable {
  /// What the entry records.
  public enum Kind: String, Sendable, Codable {
    /// A verb the trainee typed.
    case verb
    /// The attempt was ended from outside the verbs (end of piped input submits; Ctrl-D at the
    /// end question abandons); the entry's text is the end reason.
    case end
  }

  /// 1, 2, 3... within the session, assigned by the store; 0 until stored.
  public var seq: Int
  public var kind: Kind
  public var text: String
  /// The simulated clock when the verb was given.
  public var simulatedSeconds: Int
  /// Stored to the millisecond.
  public var wallTime: Date

  public init(kind: Kind, text: String, simulatedSeconds: Int, wallTime: Date) {
    self.seq = 0
    self.kind = kind
    self.text = text
    self.simulatedSeconds = simulatedSeconds
    self.wallTime = wallTime
  }

  init(seq: Int, kind: Kind, text: String, simulatedSeconds: Int, wallTime: Date) {
    self.init(kind: kind, text: text, simulatedSeconds: simulatedSeconds, wallTime: wallTime)
    self.seq = seq
  }
}

/// One deviation of a stored score, as plain strings so the store does not depend on the
/// scorer's types.
public struct StoredDeviation: Sendable, Hashable {
  /// `minor`, `moderate`, `major` or `critical`.
  public var severity: String
  public var category: String
  /// The simulated second it happened.
  public var at: Int
  public var message: String
  public var because: String

  public init(severity: String, category: String, at: Int, message: String, because: String) {
    self.severity = severity
    self.category = category
    self.at = at
    self.message = message
    self.because = because
  }
}

/// A submitted attempt's score: the columns reports sort and filter by, plus the full record.
public struct StoredScore: Sendable, Hashable {
  public var score: Int
  /// `high_compliance`, `compliant`, `partial`, `low` or `non_compliant`.
  public var compliance: String
  public var accuracyRevealed: Double
  public var accuracyTruth: Double
  /// In the scorer's order, which the store keeps.
  public var deviations: [StoredDeviation]
  /// The full score record JSON, as printed by `play --format json`, so a report can show
  /// everything the scorer said without the store knowing its shape.
  public var record: String

  public init(
    score: Int, compliance: String, accuracyRevealed: Double, accuracyTruth: Double,
    deviations: [StoredDeviation], record: String
  ) {
    self.score = score
    self.compliance = compliance
    self.accuracyRevealed = accuracyRevealed
    self.accuracyTruth = accuracyTruth
    self.deviations = deviations
    self.record = record
  }

  /// The severities from least to most serious; an unknown severity ranks below `minor`.
  static let severityOrder = ["minor", "moderate", "major", "critical"]

  /// The deviation a one-line summary should name: the first of the highest severity, so ties
  /// go to what the scorer listed first. Nil when there are none.
  public var worst: StoredDeviation? {
    func rank(_ deviation: StoredDeviation) -> Int {
      Self.severityOrder.firstIndex(of: deviation.severity) ?? -1
    }
    var worst: StoredDeviation?
    for deviation in deviations {
      if let current = worst, rank(deviation) <= rank(current) { continue }
      worst = deviation
    }
    return worst
  }
}

/// Which sessions `sessions(_:)` returns. Every field that is set narrows the result; nil
/// fields do not filter.
public struct SessionFilter: Sendable, Hashable {
  /// The trainee's exact name.
  public var trainee: String?
  /// The trainee's current cohort.
  public var cohort: String?
  public var curriculum: String?
  public var part: String?
  /// The scenario id.
  public var scenario: String?
  /// Started at or after this moment.
  public var since: Date?
  /// Any of these statuses; nil means all. An empty list matches nothing.
  public var statuses: [SessionStatus]?

  public init(
    trainee: String? = nil, cohort: String? = nil, curriculum: String? = nil,
    part: String? = nil, scenario: String? = nil, since: Date? = nil,
    statuses: [SessionStatus]? = nil
  ) {
    self.trainee = trainee
    self.cohort = cohort
    self.curriculum = curriculum
    self.part = part
    self.scenario = scenario
    self.since = since
    self.statuses = statuses
  }
}

/// A session with its score, if it has one, for lists and reports.
public struct SessionSummary: Sendable, Hashable {
  public var session: SessionRecord
  public var score: StoredScore?

  public init(session: SessionRecord, score: StoredScore?) {
    self.session = session
    self.score = score
  }
}
