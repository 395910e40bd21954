import CurriculumKit
import Foundation
import ProtocolEngine
import ResultsStore
import ScenarioKit
import Scoring

/// Whose attempts a report covers.
public enum ReportSubject: Sendable, Hashable {
  /// One trainee, by exact name.
  case trainee(String)
  /// A cohort by name, or every trainee in the store when nil.
  case cohort(String?)
  /// One session, by its full id; the report's other sessions (the trainee's attempts at the
  /// same scenario) give the attempt its context.
  case session(String)
}

/// What coordinators read about a trainee, a cohort or one attempt: the figures, the chart
/// data and the tables, computed once from the store's sessions so that the text report and
/// the HTML page say the same thing.
///
/// Building it is pure and deterministic: every list is sorted by something in the data (never
/// by dictionary order), and the only dates are the attempts' own, so the same store gives the
/// same bytes.
public struct TrainingReport: Sendable, Hashable {
  public var subject: ReportSubject
  /// "Trainee report: Dana Whitfield".
  public var title: String
  /// Who and when, in one line.
  public var subtitle: String
  public var figures: Figures
  /// One row per scenario played, in curriculum order, then by id.
  public var complianceByScenario: [ScenarioCompliance]
  /// One row per deviation category, in the scorer's order (empty when nothing was scored).
  public var deviationRates: [CategoryRate]
  public var trend: Trend
  /// The key-fact deviations most often made, worst first (trainee and cohort reports).
  public var missedQuestions: [Finding]
  /// The escalation deviations most often made (trainee and cohort reports).
  public var wrongEscalations: [Finding]
  /// The engine's reasons the report links to, protocols first (by id), then other rules.
  public var reasons: [Reason]
  /// The cohort's trainees, by name (cohort reports).
  public var trainees: [TraineeLine]
  /// Every attempt, oldest first (trainee and session reports).
  public var attempts: [AttemptLine]
  /// Progress through each curriculum the attempts belong to.
  public var courses: [CourseTable]
  /// The one attempt a session report is about.
  public var session: SessionDetail?
  /// The rulesets the attempts were scored under, sorted.
  public var rulesets: [String]

  /// Headline numbers.
  public struct Figures: Sendable, Hashable {
    /// Every session, whatever its status.
    public var attempts: Int
    /// Submitted with a score: the attempts every figure below is about.
    public var scored: Int
    public var abandoned: Int
    /// Being played, or interrupted and waiting for `resume`.
    public var active: Int
    public var trainees: Int
    public var scenarios: Int
    public var meanScore: Double?
    /// The share of scored attempts at `compliant` or better.
    public var compliantShare: Double?
    /// Scored attempts with at least one critical deviation.
    public var criticalAttempts: Int
    public var firstAttempt: Date?
    public var lastAttempt: Date?
  }

  /// How a scenario's scored attempts spread over the five compliance levels.
  public struct ScenarioCompliance: Sendable, Hashable {
    public var scenarioID: String
    public var title: String
    /// Counts in `Compliance.allCases` order, best first.
    public var counts: [Int]
    /// Abandoned or unfinished attempts, not in `counts`.
    public var notScored: Int
    public var meanScore: Double?
    public var scored: Int { counts.reduce(0, +) }
  }

  /// How often one category of deviation happens.
  public struct CategoryRate: Sendable, Hashable {
    public var category: String
    public var label: String
    /// Scored attempts with at least one deviation of the category.
    public var attemptsWith: Int
    public var deviations: Int
    /// Scored attempts: the denominator of `rate`.
    public var scored: Int
    public var rate: Double { scored == 0 ? 0 : Double(attemptsWith) / Double(scored) }
  }

  /// Scores over attempts: each attempt (trainee, session) or the cohort's mean at each
  /// attempt number, with the lowest and highest.
  public struct Trend: Sendable, Hashable {
    public enum Kind: Sendable, Hashable {
      /// One point per scored attempt, in order.
      case attempts
      /// The n-th scored attempt of every trainee, averaged.
      case cohortMean
    }

    public struct Point: Sendable, Hashable {
      /// 1, 2, 3... along the x axis.
      public var number: Int
      /// The attempt's score, or the mean.
      public var score: Double
      public var low: Double
      public var high: Double
      /// Attempts behind the point (1 for a single attempt).
      public var count: Int
      /// The attempt's level (single attempts only).
      public var compliance: String?
      /// The scenario's title (single attempts only).
      public var scenario: String?
      /// When the attempt began (single attempts only).
      public var started: Date?
      public var sessionID: String?
      /// The attempt a session report is about.
      public var isFocus: Bool
    }

    public var kind: Kind
    public var points: [Point]
  }

  /// A mistake that recurs: a key question missed, or an escalation set wrong.
  public struct Finding: Sendable, Hashable {
    public var scenarioID: String
    public var scenarioTitle: String
    /// The question to ask, or "Services referral instead of mandated report".
    public var text: String
    /// What kind of miss it is, or what the question tells the call-taker.
    public var detail: String
    /// Distinct attempts with the mistake.
    public var count: Int
    /// Scored attempts at the scenario.
    public var outOf: Int
    /// The most serious severity seen.
    public var severity: String
    /// The engine's reason, as the scorer quoted it (the most frequent wording).
    public var because: String
    /// Anchors of the reasons it cites (`reason-TX-MINOR-01`), in the order cited.
    public var reasonAnchors: [String]
    public var rate: Double { outOf == 0 ? 0 : Double(count) / Double(outOf) }
  }

  /// A reason the report links to: a protocol's `because`, or a rule the scorer quotes.
  public struct Reason: Sendable, Hashable {
    /// The in-page anchor, `reason-<protocol id>` or `reason-rule-<n>`.
    public var anchor: String
    /// The protocol id, or nil for a rule.
    public var protocolID: String?
    public var title: String
    public var because: String
    /// Titles of the scenarios whose expected decision applies it, sorted.
    public var scenarios: [String]
  }

  /// One trainee of a cohort.
  public struct TraineeLine: Sendable, Hashable {
    public var name: String
    public var cohort: String?
    public var attempts: Int
    public var scored: Int
    public var meanScore: Double?
    public var bestScore: Int?
    public var latestScore: Int?
    public var latestCompliance: String?
    public var criticalAttempts: Int
    /// "2 of 3 parts" per curriculum, joined; empty without curricula.
    public var mastery: String
  }

  /// One attempt.
  public struct AttemptLine: Sendable, Hashable {
    public var sessionID: String
    public var started: Date
    public var trainee: String
    public var scenarioID: String
    public var scenarioTitle: String
    /// `texas-911-dispatch/recognise`, or nil outside a curriculum.
    public var curriculumPart: String?
    public var mode: String
    /// `submitted`, `timed_out`, `abandoned`, `active` ...
    public var status: String
    public var compliance: String?
    public var score: Int?
    public var worstSeverity: String?
    public var worstMessage: String?
    public var isFocus: Bool
  }

  /// Progress through one curriculum: a row per trainee, a cell per part.
  public struct CourseTable: Sendable, Hashable {
    public struct Cell: Sendable, Hashable {
      /// `mastered`, `in_progress`, `available`, `locked`, `closed`.
      public var state: String
      public var attempts: Int
      /// 0 to 1.
      public var fraction: Double
    }

    public struct Row: Sendable, Hashable {
      public var trainee: String
      public var cells: [Cell]
    }

    /// A column: one part of the curriculum.
    public struct PartHeader: Sendable, Hashable {
      public var id: String
      public var title: String
      /// The mastery rule in words.
      public var rule: String
    }

    public var curriculumID: String
    public var title: String
    /// In the curriculum's order.
    public var parts: [PartHeader]
    public var rows: [Row]
  }

  /// Everything about one attempt: the engine's decision beside the trainee's.
  public struct SessionDetail: Sendable, Hashable {
    public struct ExpectedReferral: Sendable, Hashable {
      public var contact: String
      public var name: String
      public var role: String
      public var consent: String
      public var protocolID: String
      public var made: Bool
      /// False for a referral outside the trainee's duties (it shows under what happens next).
      public var answerable: Bool
    }

    public struct DeviationLine: Sendable, Hashable {
      public var severity: String
      public var category: String
      /// `mm:ss` on the simulated clock.
      public var at: String
      public var message: String
      public var because: String
      public var reasonAnchors: [String]
    }

    public var sessionID: String
    public var trainee: String
    public var cohort: String?
    public var scenarioID: String
    public var scenarioTitle: String
    public var scenarioVersion: Int
    public var curriculumPart: String?
    public var mode: String
    public var audience: String
    public var status: String
    public var started: Date
    public var ended: Date?
    public var rulesetVersion: String
    public var score: Int?
    public var compliance: String?
    public var accuracyRevealed: Double?
    public var accuracyTruth: Double?
    public var expectedEscalation: String?
    public var traineeEscalation: String?
    public var referrals: [ExpectedReferral]
    /// Contacts the trainee referred that the engine did not expect.
    public var extraReferrals: [String]
    public var protocolsNamed: [String]
    public var questionsAsked: Int
    public var deviations: [DeviationLine]
    public var whatHappensNext: [ScoreRecord.NextStep]
    public var credits: [String]
    public var journal: [ScoreRecord.Step]
    /// Whether the stored record could be read (older or damaged records cannot).
    public var hasRecord: Bool
  }

  /// Builds the report.
  ///
  /// - Parameters:
  ///   - subject: Whose report it is; for `.session`, `sessions` must contain that session.
  ///   - sessions: The store's sessions for the subject (`ResultsStore.sessions`), in any order.
  ///   - scenarioTitles: Titles by scenario id; a missing one shows as the id.
  ///   - curricula: The curricula the sessions may belong to, for progress tables.
  public init(
    subject: ReportSubject, sessions: [SessionSummary], scenarioTitles: [String: String] = [:],
    curricula: [Curriculum] = []
  ) {
    let builder = Builder(
      subject: subject, sessions: sessions, titles: scenarioTitles, curricula: curricula)
    self.subject = subject
    title = builder.title
    subtitle = builder.subtitle
    figures = builder.figures
    complianceByScenario = builder.complianceByScenario
    deviationRates = builder.deviationRates
    trend = builder.trend
    let (missed, wrong, reasons) = builder.findingsAndReasons
    missedQuestions = missed
    wrongEscalations = wrong
    self.reasons = reasons
    trainees = builder.trainees
    attempts = builder.attemptLines
    courses = builder.courses
    session = builder.sessionDetail(anchors: Builder.anchors(reasons))
    rulesets = builder.rulesets
  }

  /// How many findings of each kind a report lists.
  static let findingLimit = 10
}

/// The computation behind `TrainingReport.init`, one property per section.
private struct Builder {
  /// A session with its parsed record.
  struct Played {
    var summary: SessionSummary
    var record: ScoreRecord?
    var session: SessionRecord { summary.session }
    var score: StoredScore? { summary.score }
    /// Submitted with a score: what the figures count.
    var isScored: Bool { session.status == .submitted && summary.score != nil }
  }

  let subject: ReportSubject
  let played: [Played]
  let scored: [Played]
  let titles: [String: String]
  let curricula: [Curriculum]
  let scenarioOrder: [String]

  init(
    subject: ReportSubject, sessions: [SessionSummary], titles: [String: String],
    curricula: [Curriculum]
  ) {
    self.subject = subject
    self.titles = titles
    self.curricula = curricula.sorted { $0.id < $1.id }
    played = sessions.sorted {
      ($0.session.startedAt, $0.session.id) < ($1.session.startedAt, $1.session.id)
    }.map { Played(summary: $0, record: $0.score.flatMap { ScoreRecord(json: $0.record) }) }
    scored = played.filter(\.isScored)
    // Curriculum order first (how coordinators think of the course), then by id.
    var order: [String] = []
    for curriculum in self.curricula {
      for id in curriculum.scenarioIDs where !order.contains(id) { order.append(id) }
    }
    let seen = Set(played.map(\.session.scenarioID))
    order = order.filter(seen.contains) + seen.subtracting(order).sorted()
    scenarioOrder = order
  }

  func title(of scenario: String) -> String {
    titles[scenario].flatMap { $0.isEmpty ? nil : $0 } ?? scenario
  }

  var focus: Played? {
    guard case .session(let id) = subject else { return nil }
    return played.first { $0.session.id == id }
  }

  // MARK: - Headline

  var title: String {
    switch subject {
    case .trainee(let name): return "Trainee report: \(name)"
    case .cohort(let name?): return "Cohort report: \(name)"
    case .cohort(nil): return "Cohort report: all trainees"
    case .session(let id):
      return "Session report: \(focus.map { title(of: $0.session.scenarioID) } ?? id)"
    }
  }

  var subtitle: String {
    var parts: [String] = []
    switch subject {
    case .trainee:
      let cohorts = Set(played.compactMap(\.session.cohort)).sorted()
      if !cohorts.isEmpty { parts.append("Cohort \(cohorts.joined(separator: ", "))") }
    case .cohort:
      let count = Set(played.map(\.session.traineeName)).count
      parts.append("\(count) trainee\(count == 1 ? "" : "s")")
    case .session(let id):
      if let focus {
        parts.append(focus.session.traineeName)
        if let cohort = focus.session.cohort { parts.append("cohort \(cohort)") }
        parts.append("session \(id.prefix(8))")
        parts.append(ReportFormat.time(focus.session.startedAt))
        return parts.joined(separator: " · ")
      }
    }
    parts.append(ReportFormat.count(played.count, "attempt"))
    if let first = played.first?.session.startedAt, let last = played.last?.session.startedAt {
      let from = ReportFormat.day(first)
      let to = ReportFormat.day(last)
      parts.append(from == to ? "on \(from)" : "from \(from) to \(to)")
    }
    return parts.joined(separator: " · ")
  }

  var figures: TrainingReport.Figures {
    let scores = scored.compactMap(\.score)
    let compliant = scores.filter {
      Compliance(rawValue: $0.compliance)?.isAtLeast(.compliant) ?? false
    }
    return TrainingReport.Figures(
      attempts: played.count, scored: scored.count,
      abandoned: played.filter { $0.session.status == .abandoned }.count,
      active: played.filter { $0.session.status == .active }.count,
      trainees: Set(played.map(\.session.traineeName)).count,
      scenarios: Set(played.map(\.session.scenarioID)).count,
      meanScore: Self.mean(scores.map(\.score)),
      compliantShare: scores.isEmpty ? nil : Double(compliant.count) / Double(scores.count),
      criticalAttempts: scores.filter(Self.hasCritical).count,
      firstAttempt: played.first?.session.startedAt, lastAttempt: played.last?.session.startedAt)
  }

  static func mean(_ values: [Int]) -> Double? {
    values.isEmpty ? nil : Double(values.reduce(0, +)) / Double(values.count)
  }

  static func hasCritical(_ score: StoredScore) -> Bool {
    score.deviations.contains { $0.severity == DeviationSeverity.critical.rawValue }
  }

  // MARK: - Charts

  var complianceByScenario: [TrainingReport.ScenarioCompliance] {
    guard !scored.isEmpty else { return [] }
    return scenarioOrder.map { id in
      let mine = played.filter { $0.session.scenarioID == id }
      let scores = mine.filter(\.isScored).compactMap(\.score)
      let counts = Compliance.allCases.map { level in
        scores.filter { $0.compliance == level.rawValue }.count
      }
      return TrainingReport.ScenarioCompliance(
        scenarioID: id, title: title(of: id), counts: counts,
        notScored: mine.count - scores.count, meanScore: Self.mean(scores.map(\.score)))
    }
  }

  var deviationRates: [TrainingReport.CategoryRate] {
    guard !scored.isEmpty else { return [] }
    let known = DeviationCategory.allCases.map(\.rawValue)
    let seen = Set(scored.compactMap(\.score).flatMap(\.deviations).map(\.category))
    let categories = known + seen.subtracting(known).sorted()
    return categories.map { category in
      let counts = scored.compactMap(\.score).map { score in
        score.deviations.filter { $0.category == category }.count
      }
      return TrainingReport.CategoryRate(
        category: category, label: ReportFormat.category(category),
        attemptsWith: counts.filter { $0 > 0 }.count, deviations: counts.reduce(0, +),
        scored: scored.count)
    }
  }

  var trend: TrainingReport.Trend {
    switch subject {
    case .trainee, .session:
      let focusID = focus?.session.id
      let points = scored.enumerated().compactMap { index, attempt -> TrainingReport.Trend.Point? in
        guard let score = attempt.score else { return nil }
        let value = Double(score.score)
        return .init(
          number: index + 1, score: value, low: value, high: value, count: 1,
          compliance: score.compliance, scenario: title(of: attempt.session.scenarioID),
          started: attempt.session.startedAt, sessionID: attempt.session.id,
          isFocus: attempt.session.id == focusID)
      }
      return .init(kind: .attempts, points: points)
    case .cohort:
      var byTrainee: [String: [Int]] = [:]
      for attempt in scored {
        guard let score = attempt.score else { continue }
        byTrainee[attempt.session.traineeName, default: []].append(score.score)
      }
      let longest = byTrainee.values.map(\.count).max() ?? 0
      let points = (0..<longest).map { index -> TrainingReport.Trend.Point in
        let scores = byTrainee.keys.sorted().compactMap { name in
          byTrainee[name].flatMap { index < $0.count ? $0[index] : nil }
        }
        return .init(
          number: index + 1, score: Self.mean(scores) ?? 0,
          low: Double(scores.min() ?? 0), high: Double(scores.max() ?? 0), count: scores.count,
          compliance: nil, scenario: nil, started: nil, sessionID: nil, isFocus: false)
      }
      return .init(kind: .cohortMean, points: points)
    }
  }

  // MARK: - Findings and reasons

  /// Every protocol the covered attempts' decisions applied, by id, with the wording of the
  /// latest attempt that applied it (a later ruleset may have reworded it).
  var protocols: [(protocol: ScoreRecord.AppliedProtocol, scenarios: [String])] {
    var latest: [String: ScoreRecord.AppliedProtocol] = [:]
    var scenarios: [String: Set<String>] = [:]
    for attempt in played {
      guard let record = attempt.record else { continue }
      for item in record.protocols where !item.id.isEmpty {
        latest[item.id] = item
        scenarios[item.id, default: []].insert(title(of: attempt.session.scenarioID))
      }
      for item in record.protocolsOnRevealed where !item.id.isEmpty && latest[item.id] == nil {
        latest[item.id] = item
      }
    }
    return latest.keys.sorted().compactMap { id in
      latest[id].map { ($0, (scenarios[id] ?? []).sorted()) }
    }
  }

  var findingsAndReasons:
    ([TrainingReport.Finding], [TrainingReport.Finding], [TrainingReport.Reason])
  {
    let protocols = protocols
    let ids = protocols.map(\.protocol.id)
    var reasons = protocols.map {
      TrainingReport.Reason(
        anchor: Self.anchor($0.protocol.id), protocolID: $0.protocol.id,
        title: $0.protocol.title, because: $0.protocol.because, scenarios: $0.scenarios)
    }
    var missed: [TrainingReport.Finding] = []
    var wrong: [TrainingReport.Finding] = []
    if case .session = subject {
      // A session report lists every deviation with its reason instead.
    } else {
      missed = findings(category: .keyFact, protocolIDs: ids, key: Self.questionKey)
      wrong = findings(category: .escalation, protocolIDs: ids) { deviation, attempt in
        let expected = attempt.record?.expectedEscalation ?? "?"
        let given = attempt.record?.traineeEscalation
        let text =
          given.map {
            "\(ReportFormat.sentence(ReportFormat.level($0))) instead of \(ReportFormat.level(expected))"
          }
          ?? "No escalation set; \(ReportFormat.level(expected)) expected"
        let low =
          given.flatMap(Escalation.init(rawValue:)).map { level in
            Escalation(rawValue: expected).map { level < $0 } ?? true
          } ?? true
        return (
          "\(expected)|\(given ?? "")", text,
          low ? "Escalated too low" : "Escalated higher than the situation calls for"
        )
      }
    }
    // Reasons that cite no protocol (the consent rule, "check again") get an anchor of their own.
    let sessionBecauses = focus?.score?.deviations.map(\.because) ?? []
    let uncited = Set(
      (missed + wrong).filter(\.reasonAnchors.isEmpty).map(\.because)
        + sessionBecauses.filter { Self.cited($0, among: ids).isEmpty }
    ).sorted()
    for (index, because) in uncited.enumerated() {
      reasons.append(
        TrainingReport.Reason(
          anchor: "reason-rule-\(index + 1)", protocolID: nil, title: Self.ruleTitle(because),
          because: because, scenarios: []))
    }
    let ruleAnchor = Dictionary(
      uniqueKeysWithValues: uncited.enumerated().map {
        ($0.element, "reason-rule-\($0.offset + 1)")
      })
    func linked(_ finding: TrainingReport.Finding) -> TrainingReport.Finding {
      var finding = finding
      if finding.reasonAnchors.isEmpty, let anchor = ruleAnchor[finding.because] {
        finding.reasonAnchors = [anchor]
      }
      return finding
    }
    // A protocol only the trainee's partial facts applied is listed when something cites it.
    let citedAnchors = Set(
      (missed + wrong).flatMap(\.reasonAnchors)
        + sessionBecauses.flatMap { Self.cited($0, among: ids).map(Self.anchor) })
    reasons.removeAll {
      $0.protocolID != nil && $0.scenarios.isEmpty && !citedAnchors.contains($0.anchor)
    }
    return (missed.map(linked), wrong.map(linked), reasons)
  }

  /// A rule's name from its wording ("Consent rule" from "Consent rule: an adult..."), or a
  /// generic one.
  static func ruleTitle(_ because: String) -> String {
    if let colon = because.firstIndex(of: ":"),
      because.distance(from: because.startIndex, to: colon) <= 40
    {
      return String(because[..<colon])
    }
    return "A rule the scorer applies"
  }

  /// The key question of a key-fact deviation (its first quoted text), or its message with
  /// clock times taken out, so that the same miss groups across attempts.
  static func questionKey(_ deviation: StoredDeviation, _ attempt: Played) -> (
    key: String, text: String, detail: String
  ) {
    let message = deviation.message
    let question = quoted(message)
    let detail: String
    if message.hasPrefix("Key question missed:") {
      let tells = message.range(of: "(it tells you ").map { range -> String in
        var rest = message[range.upperBound...]
        if rest.hasSuffix(").") { rest = rest.dropLast(2) }
        return String(rest)
      }
      let confirm = message.hasPrefix("Key question missed: confirm")
      detail =
        (confirm ? "Asked, but not confirmed" : "Not asked")
        + (tells.map { "; it tells you \($0)" } ?? "")
    } else if message.contains(" changed to ") {
      detail = "A fact changed during the call and was not checked again"
    } else {
      detail = "The caller was wrong and it was not confirmed"
    }
    let text = question ?? withoutClockTimes(message)
    return (text, text, detail)
  }

  /// Groups one category's deviations by `key` and scenario, counting distinct attempts.
  func findings(
    category: DeviationCategory, protocolIDs: [String],
    key: (StoredDeviation, Played) -> (key: String, text: String, detail: String)
  ) -> [TrainingReport.Finding] {
    struct Group {
      var scenario: String
      var text: String
      var detail: String
      var sessions: Set<String> = []
      var severity = -1
      var becauses: [String: Int] = [:]
    }
    var groups: [String: Group] = [:]
    for attempt in scored {
      for deviation in attempt.score?.deviations ?? [] where deviation.category == category.rawValue
      {
        let (key, text, detail) = key(deviation, attempt)
        let id = attempt.session.scenarioID + "\u{1F}" + key
        var group =
          groups[id] ?? Group(scenario: attempt.session.scenarioID, text: text, detail: detail)
        group.sessions.insert(attempt.session.id)
        group.severity = max(group.severity, ReportFormat.severityRank(deviation.severity))
        group.becauses[deviation.because, default: 0] += 1
        groups[id] = group
      }
    }
    let attemptsAt = Dictionary(grouping: scored, by: \.session.scenarioID).mapValues(\.count)
    let findings = groups.values.map { group -> TrainingReport.Finding in
      let because =
        group.becauses.sorted { ($1.value, $0.key) < ($0.value, $1.key) }.first?.key ?? ""
      return TrainingReport.Finding(
        scenarioID: group.scenario, scenarioTitle: title(of: group.scenario), text: group.text,
        detail: group.detail, count: group.sessions.count, outOf: attemptsAt[group.scenario] ?? 0,
        severity: ReportFormat.severity(rank: group.severity), because: because,
        reasonAnchors: Self.cited(because, among: protocolIDs).map(Self.anchor))
    }
    let position = Dictionary(uniqueKeysWithValues: scenarioOrder.enumerated().map { ($1, $0) })
    return findings.sorted {
      (-$0.count, -$0.rate, position[$0.scenarioID] ?? 0, $0.text)
        < (-$1.count, -$1.rate, position[$1.scenarioID] ?? 0, $1.text)
    }.prefix(TrainingReport.findingLimit).map { $0 }
  }

  /// The protocols a reason rests on, in the order it names them: those whose reason it
  /// quotes (`TX-MINOR-01: In Texas...`, `TX-MINOR-01 (no consent needed...): ...`), else every
  /// protocol it names. An id counts only as a whole word, so `US-MINOR-01` is not found inside
  /// `US-MINOR-010`.
  static func cited(_ text: String, among ids: [String]) -> [String] {
    var found: [(at: String.Index, id: String, quoted: Bool)] = []
    for id in ids {
      var searchFrom = text.startIndex
      var quoted = false
      var first: String.Index?
      while let range = text.range(of: id, range: searchFrom..<text.endIndex) {
        let before =
          range.lowerBound == text.startIndex ? nil : text[text.index(before: range.lowerBound)]
        let after = range.upperBound == text.endIndex ? nil : text[range.upperBound]
        if !isIDCharacter(before), !isIDCharacter(after) {
          first = first ?? range.lowerBound
          if text[range.upperBound...].hasPrefix(":") || text[range.upperBound...].hasPrefix(" (") {
            quoted = true
          }
        }
        searchFrom = range.upperBound
      }
      if let first { found.append((first, id, quoted)) }
    }
    let quoted = found.filter(\.quoted)
    return (quoted.isEmpty ? found : quoted).sorted { ($0.at, $0.id) < ($1.at, $1.id) }.map(\.id)
  }

  private static func isIDCharacter(_ character: Character?) -> Bool {
    guard let character else { return false }
    return character.isLetter || character.isNumber || character == "-" || character == "_"
  }

  /// `reason-TX-MINOR-01`: an id attribute value from a protocol id, with anything outside
  /// letters, digits, `-` and `_` replaced so the anchor is always a valid fragment.
  static func anchor(_ protocolID: String) -> String {
    "reason-"
      + String(protocolID.map { $0.isASCII && (isIDCharacter($0)) ? $0 : "_" })
  }

  static func anchors(_ reasons: [TrainingReport.Reason]) -> [String: String] {
    var anchors: [String: String] = [:]
    for reason in reasons {
      if let id = reason.protocolID {
        anchors[id] = reason.anchor
      } else {
        anchors["\u{1F}" + reason.because] = reason.anchor
      }
    }
    return anchors
  }

  /// The first text between double quotes, if any.
  static func quoted(_ text: String) -> String? {
    guard let open = text.firstIndex(of: "\"") else { return nil }
    let rest = text[text.index(after: open)...]
    guard let close = rest.firstIndex(of: "\""), close > rest.startIndex else { return nil }
    return String(rest[..<close])
  }

  /// The text with `mm:ss` times replaced by `..:..`, so that misses at different moments of
  /// different attempts read as one.
  static func withoutClockTimes(_ text: String) -> String {
    var result = ""
    let characters = Array(text)
    var index = 0
    while index < characters.count {
      if index + 4 < characters.count, characters[index].isNumber, characters[index + 1].isNumber,
        characters[index + 2] == ":", characters[index + 3].isNumber, characters[index + 4].isNumber
      {
        result += "..:.."
        index += 5
        continue
      }
      result.append(characters[index])
      index += 1
    }
    return result
  }

  // MARK: - Tables

  var trainees: [TrainingReport.TraineeLine] {
    guard case .cohort = subject else { return [] }
    let names = Set(played.map(\.session.traineeName)).sorted()
    let tables = courses
    return names.map { name in
      let mine = played.filter { $0.session.traineeName == name }
      let scores = mine.filter(\.isScored).compactMap(\.score)
      let mastery = tables.compactMap { table -> String? in
        guard let row = table.rows.first(where: { $0.trainee == name }) else { return nil }
        let mastered = row.cells.filter { $0.state == PartProgress.State.mastered.rawValue }.count
        return "\(mastered) of \(row.cells.count) parts"
          + (tables.count > 1 ? " (\(table.curriculumID))" : "")
      }
      return TrainingReport.TraineeLine(
        name: name, cohort: mine.last?.session.cohort, attempts: mine.count, scored: scores.count,
        meanScore: Self.mean(scores.map(\.score)), bestScore: scores.map(\.score).max(),
        latestScore: scores.last?.score, latestCompliance: scores.last?.compliance,
        criticalAttempts: scores.filter(Self.hasCritical).count,
        mastery: mastery.joined(separator: "; "))
    }
  }

  var attemptLines: [TrainingReport.AttemptLine] {
    if case .cohort = subject { return [] }
    let focusID = focus?.session.id
    return played.map { attempt in
      let session = attempt.session
      let status: String
      switch session.status {
      case .submitted: status = session.endReason ?? "submitted"
      case .abandoned, .active: status = session.status.rawValue
      }
      let worst = attempt.isScored ? attempt.score?.worst : nil
      return TrainingReport.AttemptLine(
        sessionID: session.id, started: session.startedAt, trainee: session.traineeName,
        scenarioID: session.scenarioID, scenarioTitle: title(of: session.scenarioID),
        curriculumPart: session.curriculumID.map { "\($0)/\(session.partID ?? "")" },
        mode: session.mode, status: status,
        compliance: attempt.isScored ? attempt.score?.compliance : nil,
        score: attempt.isScored ? attempt.score?.score : nil, worstSeverity: worst?.severity,
        worstMessage: worst?.message, isFocus: session.id == focusID)
    }
  }

  var courses: [TrainingReport.CourseTable] {
    if case .session = subject { return [] }
    return curricula.compactMap { curriculum in
      let mine = played.filter {
        $0.session.curriculumID == curriculum.id && $0.session.status != .active
      }
      guard !mine.isEmpty else { return nil }
      let names = Set(mine.map(\.session.traineeName)).sorted()
      let rows = names.map { name in
        let attempts = mine.filter { $0.session.traineeName == name }.map { attempt in
          let outcome: CurriculumKit.Attempt.Outcome
          if attempt.isScored, let score = attempt.score,
            let compliance = Compliance(rawValue: score.compliance)
          {
            outcome = .scored(
              compliance: compliance, score: score.score, critical: Self.hasCritical(score))
          } else {
            outcome = .abandoned
          }
          return CurriculumKit.Attempt(
            session: attempt.session.id, part: attempt.session.partID ?? "",
            scenario: attempt.session.scenarioID, outcome: outcome)
        }
        let progress = CourseProgress(curriculum: curriculum, attempts: attempts)
        return TrainingReport.CourseTable.Row(
          trainee: name,
          cells: progress.parts.map {
            .init(state: $0.state.rawValue, attempts: $0.attempts, fraction: $0.fraction)
          })
      }
      return TrainingReport.CourseTable(
        curriculumID: curriculum.id, title: curriculum.title,
        parts: curriculum.parts.map {
          .init(id: $0.id, title: $0.title, rule: $0.mastery.summary)
        }, rows: rows)
    }
  }

  var rulesets: [String] {
    Set(played.map(\.session.rulesetVersion)).sorted()
  }

  func sessionDetail(anchors: [String: String]) -> TrainingReport.SessionDetail? {
    guard let focus else { return nil }
    let session = focus.session
    let record = focus.record
    let score = focus.score
    let made = Set(record?.traineeReferrals ?? [])
    let expected = Set(record?.referrals.map(\.contact) ?? [])
    let outside = Set(record?.whatHappensNext.map(\.contact) ?? [])
    let ids = anchors.keys.filter { !$0.hasPrefix("\u{1F}") }.sorted()
    return TrainingReport.SessionDetail(
      sessionID: session.id, trainee: session.traineeName, cohort: session.cohort,
      scenarioID: session.scenarioID, scenarioTitle: title(of: session.scenarioID),
      scenarioVersion: session.scenarioVersion,
      curriculumPart: session.curriculumID.map { "\($0)/\(session.partID ?? "")" },
      mode: session.mode, audience: session.audience,
      status: session.status == .submitted
        ? (session.endReason ?? "submitted") : session.status.rawValue,
      started: session.startedAt, ended: session.endedAt, rulesetVersion: session.rulesetVersion,
      score: score?.score, compliance: score?.compliance,
      accuracyRevealed: score?.accuracyRevealed, accuracyTruth: score?.accuracyTruth,
      expectedEscalation: record?.expectedEscalation,
      traineeEscalation: record?.traineeEscalation,
      referrals: (record?.referrals ?? []).map {
        .init(
          contact: $0.contact, name: $0.name, role: $0.role, consent: $0.consent,
          protocolID: $0.protocolID, made: made.contains($0.contact),
          answerable: !outside.contains($0.contact))
      },
      extraReferrals: (record?.traineeReferrals ?? []).filter { !expected.contains($0) },
      protocolsNamed: record?.traineeProtocols ?? [], questionsAsked: record?.asked.count ?? 0,
      deviations: (score?.deviations ?? []).map { deviation in
        let cited = Self.cited(deviation.because, among: ids).compactMap { anchors[$0] }
        return .init(
          severity: deviation.severity, category: deviation.category,
          at: ReportFormat.clock(deviation.at), message: deviation.message,
          because: deviation.because,
          reasonAnchors: cited.isEmpty
            ? [anchors["\u{1F}" + deviation.because]].compactMap { $0 } : cited)
      },
      whatHappensNext: record?.whatHappensNext ?? [], credits: record?.credits ?? [],
      journal: record?.journal ?? [], hasRecord: record != nil)
  }
}
