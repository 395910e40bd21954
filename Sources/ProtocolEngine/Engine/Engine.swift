/// A protocol set indexed for routing. Build it once; `decide` is then cheap and pure.
///
/// Protocols are indexed by scope (so a decision looks only at the jurisdictions that
/// contain the report) and, within a scope, by one enumerated or boolean fact their
/// condition requires (so a report about labor skips the protocols keyed on sex). Contacts
/// are indexed by role and jurisdiction.
public struct Engine: Sendable {
  public let set: ProtocolSet

  struct IndexKey: Hashable, Sendable {
    var fact: ReportFact
    var value: Scalar
  }

  /// The protocols of one scope.
  struct Bucket: Sendable {
    /// Protocols with no indexable required fact.
    var unkeyed: [Int] = []
    /// Protocols that require `fact == value`.
    var keyed: [IndexKey: [Int]] = [:]
    /// The facts used as keys here, in a fixed order.
    var keyFacts: [ReportFact] = []
    var all: [Int] = []
  }

  /// Scope key (`""` for any, `us/tx`, ...) -> protocols of exactly that scope.
  let buckets: [String: Bucket]
  /// Jurisdiction key -> protocols scoped strictly inside it (they are unknown while the
  /// report's location stops at that key).
  let inside: [String: [Int]]
  /// Role order -> jurisdiction key -> contact indices, sorted by id.
  let contactIndex: [[String: [Int]]]

  public init(_ set: ProtocolSet) {
    self.set = set
    var buckets: [String: Bucket] = [:]
    var inside: [String: [Int]] = [:]
    for (index, item) in set.protocols.enumerated() {
      var bucket = buckets[item.scope.key] ?? Bucket()
      bucket.all.append(index)
      if let key = Engine.indexKey(item.condition) {
        bucket.keyed[key, default: []].append(index)
        if !bucket.keyFacts.contains(key.fact) { bucket.keyFacts.append(key.fact) }
      } else {
        bucket.unkeyed.append(index)
      }
      buckets[item.scope.key] = bucket
      var parent = item.scope.parent
      while let jurisdiction = parent {
        inside[jurisdiction.key, default: []].append(index)
        parent = jurisdiction.parent
      }
    }
    self.buckets = buckets
    self.inside = inside
    var contactIndex = Array(repeating: [String: [Int]](), count: Role.allCases.count)
    for (index, contact) in set.contacts.enumerated() {
      contactIndex[contact.role.order][contact.jurisdiction.key, default: []].append(index)
    }
    self.contactIndex = contactIndex
  }

  /// A required `fact == value` (or boolean fact) among the condition's top-level conjuncts.
  static func indexKey(_ condition: Condition) -> IndexKey? {
    let conjuncts: [Condition]
    if case .and(let items) = condition { conjuncts = items } else { conjuncts = [condition] }
    for conjunct in conjuncts {
      switch conjunct {
      case .fact(.report(let fact)):
        return IndexKey(fact: fact, value: .bool(true))
      case .compare(.fact(.report(let fact)), .equal, .literal(let value)),
        .compare(.literal(let value), .equal, .fact(.report(let fact))):
        switch fact.type {
        case .enumeration, .bool: return IndexKey(fact: fact, value: value)
        default: continue
        }
      default: continue
      }
    }
    return nil
  }

  /// The protocols whose scope contains the report's jurisdiction. Without `explain`, the
  /// value index drops those whose key fact is known to differ (they would be false).
  func candidates(scopeKeys: [String], context: EvaluationContext, useValueIndex: Bool) -> [Int] {
    var result: [Int] = []
    for key in scopeKeys {
      guard let bucket = buckets[key] else { continue }
      guard useValueIndex else {
        result += bucket.all
        continue
      }
      result += bucket.unkeyed
      for fact in bucket.keyFacts {
        if let value = context.value(.report(fact), victim: nil) {
          if let matching = bucket.keyed[IndexKey(fact: fact, value: value)] { result += matching }
        } else {
          for (key, indices) in bucket.keyed where key.fact == fact { result += indices }
        }
      }
    }
    result.sort()
    return result
  }

  /// The most specific active contacts for a role: city, then county, state, country, and
  /// the home country last (it also serves reports from abroad). Within the first level that
  /// has any, contacts listing `topic` are preferred (else general ones, with no topics),
  /// then those speaking a victim's language. The topic is a preference: when no contact at
  /// any level serves it, the role resolves as if no topic had been asked for. A contact
  /// only for minors (or only for adults) never serves a report about the other age group.
  func contacts(
    for role: Role, topic: String?, ageGroup: AgeGroup?, languages: [String],
    jurisdictionKeys: [String], on day: Day
  ) -> [Contact] {
    let found = contacts(
      for: role, strictTopic: topic, ageGroup: ageGroup, languages: languages,
      jurisdictionKeys: jurisdictionKeys, on: day)
    guard found.isEmpty, topic != nil else { return found }
    return contacts(
      for: role, strictTopic: nil, ageGroup: ageGroup, languages: languages,
      jurisdictionKeys: jurisdictionKeys, on: day)
  }

  /// Whom a report is about, when every victim's age is known.
  enum AgeGroup {
    case minors, adults

    init?(_ report: Report) {
      switch report.hasMinor {
      case true?: self = .minors
      case false?: self = .adults
      case nil: return nil
      }
    }

    /// Whether a contact with these topics serves this age group.
    func isServed(by topics: [String]) -> Bool {
      switch self {
      case .minors: !topics.contains("adults") || topics.contains("minors")
      case .adults: !topics.contains("minors") || topics.contains("adults")
      }
    }
  }

  private func contacts(
    for role: Role, strictTopic topic: String?, ageGroup: AgeGroup?, languages: [String],
    jurisdictionKeys: [String], on day: Day
  ) -> [Contact] {
    let byJurisdiction = contactIndex[role.order]
    for key in jurisdictionKeys {
      guard let indices = byJurisdiction[key] else { continue }
      var found = indices.map { set.contacts[$0] }.filter {
        $0.isActive(on: day) && (ageGroup?.isServed(by: $0.topics) ?? true)
      }
      guard !found.isEmpty else { continue }
      if let topic {
        let listing = found.filter { $0.topics.contains(topic) }
        found = listing.isEmpty ? found.filter { $0.topics.isEmpty } : listing
      } else {
        let general = found.filter { $0.topics.isEmpty }
        if !general.isEmpty { found = general }
      }
      guard !found.isEmpty else { continue }
      if !languages.isEmpty {
        let speaking = found.filter { contact in
          languages.contains { contact.languages.contains($0) }
        }
        if !speaking.isEmpty { found = speaking }
      }
      return found
    }
    return []
  }
}
