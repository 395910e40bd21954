import ProtocolEngine

/// What of a report the decision log keeps (docs/decision-log.md, "Masking").
///
/// The policy is a whitelist of fact paths: a field is logged only when it is listed here as
/// `kept`. A field added to `Report` later is therefore dropped until someone classifies it
/// (a test fails until they do). The masked report is re-encoded from the decoded `Report`,
/// so nothing the strict decoder did not accept as a known fact can reach the log.
public enum ReportMask {
  /// What happens to one field of a report.
  public enum Treatment: String, Sendable, Hashable {
    /// Logged: the engine reads it, and replaying the decision needs it.
    case kept
    /// Never logged.
    case dropped
  }

  /// One classified field: its path in `report.json` (`[]` for every element of a list).
  public struct Rule: Sendable, Hashable {
    public var field: String
    public var treatment: Treatment
    public var reason: String
  }

  /// Every field of the report JSON, classified. Containers (`reporter`, `victims[]`) are kept
  /// when one of their fields is.
  public static let policy: [Rule] = [
    Rule(
      field: "id", treatment: .dropped,
      reason: "a case-system identifier; the log has its own request id"),
    Rule(field: "received_at", treatment: .kept, reason: "the day protocols are taken in force"),
    Rule(field: "channel", treatment: .kept, reason: "a fact protocols read"),
    Rule(field: "reporter.relationship", treatment: .kept, reason: "consent and third-party tips"),
    Rule(field: "reporter.mandated_reporter", treatment: .kept, reason: "a professional's duty"),
    Rule(field: "reporter.consents_to_share", treatment: .kept, reason: "consent gating"),
    Rule(field: "location.country", treatment: .kept, reason: "jurisdiction; abroad"),
    Rule(field: "location.state", treatment: .kept, reason: "jurisdiction"),
    Rule(field: "location.county", treatment: .kept, reason: "jurisdiction"),
    Rule(field: "location.city", treatment: .kept, reason: "jurisdiction"),
    Rule(field: "trafficking_type", treatment: .kept, reason: "a fact protocols read"),
    Rule(field: "indicators", treatment: .kept, reason: "means (force, fraud, coercion)"),
    Rule(field: "victims[].age", treatment: .kept, reason: "a minor needs no consent or means"),
    Rule(field: "victims[].foreign_national", treatment: .kept, reason: "immigration referrals"),
    Rule(field: "victims[].language", treatment: .kept, reason: "interpretation referrals"),
    Rule(
      field: "victims[].consents_to_law_enforcement", treatment: .kept, reason: "consent gating"),
    Rule(field: "perpetrator.caregiver", treatment: .kept, reason: "CPS or police"),
    Rule(field: "imminent_danger", treatment: .kept, reason: "emergency response"),
    Rule(field: "online_exploitation", treatment: .kept, reason: "CyberTipline"),
    Rule(field: "forced_marriage", treatment: .kept, reason: "forced marriage services"),
  ]

  /// The fields logged.
  public static let keptFields: Set<String> = Set(
    policy.filter { $0.treatment == .kept }.map(\.field))

  /// The report as the log keeps it: `report.json` with only the kept fields, keys in the
  /// report's contract order. An object left with no kept field is left out; a victim with no
  /// kept fact stays as `{}`, because how many victims there are is itself a fact.
  public static func mask(_ report: Report) -> JSONValue {
    filter(report.json, path: "") ?? .object([])
  }

  private static func filter(_ value: JSONValue, path: String) -> JSONValue? {
    switch value {
    case .object(let pairs):
      var kept: [(String, JSONValue)] = []
      for (key, child) in pairs {
        let childPath = path.isEmpty ? key : "\(path).\(key)"
        if keptFields.contains(childPath) {
          kept.append((key, child))
        } else if isContainer(childPath), let filtered = filter(child, path: childPath) {
          kept.append((key, filtered))
        }
      }
      return kept.isEmpty && !path.hasSuffix("[]") && !path.isEmpty ? nil : .object(kept)
    case .array(let items):
      return .array(items.compactMap { filter($0, path: path + "[]") })
    default:
      return nil
    }
  }

  /// The paths that hold a kept field (`reporter`, `victims`, `victims[]`).
  private static let containers: Set<String> = {
    var paths = Set<String>()
    for field in keptFields {
      var prefix = ""
      for character in field {
        if character == "." || character == "[" { paths.insert(prefix) }
        prefix.append(character)
      }
    }
    return paths
  }()

  /// Whether some kept field lies inside `path`.
  private static func isContainer(_ path: String) -> Bool { containers.contains(path) }
}
