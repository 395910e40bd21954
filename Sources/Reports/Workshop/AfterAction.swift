import CurriculumKit
import Foundation
import ProtocolEngine
import ResultsStore
import ScenarioKit
import Scoring

/// What a facilitated tabletop produced: the scenarios the team played (each scored against
/// the engine), the timeline of injects and decisions, and the evaluators' ratings of the
/// objectives. ``markdown`` and ``html`` write it as an After-Action Report / Improvement Plan
/// in the shape exercise programmes use (HSEEP): overview, timeline, analysis of objectives,
/// strengths, areas for improvement, and an improvement plan for the team to complete.
public struct AfterAction: Sendable {
  /// One line of the exercise's timeline.
  public struct Entry: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable {
      /// Something the facilitator put to the team (an event, the caller's words after it).
      case inject
      /// A team decision (a question, an escalation, a referral, a note, an answer).
      case decision
    }

    /// Simulated seconds into the scenario.
    public var at: Int
    public var kind: Kind
    public var text: String

    public init(at: Int, kind: Kind, text: String) {
      self.at = at
      self.kind = kind
      self.text = text
    }
  }

  /// One scenario the team worked through.
  public struct Played: Sendable {
    public var score: Score
    /// The results-store session it is recorded as, if it was recorded.
    public var session: String?
    public var timeline: [Entry]
    public var ratings: [Rating]

    public init(score: Score, session: String?, timeline: [Entry], ratings: [Rating]) {
      self.score = score
      self.session = session
      self.timeline = timeline
      self.ratings = ratings
    }
  }

  public var exercise: String
  public var team: String
  public var evaluators: [String]
  public var audience: Audience
  /// The day the exercise began (YYYY-MM-DD).
  public var date: String
  public var objectives: [Objective]
  public var played: [Played]

  public init(
    exercise: String, team: String, evaluators: [String], audience: Audience, date: String,
    objectives: [Objective], played: [Played]
  ) {
    self.exercise = exercise
    self.team = team
    self.evaluators = evaluators
    self.audience = audience
    self.date = date
    self.objectives = objectives
    self.played = played
  }

  /// The objectives of a tabletop on a scenario alone (no curriculum part): the three things
  /// every trafficking report turns on.
  public static let defaultObjectives = [
    Objective(
      capability: "Operational Communications",
      tasks: [
        "Gather the facts that decide the response (age, danger, location, what is happening, the victim's wishes) without blaming or endangering the victim."
      ]),
    Objective(
      capability: "Operational Coordination",
      tasks: ["Escalate to the level the protocols require, in time."]),
    Objective(
      capability: "Intelligence and Information Sharing",
      tasks: [
        "Share the report with the agencies and services the protocols name, with the consent the law requires."
      ]),
  ]

  // MARK: - The report's content

  /// A row of "what the protocols expected beside what the team did".
  public struct Comparison: Sendable, Hashable {
    public var item: String
    public var expected: String
    public var team: String
    public var met: Bool
    public var because: String
  }

  /// One objective with its ratings.
  public struct RatedObjective: Sendable, Hashable {
    public var number: Int
    public var capability: String
    public var tasks: [String]
    /// `P (performed without challenges), Evaluator A: comment`, one per rating.
    public var ratings: [String]
    /// The worst rating given, if any.
    public var worst: Rating.Level?
  }

  /// A row of the improvement plan.
  public struct Improvement: Sendable, Hashable {
    public var issue: String
    public var action: String
    public var capability: String
  }

  /// Escalation and each role the engine expected, beside what the team did, with the reason.
  public static func comparisons(_ score: Score) -> [Comparison] {
    let expected = score.expected
    let state = score.state
    let reason = expected.protocols.first.map { Scorer.firstSentence($0.because) } ?? ""
    var rows = [
      Comparison(
        item: "Escalation", expected: expected.escalation.rawValue,
        team: state.escalation?.rawValue ?? "none set",
        met: state.escalation == expected.escalation, because: reason)
    ]
    let teamRoles = Set(state.referrals.compactMap { score.referralRoles[$0.value] })
    for role in expected.roles {
      let contacts = expected.referrals.filter { $0.role == role }
      let made = state.referrals.map(\.value).filter { score.referralRoles[$0] == role }
      rows.append(
        Comparison(
          item: "Referral: \(role.rawValue)",
          expected: contacts.map { "\($0.name) (\($0.contact))" }.joined(separator: "; "),
          team: made.isEmpty ? "not made" : made.joined(separator: ", "),
          met: teamRoles.contains(role),
          because: contacts.first.map { Scorer.firstSentence($0.because) } ?? ""))
    }
    let extra = state.referrals.map(\.value).filter { contact in
      guard let role = score.referralRoles[contact] else { return true }
      return !expected.roles.contains(role)
    }
    for contact in extra {
      rows.append(
        Comparison(
          item: "Referral: \(score.referralRoles[contact]?.rawValue ?? "unknown")",
          expected: "none", team: contact, met: false,
          because: "No protocol that applies calls for it."))
    }
    return rows
  }

  /// The objectives with every rating given in the exercise.
  public var ratedObjectives: [RatedObjective] {
    let ratings = played.flatMap(\.ratings)
    return objectives.enumerated().map { index, objective in
      let mine = ratings.filter { $0.objective == index + 1 }
      return RatedObjective(
        number: index + 1, capability: objective.capability, tasks: objective.tasks,
        ratings: mine.map {
          "\($0.level.rawValue) (\($0.level.meaning)), \($0.evaluator)"
            + ($0.comment.isEmpty ? "" : ": \($0.comment)")
        },
        worst: mine.map(\.level).max { AfterAction.rank($0) < AfterAction.rank($1) })
    }
  }

  static func rank(_ level: Rating.Level) -> Int {
    Rating.Level.allCases.firstIndex(of: level) ?? 0
  }

  /// What went well: objectives rated P or S, and each expected decision the team made.
  public var strengths: [String] {
    var found: [String] = []
    for objective in ratedObjectives
    where objective.worst.map({ AfterAction.rank($0) <= 1 }) == true {
      found.append(
        "Objective \(objective.number) (\(objective.capability)): \(objective.ratings.joined(separator: "; "))"
      )
    }
    for play in played {
      for row in Self.comparisons(play.score) where row.met {
        found.append(
          "\(play.score.scenario.id): \(row.item) as the protocols require (\(row.team)).")
      }
    }
    return found
  }

  /// What to improve: objectives rated M or U, and every deviation of moderate or worse.
  public var areasForImprovement: [Improvement] {
    var found: [Improvement] = []
    for objective in ratedObjectives
    where objective.worst.map({ AfterAction.rank($0) >= 2 }) == true {
      found.append(
        Improvement(
          issue:
            "Objective \(objective.number) rated \(objective.worst?.rawValue ?? ""): \(objective.ratings.joined(separator: "; "))",
          action: "Re-train the critical tasks: \(objective.tasks.joined(separator: " "))",
          capability: objective.capability))
    }
    for play in played {
      for deviation in play.score.deviations where deviation.severity >= .moderate {
        found.append(
          Improvement(
            issue: "\(play.score.scenario.id), \(deviation.severity.label): \(deviation.message)",
            action:
              "Review why: \(Scorer.firstSentence(deviation.because)) Practise it again with `hotline-sim train` or a tabletop of \(play.score.scenario.id).",
            capability: capability(for: deviation.category)))
      }
    }
    return found
  }

  /// The objective's capability a deviation bears on, by its category.
  func capability(for category: DeviationCategory) -> String {
    let wanted: [String]
    switch category {
    case .keyFact, .conduct, .choice:
      wanted = ["Operational Communications", "Situational Assessment"]
    case .escalation, .timeliness:
      wanted = ["Operational Coordination", "On-scene Security, Protection, and Law Enforcement"]
    case .referral, .protocol:
      wanted = ["Intelligence and Information Sharing", "Operational Coordination"]
    }
    return objectives.map(\.capability).first { wanted.contains($0) } ?? wanted[0]
  }
}
