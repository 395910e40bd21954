import ProtocolEngine

/// Checks a scenario against the protocol engine: can a trainee learn every fact the
/// engine's decision on the truth turns on?
public enum ScenarioLinter {
  /// HS0030 warnings: facts the decision depends on that no `known`, answer, event or
  /// option ever reveals.
  public static func lint(_ scenario: Scenario, engine: Engine, asOf: Day) -> [ScenarioDiagnostic] {
    var everything = scenario.knownReport
    var revealable = Set(scenario.known.map(\.path))
    let effects =
      scenario.topics.flatMap { $0.answers.map(\.effect) } + scenario.events.map(\.effect)
      + scenario.choices.flatMap { $0.options.map(\.effect) }
    for effect in effects {
      for fact in effect.reveals {
        fact.apply(to: &everything)
        revealable.insert(fact.path)
      }
    }
    let onTruth = engine.decide(scenario.truth, asOf: asOf)
    let best = engine.decide(everything, asOf: asOf)
    let location = SourceLocation(file: scenario.path, line: 1, column: 1)
    var diagnostics: [ScenarioDiagnostic] = []
    for need in best.needs where !revealable.contains(need.fact) {
      let relevant = Set(onTruth.protocols.map(\.id) + onTruth.nearMisses.map(\.protocolID))
      guard need.protocols.contains(where: relevant.contains) else { continue }
      diagnostics.append(
        ScenarioDiagnostic(
          .warning, .unrevealable, at: location,
          "\(need.fact) is never revealed, but it \(need.because)"))
    }
    if best.escalation != onTruth.escalation {
      diagnostics.append(
        ScenarioDiagnostic(
          .warning, .unrevealable, at: location,
          "with everything the scenario can reveal the engine decides \(best.escalation.rawValue), but on the truth \(onTruth.escalation.rawValue); reveal the facts that make the difference"
        ))
    }
    return diagnostics
  }
}
