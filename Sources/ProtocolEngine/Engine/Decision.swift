/// A protocol that applies to a report. Its text is read from the engine's box for the
/// protocol, so copying one costs a single retain.
public struct AppliedProtocol: Sendable, Hashable {
  private let source: Engine.Compiled
  private let explained: Bool
  /// The escalation this protocol contributes (after consent gating).
  public let escalation: Escalation

  public var id: String { source.id }
  public var title: String { source.title }
  /// The plain-language reason (empty when the decision was made without explanation).
  public var because: String { explained ? source.because : "" }
  /// Position in the set (sorted by id), for sorting without comparing strings.
  var order: Int { source.order }

  init(_ source: Engine.Compiled, escalation: Escalation, explained: Bool) {
    self.source = source
    self.escalation = escalation
    self.explained = explained
  }

  public static func == (lhs: AppliedProtocol, rhs: AppliedProtocol) -> Bool {
    lhs.id == rhs.id && lhs.escalation == rhs.escalation && lhs.because == rhs.because
      && lhs.title == rhs.title
  }

  public func hash(into hasher: inout Hasher) {
    hasher.combine(id)
    hasher.combine(escalation)
  }
}

/// A referral to make now.
///
/// It reads its contact's and protocol's text from the engine's boxes rather than holding
/// copies of seven strings: a decision copies and sorts referrals, and a reference costs one
/// retain where a string costs one each.
public struct Referral: Sendable, Hashable {
  private let entry: Engine.Entry
  private let source: Engine.Compiled
  public let role: Role
  public let consent: ConsentBasis
  public let because: String
  /// The escalation rank of the protocol that made it, and the contact's position in the
  /// directory (sorted by id): keys for de-duplicating and sorting without strings.
  let rank: Int
  let order: Int

  public var contact: String { entry.contact.id }
  public var name: String { entry.contact.name }
  public var jurisdiction: String { entry.jurisdiction }
  public var protocolID: String { source.id }
  public var phone: String { entry.contact.phone }
  public var hours: String { entry.contact.hours }
  /// The position of the protocol that made it (protocols are sorted by id).
  var protocolOrder: Int { source.order }

  init(
    entry: Engine.Entry, source: Engine.Compiled, consent: ConsentBasis, because: String,
    order: Int
  ) {
    self.entry = entry
    self.source = source
    role = entry.contact.role
    self.consent = consent
    self.because = because
    rank = source.escalation.rank
    self.order = order
  }

  public static func == (lhs: Referral, rhs: Referral) -> Bool {
    lhs.contact == rhs.contact && lhs.protocolID == rhs.protocolID && lhs.role == rhs.role
      && lhs.consent == rhs.consent && lhs.because == rhs.because && lhs.name == rhs.name
      && lhs.jurisdiction == rhs.jurisdiction && lhs.phone == rhs.phone && lhs.hours == rhs.hours
  }

  public func hash(into hasher: inout Hasher) {
    hasher.combine(contact)
    hasher.combine(protocolID)
    hasher.combine(consent)
    hasher.combine(because)
  }
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
