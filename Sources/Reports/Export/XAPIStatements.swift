import CurriculumKit
import Foundation
import ProtocolEngine
import ResultsStore
import ScenarioKit

/// xAPI 1.0.3 statements for recorded sessions, one JSON object per line, for an LRS to
/// import.
///
/// Each session gives, in this order:
/// - `attempted` when it began (every session, also one still active);
/// - for a scored session, `completed` (the score, the simulated duration, the compliance level
///   and every deviation) and then `passed` or `failed` (the score and `success`, judged
///   against the bar of the session's curriculum part, or `compliant` or better outside a
///   curriculum);
/// - for an abandoned one, ADL's `abandoned` (completion false, no score: an abandoned attempt
///   is not scored for mastery either).
///
/// The judgement is split from the record as cmi5 splits them (its `completed` carries no
/// `success`), so an LMS that counts `passed` statements counts attempts that met the bar.
///
/// Choices a reader of the statements should know:
/// - `id` is a name-based UUID (version 5) of the home page, the session and the verb, and
///   `timestamp` comes from the session's recorded times, so one store always exports the same
///   bytes and re-posting an export to an LRS stores nothing twice.
/// - `result.duration` is the **simulated** clock at the end of the call (what timeliness is
///   scored on, and what a replay of the journal gives again), not the time the trainee spent
///   at the keyboard; that wall-clock time is in the `wall-clock-duration` extension.
/// - Statements carry no `version` property: xAPI 1.0.3 (2.4.10) says a statement's producer
///   SHOULD NOT set it (and MUST set `1.0.0` if it does); 1.0.3 is the version of the requests,
///   sent in the `X-Experience-API-Version` header.
/// - Extension keys are IRIs under the home page (`<home>/xapi/extensions/<name>`).
public struct XAPIStatements: Sendable {
  /// The ADL verbs the export uses.
  public enum Verb: String, Sendable, CaseIterable {
    case attempted, completed, passed, failed, abandoned

    /// The verb's IRI: the ADL vocabulary's (`abandoned` is the one cmi5 adopted from ADL's
    /// newer w3id namespace).
    public var iri: String {
      switch self {
      case .abandoned: return "https://w3id.org/xapi/adl/verbs/abandoned"
      default: return "http://adlnet.gov/expapi/verbs/\(rawValue)"
      }
    }
  }

  /// The activity type of a scenario (ADL's vocabulary).
  public static let simulationType = "http://adlnet.gov/expapi/activities/simulation"
  static let courseType = "http://adlnet.gov/expapi/activities/course"
  static let moduleType = "http://adlnet.gov/expapi/activities/module"

  public let homePage: ExportHomePage
  private let curricula: [String: Curriculum]
  private let scenarios: [String: ExportScenario]

  /// - Parameters:
  ///   - curricula: To judge pass or fail by a part's bar and to name the part and the course
  ///     in `context.contextActivities`; a session in a curriculum not given is judged by
  ///     `compliant` or better, and its context activities carry ids only.
  ///   - scenarios: Titles and descriptions for the activity definitions; a scenario not
  ///     given is named by its id.
  public init(
    homePage: ExportHomePage = .fictional, curricula: [Curriculum] = [],
    scenarios: [ExportScenario] = []
  ) {
    self.homePage = homePage
    self.curricula = Dictionary(
      curricula.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
    self.scenarios = Dictionary(
      scenarios.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
  }

  /// Every session's statements as JSON lines (LF after each), sessions in the given order.
  public func jsonLines(_ sessions: [SessionSummary]) -> String {
    sessions.flatMap(statements(for:)).map { $0.rendered() + "\n" }.joined()
  }

  /// One session's statements, in the order they happened.
  public func statements(for summary: SessionSummary) -> [JSONValue] {
    let session = summary.session
    var statements = [statement(.attempted, summary, result: nil, at: session.startedAt)]
    let ended = session.endedAt ?? session.startedAt
    switch session.status {
    case .active:
      break
    case .abandoned:
      statements.append(statement(.abandoned, summary, result: abandonedResult(summary), at: ended))
    case .submitted:
      guard let score = summary.score else { break }
      statements.append(
        statement(.completed, summary, result: completedResult(summary, score), at: ended))
      if let judged = judgement(summary, score) {
        statements.append(
          statement(
            judged.passed ? .passed : .failed, summary,
            result: judgedResult(summary, score, judged), at: ended))
      }
    }
    return statements
  }

  // MARK: - Statement parts

  private func statement(_ verb: Verb, _ summary: SessionSummary, result: JSONValue?, at: Date)
    -> JSONValue
  {
    let session = summary.session
    var pairs: [(String, JSONValue)] = [
      (
        "id",
        .string(NameBasedUUID.v5(homePage.iri(["xapi", "statements", session.id, verb.rawValue])))
      ),
      (
        "actor",
        .object([
          ("objectType", .string("Agent")), ("name", .string(session.traineeName)),
          (
            "account",
            .object([("homePage", .string(homePage.url)), ("name", .string(session.traineeName))])
          ),
        ])
      ),
      (
        "verb",
        .object([("id", .string(verb.iri)), ("display", languageMap(verb.rawValue))])
      ),
      ("object", scenarioActivity(session.scenarioID)),
    ]
    if let result { pairs.append(("result", result)) }
    pairs.append(("context", context(summary)))
    pairs.append(("timestamp", .string(ExportText.milliseconds(at))))
    return .object(pairs)
  }

  private func scenarioActivity(_ id: String) -> JSONValue {
    let scenario = scenarios[id] ?? .unknown(id)
    return .object([
      ("objectType", .string("Activity")), ("id", .string(homePage.scenario(id))),
      (
        "definition",
        .object([
          ("name", languageMap(scenario.title)),
          ("description", languageMap(scenario.description)),
          ("type", .string(Self.simulationType)),
        ])
      ),
    ])
  }

  private func context(_ summary: SessionSummary) -> JSONValue {
    let session = summary.session
    var pairs: [(String, JSONValue)] = [
      ("registration", .string(registration(session.id))),
      (
        "revision",
        .string("scenario v\(session.scenarioVersion); ruleset \(session.rulesetSHA256)")
      ),
      ("platform", .string("HotlineSim")), ("language", .string("en-US")),
    ]
    if let curriculumID = session.curriculumID {
      let curriculum = curricula[curriculumID]
      var grouping: [(String, JSONValue)] = [
        ("objectType", .string("Activity")), ("id", .string(homePage.curriculum(curriculumID))),
      ]
      if let curriculum {
        grouping.append(("definition", definition(curriculum.title, type: Self.courseType)))
      }
      var activities: [(String, JSONValue)] = []
      if let partID = session.partID {
        var parent: [(String, JSONValue)] = [
          ("objectType", .string("Activity")),
          ("id", .string(homePage.part(curriculumID, partID))),
        ]
        if let part = curriculum?.part(partID) {
          parent.append(("definition", definition(part.title, type: Self.moduleType)))
        }
        activities.append(("parent", .array([.object(parent)])))
      }
      activities.append(("grouping", .array([.object(grouping)])))
      pairs.append(("contextActivities", .object(activities)))
    }
    var extensions: [(String, JSONValue)] = [
      (homePage.extensionKey("mode"), .string(session.mode)),
      (homePage.extensionKey("audience"), .string(session.audience)),
      (homePage.extensionKey("ruleset-version"), .string(session.rulesetVersion)),
    ]
    if let version = session.curriculumVersion {
      extensions.append((homePage.extensionKey("curriculum-version"), .int(version)))
    }
    pairs.append(("extensions", .object(extensions)))
    return .object(pairs)
  }

  private func completedResult(_ summary: SessionSummary, _ score: StoredScore) -> JSONValue {
    var pairs: [(String, JSONValue)] = [("score", scoreObject(score)), ("completion", .bool(true))]
    if let seconds = Self.simulatedSeconds(score.record) {
      pairs.append(("duration", .string(ExportText.duration(seconds: seconds))))
    }
    var extensions: [(String, JSONValue)] = [
      (homePage.extensionKey("compliance"), .string(score.compliance)),
      (homePage.extensionKey("ended"), .string(summary.session.endReason ?? "submitted")),
      (
        homePage.extensionKey("deviations"),
        .array(
          score.deviations.map { deviation in
            .object([
              ("severity", .string(deviation.severity)),
              ("category", .string(deviation.category)), ("at", .string(clockText(deviation.at))),
              ("message", .string(deviation.message)), ("because", .string(deviation.because)),
            ])
          })
      ),
    ]
    extensions += wallClock(summary.session)
    pairs.append(("extensions", .object(extensions)))
    return .object(pairs)
  }

  private func judgedResult(
    _ summary: SessionSummary, _ score: StoredScore, _ judged: (passed: Bool, rule: String)
  ) -> JSONValue {
    var pairs: [(String, JSONValue)] = [
      ("score", scoreObject(score)), ("success", .bool(judged.passed)), ("completion", .bool(true)),
    ]
    if let seconds = Self.simulatedSeconds(score.record) {
      pairs.append(("duration", .string(ExportText.duration(seconds: seconds))))
    }
    pairs.append(
      ("extensions", .object([(homePage.extensionKey("passing-rule"), .string(judged.rule))])))
    return .object(pairs)
  }

  private func abandonedResult(_ summary: SessionSummary) -> JSONValue {
    var pairs: [(String, JSONValue)] = [("completion", .bool(false))]
    if let record = summary.score?.record, let seconds = Self.simulatedSeconds(record) {
      pairs.append(("duration", .string(ExportText.duration(seconds: seconds))))
    }
    var extensions: [(String, JSONValue)] = [
      (homePage.extensionKey("ended"), .string(summary.session.endReason ?? "abandoned"))
    ]
    extensions += wallClock(summary.session)
    pairs.append(("extensions", .object(extensions)))
    return .object(pairs)
  }

  private func scoreObject(_ score: StoredScore) -> JSONValue {
    let raw = min(max(score.score, 0), 100)
    return .object([
      ("scaled", .double(Double(raw) / 100)), ("raw", .int(raw)), ("min", .int(0)),
      ("max", .int(100)),
    ])
  }

  private func wallClock(_ session: SessionRecord) -> [(String, JSONValue)] {
    guard let ended = session.endedAt else { return [] }
    let seconds = Int(ended.timeIntervalSince(session.startedAt).rounded())
    return [
      (homePage.extensionKey("wall-clock-duration"), .string(ExportText.duration(seconds: seconds)))
    ]
  }

  // MARK: - Judging and reading the record

  /// Whether a scored session passed, and the rule it was judged by in words; nil when its
  /// compliance level is not one the scorer writes (a hand-edited store).
  private func judgement(_ summary: SessionSummary, _ score: StoredScore)
    -> (passed: Bool, rule: String)?
  {
    guard let compliance = Compliance(rawValue: score.compliance) else { return nil }
    let session = summary.session
    let critical = score.deviations.contains { $0.severity == "critical" }
    if let curriculumID = session.curriculumID, let partID = session.partID,
      let part = curricula[curriculumID]?.part(partID)
    {
      let rule = part.mastery
      var words = ["\(rule.level.rawValue) or better"]
      if rule.minScore > 0 { words.append("score \(rule.minScore)+") }
      if rule.noCritical, rule.level.rank > Compliance.partial.rank {
        words.append("no critical deviation")
      }
      return (
        rule.counts(.scored(compliance: compliance, score: score.score, critical: critical)),
        words.joined(separator: ", ") + " (the bar of part '\(partID)' of \(curriculumID))"
      )
    }
    return (compliance.isAtLeast(.compliant), "compliant or better (no curriculum part)")
  }

  /// The simulated seconds at the end of the attempt, from the score record's
  /// `attempt.clock` (`mm:ss`); nil when the record has none.
  static func simulatedSeconds(_ record: String) -> Int? {
    guard
      let object = try? JSONSerialization.jsonObject(with: Data(record.utf8)) as? [String: Any],
      let attempt = object["attempt"] as? [String: Any],
      let clock = attempt["clock"] as? String
    else { return nil }
    let parts = clock.split(separator: ":")
    guard parts.count == 2, let minutes = Int(parts[0]), let seconds = Int(parts[1]),
      minutes >= 0, (0..<60).contains(seconds)
    else { return nil }
    return minutes * 60 + seconds
  }

  /// The session id as a registration; the store's ids are UUIDs already, and anything else
  /// (only a hand-edited store) becomes a name-based UUID rather than a statement an LRS
  /// rejects.
  private func registration(_ id: String) -> String {
    UUID(uuidString: id) == nil
      ? NameBasedUUID.v5(homePage.iri(["xapi", "sessions", id])) : id.lowercased()
  }

  private func languageMap(_ text: String) -> JSONValue {
    .object([("en-US", .string(text))])
  }

  private func definition(_ name: String, type: String) -> JSONValue {
    .object([("name", languageMap(name)), ("type", .string(type))])
  }
}
