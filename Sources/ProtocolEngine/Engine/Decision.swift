/// A protocol that applies to a report.
public struct AppliedProtocol: Sendable, Hashable {
  public var id: String
  public var title: String
  public var because: String
  /// The escalation this protocol contributes (after consent gating).
  public var escalation: Escalation
  /// Position in the set (sorted by id), for sorting without comparing strings.
  var order = 0
}

/// A referral to make now.
public struct Referral: Sendable, Hashable {
  public var contact: String
  public var name: String
  public var role: Role
  public var jurisdiction: String
  public var protocolID: String
  public var consent: ConsentBasis
  public var because: String
  public var phone: String
  public var hours: String
  /// The escalation rank of the protocol that made it, and the contact's position in the
  /// directory (sorted by id): keys for de-duplicating and sorting without strings.
  var rank = 0
  var order = 0
}

/// An unknown fact that could change the outcome.
public struct Need: Sendable, Hashable {
  public var fact: String
  public var because: String
  /// The protocols it decides.
  public var protocols: [String]
}

/// A protocol that failed on one condition, or a referral held back.
public struct NearMiss: Sendable, Hashable {
  public var protocolID: String
  public var failedOn: String
  public var because: String
}

/// Identifies the ruleset a decision was made under.
public struct RulesetIdentity: Sendable, Hashable {
  public var version: String
  public var sha256: String
}

/// The engine's output for one report (DESIGN.md, "Decision (engine output) JSON").
public struct Decision: Sendable, Hashable {
  public var escalation: Escalation
  public var category: Category
  /// Highest escalation first, then by id.
  public var protocols: [AppliedProtocol]
  /// Sorted by role (declaration order), then contact id.
  public var referrals: [Referral]
  /// Sorted by fact path.
  public var needs: [Need]
  /// Sorted by protocol id, then condition.
  public var nearMisses: [NearMiss]
  public var ruleset: RulesetIdentity
  /// The day protocols and contacts were taken as in force.
  public var asOf: Day

  /// The roles referred now, in order, without repeats.
  public var roles: [Role] {
    var seen = Set<Role>()
    return referrals.map(\.role).filter { seen.insert($0).inserted }
  }

  /// The decision as DESIGN.md's Decision JSON, with keys in the documented order.
  public var json: JSONValue {
    .object([
      ("escalation", .string(escalation.rawValue)),
      ("category", .string(category.rawValue)),
      (
        "protocols",
        .array(
          protocols.map {
            .object([
              ("id", .string($0.id)), ("title", .string($0.title)),
              ("because", .string($0.because)),
            ])
          })
      ),
      (
        "referrals",
        .array(
          referrals.map {
            .object([
              ("contact", .string($0.contact)), ("name", .string($0.name)),
              ("role", .string($0.role.rawValue)), ("jurisdiction", .string($0.jurisdiction)),
              ("protocol", .string($0.protocolID)), ("consent", .string($0.consent.rawValue)),
              ("because", .string($0.because)),
            ])
          })
      ),
      (
        "needs",
        .array(
          needs.map { .object([("fact", .string($0.fact)), ("because", .string($0.because))]) })
      ),
      (
        "near_misses",
        .array(
          nearMisses.map {
            .object([
              ("protocol", .string($0.protocolID)), ("failed_on", .string($0.failedOn)),
              ("because", .string($0.because)),
            ])
          })
      ),
      (
        "ruleset",
        .object([("version", .string(ruleset.version)), ("sha256", .string(ruleset.sha256))])
      ),
    ])
  }
}
