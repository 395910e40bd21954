import ProtocolEngine
import ScenarioKit

/// One finished attempt in a curriculum part, as the results store keeps it. Sessions still
/// active (interrupted, or being played) are not attempts until they finish.
public struct Attempt: Sendable, Hashable {
  public enum Outcome: Sendable, Hashable {
    /// Scored: submitted, timed out or ended by the caller.
    case scored(compliance: Compliance, score: Int, critical: Bool)
    /// Left without scoring.
    case abandoned
  }

  public var session: String
  public var part: String
  public var scenario: String
  public var outcome: Outcome

  public init(session: String, part: String, scenario: String, outcome: Outcome) {
    self.session = session
    self.part = part
    self.scenario = scenario
    self.outcome = outcome
  }
}

extension MasteryRule {
  /// Whether an attempt counts towards mastery.
  public func counts(_ outcome: Attempt.Outcome) -> Bool {
    guard case .scored(let compliance, let score, let critical) = outcome else { return false }
    return compliance.isAtLeast(level) && score >= minScore && !(noCritical && critical)
  }
}

/// Where a trainee stands in one part.
public struct PartProgress: Sendable, Hashable {
  public enum State: String, Sendable, Hashable, CaseIterable {
    /// The mastery rule was met.
    case mastered
    /// Attempts made, not yet mastered.
    case inProgress = "in_progress"
    /// Unlocked, nothing played yet.
    case available
    /// A prerequisite is not mastered yet.
    case locked
    /// The attempts allowed are used up without mastery: see an instructor.
    case closed
  }

  public var part: Part
  public var state: State
  /// Finished attempts in the part (every one, also those after mastery).
  public var attempts: Int
  /// The current run of counting attempts (the run that mastered the part, once mastered).
  public var run: Int
  /// Scenarios of the part with at least one counting attempt.
  public var counted: [String]
  /// The scenario `train` plays next in this part, when the part is playable.
  public var next: String?
  /// The prerequisites not mastered yet (why a part is locked).
  public var waitingFor: [String]

  /// How far towards mastery, 0 to 1 (1 when mastered).
  public var fraction: Double {
    if state == .mastered { return 1 }
    let rule = part.mastery
    var value = Double(min(run, rule.consecutive)) / Double(rule.consecutive)
    if rule.everyScenario {
      let total = Set(part.scenarios.map(\.id)).count
      value = min(value, Double(counted.count) / Double(max(total, 1)))
    }
    return value
  }
}

/// Where a trainee stands in a curriculum, and what to play next.
public struct CourseProgress: Sendable, Hashable {
  public var curriculum: Curriculum
  public var parts: [PartProgress]

  /// Works out every part's state from the trainee's finished attempts, oldest first.
  public init(curriculum: Curriculum, attempts: [Attempt]) {
    self.curriculum = curriculum
    var mastered: Set<String> = []
    var parts: [PartProgress] = []
    // Parts may require later parts (a warning in lint): settle mastery first, then states.
    var progress: [String: (mastered: Bool, run: Int, counted: [String], used: Int)] = [:]
    for part in curriculum.parts {
      let mine = attempts.filter { $0.part == part.id }
      let rule = part.mastery
      var run = 0
      var counted: [String] = []
      var isMastered = false
      for attempt in mine.prefix(rule.attempts ?? Int.max) {
        if rule.counts(attempt.outcome) {
          run += 1
          if !counted.contains(attempt.scenario),
            part.scenarios.contains(where: {
              $0.id == attempt.scenario
            })
          {
            counted.append(attempt.scenario)
          }
        } else {
          run = 0
        }
        let coverage =
          !rule.everyScenario || Set(part.scenarios.map(\.id)).isSubset(of: Set(counted))
        if run >= rule.consecutive, coverage {
          isMastered = true
          break
        }
      }
      if isMastered { mastered.insert(part.id) }
      progress[part.id] = (isMastered, run, counted, mine.count)
    }
    for part in curriculum.parts {
      guard let known = progress[part.id] else { continue }
      let waiting = part.requires.map(\.id).filter { !mastered.contains($0) }
      let state: PartProgress.State
      if known.mastered {
        state = .mastered
      } else if !waiting.isEmpty {
        state = .locked
      } else if let allowed = part.mastery.attempts, known.used >= allowed {
        state = .closed
      } else {
        state = known.used > 0 ? .inProgress : .available
      }
      let lastPlayed = attempts.last { $0.part == part.id }?.scenario
      let next =
        state == .inProgress || state == .available
        ? CourseProgress.nextScenario(part, counted: known.counted, lastPlayed: lastPlayed) : nil
      parts.append(
        PartProgress(
          part: part, state: state, attempts: known.used, run: known.run, counted: known.counted,
          next: next, waitingFor: waiting))
    }
    self.parts = parts
  }

  /// The first scenario in the part's order with no counting attempt; when every one has
  /// one, the scenario after the last one played (cycling).
  static func nextScenario(_ part: Part, counted: [String], lastPlayed: String?) -> String? {
    let ids = part.scenarios.map(\.id)
    if let first = ids.first(where: { !counted.contains($0) }) { return first }
    guard let lastPlayed, let index = ids.firstIndex(of: lastPlayed) else { return ids.first }
    return ids[(index + 1) % ids.count]
  }

  /// The part and scenario `train` plays next: the first part in order that is unlocked and
  /// neither mastered nor closed.
  public var next: (part: Part, scenario: String)? {
    for progress in parts {
      if let scenario = progress.next { return (progress.part, scenario) }
    }
    return nil
  }

  /// Every part mastered.
  public var isComplete: Bool { parts.allSatisfy { $0.state == .mastered } }

  /// A bar per part and what comes next, for `train` and `train --status`.
  public func text(trainee: String) -> String {
    let width = parts.map(\.part.id.count).max() ?? 0
    var lines = [
      "\(curriculum.title) (\(curriculum.id) v\(curriculum.version), \(curriculum.audience.rawValue))",
      "Trainee: \(trainee)", "",
    ]
    for (number, progress) in parts.enumerated() {
      let filled = Int((progress.fraction * 10).rounded(.down))
      let bar =
        "[" + String(repeating: "#", count: filled)
        + String(repeating: "-", count: 10 - filled) + "]"
      let name = progress.part.id.padding(toLength: width, withPad: " ", startingAt: 0)
      let state = progress.state.rawValue.replacingOccurrences(of: "_", with: " ")
      lines.append(
        "\(number + 1). \(name) \(bar) \(state.padding(toLength: 11, withPad: " ", startingAt: 0)) \(detail(progress))"
      )
    }
    lines.append("")
    if isComplete {
      lines.append("Every part is mastered: the curriculum is complete.")
    } else if let next {
      lines.append("Next: \(next.scenario) (part '\(next.part.id)', \(next.part.mode.rawValue)).")
    } else if parts.contains(where: { $0.state == .closed }) {
      lines.append(
        "Nothing left to play: a part's attempts are used up. See your instructor.")
    } else {
      lines.append("Nothing can be played: every remaining part is locked.")
    }
    return lines.joined(separator: "\n") + "\n"
  }

  func detail(_ progress: PartProgress) -> String {
    let rule = progress.part.mastery
    let attempts = "\(progress.attempts) attempt\(progress.attempts == 1 ? "" : "s")"
    switch progress.state {
    case .mastered:
      return "\(attempts); \(progress.part.title)"
    case .locked:
      return "requires \(progress.waitingFor.joined(separator: ", ")); \(progress.part.title)"
    case .closed:
      return "\(attempts), all allowed, not mastered: see your instructor"
    case .inProgress, .available:
      var text = "\(attempts); needs \(rule.summary)"
      if rule.consecutive > 1 { text += "; \(progress.run) in a row so far" }
      if rule.everyScenario {
        text +=
          "; \(progress.counted.count) of \(Set(progress.part.scenarios.map(\.id)).count) scenarios"
      }
      return text
    }
  }
}

extension CourseProgress {
  /// CourseProgress as JSON (`train --status --format json`): each part's state, attempts, run,
  /// scenarios counted and next scenario, and the course's next step.
  public func json(trainee: String) -> JSONValue {
    .object([
      ("curriculum", .string(curriculum.id)), ("version", .int(curriculum.version)),
      ("trainee", .string(trainee)), ("complete", .bool(isComplete)),
      (
        "next",
        next.map {
          .object([("part", .string($0.part.id)), ("scenario", .string($0.scenario))])
        } ?? .null
      ),
      (
        "parts",
        .array(
          parts.map { progress in
            .object([
              ("id", .string(progress.part.id)), ("state", .string(progress.state.rawValue)),
              ("attempts", .int(progress.attempts)), ("run", .int(progress.run)),
              ("counted", .array(progress.counted.map(JSONValue.string))),
              ("next", progress.next.map(JSONValue.string) ?? .null),
              ("waiting_for", .array(progress.waitingFor.map(JSONValue.string))),
              ("mastery", .string(progress.part.mastery.summary)),
            ])
          })
      ),
    ])
  }
}
