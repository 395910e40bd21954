import ProtocolEngine
import ScenarioKit
import Scoring

/// What `hotline-sim playtest` says about one scenario, as text or JSON.
public struct PlaytestReport: Sendable {
  public var scenario: Scenario
  public var audience: Audience
  public var transcripts: [TranscriptResult]
  public var exploration: Exploration?
  public var random: RandomPlaytest?

  public init(
    scenario: Scenario, audience: Audience, transcripts: [TranscriptResult],
    exploration: Exploration?, random: RandomPlaytest?
  ) {
    self.scenario = scenario
    self.audience = audience
    self.transcripts = transcripts
    self.exploration = exploration
    self.random = random
  }

  /// Every answer of the scenario, in file order.
  var allAnswers: [AnswerRef] {
    scenario.topics.flatMap { topic in
      topic.answers.indices.map { AnswerRef(topic: topic.id, index: $0) }
    }
  }

  var allOptions: [String] { scenario.choices.flatMap { $0.options.map(\.id) } }

  public var text: String {
    var lines = ["\(scenario.id) v\(scenario.version) (\(audience.rawValue) rubric)"]
    if transcripts.isEmpty {
      lines.append(
        "  transcripts: none (add `transcripts:` to vouch for a strong and a typical run)")
    }
    for result in transcripts {
      let expected =
        "expects \(Self.levels(result.transcript.compliance)), \(result.transcript.score.lowerBound)..\(result.transcript.score.upperBound)"
      lines.append(
        "  transcript \(result.transcript.id): \(result.passed ? "PASS" : "FAIL") \(result.compliance.rawValue) \(result.score) (\(expected))"
      )
      for failure in result.failures { lines.append("    - \(failure)") }
      if !result.passed {
        for deviation in result.deviations.prefix(8) { lines.append("      \(deviation)") }
      }
    }
    if let exploration {
      lines.append(
        "  exhaustive: \(exploration.states) states\(exploration.boundHit ? " (stopped at the bound of \(exploration.bound): results are partial)" : "")"
      )
      let answers = allAnswers
      let missedAnswers = answers.filter { !exploration.reachedAnswers.contains($0) }
      let missedEvents = scenario.events.map(\.id).filter {
        !exploration.reachedEvents.contains($0)
      }
      let missedOptions = allOptions.filter { !exploration.reachedOptions.contains($0) }
      lines.append(
        "  coverage: answers \(answers.count - missedAnswers.count)/\(answers.count), events \(scenario.events.count - missedEvents.count)/\(scenario.events.count), options \(allOptions.count - missedOptions.count)/\(allOptions.count)"
      )
      if !missedAnswers.isEmpty {
        lines.append("    never given: \(missedAnswers.map(\.description).joined(separator: ", "))")
      }
      if !missedEvents.isEmpty {
        lines.append("    never fired: \(missedEvents.joined(separator: ", "))")
      }
      if !missedOptions.isEmpty {
        lines.append("    never chosen: \(missedOptions.joined(separator: ", "))")
      }
      lines.append(
        "  endings of complete plays: "
          + exploration.endings.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(
            separator: ", "))
      if let scores = exploration.scores {
        lines.append(
          "  scores of complete plays, wrapped up by the book on what was learned: \(scores.lowerBound)..\(scores.upperBound)"
        )
        if let lowest = exploration.lowestPlay {
          lines.append("    lowest: \(lowest)")
        }
      }
      lines.append(
        "  misleading states (nothing left to ask, and the revealed facts decide otherwise than the truth): \(exploration.misleadingCount)"
      )
      for state in exploration.misleading {
        lines.append("    after \(state.path): \(state.difference)")
      }
      lines.append(
        "  dead ends: \(exploration.deadEnds.isEmpty ? "none" : exploration.deadEnds.map { "choice \($0.choice) after \($0.path)" }.joined(separator: "; "))"
      )
    }
    if let random {
      lines.append(
        "  random: \(random.runs) runs from seed \(random.seed), \(random.steps) verbs; endings: "
          + random.endings.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(
            separator: ", "))
      lines.append(
        "    answers: "
          + allAnswers.map { "\($0) \(random.answerHits[$0, default: 0])" }.joined(separator: ", "))
      if !scenario.events.isEmpty {
        lines.append(
          "    events: "
            + scenario.events.map { "\($0.id) \(random.eventHits[$0.id, default: 0])" }.joined(
              separator: ", "))
      }
      if !allOptions.isEmpty {
        lines.append(
          "    options: "
            + allOptions.map { "\($0) \(random.optionHits[$0, default: 0])" }.joined(
              separator: ", "))
      }
    }
    return lines.joined(separator: "\n")
  }

  public var json: JSONValue {
    var fields: [(String, JSONValue)] = [
      ("scenario", .string(scenario.id)), ("version", .int(scenario.version)),
      ("audience", .string(audience.rawValue)),
      ("transcripts", .array(transcripts.map(Self.json))),
    ]
    if let exploration { fields.append(("exhaustive", json(exploration))) }
    if let random { fields.append(("random", json(random))) }
    return .object(fields)
  }

  static func json(_ result: TranscriptResult) -> JSONValue {
    let expect: JSONValue = .object([
      ("compliance", .array(result.transcript.compliance.map { .string($0.rawValue) })),
      ("score_min", .int(result.transcript.score.lowerBound)),
      ("score_max", .int(result.transcript.score.upperBound)),
    ])
    return .object([
      ("id", .string(result.transcript.id)), ("passed", .bool(result.passed)),
      ("compliance", .string(result.compliance.rawValue)), ("score", .int(result.score)),
      ("expect", expect), ("failures", .array(result.failures.map { .string($0) })),
    ])
  }

  static func counts(_ counts: [String: Int]) -> JSONValue {
    .object(counts.sorted { $0.key < $1.key }.map { ($0.key, .int($0.value)) })
  }

  static func verbs(_ path: PlayPath) -> JSONValue { .array(path.verbs.map { .string($0) }) }

  func json(_ exploration: Exploration) -> JSONValue {
    let reachedAnswers = Set(exploration.reachedAnswers.map(\.description))
    let coverage: JSONValue = .object([
      ("answers", Self.coverage(allAnswers.map(\.description), reachedAnswers.contains)),
      ("events", Self.coverage(scenario.events.map(\.id), exploration.reachedEvents.contains)),
      ("options", Self.coverage(allOptions, exploration.reachedOptions.contains)),
    ])
    var scores = JSONValue.null
    if let range = exploration.scores {
      scores = .object([("min", .int(range.lowerBound)), ("max", .int(range.upperBound))])
    }
    let misleading: [JSONValue] = exploration.misleading.map {
      .object([("path", Self.verbs($0.path)), ("difference", .string($0.difference))])
    }
    let deadEnds: [JSONValue] = exploration.deadEnds.map {
      .object([("choice", .string($0.choice)), ("path", Self.verbs($0.path))])
    }
    return .object([
      ("states", .int(exploration.states)), ("bound", .int(exploration.bound)),
      ("bound_hit", .bool(exploration.boundHit)), ("coverage", coverage),
      ("endings", Self.counts(exploration.endings)), ("scores", scores),
      ("lowest_play", exploration.lowestPlay.map(Self.verbs) ?? .null),
      ("misleading_states", .int(exploration.misleadingCount)),
      ("misleading_examples", .array(misleading)), ("dead_ends", .array(deadEnds)),
    ])
  }

  func json(_ random: RandomPlaytest) -> JSONValue {
    let answers: [(String, JSONValue)] = allAnswers.map {
      ($0.description, .int(random.answerHits[$0, default: 0]))
    }
    let events: [(String, JSONValue)] = scenario.events.map {
      ($0.id, .int(random.eventHits[$0.id, default: 0]))
    }
    let options: [(String, JSONValue)] = allOptions.map {
      ($0, .int(random.optionHits[$0, default: 0]))
    }
    return .object([
      ("runs", .int(random.runs)), ("seed", .string(String(random.seed))),
      ("steps", .int(random.steps)), ("endings", Self.counts(random.endings)),
      ("answers", .object(answers)), ("events", .object(events)), ("options", .object(options)),
    ])
  }

  static func coverage(_ all: [String], _ reached: (String) -> Bool) -> JSONValue {
    let missed = all.filter { !reached($0) }
    return .object([
      ("reached", .int(all.count - missed.count)), ("total", .int(all.count)),
      ("missed", .array(missed.map { .string($0) })),
    ])
  }

  static func levels(_ levels: [Compliance]) -> String {
    guard let first = levels.first, let last = levels.last else { return "" }
    return first == last ? first.rawValue : "\(first.rawValue)..\(last.rawValue)"
  }
}
