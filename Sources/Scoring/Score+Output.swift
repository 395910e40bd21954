import ProtocolEngine
import ScenarioKit

extension Score {
  /// The score record (`--format json`): the contract's keys in order, then the attempt.
  public var json: JSONValue {
    let trainee: JSONValue = .object([
      ("escalation", state.escalation.map { .string($0.rawValue) } ?? .null),
      ("referrals", .array(state.referrals.map { .string($0.value) })),
      ("protocols", .array(state.protocolsNamed.map { .string($0) })),
      ("asked", .array(state.asked.map { .string($0.value) })),
      ("notes", .array(state.notes.map { .string($0.value) })),
    ])
    return .object([
      (
        "scenario",
        .object([
          ("id", .string(scenario.id)), ("version", .int(scenario.version)),
          ("sha256", .string(scenario.sha256)),
        ])
      ),
      (
        "ruleset",
        .object([
          ("version", .string(expected.ruleset.version)),
          ("sha256", .string(expected.ruleset.sha256)),
        ])
      ),
      ("expected", expected.json),
      ("expected_on_revealed", expectedOnRevealed.json),
      ("trainee", trainee),
      (
        "deviations",
        .array(
          deviations.map {
            .object([
              ("severity", .string($0.severity.rawValue)),
              ("category", .string($0.category.rawValue)),
              ("at", .string(clockText($0.at))), ("message", .string($0.message)),
              ("because", .string($0.because)),
            ])
          })
      ),
      ("compliance", .string(compliance.rawValue)),
      ("score", .int(score)),
      (
        "accuracy",
        .object([("revealed", .double(accuracyRevealed)), ("truth", .double(accuracyTruth))])
      ),
      (
        "attempt",
        .object([
          ("trainee", .string(self.trainee)), ("audience", .string(rubric.audience.rawValue)),
          ("mode", .string(mode.rawValue)),
          ("seed", .string(String(seed))),
          ("as_of", .string(asOf.description)), ("ended", .string(ended.rawValue)),
          ("clock", .string(clockText(clock))),
          (
            "conversation_ended",
            state.conversationEnded.map {
              .object([("reason", .string($0.value.rawValue)), ("at", .string(clockText($0.at)))])
            } ?? .null
          ),
          (
            "what_happens_next",
            .array(
              whatHappensNext.map {
                .object([
                  ("contact", .string($0.contact)), ("role", .string($0.role.rawValue)),
                  ("protocol", .string($0.protocolID)),
                ])
              })
          ),
          ("credits", .array(credits.map { .string($0) })),
          (
            "journal",
            .array(
              state.journal.map {
                .object([("at", .string(clockText($0.at))), ("input", .string($0.value))])
              })
          ),
        ])
      ),
    ])
  }

  /// The debrief a trainee reads. First one screen: the score and level, the three most
  /// important deviations and what to ask next time. Then what was expected of the trainee
  /// and what happens next outside their duties, and every deviation grouped by cause (each
  /// reason printed once), in plain language.
  public var debrief: String {
    var lines: [String] = []
    lines.append("Debrief: \(scenario.title)")
    lines.append(
      "Score \(score)/100: \(Plain.compliance(compliance)). Scored as: \(rubric.title).")
    lines.append(endedText)
    lines.append("")
    let groups = deviationGroups
    if groups.isEmpty {
      lines.append("No deviations: every decision you answer for matched the protocols.")
    } else {
      lines.append("Most important")
      for (number, group) in groups.prefix(3).enumerated() {
        lines += describe(group, number: number + 1)
      }
    }
    let questions = askNextTime
    if !questions.isEmpty {
      lines.append("")
      lines.append("Ask next time")
      for question in questions { lines += wrap("- \(question)", indent: "  ") }
    }
    lines.append("")
    lines.append("What you did")
    lines += wrap(didText, indent: "  ")
    lines.append("What the protocols expected of you")
    lines += wrap(expectedText, indent: "  ")
    if !whatHappensNext.isEmpty {
      lines.append("What happens next (not yours to do)")
      let next = whatHappensNext.map { "\(Plain.role($0.role)) (\($0.contact))" }
      lines += wrap(next.joined(separator: "; ") + ".", indent: "  ")
    }
    if !credits.isEmpty {
      lines.append("Credit")
      lines += wrap(credits.joined(separator: " "), indent: "  ")
    }
    lines += wrap(accuracyText, indent: "")
    if groups.count > 3 {
      lines.append("")
      lines.append("Everything else, by cause")
      for group in groups.dropFirst(3) { lines += describe(group, number: nil) }
    }
    lines.append("")
    return lines.joined(separator: "\n")
  }

  /// A group: its severity, each deviation of it, then the reason once.
  private func describe(_ group: DeviationGroup, number: Int?) -> [String] {
    var lines: [String] = []
    let head = "\(number.map { "\($0). " } ?? "")\(group.severity.label) "
    for (index, message) in group.messages.enumerated() {
      lines += wrap((index == 0 ? head : "") + message, indent: index == 0 ? "  " : "    ")
    }
    lines += wrap("Why: \(group.because)", indent: "      ")
    return lines
  }

  /// Deviations with the same cause (category and reason) together, worst first.
  struct DeviationGroup {
    var severity: DeviationSeverity
    var at: Int
    var because: String
    /// "[mm:ss] message", in time order.
    var messages: [String]
  }

  var deviationGroups: [DeviationGroup] {
    var groups: [DeviationGroup] = []
    // Referrals you answer for and did not make are one cause; each protocol's reason is
    // one `protocol <id>` away.
    let missing = deviations.filter {
      $0.category == .referral && $0.message.hasPrefix("No referral")
    }
    let missingBecause =
      "Each of these referrals is yours to make here; `protocol <id>` gives each protocol's reason ("
      + Set(missing.compactMap { $0.because.split(separator: " ").first.map(String.init) })
      .sorted().joined(separator: ", ") + ")."
    let keyFacts = deviations.filter {
      $0.category == .keyFact && $0.message.hasPrefix("Key question")
    }
    for deviation in deviations {
      var line = "[\(clockText(deviation.at))] \(deviation.message)"
      // The key questions are listed under "Ask next time"; here they count once.
      if keyFacts.contains(deviation) {
        guard deviation == keyFacts.first else { continue }
        line =
          "[\(clockText(deviation.at))] \(keyFacts.count) key question\(keyFacts.count == 1 ? "" : "s") missed (under \"Ask next time\")."
      }
      let because =
        missing.count > 1 && missing.contains(deviation) ? missingBecause : deviation.because
      if let index = groups.firstIndex(where: { $0.because == because }) {
        groups[index].messages.append(line)
        groups[index].severity = max(groups[index].severity, deviation.severity)
      } else {
        groups.append(
          DeviationGroup(
            severity: deviation.severity, at: deviation.at, because: because, messages: [line]))
      }
    }
    return groups.enumerated().sorted {
      ($1.element.severity, $0.element.at, $0.offset) < (
        $0.element.severity, $1.element.at, $1.offset
      )
    }.map(\.element)
  }

  /// The questions the trainee should ask next time: the key questions missed, with what
  /// each would have told them.
  var askNextTime: [String] {
    var questions: [String] = []
    for deviation in deviations where deviation.category == .keyFact {
      let prefix = "Key question missed: "
      guard deviation.message.hasPrefix(prefix) else { continue }
      let question = String(deviation.message.dropFirst(prefix.count))
      if !questions.contains(question) { questions.append(question) }
    }
    return questions
  }

  private var endedText: String {
    var text: String
    switch ended {
    case .submitted: text = "You submitted at \(clockText(clock))"
    case .abandoned: text = "You left the attempt at \(clockText(clock))"
    case .timedOut: text = "Time ran out at \(clockText(clock))"
    case .hungUp, .disconnected: text = "The attempt ended at \(clockText(clock))"
    }
    if let gone = state.conversationEnded {
      let who = scenario.caller.lowercased()
      text +=
        gone.value == .disconnected
        ? "; the connection was lost at \(clockText(gone.at))"
        : "; the \(who) \(scenario.channel == .call ? "hung up" : "stopped responding") at \(clockText(gone.at))"
    }
    return text + "."
  }

  private var didText: String {
    var parts: [String] = []
    if let level = state.escalation {
      let at = state.escalations.last.map { " at \(clockText($0.at))" } ?? ""
      parts.append("Escalated to \(Plain.level(level))\(at).")
    } else {
      parts.append("Set no escalation.")
    }
    parts.append(
      state.referrals.isEmpty
        ? "Referred no one."
        : "Referred \(state.referrals.map(\.value).joined(separator: ", ")).")
    parts.append(
      state.asked.isEmpty
        ? "Asked nothing."
        : "Asked \(state.asked.count) question\(state.asked.count == 1 ? "" : "s").")
    return parts.joined(separator: " ")
  }

  private var expectedText: String {
    var parts = ["Escalate to \(Plain.level(expected.escalation))."]
    // Referrals grouped by their basis, so each basis is said once.
    var byBasis: [(basis: String, roles: [String])] = []
    for role in expected.roles where rubric.duty(role) == .answerable {
      let text: String
      let basis: String
      if let level = rubric.carriedOutBy[role] {
        text = "\(Plain.role(role)) (your `escalate \(level.rawValue)` is the dispatch)"
        basis = "dispatch"
      } else {
        let referrals = expected.referrals.filter { $0.role == role }
        text = "\(Plain.role(role)) (\(referrals.map(\.contact).joined(separator: " or ")))"
        basis = referrals.first.map { Plain.consent($0.consent) } ?? ""
      }
      if let index = byBasis.firstIndex(where: { $0.basis == basis }) {
        byBasis[index].roles.append(text)
      } else {
        byBasis.append((basis, [text]))
      }
    }
    if byBasis.isEmpty {
      parts.append("No referral is yours to make.")
    }
    for group in byBasis {
      let label = group.basis == "dispatch" ? "" : " (\(group.basis))"
      parts.append("Refer\(label): \(group.roles.joined(separator: ", ")).")
    }
    return parts.joined(separator: " ")
  }

  /// The two accuracies, each in one sentence, or one sentence when they agree.
  private var accuracyText: String {
    if accuracyRevealed == accuracyTruth {
      return
        "Accuracy \(percent(accuracyTruth)): your escalation and referrals against what the protocols call for."
    }
    return
      "Accuracy \(percent(accuracyRevealed)) against the facts you gathered (did you act on what you learned?) and \(percent(accuracyTruth)) against what was really happening (did you learn what mattered?)."
  }

  private func percent(_ value: Double) -> String { "\(Int((value * 100).rounded()))%" }

}
