/// The decision procedure, top to bottom.
extension Engine {
  /// Decides escalation, protocols and referrals for a report.
  ///
  /// 1. Collect the protocols whose scope contains the report's location and that are in
  ///    force on `day`.
  /// 2. Stage 1: evaluate each `when` with three-valued logic. A protocol that is true
  ///    applies; each of its referrals is made, held back (consent refused: a near miss) or
  ///    pending (consent unknown: a need), then resolved to the most specific contacts.
  /// 3. Stage 2: protocols that use `refers(role)` see the stage-1 referrals.
  /// 4. The escalation is the highest any applying protocol contributes; a
  ///    `law_enforcement_referral` protocol whose police referrals are all held back
  ///    contributes `services_referral`, and one that can make none of its referrals yet
  ///    contributes nothing (it shows as near misses or needs).
  /// 5. With `explain`, unknown protocols give `needs` and protocols false on exactly one
  ///    top-level condition give `near_misses`; `because` texts are filled in.
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
    let location = report.location ?? Location()
    let jurisdiction = location.jurisdiction
    let scopeKeys = Engine.scopeKeys(jurisdiction)
    var contactKeys = Array(scopeKeys.dropFirst().reversed())
    if location.isAbroad { contactKeys.append(Jurisdiction.homeCountry.lowercased()) }
    let languages = (report.victims ?? []).compactMap(\.language).filter { $0 != "en" }

    var state = DecisionState(explain: explain)

    // 1. Candidates in scope and in force.
    let candidates = self.candidates(
      scopeKeys: scopeKeys, context: context, useValueIndex: !explain
    )
    .filter { set.protocols[$0].isInForce(on: day) }
    let stage1 = candidates.filter { set.protocols[$0].stage == 1 }
    let stage2 = candidates.filter { set.protocols[$0].stage == 2 }

    // 2. Stage 1.
    for index in stage1 {
      evaluate(
        index, context: context, into: &state, day: day, contactKeys: contactKeys,
        languages: languages)
    }

    // 3. Stage 2 sees the stage-1 referrals.
    context.referred = state.referredRoles
    context.pending = state.pendingRoles
    if explain { context.pendingFacts = state.pendingFacts }
    for index in stage2 {
      evaluate(
        index, context: context, into: &state, day: day, contactKeys: contactKeys,
        languages: languages)
    }

    // Protocols scoped below the known location would need the next location fact.
    if explain, let deeper = inside[jurisdiction.key] {
      let fact = Engine.locationFact(depth: jurisdiction.depth + 1)
      for index in deeper where set.protocols[index].isInForce(on: day) {
        let item = set.protocols[index]
        let truth = item.condition.evaluate(context)
        guard truth != .false else { continue }
        state.addNeed(fact, protocol: item)
        if truth == .unknown {
          var facts: [String] = []
          item.condition.unknownFacts(context, into: &facts)
          for other in facts { state.addNeed(other, protocol: item) }
        }
      }
    }

    // 4. Aggregate.
    return state.decision(
      ruleset: RulesetIdentity(version: set.policy.version, sha256: set.sha256), asOf: day)
  }

  /// `""` (any), then the report's jurisdiction from the country down.
  static func scopeKeys(_ jurisdiction: Jurisdiction) -> [String] {
    var keys = [""]
    var key = ""
    for component in jurisdiction.components {
      key += key.isEmpty ? component.lowercased() : "/" + component.lowercased()
      keys.append(key)
    }
    return keys
  }

  static func locationFact(depth: Int) -> String {
    switch depth {
    case 1: "location.country"
    case 2: "location.state"
    case 3: "location.county"
    default: "location.city"
    }
  }

  /// Evaluates one protocol and records what it contributes.
  private func evaluate(
    _ index: Int, context: EvaluationContext, into state: inout DecisionState, day: Day,
    contactKeys: [String], languages: [String]
  ) {
    let item = set.protocols[index]
    switch item.condition.evaluate(context) {
    case .true:
      apply(
        item, context: context, into: &state, day: day, contactKeys: contactKeys,
        languages: languages)
    case .unknown:
      guard state.explain else { return }
      var facts: [String] = []
      item.condition.unknownFacts(context, into: &facts)
      for fact in facts { state.addNeed(fact, protocol: item) }
    case .false:
      guard state.explain, item.conjuncts.count > 1 else { return }
      let failing = item.conjuncts.filter { $0.condition.evaluate(context) != .true }
      guard failing.count == 1, let failed = failing.first,
        failed.condition.evaluate(context) == .false
      else { return }
      let values = failed.condition.knownFactValues(context)
      let detail = values.isEmpty ? "" : " (\(values.joined(separator: ", ")))"
      state.nearMisses.append(
        NearMiss(
          protocolID: item.id, failedOn: failed.text,
          because:
            "\(item.title) (\(item.escalation.rawValue)) would apply, but \(failed.text) is false here\(detail)"
        ))
    }
  }

  /// Records an applying protocol: its referrals (consent-gated) and its escalation.
  private func apply(
    _ item: ReportingProtocol, context: EvaluationContext, into state: inout DecisionState,
    day: Day, contactKeys: [String], languages: [String]
  ) {
    let report = context.report
    var madeAny = false
    var madeLawEnforcement = false
    var hasLawEnforcement = false
    for rule in item.referrals {
      if rule.role.isLawEnforcement { hasLawEnforcement = true }
      switch Engine.consent(rule.consent, report: report) {
      case .made(let basis):
        madeAny = true
        if rule.role.isLawEnforcement { madeLawEnforcement = true }
        state.referredRoles |= rule.role.bit
        let found = contacts(
          for: rule.role, topic: rule.topic, ageGroup: AgeGroup(report), languages: languages,
          jurisdictionKeys: contactKeys,
          on: day)
        if found.isEmpty, state.explain {
          state.nearMisses.append(
            NearMiss(
              protocolID: item.id, failedOn: "directory",
              because:
                "no active \(rule.role.rawValue) contact covers \(report.location?.jurisdiction ?? .any); find one by hand"
            ))
        }
        for contact in found {
          state.referrals.append(
            (
              Referral(
                contact: contact.id, name: contact.name, role: contact.role,
                jurisdiction: contact.jurisdiction.description, protocolID: item.id, consent: basis,
                because: state.explain
                  ? Engine.because(rule, of: item, basis: basis, report: report) : "",
                phone: contact.phone, hours: contact.hours),
              item.escalation.rank, item.id
            ))
        }
      case .withheld(let fact):
        guard state.explain else { continue }
        state.nearMisses.append(
          NearMiss(
            protocolID: item.id, failedOn: "\(fact) == false",
            because:
              "consent was refused (\(fact) is false), so the \(rule.role.rawValue) referral of \(item.id) is not made; offer the other referrals"
          ))
      case .pending(let fact):
        state.pendingRoles |= rule.role.bit
        guard state.explain else { continue }
        if state.pendingFacts[rule.role] == nil { state.pendingFacts[rule.role] = fact }
        state.addNeed(fact, protocol: item, detail: "consent for \(rule.role.rawValue)")
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
      AppliedProtocol(
        id: item.id, title: item.title, because: state.explain ? item.because : "",
        escalation: escalation))
  }

  enum ConsentOutcome: Equatable {
    case made(ConsentBasis)
    case withheld(String)
    case pending(String)
  }

  /// Whether a referral can be made now and on what basis. Imminent danger, then a minor,
  /// override a missing or refused consent.
  static func consent(_ rule: ConsentRule, report: Report) -> ConsentOutcome {
    switch rule {
    case .notRequiredLaw: return .made(.notRequiredLaw)
    case .notRequiredMinor: return .made(.notRequiredMinor)
    case .notRequiredImminentDanger: return .made(.notRequiredImminentDanger)
    case .notRequiredServices: return .made(.notRequiredServices)
    case .victim, .reporter: break
    }
    if report.imminentDanger == true { return .made(.notRequiredImminentDanger) }
    if report.hasMinor == true { return .made(.notRequiredMinor) }
    if rule == .reporter {
      switch report.reporter?.consentsToShare {
      case true?: return .made(.given)
      case false?: return .withheld("reporter.consents_to_share")
      case nil: return .pending("reporter.consents_to_share")
      }
    }
    guard let victims = report.victims, !victims.isEmpty else {
      return .pending("victims[0].consents_to_law_enforcement")
    }
    var pending: String?
    for (index, victim) in victims.enumerated() {
      switch victim.consentsToLawEnforcement {
      case false?: return .withheld("victims[\(index)].consents_to_law_enforcement")
      case nil: pending = pending ?? "victims[\(index)].consents_to_law_enforcement"
      case true?: break
      }
    }
    return pending.map(ConsentOutcome.pending) ?? .made(.given)
  }

  /// The text a trainee reads for one referral.
  static func because(
    _ rule: ReferralRule, of item: ReportingProtocol, basis: ConsentBasis, report: Report
  )
    -> String
  {
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
      let age = report.victims?.compactMap(\.age).filter { $0 < 18 }.min()
      consent = "No consent needed: a victim is a minor\(age.map { " (\($0))" } ?? "")."
    case .notRequiredImminentDanger: consent = "No consent needed: someone is in imminent danger."
    case .notRequiredLaw: consent = "No consent needed: the law requires this report."
    case .notRequiredServices: consent = "A service referral: nothing is shared with police."
    }
    return "\(reason) \(consent)"
  }
}

/// What a decision accumulates while protocols are evaluated.
struct DecisionState {
  let explain: Bool
  var applied: [AppliedProtocol] = []
  /// Referrals with the rank and id of their protocol, for de-duplication.
  var referrals: [(Referral, Int, String)] = []
  var needs: [String: [(id: String, escalation: Escalation, detail: String?)]] = [:]
  var nearMisses: [NearMiss] = []
  var category: Category?
  var referredRoles: UInt32 = 0
  var pendingRoles: UInt32 = 0
  var pendingFacts: [Role: String] = [:]

  init(explain: Bool) { self.explain = explain }

  mutating func addNeed(_ fact: String, protocol item: ReportingProtocol, detail: String? = nil) {
    var entries = needs[fact] ?? []
    guard !entries.contains(where: { $0.id == item.id && $0.detail == detail }) else { return }
    entries.append((item.id, item.escalation, detail))
    needs[fact] = entries
  }

  func decision(ruleset: RulesetIdentity, asOf: Day) -> Decision {
    let protocols = applied.sorted { ($0.escalation.rank, $1.id) > ($1.escalation.rank, $0.id) }
    let escalation = protocols.first?.escalation ?? .information
    // One referral per contact: the one from the highest-escalation protocol, then lowest id.
    var byContact: [String: (Referral, Int, String)] = [:]
    for entry in referrals {
      if let existing = byContact[entry.0.contact],
        (existing.1, entry.2) >= (entry.1, existing.2)
      {
        continue
      }
      byContact[entry.0.contact] = entry
    }
    let madeReferrals = byContact.values.map(\.0).sorted {
      ($0.role.order, $0.contact) < ($1.role.order, $1.contact)
    }
    let needList = needs.keys.sorted().map { fact -> Need in
      let entries = (needs[fact] ?? []).sorted {
        ($0.escalation.rank, $1.id) > ($1.escalation.rank, $0.id)
      }
      let text = entries.map { entry in
        "\(entry.id) (\(entry.detail ?? entry.escalation.rawValue))"
      }
      return Need(
        fact: fact, because: "decides " + text.joined(separator: ", "), protocols: entries.map(\.id)
      )
    }
    var seen = Set<String>()
    let misses = nearMisses.sorted {
      ($0.protocolID, $0.failedOn, $0.because) < ($1.protocolID, $1.failedOn, $1.because)
    }
    .filter { seen.insert("\($0.protocolID)\u{0}\($0.failedOn)\u{0}\($0.because)").inserted }
    return Decision(
      escalation: escalation, category: category ?? .generalInformation, protocols: protocols,
      referrals: madeReferrals, needs: explain ? needList : [], nearMisses: misses,
      ruleset: ruleset,
      asOf: asOf)
  }
}
