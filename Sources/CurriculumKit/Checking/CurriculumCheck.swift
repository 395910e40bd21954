import ProtocolEngine
import ScenarioKit

/// Checks curricula against each other and against the scenario library: scenario ids and
/// audiences, prerequisites (unknown, later, cyclic or never masterable) and mastery rules no
/// trainee can meet. Each finding is located at the key it is about.
public enum CurriculumCheck {
  /// What a curriculum needs to know of a scenario.
  public struct ScenarioInfo: Sendable, Hashable {
    public var id: String
    public var audience: [Audience]

    public init(id: String, audience: [Audience]) {
      self.id = id
      self.audience = audience
    }
  }

  public static func check(_ curricula: [Curriculum], scenarios: [ScenarioInfo])
    -> [ScenarioDiagnostic]
  {
    var diagnostics: [ScenarioDiagnostic] = []
    var first: [String: String] = [:]
    for curriculum in curricula.sorted(by: { $0.path < $1.path }) {
      if let earlier = first[curriculum.id] {
        diagnostics.append(
          ScenarioDiagnostic(
            .error, .duplicateID, at: SourceLocation(file: curriculum.path, line: 1, column: 1),
            "curriculum id '\(curriculum.id)' is already used by \(earlier)"))
      } else {
        first[curriculum.id] = curriculum.path
      }
      diagnostics += check(curriculum, scenarios: scenarios)
    }
    return diagnostics.sorted()
  }

  static func check(_ curriculum: Curriculum, scenarios: [ScenarioInfo]) -> [ScenarioDiagnostic] {
    var diagnostics: [ScenarioDiagnostic] = []
    func add(_ severity: Severity, _ code: ScenarioCode, _ at: SourcePosition, _ text: String) {
      diagnostics.append(
        ScenarioDiagnostic(
          severity, code, at: SourceLocation(file: curriculum.path, position: at), text))
    }
    let byID = Dictionary(scenarios.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
    let ids = scenarios.map(\.id).sorted()
    let index = Dictionary(
      curriculum.parts.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { first, _ in first })
    for (number, part) in curriculum.parts.enumerated() {
      var listed: Set<String> = []
      for scenario in part.scenarios {
        if !listed.insert(scenario.id).inserted {
          add(
            .warning, .repeatedScenario, scenario.position,
            "part '\(part.id)' lists scenario '\(scenario.id)' twice")
        }
        guard let info = byID[scenario.id] else {
          add(
            .error, .unknownScenario, scenario.position,
            "no scenario '\(scenario.id)'\(suggestion(scenario.id, ids)); `hotline-sim list` shows them"
          )
          continue
        }
        if !info.audience.contains(curriculum.audience) {
          add(
            .warning, .audienceMismatch, scenario.position,
            "scenario '\(scenario.id)' is written for \(info.audience.map(\.rawValue).joined(separator: ", ")), not \(curriculum.audience.rawValue): it will be scored with a rubric it was not written for"
          )
        }
      }
      for required in part.requires {
        guard let other = index[required.id] else {
          add(
            .error, .unknownPart, required.position,
            "part '\(part.id)' requires '\(required.id)', which this curriculum does not have\(suggestion(required.id, curriculum.parts.map(\.id)))"
          )
          continue
        }
        if other > number {
          add(
            .warning, .requiresLaterPart, required.position,
            "part '\(part.id)' requires '\(required.id)', which comes after it; parts are taken in order"
          )
        }
      }
      if let problem = impossibility(part) {
        add(.error, .impossibleMastery, part.mastery.position, "part '\(part.id)': \(problem)")
      }
    }
    for (part, reason) in unreachable(curriculum) {
      add(
        .error, .unreachablePart, part.position, "part '\(part.id)' can never be reached: \(reason)"
      )
    }
    return diagnostics
  }

  /// Why no trainee can meet a part's mastery rule, if none can.
  static func impossibility(_ part: Part) -> String? {
    let rule = part.mastery
    guard let attempts = rule.attempts else { return nil }
    if rule.consecutive > attempts {
      return
        "mastery needs \(rule.consecutive) counting attempts in a row but allows only \(attempts) attempt\(attempts == 1 ? "" : "s")"
    }
    let distinct = Set(part.scenarios.map(\.id)).count
    if rule.everyScenario, distinct > attempts {
      return
        "mastery needs a counting attempt on each of its \(distinct) scenarios but allows only \(attempts) attempt\(attempts == 1 ? "" : "s")"
    }
    return nil
  }

  /// The parts no trainee can unlock, with the reason: a part requires itself, its
  /// prerequisites form a cycle, or it requires a part that can never be mastered. Unknown
  /// prerequisites are HS0102's and are not counted here.
  static func unreachable(_ curriculum: Curriculum) -> [(Part, String)] {
    let known = Set(curriculum.parts.map(\.id))
    func prerequisites(_ part: Part) -> [String] {
      part.requires.map(\.id).filter { known.contains($0) }
    }
    // The parts that can be mastered: a fixed point from the parts that need nothing.
    var masterable: Set<String> = []
    var changed = true
    while changed {
      changed = false
      for part in curriculum.parts where !masterable.contains(part.id) {
        guard impossibility(part) == nil, prerequisites(part).allSatisfy(masterable.contains)
        else { continue }
        masterable.insert(part.id)
        changed = true
      }
    }
    var found: [(Part, String)] = []
    for part in curriculum.parts {
      let blocked = prerequisites(part).filter { !masterable.contains($0) }
      guard !blocked.isEmpty else { continue }
      if blocked.contains(part.id) {
        found.append((part, "it requires itself"))
      } else if let cycle = cycle(from: part.id, in: curriculum, known: known) {
        found.append((part, "its prerequisites form a cycle (\(cycle.joined(separator: " -> ")))"))
      } else {
        let names = blocked.map { "'\($0)'" }.joined(separator: ", ")
        found.append((part, "it requires \(names), which can never be mastered"))
      }
    }
    return found
  }

  /// A path of prerequisites from `start` back to itself, if there is one (shortest first).
  static func cycle(from start: String, in curriculum: Curriculum, known: Set<String>)
    -> [String]?
  {
    var queue: [[String]] = [[start]]
    var seen: Set<String> = [start]
    while !queue.isEmpty {
      let path = queue.removeFirst()
      guard let last = path.last, let part = curriculum.part(last) else { continue }
      for next in part.requires.map(\.id) where known.contains(next) {
        if next == start { return path + [start] }
        if seen.insert(next).inserted { queue.append(path + [next]) }
      }
    }
    return nil
  }
}
