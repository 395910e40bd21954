import ProtocolEngine
import ScenarioKit

/// A course: ordered parts, each with objectives, scenarios, a mode and mastery rules, and
/// prerequisites between parts (`Curricula/*.yaml`, documented in `Curricula/README.md`).
public struct Curriculum: Sendable, Hashable {
  public var id: String
  public var title: String
  public var version: Int
  /// Whose rubric scores every attempt in the course.
  public var audience: Audience
  public var description: String
  public var parts: [Part]
  /// The file it was read from, for diagnostics.
  public var path: String
  public var position = SourcePosition(line: 1, column: 1)

  public init(
    id: String, title: String, version: Int, audience: Audience, description: String,
    parts: [Part], path: String
  ) {
    self.id = id
    self.title = title
    self.version = version
    self.audience = audience
    self.description = description
    self.parts = parts
    self.path = path
  }

  public func part(_ id: String) -> Part? { parts.first { $0.id == id } }

  /// Every scenario id the course plays, in order of first appearance.
  public var scenarioIDs: [String] {
    var seen: Set<String> = []
    return parts.flatMap(\.scenarios).map(\.id).filter { seen.insert($0).inserted }
  }
}

/// One part of a course (a module of a 911 series, a block of a workshop).
public struct Part: Sendable, Hashable {
  public var id: String
  public var title: String
  public var description: String?
  /// Parts that must be mastered before this one unlocks, with where each is named.
  public var requires: [Located<String>]
  public var mode: PlayMode
  public var objectives: [Objective]
  /// The scenarios in the order they are played.
  public var scenarios: [Located<String>]
  public var mastery: MasteryRule
  public var position: SourcePosition

  public init(
    id: String, title: String, description: String? = nil, requires: [Located<String>] = [],
    mode: PlayMode, objectives: [Objective], scenarios: [Located<String>],
    mastery: MasteryRule = MasteryRule(),
    position: SourcePosition = SourcePosition(line: 1, column: 1)
  ) {
    self.id = id
    self.title = title
    self.description = description
    self.requires = requires
    self.mode = mode
    self.objectives = objectives
    self.scenarios = scenarios
    self.mastery = mastery
    self.position = position
  }
}

/// An objective in the style of an exercise evaluation guide: a core capability and the
/// critical tasks an evaluator looks for.
public struct Objective: Sendable, Hashable {
  public var capability: String
  public var tasks: [String]

  public init(capability: String, tasks: [String]) {
    self.capability = capability
    self.tasks = tasks
  }
}

/// When a part is mastered. An attempt *counts* when it was scored (submitted or timed out)
/// and meets `level`, `minScore` and `noCritical`; the part is mastered by `consecutive`
/// counting attempts in a row (and, with `everyScenario`, one counting attempt on each of the
/// part's scenarios), within the first `attempts` attempts when that is set.
public struct MasteryRule: Sendable, Hashable {
  public var level: Compliance = .compliant
  public var minScore = 0
  public var consecutive = 1
  public var noCritical = true
  public var everyScenario = false
  /// Attempts allowed before the part closes; nil for unlimited.
  public var attempts: Int?
  /// Where the rule is written (the part's `mastery` key, or the part when it has none).
  public var position = SourcePosition(line: 1, column: 1)

  public init(
    level: Compliance = .compliant, minScore: Int = 0, consecutive: Int = 1,
    noCritical: Bool = true, everyScenario: Bool = false, attempts: Int? = nil
  ) {
    self.level = level
    self.minScore = minScore
    self.consecutive = consecutive
    self.noCritical = noCritical
    self.everyScenario = everyScenario
    self.attempts = attempts
  }

  /// The rule in words, for progress screens and the README's examples.
  public var summary: String {
    var parts = ["\(level.rawValue) or better"]
    if minScore > 0 { parts.append("score \(minScore)+") }
    if noCritical, level.rank > Compliance.partial.rank { parts.append("no critical deviation") }
    var text =
      (consecutive == 1 ? "one attempt" : "\(consecutive) attempts in a row") + " at "
      + parts.joined(separator: ", ")
    if everyScenario { text += ", each scenario at least once" }
    if let attempts { text += " (\(attempts) attempts allowed)" }
    return text
  }
}

/// A value and where it is written.
public struct Located<Value: Sendable & Hashable>: Sendable, Hashable {
  public var value: Value
  public var position: SourcePosition

  public init(_ value: Value, at position: SourcePosition) {
    self.value = value
    self.position = position
  }
}

extension Located where Value == String {
  public var id: String { value }
}

extension Compliance {
  /// 0 for `high_compliance` (best) to 4 for `non_compliant` (worst).
  public var rank: Int { Compliance.allCases.firstIndex(of: self) ?? 0 }

  /// Whether this level is `other` or better.
  public func isAtLeast(_ other: Compliance) -> Bool { rank <= other.rank }
}
