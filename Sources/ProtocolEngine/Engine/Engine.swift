/// A protocol set indexed for routing. Build it once; `decide` is then cheap and pure.
///
/// Everything a decision touches is indexed by jurisdiction in a tree (any → country →
/// state → county → city), so a decision walks at most five nodes and never scans the
/// whole set: each node holds the protocols scoped to it (split by stage, and within stage
/// 1 by one enumerated or boolean fact their condition requires, so a report about labor
/// skips the protocols keyed on sex), the protocols scoped below it, and its contacts by role.
public struct Engine: Sendable {
  public let set: ProtocolSet

  /// A protocol as a decision needs it, in a class so that reading one costs no copy.
  final class Compiled: Sendable {
    let id: String
    let title: String
    let because: String
    let escalation: Escalation
    let category: Category?
    let effective: Day
    let expires: Day?
    let conjuncts: [Conjunct]
    let referrals: [ReferralRule]
    let stage: Int
    /// `for_each: victim`: evaluated once per victim.
    let perVictim: Bool
    /// The first citation: the law a `not_required:law` referral names.
    let cite: String
    /// Position in the set (sorted by id).
    let order: Int

    init(_ item: ReportingProtocol, order: Int) {
      self.order = order
      id = item.id
      title = item.title
      because = item.because
      escalation = item.escalation
      category = item.category
      effective = item.effective
      expires = item.expires
      conjuncts = item.conjuncts
      referrals = item.referrals
      stage = item.stage
      perVictim = item.perVictim
      cite = item.cite.first ?? ""
    }

    @inline(__always)
    func isInForce(on day: Day) -> Bool {
      effective <= day && (expires.map { day <= $0 } ?? true)
    }
  }

  /// A contact, boxed for the same reason, with its jurisdiction already spelled out.
  final class Entry: Sendable {
    let contact: Contact
    let jurisdiction: String

    init(_ contact: Contact) {
      self.contact = contact
      jurisdiction = contact.jurisdiction.description
    }
  }

  struct IndexKey: Hashable, Sendable {
    var fact: ReportFact
    var value: Scalar
  }

  /// One jurisdiction of the tree, while it is being built.
  struct NodeBuilder {
    /// Lower-cased next component -> node index.
    var children: [String: Int] = [:]
    /// Stage-1 protocols with no indexable required fact.
    var unkeyed: [Int] = []
    /// Stage-1 protocols that require `fact == value`.
    var keyed: [(key: IndexKey, indices: [Int])] = []
    /// The facts used as keys here, in a fixed order.
    var keyFacts: [ReportFact] = []
    /// Every stage-1 protocol of this scope.
    var stage1: [Int] = []
    /// Stage-2 protocols of this scope (they use `refers(...)`).
    var stage2: [Int] = []
    /// Protocols scoped strictly below this jurisdiction.
    var inside: [Int] = []
    /// Role order -> contact indices of this jurisdiction, sorted by id.
    var contacts: [Int: [Int]] = [:]
  }

  /// One jurisdiction of the tree: a class, so that reading a node copies nothing.
  final class Node: Sendable {
    let children: [String: Int]
    let unkeyed: [Int]
    /// Searched linearly: a node has few keys, and comparing them beats hashing.
    let keyed: [(key: IndexKey, indices: [Int])]
    let keyFacts: [ReportFact]
    let stage1: [Int]
    let stage2: [Int]
    let inside: [Int]
    /// Role order -> contact indices of this jurisdiction (an array: no hashing per lookup).
    let contacts: [[Int]]

    init(_ builder: NodeBuilder) {
      children = builder.children
      unkeyed = builder.unkeyed
      keyed = builder.keyed
      keyFacts = builder.keyFacts
      stage1 = builder.stage1
      stage2 = builder.stage2
      inside = builder.inside
      contacts = Role.allCases.indices.map { builder.contacts[$0] ?? [] }
    }
  }

  let protocols: [Compiled]
  /// The protocols' conditions, apart: reading one from an array borrows it, while reading
  /// it from a class property copies it (and retains everything it holds).
  let conditions: [Condition]
  let entries: [Entry]
  /// Contact id -> position in `entries`.
  let entryByID: [String: Int]
  /// The tree; node 0 is `any`.
  let nodes: [Node]

  public init(_ set: ProtocolSet) {
    self.set = set
    protocols = set.protocols.enumerated().map { Compiled($1, order: $0) }
    conditions = set.protocols.map(\.condition)
    entries = set.contacts.map(Entry.init)
    entryByID = Dictionary(
      set.contacts.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { first, _ in first })
    var nodes = [NodeBuilder()]
    func node(for jurisdiction: Jurisdiction) -> Int {
      var current = 0
      for component in jurisdiction.components {
        let key = component.lowercased()
        if let next = nodes[current].children[key] {
          current = next
        } else {
          nodes.append(NodeBuilder())
          nodes[current].children[key] = nodes.count - 1
          current = nodes.count - 1
        }
      }
      return current
    }
    for (index, item) in protocols.enumerated() {
      let scope = set.protocols[index].scope
      let target = node(for: scope)
      if item.stage == 2 {
        nodes[target].stage2.append(index)
      } else {
        nodes[target].stage1.append(index)
        if let key = Engine.indexKey(conditions[index]) {
          if let slot = nodes[target].keyed.firstIndex(where: { $0.key == key }) {
            nodes[target].keyed[slot].indices.append(index)
          } else {
            nodes[target].keyed.append((key, [index]))
          }
          if !nodes[target].keyFacts.contains(key.fact) { nodes[target].keyFacts.append(key.fact) }
        } else {
          nodes[target].unkeyed.append(index)
        }
      }
      var parent = scope.parent
      while let jurisdiction = parent {
        nodes[node(for: jurisdiction)].inside.append(index)
        parent = jurisdiction.parent
      }
    }
    for (index, contact) in set.contacts.enumerated() {
      nodes[node(for: contact.jurisdiction)].contacts[contact.role.order, default: []].append(index)
    }
    self.nodes = nodes.map(Node.init)
  }

  /// The contact with this id, in constant time.
  public func contact(_ id: String) -> Contact? {
    entryByID[id].map { entries[$0].contact }
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

  /// The nodes from `any` down to the most specific known part of `jurisdiction`.
  func path(to jurisdiction: Jurisdiction) -> [Int] {
    path(components: jurisdiction.components)
  }

  /// The same for a report's location (country, state, county, city as far as known),
  /// without building a `Jurisdiction`; `depth` is how many components the location has.
  func path(to location: Location) -> (path: [Int], depth: Int) {
    var path = [0]
    path.reserveCapacity(5)
    var depth = 1
    var current = 0
    func step(_ component: String) -> Bool {
      guard path.count == depth, let next = nodes[current].children[component.lowercased()] else {
        return false
      }
      path.append(next)
      current = next
      return true
    }
    _ = step(location.effectiveCountry)
    if let state = location.state {
      depth += 1
      _ = step(state)
      if let county = location.county {
        depth += 1
        _ = step(county)
        if let city = location.city {
          depth += 1
          _ = step(city)
        }
      }
    }
    return (path, depth)
  }

  private func path(components: [String]) -> [Int] {
    var path = [0]
    path.reserveCapacity(components.count + 1)
    var current = 0
    for component in components {
      guard let next = nodes[current].children[component.lowercased()] else { break }
      path.append(next)
      current = next
    }
    return path
  }

  /// Where contacts are looked for: the jurisdiction's nodes, most specific first (not
  /// `any`), then the home country, whose national contacts also serve reports from abroad.
  /// It reads the path in place rather than building a list.
  struct ContactChain {
    let path: [Int]
    let home: Int?

    func forEach(_ body: (Int) -> Bool) {
      var position = path.count - 1
      while position >= 1 {
        if body(path[position]) { return }
        position -= 1
      }
      if let home, body(home) { return }
    }
  }

  func contactChain(_ path: [Int], abroad: Bool) -> ContactChain {
    ContactChain(
      path: path, home: abroad ? nodes[0].children[Jurisdiction.homeCountry.lowercased()] : nil)
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

  /// The most specific active contacts for a role along `chain`. Within the first level
  /// that has any, contacts listing `topic` are preferred (else general ones, with no
  /// topics), then those speaking a victim's language. The topic is a preference: when no
  /// contact at any level serves it, the role resolves as if no topic had been asked for.
  /// A contact only for minors (or only for adults) never serves the other age group.
  func contacts(
    for role: Role, topic: String?, ageGroup: AgeGroup?, languages: [String], chain: ContactChain,
    on day: Day
  ) -> [Int] {
    // An interpreter who does not speak the victim's language is no interpreter: go up the
    // chain to one who does (a national language line) before settling for a nearer one.
    if role == .interpretation, !languages.isEmpty {
      let speaking = contacts(
        for: role, strictTopic: topic, ageGroup: ageGroup, languages: languages, chain: chain,
        on: day, speakingOnly: true)
      if !speaking.isEmpty { return speaking }
    }
    let found = contacts(
      for: role, strictTopic: topic, ageGroup: ageGroup, languages: languages, chain: chain, on: day
    )
    guard found.isEmpty, topic != nil else { return found }
    return contacts(
      for: role, strictTopic: nil, ageGroup: ageGroup, languages: languages, chain: chain, on: day)
  }

  /// The same, for a jurisdiction (used by `check` to find gaps).
  func contacts(for role: Role, topic: String?, in jurisdiction: Jurisdiction, on day: Day) -> [Int]
  {
    let path = self.path(to: jurisdiction)
    let abroad = jurisdiction.components.first.map { $0 != Jurisdiction.homeCountry } ?? false
    return contacts(
      for: role, topic: topic, ageGroup: nil, languages: [],
      chain: contactChain(path, abroad: abroad), on: day)
  }

  private func contacts(
    for role: Role, strictTopic topic: String?, ageGroup: AgeGroup?, languages: [String],
    chain: ContactChain, on day: Day, speakingOnly: Bool = false
  ) -> [Int] {
    var result: [Int] = []
    chain.forEach { node in
      let indices = nodes[node].contacts[role.order]
      guard !indices.isEmpty else { return false }
      var found = indices
      // Narrow in place: most levels hold one or two contacts, so this rarely allocates.
      Engine.narrow(&found) { index in
        let contact = entries[index].contact
        return !contact.isActive(on: day) || !(ageGroup?.isServed(by: contact.topics) ?? true)
      }
      guard !found.isEmpty else { return false }
      if let topic {
        if found.contains(where: { entries[$0].contact.topics.contains(topic) }) {
          Engine.narrow(&found) { !entries[$0].contact.topics.contains(topic) }
        } else {
          Engine.narrow(&found) { !entries[$0].contact.topics.isEmpty }
        }
      } else if found.count > 1, found.contains(where: { entries[$0].contact.topics.isEmpty }) {
        Engine.narrow(&found) { !entries[$0].contact.topics.isEmpty }
      }
      guard !found.isEmpty else { return false }
      if !languages.isEmpty, found.count > 1 || speakingOnly {
        func speaks(_ index: Int) -> Bool {
          languages.contains { entries[index].contact.languages.contains($0) }
        }
        if found.contains(where: speaks) {
          Engine.narrow(&found) { !speaks($0) }
        } else if speakingOnly {
          return false
        }
      }
      result = found
      return true
    }
    return result
  }

  /// Removes what `drop` selects, copying the (shared) array only if something goes.
  @inline(__always)
  static func narrow(_ indices: inout [Int], dropping drop: (Int) -> Bool) {
    if indices.contains(where: drop) { indices.removeAll(where: drop) }
  }
}
