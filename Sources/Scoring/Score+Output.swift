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
          ("trainee", .string(self.trainee)), ("mode", .string(mode.rawValue)),
          ("seed", .string(String(seed))),
          ("as_of", .string(asOf.description)), ("ended", .string(ended.rawValue)),
          ("clock", .string(clockText(clock))),
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

  /// The debrief a trainee reads: what happened, what the engine expected and why, every
  /// deviation with its reason, and the key questions missed.
  public var debrief: String {
    var lines: [String] = []
    let rule = String(repeating: "=", count: 72)
    lines.append(rule)
    lines.append("Debrief: \(scenario.title) (\(scenario.id) v\(scenario.version))")
    lines.append(
      "Trainee \(trainee), \(mode.rawValue) mode; ended \(ended.rawValue.replacingOccurrences(of: "_", with: " ")) at \(clockText(clock))."
    )
    lines.append(
      "Score \(score)/100, \(compliance.rawValue.replacingOccurrences(of: "_", with: " ")).")
    lines.append(
      "Accuracy: \(percent(accuracyRevealed)) against the facts you gathered, \(percent(accuracyTruth)) against the truth."
    )
    lines.append(rule)
    lines.append("")
    lines.append("What you did")
    lines.append("  Escalation: \(state.escalation?.rawValue ?? "none set")")
    lines.append(
      "  Referrals:  \(state.referrals.isEmpty ? "none" : state.referrals.map(\.value).joined(separator: ", "))"
    )
    lines.append(
      "  Protocols:  \(state.protocolsNamed.isEmpty ? "none named" : state.protocolsNamed.joined(separator: ", "))"
    )
    lines.append(
      "  Asked:      \(state.asked.isEmpty ? "nothing" : state.asked.map(\.value).joined(separator: ", "))"
    )
    lines.append("")
    lines.append("What the protocols expected (on the truth): \(expected.escalation.label)")
    for item in expected.protocols {
      lines.append("  \(item.id) (\(item.escalation.rawValue)): \(item.title)")
      lines += wrap(item.because, indent: "      ")
    }
    for referral in expected.referrals {
      lines.append(
        "  refer \(referral.contact) (\(referral.role.rawValue), \(referral.jurisdiction)); consent \(referral.consent.rawValue)"
      )
    }
    if expectedOnRevealed.escalation != expected.escalation
      || expectedOnRevealed.roles != expected.roles
    {
      lines.append("")
      lines.append(
        "On the facts you gathered, the protocols expected \(expectedOnRevealed.escalation.label)")
      let roles = expectedOnRevealed.roles.map(\.rawValue)
      lines.append(
        roles.isEmpty
          ? "  with no referrals." : "  with referrals to: \(roles.joined(separator: ", ")).")
    }
    lines.append("")
    if deviations.isEmpty {
      lines.append("No deviations: every decision matched the protocols.")
    } else {
      lines.append("Deviations (\(deviations.count))")
      for deviation in deviations {
        lines.append(
          "  [\(clockText(deviation.at))] \(deviation.severity.label) \(deviation.category.rawValue): \(deviation.message)"
        )
        lines += wrap("Why: \(deviation.because)", indent: "      ")
      }
    }
    let missed = deviations.filter { $0.category == .keyFact }
    if !missed.isEmpty {
      lines.append("")
      lines.append("Key questions to ask next time")
      for deviation in missed { lines.append("  - \(deviation.message)") }
    }
    lines.append("")
    return lines.joined(separator: "\n")
  }

  private func percent(_ value: Double) -> String { "\(Int((value * 100).rounded()))%" }

}
