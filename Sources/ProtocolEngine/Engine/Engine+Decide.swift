/// The decision procedure, top to bottom.
extension Engine {
  /// Decides escalation, protocols and referrals for a report.
  ///
  /// 1. Walk the jurisdiction tree from `any` to the report's location and collect the
  ///    protocols scoped to those jurisdictions that are in force on `day`.
  /// 2. Stage 1: evaluate each `when` with three-valued logic. A protocol that is true
  ///    applies; each of its referrals is made, held back (consent refused: a near miss) or
  ///    pending (consent unknown: a need), then resolved to the most specific contacts.
  /// 3. Stage 2: protocols that use `refers(role)` see the stage-1 referrals.
  /// 4. The escalation is the highest any applying protocol contributes; a
  ///    `law_enforcement_referral` protocol whose police referrals are all held back
  ///    contributes `services_referral`, and one that can make none of its referrals yet
  ///    contributes nothing (it shows as near misses or needs).
  /// 5. With `explain`, unknown protocols give `needs` (including protocols scoped below a
  ///    location that stops short) and protocols false on exactly one top-level condition
  ///    give `near_misses`; `because` texts are filled in.
  ///
  /// - Parameters:
  ///   - report: the facts.
  ///   - day: protocols and contacts in force on this day are used.
  ///   - explain: fill in `because`, `needs` and `near_misses` (costs more).
  ///   - policy: overrides the set's policy settings (inline tests use this).
  /// - Complexity: proportional to the protocols scoped to the report's jurisdictions and
  ///   the contacts of the referred roles there; never a scan of the whole set.
  public func decide(
    _ report: Report, asOf day: Day, explain: Bool = true, policy: PolicySettings? = nil
  ) -> Decision {
    var context = EvaluationContext(report: report, policy: policy ?? set.policy.settings)
    let (path, depth) = self.path(to: report.location ?? Location())
    let abroad = report.location?.isAbroad ?? false
    let facts = ReportSummary(report: report, chain: contactChain(path, abroad: abroad))
    var state = DecisionState(explain: explain)

    // 1-2. Stage 1: the protocols of every jurisdiction containing the report.
    // Written out rather than through a closure, which would copy the context.
    for position in path {
      let node = nodes[position]
      if explain || node.keyFacts.isEmpty {
        for index in node.stage1 {
          evaluate(index, context: context, facts: facts, into: &state, day: day)
        }
        continue
      }
      // The value index: skip protocols whose key fact is known to differ (they are false).
      for index in node.unkeyed {
        evaluate(index, context: context, facts: facts, into: &state, day: day)
      }
      for fact in node.keyFacts {
        let value = context.value(.report(fact), victim: nil)
        for slot in node.keyed.indices where node.keyed[slot].key.fact == fact {
          guard value == nil || node.keyed[slot].key.value == value else { continue }
          for index in node.keyed[slot].indices {
            evaluate(index, context: context, facts: facts, into: &state, day: day)
          }
        }
      }
    }

    // 3. Stage 2 sees the stage-1 referrals.
    context.referred = state.referredRoles
    context.pending = state.pendingRoles
    if explain { context.pendingFacts = state.pendingFacts }
    for node in path {
      for index in nodes[node].stage2 {
        evaluate(index, context: context, facts: facts, into: &state, day: day)
      }
    }

    // Protocols scoped below where the known location stops would need the next fact.
    if explain, let deepest = path.last, path.count == depth + 1 {
      let fact = Engine.locationFact(depth: depth + 1)
      for index in nodes[deepest].inside where protocols[index].isInForce(on: day) {
        let item = protocols[index]
        let truth = conditions[index].evaluate(context)
        guard truth != .false else { continue }
        state.addNeed(fact, protocol: item)
        if truth == .unknown {
          var unknown: [String] = []
          conditions[index].unknownFacts(context, into: &unknown)
          for other in unknown { state.addNeed(other, protocol: item) }
        }
      }
    }

    // 4. Aggregate. A specific situation that no protocol covers yet is still a tip.
    if state.category == nil, report.describesSituation { state.category = .tip }
    return state.decision(
      ruleset: RulesetIdentity(version: set.policy.version, sha256: set.sha256), asOf: day)
  }

  static func locationFact(depth: Int) -> String {
    switch depth {
    case 1: "location.country"
    case 2: "location.state"
    case 3: "location.county"
    default: "location.city"
    }
  }

  /// What every referral of one decision shares, computed once.
  struct ReportSummary {
    let report: Report
    let chain: ContactChain
    let ageGroup: AgeGroup?
    let languages: [String]

    init(report: Report, chain: ContactChain) {
      self.report = report
      self.chain = chain
      ageGroup = AgeGroup(report)
      var languages: [String] = []
      for victim in report.victims ?? [] {
        if let language = victim.language, language != "en", !languages.contains(language) {
          languages.append(language)
        }
      }
      self.languages = languages
    }
  }

  /// Evaluates one protocol, if it is in force, and records what it contributes.
  private func evaluate(
    _ index: Int, context: borrowing EvaluationContext, facts: ReportSummary,
    into state: inout DecisionState, day: Day
  ) {
    let item = protocols[index]
    guard item.isInForce(on: day) else { return }
    guard item.perVictim else {
      switch conditions[index].evaluate(context) {
      case .true:
        apply(item, subjects: nil, context: context, facts: facts, into: &state, day: day)
      case .unknown:
        guard state.explain else { return }
        addNeeds(of: index, victim: nil, context: context, into: &state)
      case .false:
        guard state.explain else { return }
        addNearMiss(of: index, victim: nil, context: context, into: &state)
      }
      return
    }
    // `for_each: victim`: the protocol applies for the victims it holds for.
    let count = context.report.victims?.count ?? 0
    guard count > 0 else {
      // No victim known yet: `v`'s facts are unknown, so the victim facts become needs.
      guard state.explain, conditions[index].evaluate(context, victim: nil) != .false else {
        return
      }
      addNeeds(of: index, victim: nil, context: context, into: &state)
      return
    }
    var subjects: [Int] = []
    for victim in 0..<count where conditions[index].evaluate(context, victim: victim) == .true {
      subjects.append(victim)
    }
    if !subjects.isEmpty {
      apply(item, subjects: subjects, context: context, facts: facts, into: &state, day: day)
    }
    guard state.explain else { return }
    for victim in 0..<count where !subjects.contains(victim) {
      switch conditions[index].evaluate(context, victim: victim) {
      case .unknown: addNeeds(of: index, victim: victim, context: context, into: &state)
      case .false:
        if subjects.isEmpty {
          addNearMiss(of: index, victim: victim, context: context, into: &state)
        }
      case .true: break
      }
    }
  }

  /// The unknown facts that could make protocol `index` apply (for `victim`, if bound).
  private func addNeeds(
    of index: Int, victim: Int?, context: borrowing EvaluationContext,
    into state: inout DecisionState
  ) {
    var unknown: [String] = []
    conditions[index].unknownFacts(context, victim: victim, into: &unknown)
    for fact in unknown { state.addNeed(fact, protocol: protocols[index]) }
  }

  /// A near miss: the protocol fails on exactly one of its top-level conditions.
  private func addNearMiss(
    of index: Int, victim: Int?, context: borrowing EvaluationContext,
    into state: inout DecisionState
  ) {
    let item = protocols[index]
    guard item.conjuncts.count > 1 else { return }
    let failing = item.conjuncts.filter { $0.condition.evaluate(context, victim: victim) != .true }
    guard failing.count == 1, let failed = failing.first,
      failed.condition.evaluate(context, victim: victim) == .false
    else { return }
    let values = failed.condition.knownFactValues(context, victim: victim)
    let detail = values.isEmpty ? "" : " (\(values.joined(separator: ", ")))"
    let whom = victim.map { " for victims[\($0)]" } ?? ""
    state.nearMisses.append(
      NearMiss(
        protocolID: item.id, failedOn: failed.text,
        because:
          "\(item.title) (\(item.escalation.rawValue)) would apply\(whom), but \(failed.text) is false here\(detail)"
      ))
  }

  /// Records an applying protocol: its referrals (consent-gated) and its escalation.
  ///
  /// - Parameter subjects: the victims a `for_each: victim` protocol applies for; `nil` for
  ///   a protocol about the whole report (all its victims).
  private func apply(
    _ item: Compiled, subjects: [Int]?, context: EvaluationContext, facts: ReportSummary,
    into state: inout DecisionState, day: Day
  ) {
    let report = facts.report
    var madeAny = false
    var madeLawEnforcement = false
    var hasLawEnforcement = false
    for rule in item.referrals {
      if rule.role.isLawEnforcement { hasLawEnforcement = true }
      // A `for_each: victim` protocol refers about each of its victims on that victim's own
      // consent: the referral is made when one of them allows it (a child, or an adult who
      // agrees), while another adult's refusal is still shown.
      var basis: ConsentBasis?
      var basisVictim: Int?
      var position = 0
      repeat {
        let victim = subjects.map { $0[position] }
        position += 1
        switch Engine.consent(rule.consent, role: rule.role, report: report, victim: victim) {
        case .made(let made):
          if basis == nil || made == .notRequiredMinor {
            basis = made
            basisVictim = victim
          }
        case .withheld(let fact):
          guard state.explain else { continue }
          state.nearMisses.append(
            NearMiss(
              protocolID: item.id, failedOn: "\(fact) == false",
              because:
                "consent was refused (\(fact) is false), so the \(rule.role.rawValue) referral of \(item.id) is not made for that victim; offer the other referrals"
            ))
        case .pending(let fact):
          state.pendingRoles |= rule.role.bit
          guard state.explain else { continue }
          if state.pendingFacts[rule.role] == nil { state.pendingFacts[rule.role] = fact }
          state.addNeed(fact, protocol: item, detail: "consent for \(rule.role.rawValue)")
        }
      } while position < (subjects?.count ?? 1)
      if let basis {
        madeAny = true
        if rule.role.isLawEnforcement { madeLawEnforcement = true }
        state.referredRoles |= rule.role.bit
        // A protocol about some victims serves their age group (an adult's shelter for the
        // adult of a report that also has a child); a whole-report protocol serves the report's.
        var ageGroup = facts.ageGroup
        if let subjects, let victims = report.victims {
          let minors = subjects.map { $0 < victims.count ? victims[$0].isMinor : nil }
          if minors.allSatisfy({ $0 == true }) {
            ageGroup = .minors
          } else if minors.allSatisfy({ $0 == false }) {
            ageGroup = .adults
          }
        }
        let found = contacts(
          for: rule.role, topic: rule.topic, ageGroup: ageGroup, languages: facts.languages,
          chain: facts.chain, on: day)
        if found.isEmpty, state.explain {
          state.nearMisses.append(
            NearMiss(
              protocolID: item.id, failedOn: "directory",
              because:
                "no active \(rule.role.rawValue) contact covers \((report.location ?? Location()).jurisdiction); find one by hand"
            ))
        }
        for index in found {
          state.addReferral(
            Referral(
              entry: entries[index], source: item, consent: basis,
              because: state.explain
                ? Engine.because(rule, of: item, basis: basis, report: report, victim: basisVictim)
                : "", order: index))
        }
      }
    }
    // The category describes the situation, so it counts whatever the consents say.
    let category = item.category ?? Category.implied(by: item.escalation)
    state.category = max(state.category ?? category, category)
    // A protocol all of whose referrals wait on consent does nothing yet: it shows only as
    // near misses (refused) or needs (unknown).
    guard madeAny || item.referrals.isEmpty else { return }
    var escalation = item.escalation
    if escalation == .lawEnforcementReferral, hasLawEnforcement, !madeLawEnforcement {
      escalation = .servicesReferral
    }
    state.applied.append(
      AppliedProtocol(item, escalation: escalation, explained: state.explain))
  }

  enum ConsentOutcome: Equatable {
    case made(ConsentBasis)
    case withheld(String)
    case pending(String)
  }

  /// Whether a referral can be made now and on what basis.
  ///
  /// Consent is narrow and per victim:
  /// - imminent danger overrides a missing or refused consent only for the emergency response
  ///   (emergency services and the police who answer the call), never for other agencies;
  /// - a minor overrides it only for referrals about that minor: `victim` is the one victim a
  ///   `for_each: victim` protocol refers about (`nil` for a report-level protocol, which is
  ///   about all of them); a minor needs no consent, while an adult's refusal still stands.
  static func consent(
    _ rule: ConsentRule, role: Role, report: Report, victim: Int? = nil
  ) -> ConsentOutcome {
    switch rule {
    case .notRequiredLaw: return .made(.notRequiredLaw)
    case .notRequiredMinor: return .made(.notRequiredMinor)
    case .notRequiredImminentDanger: return .made(.notRequiredImminentDanger)
    case .notRequiredServices: return .made(.notRequiredServices)
    case .victim, .reporter: break
    }
    if report.imminentDanger == true, role.answersEmergencies {
      return .made(.notRequiredImminentDanger)
    }
    guard let victims = report.victims, !victims.isEmpty else {
      if rule == .reporter { return reporterConsent(report) }
      return .pending("victims[0].consents_to_law_enforcement")
    }
    if rule == .reporter {
      let aboutAMinor = victim.map { victims[$0].isMinor == true } ?? (report.hasMinor == true)
      return aboutAMinor ? .made(.notRequiredMinor) : reporterConsent(report)
    }
    if let victim { return victimConsent(victims[victim], index: victim) ?? .made(.given) }
    var pending: ConsentOutcome?
    var adultConsented = false
    for index in victims.indices {
      switch victimConsent(victims[index], index: index) {
      case .withheld(let fact)?: return .withheld(fact)
      case .pending(let fact)?: pending = pending ?? .pending(fact)
      case .made(let basis)?: if basis == .given { adultConsented = true }
      case nil: adultConsented = true
      }
    }
    return pending ?? .made(adultConsented ? .given : .notRequiredMinor)
  }

  /// One victim's answer: a minor needs none; an adult's refusal or silence holds it back.
  /// `nil` when the adult consents.
  private static func victimConsent(_ victim: Victim, index: Int) -> ConsentOutcome? {
    if victim.isMinor == true { return .made(.notRequiredMinor) }
    switch victim.consentsToLawEnforcement {
    case false?: return .withheld("victims[\(index)].consents_to_law_enforcement")
    case nil: return .pending("victims[\(index)].consents_to_law_enforcement")
    case true?: return nil
    }
  }

  private static func reporterConsent(_ report: Report) -> ConsentOutcome {
    switch report.reporter?.consentsToShare {
    case true?: .made(.given)
    case false?: .withheld("reporter.consents_to_share")
    case nil: .pending("reporter.consents_to_share")
    }
  }

  /// The text a trainee reads for one referral.
  static func because(
    _ rule: ReferralRule, of item: Compiled, basis: ConsentBasis, report: Report, victim: Int?
  ) -> String {
    let reason =
      rule.because ?? "\(item.title): refer to \(rule.role.rawValue.replacingAll("_", with: " "))."
    let consent: String
    switch basis {
    case .given:
      consent =
        rule.consent == .reporter
        ? "The reporter consents to share, which this agency's policy accepts for a third-party tip."
        : "The victim consents to involving law enforcement."
    case .notRequiredMinor:
      let victims = report.victims ?? []
      let age =
        victim.map { victims[$0].age }
        ?? victims.compactMap(\.age).filter { $0 < 18 }.min()
      consent = "No consent needed: a victim is a minor\(age.map { " (\($0))" } ?? "")."
    case .notRequiredImminentDanger: consent = "No consent needed: someone is in imminent danger."
    case .notRequiredLaw:
      consent = "No consent needed: the law requires this report (\(item.cite))."
    case .notRequiredServices: consent = "A service referral: nothing is shared with police."
    }
    return "\(reason) \(consent)"
  }
}

/// What a decision accumulates while protocols are evaluated.
struct DecisionState {
  let explain: Bool
  var applied: [AppliedProtocol] = []
  /// One referral per contact.
  var referrals: [Referral] = []
  var needs: [String: [(id: String, escalation: Escalation, detail: String?)]] = [:]
  var nearMisses: [NearMiss] = []
  var category: Category?
  var referredRoles: UInt32 = 0
  var pendingRoles: UInt32 = 0
  var pendingFacts: [Role: String] = [:]

  init(explain: Bool) {
    self.explain = explain
    applied.reserveCapacity(8)
    referrals.reserveCapacity(8)
  }

  /// Keeps one referral per contact: the one from the highest-escalation protocol, then
  /// the lowest protocol id.
  mutating func addReferral(_ referral: Referral) {
    // Read through a buffer pointer, which copies (and retains) no referral.
    let keep = referrals.withUnsafeBufferPointer { items -> (index: Int, keep: Bool)? in
      guard let index = items.indices.first(where: { items[$0].order == referral.order }) else {
        return nil
      }
      let existing = (items[index].rank, items[index].protocolOrder)
      return (
        index,
        existing.0 > referral.rank
          || (existing.0 == referral.rank && existing.1 <= referral.protocolOrder)
      )
    }
    guard let keep else { return referrals.append(referral) }
    if !keep.keep { referrals[keep.index] = referral }
  }

  mutating func addNeed(_ fact: String, protocol item: Engine.Compiled, detail: String? = nil) {
    if needs[fact]?.contains(where: { $0.id == item.id && $0.detail == detail }) == true { return }
    needs[fact, default: []].append((item.id, item.escalation, detail))
  }

  consuming func decision(ruleset: RulesetIdentity, asOf: Day) -> Decision {
    // Take the arrays out of the (consumed) state, so that sorting them copies nothing.
    var protocols: [AppliedProtocol] = []
    swap(&protocols, &applied)
    // Highest escalation first, then by id (the set's protocols are sorted by id).
    sortByKeys(&protocols) { (16 - $0.escalation.rank) << 32 | $0.order }
    let escalation = protocols.first?.escalation ?? .information
    var madeReferrals: [Referral] = []
    swap(&madeReferrals, &referrals)
    // By role, then contact id (the directory is sorted by id).
    sortByKeys(&madeReferrals) { $0.role.order << 32 | $0.order }
    var needList: [Need] = []
    var misses: [NearMiss] = []
    if explain {
      needList = needs.keys.sorted().map { fact -> Need in
        let entries = (needs[fact] ?? []).sorted {
          ($0.escalation.rank, $1.id) > ($1.escalation.rank, $0.id)
        }
        let text = entries.map { entry in
          "\(entry.id) (\(entry.detail ?? entry.escalation.rawValue))"
        }
        return Need(
          fact: fact, because: "decides " + text.joined(separator: ", "),
          protocols: entries.map(\.id))
      }
      var seen = Set<String>()
      misses = nearMisses.sorted {
        ($0.protocolID, $0.failedOn, $0.because) < ($1.protocolID, $1.failedOn, $1.because)
      }
      .filter { seen.insert("\($0.protocolID)\u{0}\($0.failedOn)\u{0}\($0.because)").inserted }
    }
    return Decision(
      escalation: escalation, category: category ?? .generalInformation, protocols: protocols,
      referrals: madeReferrals, needs: needList, nearMisses: misses, ruleset: ruleset,
      asOf: asOf)
  }
}

/// Sorts `items` in place by an integer key each, stably, with an insertion sort (a decision
/// sorts a handful of items, where this beats the standard library's general sort).
///
/// The keys are read once and kept beside the items, and the items are read and moved only
/// through buffer pointers: `map`, reading `items[i]` and `Array.swapAt` would each copy
/// (and retain) whole items.
@inline(__always)
private func sortByKeys<Item>(_ items: inout [Item], key: (borrowing Item) -> Int) {
  guard items.count > 1 else { return }
  var keys = items.withUnsafeBufferPointer { buffer in buffer.indices.map { key(buffer[$0]) } }
  items.withUnsafeMutableBufferPointer { buffer in
    for next in 1..<buffer.count {
      var slot = next
      while slot > 0, keys[slot] < keys[slot - 1] {
        keys.swapAt(slot, slot - 1)
        buffer.swapAt(slot, slot - 1)
        slot -= 1
      }
    }
  }
}
