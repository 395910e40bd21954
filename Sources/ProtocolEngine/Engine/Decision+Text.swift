extension Escalation {
  /// `MANDATED REPORT` for `mandated_report`.
  public var label: String { rawValue.replacingAll("_", with: " ").uppercased() }
}

extension Decision {
  /// The explanation a person reads: what to do now, why, what is still unknown.
  public var text: String {
    var lines: [String] = []
    lines.append("Escalation: \(escalation.label) (category: \(category.rawValue))")
    lines.append("Ruleset \(ruleset.version), sha256 \(ruleset.sha256.prefix(12)), as of \(asOf)")
    lines.append("")
    if protocols.isEmpty {
      lines.append("No protocol applies: give general information.")
    } else {
      lines.append("Protocols that apply:")
      for item in protocols {
        lines.append("  \(item.id) (\(item.escalation.rawValue)): \(item.title)")
        lines += wrap(item.because, indent: "      ")
      }
    }
    lines.append("")
    if referrals.isEmpty {
      lines.append("Referrals to make now: none.")
    } else {
      lines.append("Referrals to make now:")
      for (number, referral) in referrals.enumerated() {
        lines.append("  \(number + 1). \(referral.name) [\(referral.contact)]")
        lines.append(
          "      \(referral.role.rawValue), \(referral.jurisdiction); phone \(referral.phone), \(referral.hours)"
        )
        lines.append("      via \(referral.protocolID); consent: \(referral.consent.rawValue)")
        lines += wrap(referral.because, indent: "      ")
      }
    }
    if !needs.isEmpty {
      lines.append("")
      lines.append("Still unknown (ask about these; they could change the outcome):")
      for need in needs { lines.append("  - \(need.fact): \(need.because)") }
    }
    if !nearMisses.isEmpty {
      lines.append("")
      lines.append("Near misses:")
      for miss in nearMisses {
        lines.append("  - \(miss.protocolID) failed on \(miss.failedOn): \(miss.because)")
      }
    }
    lines.append("")
    lines.append("TRAINING DATA: contact details in the shipped directory are fictional.")
    return lines.joined(separator: "\n") + "\n"
  }
}

/// Wraps prose at `width` columns, every line starting with `indent`.
public func wrap(_ text: String, indent: String, width: Int = 88) -> [String] {
  var lines: [String] = []
  var current = indent
  for word in text.split(separator: " ") {
    if current.count + word.count + 1 > width, current != indent {
      lines.append(current)
      current = indent
    }
    current += (current == indent ? "" : " ") + word
  }
  if current != indent { lines.append(current) }
  return lines
}
