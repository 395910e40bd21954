/// One referral a protocol asks for, by role.
public struct ReferralRule: Sendable, Hashable {
  public var role: Role
  public var consent: ConsentRule
  /// Contacts listing this topic are preferred.
  public var topic: String?
  public var because: String?
}

/// One top-level condition of a protocol's `when` (the operands of its outermost `&&`),
/// kept with its source text so that a near miss can say which condition failed.
struct Conjunct: Sendable, Hashable {
  var condition: Condition
  var text: String
  /// The conjunct's canonical form, for comparing protocols.
  var canonical: String
}

/// What an inline test expects of the decision on its report.
public struct TestExpectation: Sendable, Hashable {
  public var applies: Bool = true
  public var escalation: Escalation?
  public var roles: [Role]?
  public var includesRoles: [Role] = []
  public var excludesRoles: [Role] = []
  public var needs: [String] = []
}

/// An inline test of a protocol: a report and what the whole set must decide for it.
public struct ProtocolTest: Sendable, Hashable {
  public var name: String
  public var report: Report
  public var expect: TestExpectation
  public var policy: PolicySettings?
  public var asOf: Day?
  public var location: SourceLocation
}

/// A reporting protocol: when it applies, what it escalates to and whom it refers.
public struct ReportingProtocol: Sendable, Hashable {
  public var id: String
  public var title: String
  public var version: Int
  public var effective: Day
  /// The last day in force, if any.
  public var expires: Day?
  public var scope: Jurisdiction
  /// `for_each: victim`: `when` is evaluated once per victim (`v` bound to each), and the
  /// protocol applies for the victims it holds for; `consent: victim` waits on those only.
  public var perVictim: Bool
  /// The `when` expression as written.
  public var whenText: String
  public var escalation: Escalation
  public var category: Category?
  public var referrals: [ReferralRule]
  public var because: String
  public var cite: [String]
  public var tests: [ProtocolTest]
  /// Where the protocol's file starts.
  public var location: SourceLocation

  var condition: Condition
  var conjuncts: [Conjunct]
  /// The canonical form of `when`, for hashing.
  var canonicalWhen: String
  /// Where `when`'s value starts.
  var whenLocation: SourceLocation

  /// 1 for most protocols; 2 for those whose condition uses `refers(...)`.
  public var stage: Int { condition.usesReferrals ? 2 : 1 }

  public func isInForce(on day: Day) -> Bool {
    effective <= day && (expires.map { day <= $0 } ?? true)
  }
}

/// `policy.yaml`: the ruleset's version and the agency's settings.
public struct Policy: Sendable, Hashable {
  public var version: String
  public var name: String
  public var trainingData: Bool
  public var settings: PolicySettings
  /// Named conditions (`means`) the protocols use by name.
  public var definitions: Definitions
}
