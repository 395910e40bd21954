import ProtocolEngine
import ScenarioKit
import Yams

/// How much a trainee answers for one role or one kind of deviation.
public enum Duty: String, Sendable, Hashable, CaseIterable {
  /// Scored: missing it is a deviation.
  case answerable
  /// Doing it earns credit; not doing it costs nothing.
  case creditOnly = "credit_only"
  /// Not the trainee's to do: shown as "what happens next".
  case notScored = "not_scored"
}

/// When a referral the trainee answers for is due, for the deviation's time.
public enum Deadline: Sendable, Hashable {
  /// By the end of the attempt (the default).
  case end
  /// Within the scenario's `emergency_within` of the danger becoming known.
  case emergencyWithin
  /// Within this many seconds of the start.
  case seconds(Int)
}

/// What one audience is answerable for: the engine's decision is the whole hotline's, and a
/// rubric says which parts of it are this trainee's (DESIGN.md, "Audiences and duties").
/// Rubrics are data (`Scenarios/rubrics.yaml`), like protocols.
public struct Rubric: Sendable, Hashable {
  public var audience: Audience
  public var title: String
  /// Duty per role; a role not listed takes `defaultRole`.
  public var roles: [Role: Duty]
  public var defaultRole: Duty
  /// Duty per deviation category; a category not listed is answerable.
  public var categories: [DeviationCategory: Duty]
  /// Roles that an escalation carries out by itself: for a 911 telecommunicator,
  /// `escalate emergency` *is* the dispatch of emergency services.
  public var carriedOutBy: [Role: Escalation]
  /// When answerable referrals are due.
  public var deadlines: [Role: Deadline]

  public func duty(_ role: Role) -> Duty { roles[role] ?? defaultRole }
  public func duty(_ category: DeviationCategory) -> Duty { categories[category] ?? .answerable }

  public func deadline(_ role: Role) -> Deadline { deadlines[role] ?? .end }

  /// The whole decision is the trainee's (what a rubric file that does not name an audience
  /// falls back to): every role and category answerable, protocols named for credit.
  public static func wholeDecision(_ audience: Audience) -> Rubric {
    Rubric(
      audience: audience, title: "the whole decision", roles: [:], defaultRole: .answerable,
      categories: [.protocol: .creditOnly], carriedOutBy: [:], deadlines: [:])
  }
}

/// The rubrics of every audience, read from `rubrics.yaml`.
public struct RubricBook: Sendable, Hashable {
  public var rubrics: [Audience: Rubric]

  public init(rubrics: [Audience: Rubric]) { self.rubrics = rubrics }

  /// The rubric for an audience; the whole decision when the book has none for it.
  public func rubric(for audience: Audience) -> Rubric {
    rubrics[audience] ?? .wholeDecision(audience)
  }

  /// Parses `rubrics.yaml`.
  ///
  /// - Throws: `FieldIssue` naming the line, column and field of the first problem.
  public static func parse(_ text: String) throws(FieldIssue) -> RubricBook {
    guard let node = try composeYAML(text) else {
      throw FieldIssue(
        .missingKey, at: SourcePosition(line: 1, column: 1), field: "", "the rubric file is empty")
    }
    let map = try YAMLMapping(node, field: "")
    try map.rejectUnknownKeys(allowed: Audience.allCases.map(\.rawValue))
    var rubrics: [Audience: Rubric] = [:]
    for (key, _, value) in map.entries {
      guard let audience = Audience(rawValue: key) else { continue }
      rubrics[audience] = try parseRubric(value, audience: audience, field: key)
    }
    return RubricBook(rubrics: rubrics)
  }

  private static func parseRubric(_ node: Node, audience: Audience, field: String)
    throws(FieldIssue) -> Rubric
  {
    let map = try YAMLMapping(node, field: field)
    try map.rejectUnknownKeys(allowed: [
      "title", "roles", "default_role", "categories", "carried_out_by", "deadlines",
    ])
    var rubric = Rubric.wholeDecision(audience)
    rubric.title = try YAMLValue.string(try map.required("title"), field: "\(field).title")
    if let value = map.optional("default_role") {
      rubric.defaultRole = try YAMLValue.choice(
        value, field: "\(field).default_role", as: Duty.self)
    }
    if let value = map.optional("roles") {
      for (role, duty, path) in try keyed(value, field: "\(field).roles", as: Role.self) {
        rubric.roles[role] = try YAMLValue.choice(duty, field: path, as: Duty.self)
      }
    }
    if let value = map.optional("categories") {
      let entries = try keyed(
        value, field: "\(field).categories", as: DeviationCategory.self,
        kind: "deviation category")
      for (category, duty, path) in entries {
        rubric.categories[category] = try YAMLValue.choice(duty, field: path, as: Duty.self)
      }
    }
    if let value = map.optional("carried_out_by") {
      for (role, level, path) in try keyed(value, field: "\(field).carried_out_by", as: Role.self) {
        rubric.carriedOutBy[role] = try YAMLValue.choice(level, field: path, as: Escalation.self)
      }
    }
    if let value = map.optional("deadlines") {
      for (role, due, path) in try keyed(value, field: "\(field).deadlines", as: Role.self) {
        let text = try YAMLValue.string(due, field: path)
        switch text {
        case "end": rubric.deadlines[role] = .end
        case "emergency_within": rubric.deadlines[role] = .emergencyWithin
        default:
          guard let seconds = clockSeconds(text) else {
            throw FieldIssue(
              .invalidValue, at: due.position, field: path,
              "'\(text)' is not a deadline (end, emergency_within, or mm:ss from the start)")
          }
          rubric.deadlines[role] = .seconds(seconds)
        }
      }
    }
    return rubric
  }

  /// A mapping's entries whose keys must be one of `Key`'s values (a role, a category), each
  /// with its value node and field path; an unknown key is an error at the key.
  private static func keyed<Key: RawRepresentable & CaseIterable>(
    _ node: Node, field: String, as type: Key.Type, kind: String = "role"
  ) throws(FieldIssue) -> [(Key, Node, String)] where Key.RawValue == String {
    var entries: [(Key, Node, String)] = []
    for (key, keyNode, value) in try YAMLMapping(node, field: field).entries {
      let path = "\(field).\(key)"
      guard let parsed = Key(rawValue: key) else {
        let names = Key.allCases.map(\.rawValue)
        throw FieldIssue(
          .invalidValue, at: keyNode.position, field: path,
          "'\(key)' is not a \(kind)\(suggestion(key, names))")
      }
      entries.append((parsed, value, path))
    }
    return entries
  }

  /// `mm:ss` as seconds.
  static func clockSeconds(_ text: String) -> Int? {
    let parts = text.split(separator: ":")
    guard parts.count == 2, let minutes = Int(parts[0]), let seconds = Int(parts[1]),
      (0..<600).contains(minutes), (0..<60).contains(seconds)
    else { return nil }
    return minutes * 60 + seconds
  }
}
