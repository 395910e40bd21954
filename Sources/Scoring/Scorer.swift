import Foundation
import ProtocolEngine
import ScenarioKit

/// The score of one attempt: everything the debrief and the score record show.
public struct Score: Sendable {
  public var scenario: Scenario
  public var trainee: String
  public var mode: PlayMode
  public var seed: UInt64
  public var asOf: Day
  public var ended: EndReason
  public var clock: Int
  /// The engine's decision on the truth.
  public var expected: Decision
  /// The engine's decision on the facts the trainee revealed.
  public var expectedOnRevealed: Decision
  public var state: PlayerState
  /// The roles of the trainee's referrals, by contact id.
  public var referralRoles: [String: Role]
  public var deviations: [Deviation]
  public var compliance: Compliance
  public var score: Int
  /// Agreement with the decision on the revealed facts, and on the truth (0 to 1).
  public var accuracyRevealed: Double
  public var accuracyTruth: Double
}

/// Scores an attempt against the engine. The expected decision is always computed here,
/// from the truth and from what was revealed; a scenario never states it.
public enum Scorer {
  public static func score(_ player: Player, trainee: String) -> Score {
    let scenario = player.scenario
    let state = player.state
    let engine = player.engine
    let expected = engine.decide(state.truth, asOf: player.asOf)
    let onRevealed = engine.decide(state.revealed, asOf: player.asOf)
    var roles: [String: Role] = [:]
    for referral in state.referrals {
      if let contact = engine.contact(referral.value) {
        roles[referral.value] = contact.role
      }
    }
    var deviations: [Deviation] = []
    let end = state.clock
    let escalation = state.escalation ?? .information

    // Escalation against the truth.
    if escalation < expected.escalation {
      let severity: DeviationSeverity =
        expected.escalation == .emergency || expected.escalation == .mandatedReport
        ? .critical : .major
      var message =
        "Escalated to \(escalation.rawValue)\(state.escalation == nil ? " (never set)" : ""); the truth calls for \(expected.escalation.rawValue)."
      if onRevealed.escalation == escalation, onRevealed.escalation != expected.escalation {
        message +=
          " The facts you gathered supported \(escalation.rawValue); the missing or wrong facts are listed under key facts."
      }
      deviations.append(
        Deviation(
          severity: severity, category: .escalation, at: state.escalations.last?.at ?? end,
          message: message,
          because: reason(for: expected.escalation, in: expected)))
    } else if escalation > expected.escalation {
      deviations.append(
        Deviation(
          severity: onRevealed.escalation >= escalation ? .minor : .moderate, category: .escalation,
          at: state.escalations.last?.at ?? end,
          message:
            "Escalated to \(escalation.rawValue); the truth calls only for \(expected.escalation.rawValue).",
          because: reason(for: expected.escalation, in: expected)))
    }

    // Timeliness of an emergency.
    if expected.escalation == .emergency, let knownAt = state.revealedAt["imminent_danger"],
      state.revealed.imminentDanger == true,
      let escalatedAt = state.firstEscalation(atLeast: .emergency),
      escalatedAt - knownAt > scenario.emergencyWithin
    {
      deviations.append(
        Deviation(
          severity: .major, category: .timeliness, at: escalatedAt,
          message:
            "Escalated to emergency \(clockText(escalatedAt - knownAt)) after the danger was known at \(clockText(knownAt)); the standard is within \(clockText(scenario.emergencyWithin)).",
          because: reason(for: .emergency, in: expected)))
    }
    if state.ended == .timedOut {
      deviations.append(
        Deviation(
          severity: .moderate, category: .timeliness, at: end,
          message: "Ran out of time (\(clockText(scenario.timeLimit))) before submitting.",
          because:
            "A call has to be closed with a decision; the time limit stands for the caller's patience and safety."
        ))
    }

    // Referrals: missing roles, less specific contacts, extra referrals.
    let traineeRoles = Set(roles.values)
    for role in expected.roles where !traineeRoles.contains(role) {
      let referral = expected.referrals.first { $0.role == role }
      let severity: DeviationSeverity
      switch role.kind {
      case .lawEnforcement, .agency:
        severity =
          role == .emergencyServices && expected.escalation == .emergency ? .critical : .major
      case .provider: severity = role == .interpretation ? .minor : .moderate
      }
      let contacts = expected.referrals.filter { $0.role == role }.map(\.contact).joined(
        separator: " or ")
      deviations.append(
        Deviation(
          severity: severity, category: .referral, at: end,
          message: "No \(role.rawValue) referral; expected \(contacts).",
          because: referral.map { "\($0.protocolID): \($0.because)" } ?? ""))
    }
    for referral in state.referrals {
      guard let role = roles[referral.value] else { continue }
      let expectedContacts = expected.referrals.filter { $0.role == role }
      if !expectedContacts.isEmpty {
        if !expectedContacts.contains(where: { $0.contact == referral.value }) {
          deviations.append(
            Deviation(
              severity: .minor, category: .referral, at: referral.at,
              message:
                "Referred \(referral.value); the most specific \(role.rawValue) contact is \(expectedContacts.map(\.contact).joined(separator: " or ")).",
              because:
                "A role goes to the most specific active contact covering the location: city, county, state, then national."
            ))
        }
        continue
      }
      if role.isLawEnforcement, !overridesConsent(state.truth), !consentGiven(state.truth) {
        deviations.append(
          Deviation(
            severity: .major, category: .referral, at: referral.at,
            message:
              "Referred an adult's case to law enforcement (\(referral.value)) without consent.",
            because: consentReason(expected)))
      } else {
        deviations.append(
          Deviation(
            severity: .minor, category: .referral, at: referral.at,
            message:
              "Referred \(referral.value) (\(role.rawValue)); no protocol calls for it here.",
            because:
              "Referrals go where a protocol requires or the caller asks; extra referrals spread the caller's information."
          ))
      }
    }

    // Protocols named: the ones that set the decision's escalation.
    for item in expected.protocols
    where item.escalation == expected.escalation && !state.protocolsNamed.contains(item.id) {
      deviations.append(
        Deviation(
          severity: .minor, category: .protocol, at: end,
          message: "Did not name protocol \(item.id) (\(item.title)).", because: item.because))
    }

    // Key facts: a fact the engine still needed whose true value would have changed the
    // decision, and a wrong fact (the caller's mistake) that did.
    // Facts that change the decision on their own; else, the facts that together bring in
    // the protocols the full truth adds.
    func differs(_ decision: Decision) -> Bool {
      decision.escalation != onRevealed.escalation || decision.roles != onRevealed.roles
    }
    var informedBy: [String: Decision] = [:]
    for need in onRevealed.needs {
      if let informed = state.revealed.replacing(need.fact, from: state.truth) {
        let changed = engine.decide(informed, asOf: player.asOf)
        if differs(changed) { informedBy[need.fact] = changed }
      }
    }
    if informedBy.isEmpty {
      var informed = state.revealed
      for need in onRevealed.needs {
        informed = informed.replacing(need.fact, from: state.truth) ?? informed
      }
      let changed = engine.decide(informed, asOf: player.asOf)
      let added = Set(changed.protocols.map(\.id)).subtracting(onRevealed.protocols.map(\.id))
      if differs(changed) {
        for need in onRevealed.needs where need.protocols.contains(where: added.contains) {
          informedBy[need.fact] = changed
        }
      }
    }
    for need in onRevealed.needs {
      guard let changed = informedBy[need.fact] else { continue }
      let topic = scenario.topics.first { topic in
        topic.answers.contains { $0.effect.reveals.contains { $0.path == need.fact } }
      }
      let truthValue = state.truth.knownFacts.first { $0.path == need.fact }?.value ?? "unknown"
      deviations.append(
        Deviation(
          severity: .moderate, category: .keyFact, at: end,
          message:
            "Key question missed: \(need.fact)\(topic.map { " (ask: \($0.question))" } ?? ""); it is \(truthValue), and knowing it \(change(from: onRevealed, to: changed)).",
          because: difference(from: onRevealed, to: changed)))
    }
    for fact in state.revealed.knownFacts {
      guard let actual = state.truth.knownFacts.first(where: { $0.path == fact.path })?.value,
        actual != fact.value,
        !(fact.path == "indicators" && isSubset(fact.value, of: actual)),
        let corrected = state.revealed.replacing(fact.path, from: state.truth)
      else { continue }
      let changed = engine.decide(corrected, asOf: player.asOf)
      guard changed.escalation != onRevealed.escalation || changed.roles != onRevealed.roles else {
        continue
      }
      // The question that uncovers the truth: preferably one that always does (no
      // condition), not the one that gave the wrong value.
      let uncovering = scenario.topics.filter { topic in
        topic.answers.contains { answer in
          answer.effect.reveals.contains { $0.path == fact.path && $0.displayValue == actual }
        }
      }
      let topic =
        uncovering.first { topic in
          topic.answers.contains { answer in
            answer.when == nil
              && answer.effect.reveals.contains {
                $0.path == fact.path && $0.displayValue == actual
              }
          }
        } ?? uncovering.first
      if let changedAt = state.truthChangedAt[fact.path],
        changedAt >= (state.revealedAt[fact.path] ?? 0)
      {
        deviations.append(
          Deviation(
            severity: .moderate, category: .keyFact, at: changedAt,
            message:
              "\(fact.path) changed to \(actual) at \(clockText(changedAt)), after you learned \(fact.value)\(topic.map { "; ask again: \"\($0.question)\"" } ?? "").",
            because:
              "Situations change during a call; check again what the decision turns on. \(difference(from: onRevealed, to: changed))"
          ))
        continue
      }
      deviations.append(
        Deviation(
          severity: .moderate, category: .keyFact, at: state.revealedAt[fact.path] ?? end,
          message:
            "The caller said \(fact.path) = \(fact.value); the truth is \(actual)\(topic.map { ". Asking \"\($0.question)\" would have uncovered it" } ?? "").",
          because:
            "Callers are often wrong about ages and details; confirm the facts a protocol turns on. \(difference(from: onRevealed, to: changed))"
        ))
    }

    // Conduct rules.
    for rule in scenario.conduct {
      switch rule.kind {
      case .before(let first, let then):
        let firstAt = state.asked.first { $0.value == first }?.at
        let early = state.asked.first { asked in
          then.contains(asked.value) && (firstAt.map { asked.at < $0 } ?? true)
        }
        if let early {
          deviations.append(
            Deviation(
              severity: rule.severity, category: .conduct, at: early.at,
              message: "Asked '\(early.value)' before '\(first)' (rule \(rule.id)).",
              because: rule.message))
        }
      case .never(let topic):
        if let asked = state.asked.first(where: { $0.value == topic }) {
          deviations.append(
            Deviation(
              severity: rule.severity, category: .conduct, at: asked.at,
              message: "Asked '\(topic)' (rule \(rule.id)).", because: rule.message))
        }
      case .within(let topic, let seconds):
        let askedAt = state.asked.first { $0.value == topic }?.at
        if askedAt.map({ $0 > seconds }) ?? true {
          deviations.append(
            Deviation(
              severity: rule.severity, category: .conduct, at: askedAt ?? end,
              message:
                "'\(topic)' was \(askedAt.map { "asked at \(clockText($0))" } ?? "never asked"); the rule \(rule.id) wants it within \(clockText(seconds)).",
              because: rule.message))
        }
      }
    }

    // Choices: a choice left open at submission, and options scored as deviations.
    if state.ended == .submitted, let open = state.pendingChoice, let choice = scenario.choice(open)
    {
      deviations.append(
        Deviation(
          severity: .minor, category: .choice, at: end,
          message: "Left the choice unanswered: \(choice.prompt)",
          because: "A caller who asks what to do needs an answer before the call closes."))
    }
    for chosen in state.chosen {
      guard
        let option = scenario.choices.lazy.flatMap(\.options).first(where: { $0.id == chosen.value }
        ),
        let deviation = option.deviation
      else { continue }
      deviations.append(
        Deviation(
          severity: deviation.severity, category: .choice, at: chosen.at,
          message: "Chose: \(option.text)", because: deviation.message))
    }

    deviations.sort {
      ($0.at, $1.severity, $0.category.rawValue, $0.message) < (
        $1.at, $0.severity, $1.category.rawValue, $1.message
      )
    }
    let worst = deviations.map(\.severity).max()
    let score = max(0, 100 - deviations.reduce(0) { $0 + $1.severity.penalty })
    return Score(
      scenario: scenario, trainee: trainee, mode: player.mode, seed: player.seed, asOf: player.asOf,
      ended: state.ended ?? .abandoned, clock: state.clock, expected: expected,
      expectedOnRevealed: onRevealed,
      state: state, referralRoles: roles, deviations: deviations,
      compliance: Compliance(worst: worst),
      score: score, accuracyRevealed: accuracy(escalation, Set(roles.values), onRevealed),
      accuracyTruth: accuracy(escalation, Set(roles.values), expected))
  }

  /// "changes the escalation to X" or "adds referrals to A, B".
  static func change(from before: Decision, to after: Decision) -> String {
    if after.escalation != before.escalation {
      return "changes the escalation to \(after.escalation.rawValue)"
    }
    let added = after.roles.filter { !before.roles.contains($0) }.map(\.rawValue)
    if !added.isEmpty { return "adds referrals to \(added.joined(separator: ", "))" }
    return "changes the referrals"
  }

  /// What knowing a fact changes: the protocols that start or stop applying.
  static func difference(from before: Decision, to after: Decision) -> String {
    let old = Set(before.protocols.map(\.id))
    let new = Set(after.protocols.map(\.id))
    var parts: [String] = []
    let added = after.protocols.filter { !old.contains($0.id) }
    if !added.isEmpty {
      parts.append(
        "With it, \(added.map { "\($0.id) (\($0.escalation.rawValue))" }.joined(separator: ", ")) would apply."
      )
    }
    let removed = before.protocols.filter { !new.contains($0.id) }.map(\.id)
    if !removed.isEmpty {
      parts.append("\(removed.joined(separator: ", ")) would no longer apply.")
    }
    if let first = added.first { parts.append("\(first.id): \(first.because)") }
    return parts.joined(separator: " ")
  }

  /// Whether a comma-separated list is a subset of another (indicators revealed so far).
  static func isSubset(_ list: String, of other: String) -> Bool {
    let items = list.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
    let all = Set(other.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) })
    return items.allSatisfy(all.contains)
  }

  /// Share of the items (the escalation, and each role in either decision) the trainee got right.
  static func accuracy(_ escalation: Escalation, _ roles: Set<Role>, _ decision: Decision) -> Double
  {
    let expectedRoles = Set(decision.roles)
    let correct =
      (escalation == decision.escalation ? 1 : 0) + expectedRoles.intersection(roles).count
    let total = 1 + expectedRoles.union(roles).count
    return (Double(correct) / Double(total) * 100).rounded() / 100
  }

  static func reason(for level: Escalation, in decision: Decision) -> String {
    guard let item = decision.protocols.first(where: { $0.escalation == level }) else {
      return "No protocol applies at a higher level."
    }
    return "\(item.id): \(item.because)"
  }

  static func overridesConsent(_ truth: Report) -> Bool {
    truth.imminentDanger == true || (truth.victims ?? []).contains { ($0.age ?? 99) < 18 }
  }

  static func consentGiven(_ truth: Report) -> Bool {
    guard let victims = truth.victims, !victims.isEmpty else { return false }
    return victims.allSatisfy { $0.consentsToLawEnforcement == true }
  }

  static func consentReason(_ expected: Decision) -> String {
    if let miss = expected.nearMisses.first(where: { $0.failedOn.contains("consents") }) {
      return "\(miss.protocolID): \(miss.because)"
    }
    return
      "An adult victim decides whether police are involved, unless someone is in imminent danger or a victim is a minor."
  }
}
