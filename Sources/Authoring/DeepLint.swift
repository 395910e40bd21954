import ProtocolEngine
import ScenarioKit
import Scoring

/// The checks that need the engine and the player: decidability (is the truth complete, can a
/// trainee learn what the decision turns on) and reachability (can every answer, event and
/// option be reached, can every rule of conduct be broken, is there a dead end). Reachability
/// comes from ``Explorer``, the player's own state machine explored exhaustively.
public enum DeepLint {
  /// Every decidability and reachability finding for a scenario (personal data is
  /// ``PersonalData``'s, format and references the loader's).
  public static func lint(
    _ scenario: Scenario, engine: Engine, asOf: Day, rubrics: RubricBook, bound: Int = 200_000
  ) -> [ScenarioDiagnostic] {
    let rubric = rubrics.rubric(for: scenario.audience.first ?? .advocate)
    var diagnostics: [ScenarioDiagnostic] = []
    func add(
      _ severity: Severity, _ code: ScenarioCode, _ position: SourcePosition, _ message: String
    ) {
      diagnostics.append(
        ScenarioDiagnostic(
          severity, code, at: SourceLocation(file: scenario.path, position: position), message))
    }

    // The scoring the author intends: every golden transcript lands where it says.
    for result in GoldenTranscripts.replay(scenario, engine: engine, rubrics: rubrics, asOf: asOf)
    where !result.passed {
      add(
        .error, .transcriptFails, result.transcript.position,
        "transcript '\(result.transcript.id)': \(result.failures.joined(separator: "; "))")
    }

    // Decidability: the truth must decide.
    let onTruth = engine.decide(scenario.truth, asOf: asOf)
    if !onTruth.needs.isEmpty {
      for need in onTruth.needs {
        add(
          .error, .truthIncomplete, scenario.truthPosition,
          "truth: the engine's decision on the truth still needs \(need.fact) (it \(need.because)); write it in the truth"
        )
      }
    }

    var explorer = Explorer(
      scenario: scenario, engine: engine, asOf: asOf, rubric: rubric, bound: bound)
    explorer.score = nil
    explorer.reachabilityOnly = true
    var exploration = explorer.explore()
    // The best a trainee can learn: what every reachable answer, event and option reveals.
    if !exploration.boundHit {
      var best = scenario.knownReport
      let effects = exploration.reachedEffects(of: scenario)
      for fact in effects.flatMap(\.reveals) where !fact.isUncertain { fact.apply(to: &best) }
      let decision = engine.decide(best, asOf: asOf, explain: false)
      // The truth as the scenario leaves it (events and answers can change it) counts too.
      var changed = scenario.truth
      for fact in effects.flatMap(\.sets) { fact.apply(to: &changed) }
      exploration.truthDecisionReachable = [scenario.truth, changed].contains { truth in
        let onThat = engine.decide(truth, asOf: asOf, explain: false)
        return decision.escalation == onThat.escalation && Set(decision.roles) == Set(onThat.roles)
      }
    }
    if exploration.boundHit {
      add(
        .warning, .explorationBound, SourcePosition(line: 1, column: 1),
        "exploration stopped at \(bound) states; reachability findings are left out (raise the bound with `playtest --exhaustive --max-states`)"
      )
    }

    // Decidability: every key fact can be learned on some path, truly on some path.
    for fact in keyFacts(of: scenario.truth, engine: engine, asOf: asOf) {
      let learnable =
        exploration.boundHit
        ? Self.staticallyRevealable(scenario).contains(fact)
        : exploration.revealedFacts.contains(fact)
      if !learnable {
        add(
          .error, .unrevealable, scenario.truthPosition,
          "\(fact) is a key fact of the decision on the truth (without it the engine cannot decide), but no play reveals it; add an answer that does"
        )
      } else if !exploration.boundHit, !exploration.revealedTrue.contains(fact) {
        add(
          .warning, .unrevealable, scenario.truthPosition,
          "\(fact) is a key fact of the decision on the truth, but every play that reveals it reveals a wrong value; let some answer correct it"
        )
      }
    }
    if !exploration.boundHit, onTruth.needs.isEmpty, !exploration.truthDecisionReachable {
      add(
        .warning, .unrevealable, scenario.truthPosition,
        "no play reveals enough for the engine to reach the decision on the truth (\(onTruth.escalation.rawValue)); reveal the facts that make the difference"
      )
    }
    guard !exploration.boundHit else { return diagnostics }

    // Reachability.
    for topic in scenario.topics {
      for (index, answer) in topic.answers.enumerated()
      where !exploration.reachedAnswers.contains(AnswerRef(topic: topic.id, index: index)) {
        add(
          .warning, .unreachableAnswer, answer.position,
          "topic '\(topic.id)' answer \(index + 1) is never given: \(answer.when.map { "`\($0.text)` never holds when the topic is asked, or an earlier answer always wins" } ?? "an earlier answer always wins")"
        )
      }
    }
    for event in scenario.events where !exploration.reachedEvents.contains(event.id) {
      var why = "no play fires it"
      if let at = event.at, at >= scenario.timeLimit {
        why =
          "it is due at \(clockText(at)), at or after the time limit \(clockText(scenario.timeLimit))"
      } else if let condition = event.when {
        why = "`\(condition.text)` never holds while the conversation is live"
      }
      add(.warning, .unreachableEvent, event.position, "event '\(event.id)' never fires: \(why)")
    }
    let offered = Set(
      (scenario.topics.flatMap { $0.answers.map(\.effect) } + scenario.events.map(\.effect)
        + scenario.choices.flatMap { $0.options.map(\.effect) }).compactMap(\.offers))
    for choice in scenario.choices {
      for option in choice.options where !exploration.reachedOptions.contains(option.id) {
        add(
          .warning, .unreachableOption, option.position,
          "option '\(option.id)' of choice '\(choice.id)' is never chosen: \(offered.contains(choice.id) ? "no play offers the choice while the conversation is live" : "nothing offers the choice")"
        )
      }
    }
    for (choice, path) in exploration.deadEnds {
      let position = scenario.choice(choice)?.position ?? SourcePosition(line: 1, column: 1)
      add(
        .error, .deadEnd, position,
        "choice '\(choice)' is a dead end: after \(path), every option opens a choice again and the trainee can never ask anything more"
      )
    }
    for rule in scenario.conduct where !exploration.rulesTriggered.contains(rule.id) {
      add(
        .warning, .conductNeverTriggers, rule.position,
        "conduct rule '\(rule.id)' can never be broken by any play; check its topics and times")
    }
    return diagnostics
  }

  /// The facts the decision on `truth` turns on: those without which the engine can no longer
  /// decide (it needs them) or decides otherwise.
  public static func keyFacts(of truth: Report, engine: Engine, asOf: Day) -> [String] {
    let decision = engine.decide(truth, asOf: asOf, explain: false)
    return truth.knownFacts.map(\.path).filter { path in
      guard path != "indicators", path != "victims",
        let without = truth.replacing(path, from: Report())
      else { return false }
      let changed = engine.decide(without, asOf: asOf)
      return changed.needs.contains { $0.fact == path }
        || changed.escalation != decision.escalation || changed.roles != decision.roles
    }
  }

  /// Facts some `known`, answer, event or option reveals (without playing).
  static func staticallyRevealable(_ scenario: Scenario) -> Set<String> {
    var paths = Set(scenario.known.filter { !$0.isUncertain }.map(\.path))
    let effects =
      scenario.topics.flatMap { $0.answers.map(\.effect) } + scenario.events.map(\.effect)
      + scenario.choices.flatMap { $0.options.map(\.effect) }
    for effect in effects {
      for fact in effect.reveals where !fact.isUncertain { paths.insert(fact.path) }
    }
    return paths
  }
}
