import ProtocolEngine
import ScenarioKit

/// The words a trainee reads instead of the engine's vocabulary: no fact paths, no consent
/// codes. One place, so the debrief and the deviations speak alike.
enum Plain {
  /// "the victim's age" for `victims[0].age`, "whether the caller agrees to share" for
  /// `reporter.consents_to_share`.
  static func fact(_ path: String) -> String {
    var victim = ""
    var field = path
    if path.hasPrefix("victims["), let close = path.firstIndex(of: "]") {
      let number = Int(path[path.index(path.startIndex, offsetBy: 8)..<close]) ?? 0
      victim = number == 0 ? "the victim" : "victim \(number + 1)"
      field = String(path[path.index(after: close)...]).trimmingPrefix(".")
    }
    switch field {
    case "age": return "\(victim)'s age"
    case "foreign_national": return "whether \(victim) is a foreign national"
    case "language": return "\(victim)'s language"
    case "consents_to_law_enforcement": return "whether \(victim) wants police involved"
    case "victims": return "who the victims are"
    case "reporter.relationship": return "who the caller is to the victim"
    case "reporter.mandated_reporter": return "whether the caller is a mandated reporter"
    case "reporter.consents_to_share": return "whether the caller agrees to share the information"
    case "location.country": return "the country"
    case "location.state": return "the state"
    case "location.county": return "the county"
    case "location.city": return "the city"
    case "trafficking_type": return "what kind of exploitation it is"
    case "indicators": return "the signs of force, fraud or coercion"
    case "perpetrator.caregiver": return "whether the exploiter is a parent or caregiver"
    case "imminent_danger": return "whether someone is in danger right now"
    case "online_exploitation": return "whether it happens online"
    case "forced_marriage": return "whether a forced marriage is involved"
    default: return path
    }
  }

  /// A fact and its value in words: "the victim's age is 16".
  static func fact(_ path: String, is value: String) -> String {
    switch value {
    case "true": return "\(fact(path)): yes"
    case "false": return "\(fact(path)): no"
    default: return "\(fact(path)): \(value.replacingOccurrences(of: "_", with: " "))"
    }
  }

  /// A value as said: yes/no for flags, words for codes.
  static func value(_ value: String) -> String {
    switch value {
    case "true": "yes"
    case "false": "no"
    default: value.replacingOccurrences(of: "_", with: " ")
    }
  }

  /// "police (local)", "child protective services".
  static func role(_ role: Role) -> String {
    switch role {
    case .emergencyServices: "emergency services (911 dispatch)"
    case .localLawEnforcement: "local police"
    case .stateLawEnforcement: "state police"
    case .federalLawEnforcement: "federal law enforcement (FBI)"
    case .federalImmigrationLawEnforcement: "federal immigration agents (HSI)"
    case .childProtectiveServices: "child protective services"
    case .cybertipline: "the CyberTipline"
    case .laborStandards: "the labor department (wage and hour)"
    case .consularServices: "the State Department (consular services)"
    case .shelter: "a shelter"
    case .caseManagement: "case management"
    case .legalServices: "legal services"
    case .immigrationLegalServices: "immigration legal services"
    case .forcedMarriageServices: "forced-marriage services"
    case .interpretation: "an interpreter"
    case .hotline: "the hotline"
    }
  }

  /// Why no one's permission was needed, or whose was given.
  static func consent(_ basis: ConsentBasis) -> String {
    switch basis {
    case .given: "with consent"
    case .notRequiredMinor: "no consent needed: a child"
    case .notRequiredImminentDanger: "no consent needed: someone is in danger"
    case .notRequiredLaw: "required by law"
    case .notRequiredServices: "a service referral: nothing goes to police"
    }
  }

  /// "Escalation: mandated report".
  static func level(_ level: Escalation) -> String {
    level.rawValue.replacingOccurrences(of: "_", with: " ")
  }

  /// The compliance level in words, with its place among the five.
  static func compliance(_ level: Compliance) -> String {
    let position = (Compliance.allCases.firstIndex(of: level) ?? 0) + 1
    let words: String
    switch level {
    case .highCompliance: words = "high compliance"
    case .compliant: words = "compliant"
    case .partial: words = "partial compliance"
    case .low: words = "low compliance"
    case .nonCompliant: words = "non-compliant"
    }
    return "\(words) (level \(position) of 5)"
  }
}

extension String {
  /// The string with its first letter upper-cased.
  var capitalizedFirst: String { prefix(1).uppercased() + dropFirst() }

  fileprivate func trimmingPrefix(_ prefix: String) -> String {
    hasPrefix(prefix) ? String(dropFirst(prefix.count)) : self
  }
}
