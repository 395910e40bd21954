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
  /// The rubric the attempt was scored under (the trainee's audience).
  public var rubric: Rubric
  /// Expected referrals outside the trainee's duties: what the hotline or others do next.
  public var whatHappensNext: [Referral]
  /// What the trainee did that earns credit without being required.
  public var credits: [String]
}

/// Scores an attempt against the engine. The expected decision is always computed here,
/// from the truth and from what was revealed; a scenario never states it.
public enum Scorer {
  /// Scores an attempt.
  ///
  /// - Parameter rubric: what the trainee answers for; by default the whole decision for the
  ///   scenario's first audience.
  public static func score(
    _ player: Player, trainee: String, rubric: Rubric? = nil, decisions: DecisionCache? = nil
  ) -> Score {
    let scenario = player.scenario
    func decide(_ report: Report) -> Decision {
      decisions?.decide(report) ?? player.engine.decide(report, asOf: player.asOf)
    }
    let state = player.state
    let engine = player.engine
    let rubric = rubric ?? .wholeDecision(scenario.audience.first ?? .advocate)
    let expected = decide(state.truth)
    let onRevealed = decide(state.revealed)
    var roles: [String: Role] = [:]
    for referral in state.referrals {
      if let contact = engine.contact(referral.value) {
        roles[referral.value] = contact.role
      }
    }
    var deviations: [Deviation] = []
    var credits: [String] = []
    var whatHappensNext: [Referral] = []
    let end = state.clock
    let escalation = state.escalation ?? .information

    // Escalation against the truth.
    if escalation < expected.escalation {
      let severity: DeviationSeverity =
        expected.escalation == .emergency || expected.escalation == .mandatedReport
        ? .critical : .major
      var message =
        state.escalation == nil
        ? "You never set an escalation; the situation calls for \(Plain.level(expected.escalation))."
        : "You escalated to \(Plain.level(escalation)); the situation calls for \(Plain.level(expected.escalation))."
      if onRevealed.escalation == escalation, state.escalation != nil {
        message += " The facts you gathered supported it: see the key questions."
      }
      deviations.append(
        Deviation(
          severity: severity, category: .escalation, at: state.escalations.last?.at ?? end,
          message: message,
          because: reason(for: expected.escalation, in: expected)))
    } else if escalation > expected.escalation {
      // Police for an adult who said no, with nothing that overrides her say, is harm.
      let overridesARefusal =
        escalation >= .lawEnforcementReferral && adultRefusedWithoutOverride(state.truth)
      deviations.append(
        Deviation(
          severity: overridesARefusal
            ? .major : onRevealed.escalation >= escalation ? .minor : .moderate,
          category: .escalation, at: state.escalations.last?.at ?? end,
          message:
            "You escalated to \(Plain.level(escalation)); the situation calls only for \(Plain.level(expected.escalation))\(overridesARefusal ? ", which sends police to an adult who said no" : "").",
          because: overridesARefusal
            ? consentRule : reason(for: expected.escalation, in: expected)))
    }

    // Timeliness of an emergency.
    let dangerKnownAt =
      state.revealed.imminentDanger == true ? state.revealedAt["imminent_danger"] : nil
    if expected.escalation == .emergency, let knownAt = dangerKnownAt,
      let escalatedAt = state.firstEscalation(atLeast: .emergency),
      escalatedAt - knownAt > scenario.emergencyWithin
    {
      deviations.append(
        Deviation(
          severity: .major, category: .timeliness, at: escalatedAt,
          message:
            "You escalated to emergency \(clockText(escalatedAt - knownAt)) after the danger was known at \(clockText(knownAt)); the standard is within \(clockText(scenario.emergencyWithin)).",
          because: reason(for: .emergency, in: expected)))
    }
    if state.ended == .timedOut {
      deviations.append(
        Deviation(
          severity: .moderate, category: .timeliness, at: end,
          message: "You ran out of time (\(clockText(scenario.timeLimit))) before submitting.",
          because:
            "A call has to be closed with a decision; the time limit stands for the caller's patience and safety."
        ))
    }
    // Ending a live conversation yourself while someone is in danger.
    if state.ended == .submitted || state.ended == .abandoned, state.conversationEnded == nil,
      state.truth.imminentDanger == true
    {
      deviations.append(
        Deviation(
          severity: .major, category: .conduct, at: end,
          message:
            "You ended the \(scenario.channel == .call ? "call" : "conversation") while the \(scenario.caller.lowercased()) was still in danger.",
          because:
            "Stay with someone in danger until help arrives or they end the contact: the line is how you hear what happens next."
        ))
    }

    // Referrals, as far as the rubric makes them the trainee's.
    /// When a referral the trainee answers for is due.
    func due(_ role: Role) -> Int {
      switch rubric.deadline(role) {
      case .end: return end
      case .seconds(let seconds): return min(end, seconds)
      case .emergencyWithin:
        guard state.truth.imminentDanger == true else { return end }
        let known = dangerKnownAt ?? state.truthChangedAt["imminent_danger"] ?? 0
        return min(end, known + scenario.emergencyWithin)
      }
    }
    let traineeRoles = Set(roles.values)
    for role in expected.roles {
      let ofRole = expected.referrals.filter { $0.role == role }
      if let level = rubric.carriedOutBy[role], escalation >= level { continue }
      let duty = rubric.duty(role)
      if traineeRoles.contains(role) {
        if duty == .creditOnly { credits.append("Referred \(Plain.role(role)).") }
        continue
      }
      guard duty == .answerable else {
        whatHappensNext += ofRole
        continue
      }
      let severity: DeviationSeverity
      switch role.kind {
      case .lawEnforcement, .agency:
        severity =
          role == .emergencyServices && expected.escalation == .emergency ? .critical : .major
      case .provider: severity = role == .interpretation ? .minor : .moderate
      }
      let contacts = ofRole.map(\.contact).joined(separator: " or ")
      deviations.append(
        Deviation(
          severity: severity, category: .referral, at: due(role),
          message: "No referral to \(Plain.role(role)); expected \(contacts).",
          because: ofRole.first.map { reasonFor($0, in: expected) } ?? ""))
    }
    for referral in state.referrals {
      guard let role = roles[referral.value] else { continue }
      let expectedContacts = expected.referrals.filter { $0.role == role }
      if !expectedContacts.isEmpty {
        if !expectedContacts.contains(where: { $0.contact == referral.value }),
          rubric.duty(role) == .answerable
        {
          deviations.append(
            Deviation(
              severity: .minor, category: .referral, at: referral.at,
              message:
                "You referred \(referral.value); the most specific \(Plain.role(role)) contact is \(expectedContacts.map(\.contact).joined(separator: " or ")).",
              because:
                "A role goes to the most specific active contact covering the location: city, county, state, then national."
            ))
        }
        continue
      }
      if role.isLawEnforcement, !overridesConsent(state.truth, for: role),
        !consentGiven(state.truth)
      {
        deviations.append(
          Deviation(
            severity: .major, category: .referral, at: referral.at,
            message:
              "You referred an adult's case to law enforcement (\(referral.value)) without her consent.",
            because: consentRule))
      } else if rubric.duty(role) == .answerable {
        deviations.append(
          Deviation(
            severity: .minor, category: .referral, at: referral.at,
            message:
              "You referred \(referral.value) (\(Plain.role(role))); no protocol calls for it here.",
            because:
              "Referrals go where a protocol requires or the caller asks; extra referrals spread the caller's information."
          ))
      }
    }

    // Protocols named: credit, never a hidden deduction (unless a rubric makes it a duty).
    var named: [String] = []
    for item in expected.protocols where item.escalation == expected.escalation {
      if state.protocolsNamed.contains(item.id) {
        named.append(item.id)
      } else if rubric.duty(.protocol) == .answerable {
        deviations.append(
          Deviation(
            severity: .minor, category: .protocol, at: end,
            message: "You did not name the protocol \(item.id) (\(item.title)).",
            because: item.because))
      }
    }
    if !named.isEmpty {
      credits.append(
        "Named the protocol\(named.count == 1 ? "" : "s") \(named.joined(separator: ", ")).")
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
      // Whether it differs needs no explanation (cheap); the message does.
      if let informed = state.revealed.replacing(need.fact, from: state.truth),
        differs(player.engine.decide(informed, asOf: player.asOf, explain: false))
      {
        informedBy[need.fact] = decide(informed)
      }
    }
    if informedBy.isEmpty {
      var informed = state.revealed
      for need in onRevealed.needs {
        informed = informed.replacing(need.fact, from: state.truth) ?? informed
      }
      let changed = decide(informed)
      let added = Set(changed.protocols.map(\.id)).subtracting(onRevealed.protocols.map(\.id))
      if differs(changed) {
        for need in onRevealed.needs where need.protocols.contains(where: added.contains) {
          informedBy[need.fact] = changed
        }
      }
    }
    // One deviation per question (a question often answers several facts at once).
    var byQuestion: [(topic: ScenarioKit.Topic?, facts: [String], changed: Decision)] = []
    for need in onRevealed.needs {
      guard let changed = informedBy[need.fact] else { continue }
      let topic = scenario.topics.first { topic in
        topic.answers.contains { $0.effect.reveals.contains { $0.path == need.fact } }
      }
      let truthValue = state.truth.knownFacts.first { $0.path == need.fact }?.value ?? "unknown"
      let fact = "\(Plain.fact(need.fact)): \(Plain.value(truthValue))"
      if let topic, let index = byQuestion.firstIndex(where: { $0.topic?.id == topic.id }) {
        byQuestion[index].facts.append(fact)
      } else {
        byQuestion.append((topic, [fact], changed))
      }
    }
    for (topic, facts, changed) in byQuestion {
      let ask: String
      if let topic {
        ask = state.hasAsked(topic.id) ? "confirm \"\(topic.question)\"" : "\"\(topic.question)\""
      } else {
        ask = "find out"
      }
      deviations.append(
        Deviation(
          severity: .moderate, category: .keyFact, at: end,
          message:
            "Key question missed: \(ask) (it tells you \(facts.joined(separator: "; "))).",
          because:
            "Knowing that \(change(from: onRevealed, to: changed, chosen: escalation))\(firstReason(from: onRevealed, to: changed))."
        ))
    }
    for fact in state.revealed.knownFacts {
      guard let actual = state.truth.knownFacts.first(where: { $0.path == fact.path })?.value,
        actual != fact.value,
        !(fact.path == "indicators" && isSubset(fact.value, of: actual)),
        let corrected = state.revealed.replacing(fact.path, from: state.truth)
      else { continue }
      let changed = decide(corrected)
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
              "\(Plain.fact(fact.path).capitalizedFirst) changed to \(Plain.value(actual)) at \(clockText(changedAt)), after you learned \(Plain.value(fact.value))\(topic.map { "; ask again: \"\($0.question)\"" } ?? "").",
            because:
              "Situations change during a call; check again what the decision turns on. \(difference(from: onRevealed, to: changed))"
          ))
        continue
      }
      deviations.append(
        Deviation(
          severity: .moderate, category: .keyFact, at: state.revealedAt[fact.path] ?? end,
          message:
            "The \(scenario.caller.lowercased()) said \(Plain.fact(fact.path)) was \(Plain.value(fact.value)); it is \(Plain.value(actual))\(topic.map { ". Asking \"\($0.question)\" would have uncovered it" } ?? "").",
          because:
            "Callers are often wrong about ages and details; confirm the facts a protocol turns on. \(difference(from: onRevealed, to: changed))"
        ))
    }

    deviations += conductDeviations(scenario, state)

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
          message: "Chose: \(option.text)", because: deviation.message, rule: option.id))
    }

    // Only what the rubric makes the trainee's counts.
    deviations.removeAll { rubric.duty($0.category) != .answerable }
    deviations.sort {
      ($0.at, $1.severity, $0.category.rawValue, $0.message) < (
        $1.at, $0.severity, $1.category.rawValue, $1.message
      )
    }
    let worst = deviations.map(\.severity).max()
    let score = total(deviations, state: state)
    let answerable = Set(expected.roles.filter { rubric.duty($0) == .answerable })
    return Score(
      scenario: scenario, trainee: trainee, mode: player.mode, seed: player.seed, asOf: player.asOf,
      ended: state.ended ?? .abandoned, clock: state.clock, expected: expected,
      expectedOnRevealed: onRevealed,
      state: state, referralRoles: roles, deviations: deviations,
      compliance: Compliance(worst: worst),
      score: score,
      accuracyRevealed: accuracy(
        escalation, carriedOut(Set(roles.values), escalation, rubric), onRevealed, answerable),
      accuracyTruth: accuracy(
        escalation, carriedOut(Set(roles.values), escalation, rubric), expected, answerable),
      rubric: rubric, whatHappensNext: whatHappensNext, credits: credits)
  }

  /// The 0-100 score of an attempt with these deviations: 100 less each deviation's penalty.
  /// An attempt with no decision at all (no escalation, no referral) scores nothing.
  public static func total(_ deviations: [Deviation], state: PlayerState) -> Int {
    let decided = state.escalation != nil || !state.referrals.isEmpty
    return decided ? max(0, 100 - deviations.reduce(0) { $0 + $1.severity.penalty }) : 0
  }

  /// The deviations from the scenario's rules of conduct in an attempt so far (each names its
  /// rule). Scoring and the playtest's exploration both read them.
  public static func conductDeviations(_ scenario: Scenario, _ state: PlayerState) -> [Deviation] {
    scenario.brokenRules(in: state).map { broken in
      let rule = broken.rule
      let message: String
      switch rule.kind {
      case .before(let first, _):
        message =
          "You asked \(quoted(broken.topic, in: scenario)) before \(quoted(first, in: scenario))."
      case .never(let topic): message = "You asked \(quoted(topic, in: scenario))."
      case .within(let topic, let seconds):
        message =
          "You \(broken.asked ? "asked \(quoted(topic, in: scenario)) at \(clockText(broken.at))" : "never asked \(quoted(topic, in: scenario))"); it is due within \(clockText(seconds))."
      }
      return Deviation(
        severity: rule.severity, category: .conduct, at: broken.at, message: message,
        because: rule.message, rule: rule.id)
    }
  }

  /// The trainee's roles plus those their escalation carried out (a telecommunicator's
  /// dispatch is the emergency-services referral).
  static func carriedOut(_ roles: Set<Role>, _ escalation: Escalation, _ rubric: Rubric)
    -> Set<Role>
  {
    roles.union(rubric.carriedOutBy.filter { escalation >= $0.value }.map(\.key))
  }

  /// "changes the escalation to X" or "adds referrals to A, B"; never "changes it to X" when
  /// X is what the trainee chose.
  static func change(from before: Decision, to after: Decision, chosen: Escalation) -> String {
    if after.escalation != before.escalation {
      return after.escalation == chosen
        ? "is what the \(Plain.level(chosen)) you chose rests on"
        : "changes the escalation to \(Plain.level(after.escalation))"
    }
    let added = after.roles.filter { !before.roles.contains($0) }.map(Plain.role)
    if !added.isEmpty { return "adds referrals to \(added.joined(separator: ", "))" }
    return "changes the referrals"
  }

  /// " (X-01: its first sentence)" for the first protocol the change brings in.
  static func firstReason(from before: Decision, to after: Decision) -> String {
    let old = Set(before.protocols.map(\.id))
    guard let first = after.protocols.first(where: { !old.contains($0.id) }) else { return "" }
    let sentence = firstSentence(first.because)
    return " (\(first.id): \(sentence.hasSuffix(".") ? String(sentence.dropLast()) : sentence))"
  }

  /// What knowing a fact changes: the protocols that start or stop applying.
  static func difference(from before: Decision, to after: Decision) -> String {
    let old = Set(before.protocols.map(\.id))
    let new = Set(after.protocols.map(\.id))
    var parts: [String] = []
    let added = after.protocols.filter { !old.contains($0.id) }
    if !added.isEmpty {
      parts.append(
        "With it, \(added.map(\.id).joined(separator: ", ")) would apply.")
    }
    let removed = before.protocols.filter { !new.contains($0.id) }.map(\.id)
    if !removed.isEmpty {
      parts.append("\(removed.joined(separator: ", ")) would no longer apply.")
    }
    if let first = added.first { parts.append("\(first.id): \(firstSentence(first.because))") }
    return parts.joined(separator: " ")
  }

  /// Whether a comma-separated list is a subset of another (indicators revealed so far).
  static func isSubset(_ list: String, of other: String) -> Bool {
    let items = list.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
    let all = Set(other.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) })
    return items.allSatisfy(all.contains)
  }

  /// Share of the items (the escalation, and each role the trainee answers for in either
  /// decision or referred) the trainee got right.
  static func accuracy(
    _ escalation: Escalation, _ roles: Set<Role>, _ decision: Decision, _ answerable: Set<Role>
  ) -> Double {
    let expectedRoles = Set(decision.roles).filter { answerable.contains($0) || roles.contains($0) }
    let correct =
      (escalation == decision.escalation ? 1 : 0) + expectedRoles.intersection(roles).count
    let total = 1 + expectedRoles.union(roles.intersection(answerable.union(expectedRoles))).count
    return (Double(correct) / Double(total) * 100).rounded() / 100
  }

  static func reason(for level: Escalation, in decision: Decision) -> String {
    guard let item = decision.protocols.first(where: { $0.escalation == level }) else {
      return "No protocol applies at a higher level."
    }
    return "\(item.id): \(firstSentence(item.because))"
  }

  /// A topic as the trainee knows it: its question, in quotes.
  static func quoted(_ topic: String, in scenario: Scenario) -> String {
    scenario.topic(topic).map { "\"\($0.question)\"" } ?? "'\(topic)'"
  }

  /// The first sentence of a reason (the rest is one `protocol <id>` away).
  public static func firstSentence(_ text: String) -> String {
    var end = text.startIndex
    while let stop = text[end...].firstIndex(where: { ".!?".contains($0) }) {
      let next = text.index(after: stop)
      // "U.S." and "N.C." end no sentence: a period after a lone capital (an initial) is an
      // abbreviation, as is one after a legal abbreviation ("Stat", "Gen", "Fam" ...).
      let word = (text[..<stop].split(separator: " ").last ?? "").drop { "([\"'".contains($0) }
      let initial =
        word.split(separator: ".").last.map { $0.count == 1 && $0.first?.isUppercase == true }
        ?? false
      let abbreviation =
        text[stop] == "."
        && (initial
          || [
            "Stat", "Fam", "Gov", "Ann", "Rev", "Sec", "No", "Tex", "Cal", "Fla", "Gen", "Pen",
            "Crim", "Proc", "Admin", "Art", "Ch", "Educ", "Welf", "Inst", "Ct", "Comp", "Cons",
          ].contains(
            String(word)))
      if next == text.endIndex || (text[next] == " " && !abbreviation) {
        return String(text[...stop])
      }
      end = next
    }
    return text
  }

  /// The reason for an expected referral: its protocol's reason, then on what basis, in
  /// words (never "only if she agrees" beside "no consent needed").
  static func reasonFor(_ referral: Referral, in decision: Decision) -> String {
    let because = decision.protocols.first { $0.id == referral.protocolID }?.because ?? ""
    return "\(referral.protocolID) (\(Plain.consent(referral.consent))): \(firstSentence(because))"
  }

  /// The consent rule, as a trainee should be able to say it.
  static let consentRule =
    "Consent rule: an adult victim decides whether police are involved. Only imminent danger (for the emergency response) or a child (for the child's report) overrides her say."

  /// Whether an adult victim refused police and nothing overrides her refusal.
  static func adultRefusedWithoutOverride(_ truth: Report) -> Bool {
    guard truth.imminentDanger != true, let victims = truth.victims else { return false }
    return victims.contains { $0.consentsToLawEnforcement == false && ($0.age ?? 18) >= 18 }
  }

  /// Whether something lifts an adult's say over a referral to `role`: a danger lifts it only
  /// for the emergency response (911 and the local police who answer), a child for the
  /// child's report. State, federal and immigration agents still wait for her consent.
  static func overridesConsent(_ truth: Report, for role: Role) -> Bool {
    (truth.imminentDanger == true && role.answersEmergencies)
      || (truth.victims ?? []).contains { ($0.age ?? 99) < 18 }
  }

  static func consentGiven(_ truth: Report) -> Bool {
    guard let victims = truth.victims, !victims.isEmpty else { return false }
    return victims.allSatisfy { $0.consentsToLawEnforcement == true }
  }

}
