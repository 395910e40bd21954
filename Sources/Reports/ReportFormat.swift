import Foundation
import ScenarioKit

/// The words and number formats both report renderings use, so the text report and the HTML
/// page never disagree on a label or a rounding. Everything is computed by hand in UTC and
/// without locale, so a report reads the same on every machine.
enum ReportFormat {
  /// `2026-11-29 23:22 UTC`.
  static func time(_ date: Date) -> String {
    let parts = utc.dateComponents([.year, .month, .day, .hour, .minute], from: date)
    return
      "\(day(date)) \(two(parts.hour ?? 0)):\(two(parts.minute ?? 0)) UTC"
  }

  /// `2026-11-29`.
  static func day(_ date: Date) -> String {
    let parts = utc.dateComponents([.year, .month, .day], from: date)
    return "\(parts.year ?? 1970)-\(two(parts.month ?? 1))-\(two(parts.day ?? 1))"
  }

  private static let utc: Calendar = {
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = TimeZone(identifier: "UTC") ?? calendar.timeZone
    return calendar
  }()

  private static func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }

  /// `mm:ss` on the simulated clock, as the scorer prints it.
  static func clock(_ seconds: Int) -> String {
    "\(two(max(seconds, 0) / 60)):\(two(max(seconds, 0) % 60))"
  }

  /// "1 attempt", "3 attempts".
  static func count(_ value: Int, _ noun: String) -> String {
    "\(value) \(noun)\(value == 1 ? "" : "s")"
  }

  /// `45%`, rounded half away from zero.
  static func percent(_ value: Double) -> String { "\(Int((value * 100).rounded()))%" }

  /// One decimal place: `72.5`, `100.0`.
  static func decimal(_ value: Double) -> String {
    let tenths = Int((value * 10).rounded())
    let sign = tenths < 0 ? "-" : ""
    return "\(sign)\(abs(tenths) / 10).\(abs(tenths) % 10)"
  }

  /// An optional score or mean, with a dash when there is none.
  static func decimal(_ value: Double?) -> String { value.map(decimal) ?? "-" }

  /// The text with its first letter upper-cased.
  static func sentence(_ text: String) -> String { text.prefix(1).uppercased() + text.dropFirst() }

  /// "mandated report" for `mandated_report`.
  static func level(_ raw: String) -> String { raw.replacingOccurrences(of: "_", with: " ") }

  /// "High compliance" for `high_compliance`; unknown levels as written.
  static func compliance(_ raw: String) -> String {
    switch Compliance(rawValue: raw) {
    case .highCompliance?: "High compliance"
    case .compliant?: "Compliant"
    case .partial?: "Partial compliance"
    case .low?: "Low compliance"
    case .nonCompliant?: "Non-compliant"
    case nil: sentence(level(raw))
    }
  }

  /// The label of a deviation category, as a coordinator reads it.
  static func category(_ raw: String) -> String {
    switch raw {
    case "escalation": "Escalation level"
    case "referral": "Referrals"
    case "protocol": "Protocols named"
    case "key_fact": "Key questions"
    case "conduct": "Conduct on the call"
    case "timeliness": "Timeliness"
    case "choice": "Choices"
    default: sentence(level(raw))
    }
  }

  /// 0 for `minor` to 3 for `critical`; -1 for anything else.
  static func severityRank(_ raw: String) -> Int {
    DeviationSeverity.allCases.firstIndex { $0.rawValue == raw } ?? -1
  }

  static func severity(rank: Int) -> String {
    let all = DeviationSeverity.allCases
    return rank >= 0 && rank < all.count ? all[rank].rawValue : ""
  }

  /// "police (local)" style words for a role; unknown roles as written.
  static func role(_ raw: String) -> String {
    switch raw {
    case "emergency_services": "Emergency services (911 dispatch)"
    case "local_law_enforcement": "Local police"
    case "state_law_enforcement": "State police"
    case "federal_law_enforcement": "Federal law enforcement"
    case "federal_immigration_law_enforcement": "Federal immigration agents"
    case "child_protective_services": "Child protective services"
    case "cybertipline": "CyberTipline"
    case "labor_standards": "Labor standards (wage and hour)"
    case "consular_services": "Consular services"
    case "shelter": "Shelter"
    case "case_management": "Case management"
    case "legal_services": "Legal services"
    case "immigration_legal_services": "Immigration legal services"
    case "forced_marriage_services": "Forced-marriage services"
    case "interpretation": "Interpreter"
    default: sentence(level(raw))
    }
  }

  /// Why a referral needs no one's permission, or whose was given.
  static func consent(_ raw: String) -> String {
    switch raw {
    case "given": "with consent"
    case "not_required:minor": "no consent needed: a child"
    case "not_required:imminent_danger": "no consent needed: danger"
    case "not_required:law": "required by law"
    case "not_required:services": "service referral"
    default: level(raw)
    }
  }

  /// "Mastered", "In progress" ...
  static func partState(_ raw: String) -> String { sentence(level(raw)) }

  /// The text cut to `length` characters, with an ellipsis when cut.
  static func cut(_ text: String, _ length: Int) -> String {
    text.count <= length ? text : String(text.prefix(max(length - 1, 0))) + "…"
  }

  /// Words wrapped into at most `lines` lines of at most `width` characters; the last line
  /// ends with an ellipsis when the text does not fit.
  static func wrap(_ text: String, width: Int, lines: Int) -> [String] {
    var result: [String] = []
    var current = ""
    for word in text.split(separator: " ") {
      let candidate = current.isEmpty ? String(word) : current + " " + word
      if candidate.count <= width || current.isEmpty {
        current = candidate
      } else {
        result.append(current)
        current = String(word)
      }
    }
    if !current.isEmpty { result.append(current) }
    guard result.count > lines else { return result.map { cut($0, width) } }
    var kept = result.prefix(lines).map { cut($0, width) }
    let last = kept[lines - 1]
    kept[lines - 1] = (last.count < width ? last : String(last.prefix(width - 1))) + "…"
    return kept
  }
}
