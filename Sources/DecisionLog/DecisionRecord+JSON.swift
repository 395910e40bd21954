import Foundation
import ProtocolEngine

extension DecisionRecord {
  /// The record of one decision as the service makes it: the report masked by
  /// ``ReportMask``, the decision's JSON, its ruleset and as-of day, the time in UTC.
  public init(requestID: String, time: Date = Date(), report: Report, decision: Decision) {
    self.init(
      requestID: requestID, time: LogInstant(time).description,
      rulesetVersion: decision.ruleset.version, rulesetSHA256: decision.ruleset.sha256,
      asOf: decision.asOf, report: ReportMask.mask(report), decision: decision.json)
  }

  /// The record as its log line's JSON, keys in this stable order:
  /// `request_id`, `time`, `ruleset` (`version`, `sha256`), `as_of`, `report`, `decision`.
  public var json: JSONValue {
    .object([
      ("request_id", .string(requestID)),
      ("time", .string(time)),
      (
        "ruleset",
        .object([("version", .string(rulesetVersion)), ("sha256", .string(rulesetSHA256))])
      ),
      ("as_of", .string(asOf.description)),
      ("report", report),
      ("decision", decision),
    ])
  }

  /// One line of a JSON lines log, newline included. Control characters in strings are
  /// escaped, so the line never contains a newline of its own.
  public var jsonLine: String { json.rendered() + "\n" }

  /// The decision's escalation, when the decision JSON names a valid one.
  public var escalation: Escalation? {
    guard case .object(let pairs) = decision,
      case .string(let text)? = pairs.first(where: { $0.0 == "escalation" })?.1
    else { return nil }
    return Escalation(rawValue: text)
  }
}

/// What replay compares of a decision: its escalation, the referrals made now (by contact and
/// role) and the protocols that apply. Lists are sorted and without repeats.
public struct DecisionOutcome: Sendable, Hashable {
  /// A referral, by contact and role.
  public struct Referral: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var contact: String
    public var role: String

    public init(contact: String, role: String) {
      self.contact = contact
      self.role = role
    }

    /// Role order (DESIGN.md's list; unknown roles last, by name), then contact.
    public static func < (lhs: Referral, rhs: Referral) -> Bool {
      func rank(_ role: String) -> Int { Role(rawValue: role)?.order ?? Role.allCases.count }
      return (rank(lhs.role), lhs.role, lhs.contact) < (rank(rhs.role), rhs.role, rhs.contact)
    }

    /// `contact (role)`.
    public var description: String { "\(contact) (\(role))" }
  }

  public var escalation: Escalation
  public var referrals: [Referral]
  public var protocols: [String]

  public init(escalation: Escalation, referrals: [Referral], protocols: [String]) {
    self.escalation = escalation
    self.referrals = Array(Set(referrals)).sorted()
    self.protocols = Array(Set(protocols)).sorted()
  }

  /// The outcome of a decision the engine just made.
  public init(_ decision: Decision) {
    self.init(
      escalation: decision.escalation,
      referrals: decision.referrals.map { Referral(contact: $0.contact, role: $0.role.rawValue) },
      protocols: decision.protocols.map(\.id))
  }
}
