import ProtocolEngine
import ScenarioKit
import Scoring

/// A golden transcript replayed: what it got against what its author expects.
public struct TranscriptResult: Sendable {
  public var transcript: Transcript
  public var compliance: Compliance
  public var score: Int
  /// Why it fails: outside the expected compliance or score, or a verb that could not be
  /// carried out (a transcript that has rotted). Empty when it passes.
  public var failures: [String]
  /// The deviations the scorer found, for the author to read when it fails.
  public var deviations: [String]

  public var passed: Bool { failures.isEmpty }
}

/// Replays a scenario's golden transcripts through the player and the scorer.
public enum GoldenTranscripts {
  public static func replay(
    _ scenario: Scenario, engine: Engine, rubrics: RubricBook, asOf: Day
  ) -> [TranscriptResult] {
    scenario.transcripts.map { transcript in
      var player = Player(
        scenario: scenario, engine: engine, mode: transcript.mode, seed: transcript.seed,
        asOf: asOf)
      _ = player.start()
      var failures: [String] = []
      for verb in transcript.verbs {
        guard !player.isOver else {
          failures.append(
            "line \(verb.line): `\(verb.text)` comes after the attempt ended (\(player.state.ended?.rawValue ?? ""))"
          )
          break
        }
        let lines = player.handle(verb.text)
        if let error = lines.first(where: { $0.kind == .error }),
          lines.allSatisfy({ $0.kind == .error })
        {
          failures.append(
            "line \(verb.line): `\(verb.text)` could not be carried out: \(error.text)")
        }
      }
      player.end(.submitted)
      let audience = transcript.audience ?? scenario.audience.first ?? .advocate
      let score = Scorer.score(player, trainee: "playtest", rubric: rubrics.rubric(for: audience))
      if !transcript.compliance.contains(score.compliance) {
        let expected =
          transcript.compliance.count == 1
          ? transcript.compliance[0].rawValue
          : "\(transcript.compliance[0].rawValue)..\(transcript.compliance[transcript.compliance.count - 1].rawValue)"
        failures.append("compliance \(score.compliance.rawValue), expected \(expected)")
      }
      if !transcript.score.contains(score.score) {
        failures.append(
          "score \(score.score), expected \(transcript.score.lowerBound)..\(transcript.score.upperBound)"
        )
      }
      return TranscriptResult(
        transcript: transcript, compliance: score.compliance, score: score.score,
        failures: failures,
        deviations: score.deviations.map { "\($0.severity.label) \($0.message)" })
    }
  }
}

/// What seeded random plays reached.
public struct RandomPlaytest: Sendable {
  public var runs: Int
  public var seed: UInt64
  /// How often each answer, event and option was reached, over all runs.
  public var answerHits: [AnswerRef: Int] = [:]
  public var eventHits: [String: Int] = [:]
  public var optionHits: [String: Int] = [:]
  /// Runs by how they ended.
  public var endings: [String: Int] = [:]
  /// Verbs played in all.
  public var steps = 0
}

/// Plays seeded random runs: each move picked uniformly from what the trainee could do
/// (ask any topic, answer a choice, wait, escalate, refer a role the scenario tests, submit).
public struct RandomPlayer: Sendable {
  public let scenario: Scenario
  public let engine: Engine
  public let asOf: Day
  /// At most this many verbs per run.
  public var maxSteps = 200

  public init(scenario: Scenario, engine: Engine, asOf: Day) {
    self.scenario = scenario
    self.engine = engine
    self.asOf = asOf
  }

  public func play(runs: Int, seed: UInt64) -> RandomPlaytest {
    var result = RandomPlaytest(runs: runs, seed: seed)
    let asks = scenario.topics.map { "ask \($0.id)" }
    let escalations = Escalation.allCases.map { "escalate \($0.rawValue)" }
    let roles = Set(
      (scenario.topics.flatMap { $0.answers.compactMap(\.when) }
        + scenario.events.compactMap(\.when))
        .flatMap(\.expression.hostCalls).filter { $0.name == "referred" }.map(\.argument))
    let refers = roles.sorted().compactMap { role in
      engine.set.contacts.filter { $0.role.rawValue == role && $0.isActive(on: asOf) }.map(\.id)
        .min().map { "refer \($0)" }
    }
    let template = Player(
      scenario: scenario, engine: engine, mode: .assessment, seed: seed, asOf: asOf)
    var random = SplitMix64(seed: seed)
    for run in 0..<runs {
      var player = template
      if run > 0 {
        player = Player(
          scenario: scenario, engine: engine, mode: .assessment, seed: seed &+ UInt64(run),
          asOf: asOf)
      }
      _ = player.start()
      var steps = 0
      while !player.isOver, steps < maxSteps {
        let state = player.state
        let verb: String
        if state.isConversationLive, let id = state.pendingChoice, let choice = scenario.choice(id)
        {
          verb = "choose \(1 + Int(random.next() % UInt64(max(1, choice.options.count))))"
        } else {
          // Mostly questions while the line is live; now and then an action or the end.
          let roll = random.next() % 100
          if state.isConversationLive, roll < 70, !asks.isEmpty {
            verb = asks[Int(random.next() % UInt64(asks.count))]
          } else if roll < 82 {
            verb = "wait \(10 + Int(random.next() % 111))"
          } else if roll < 90 {
            verb = escalations[Int(random.next() % UInt64(escalations.count))]
          } else if roll < 95, !refers.isEmpty {
            verb = refers[Int(random.next() % UInt64(refers.count))]
          } else {
            verb = "submit"
          }
        }
        let before = (
          player.state.answered.count, player.state.fired.count, player.state.chosen.count
        )
        _ = player.handle(verb)
        steps += 1
        for answer in player.state.answered.dropFirst(before.0) {
          result.answerHits[answer.value, default: 0] += 1
        }
        for event in player.state.fired.dropFirst(before.1) {
          result.eventHits[event.value, default: 0] += 1
        }
        for option in player.state.chosen.dropFirst(before.2) {
          result.optionHits[option.value, default: 0] += 1
        }
      }
      player.end(.submitted)
      result.steps += steps
      result.endings[Explorer.ending(player.state), default: 0] += 1
    }
    return result
  }
}
