import ProtocolEngine
import Testing

/// DESIGN.md's "Domain facts the engine encodes", checked against the shipped protocol set.
@Suite("Domain rules on the shipped protocol set")
struct DomainRulesTests {
  let set: ProtocolSet
  let engine: Engine

  init() throws {
    set = try TestSupport.load(TestSupport.shippedSet)
    engine = Engine(set)
  }

  func decide(_ json: String, policy: PolicySettings? = nil) throws -> Decision {
    let report = try TestSupport.report(json, geography: set.geography)
    return engine.decide(report, asOf: TestSupport.day, policy: policy)
  }

  static let austin =
    #""location": {"country": "US", "state": "TX", "county": "Travis", "city": "Austin"}"#
  static let houston =
    #""location": {"country": "US", "state": "TX", "county": "Harris", "city": "Houston"}"#
  static let losAngeles =
    #""location": {"country": "US", "state": "CA", "county": "Los Angeles", "city": "Los Angeles"}"#
  static let miami =
    #""location": {"country": "US", "state": "FL", "county": "Miami-Dade", "city": "Miami"}"#

  @Test func imminentDangerIsAnEmergencyWithoutConsent() throws {
    let decision = try decide(
      "{\(Self.austin), \"imminent_danger\": true, \"trafficking_type\": \"sex\", \"victims\": [{\"age\": 22, \"consents_to_law_enforcement\": false}]}"
    )
    #expect(decision.escalation == .emergency)
    #expect(decision.category == .crisis)
    let emergency = decision.referrals.first { $0.role == .emergencyServices }
    #expect(emergency?.consent == .notRequiredImminentDanger)
  }

  @Test func imminentDangerWithAnUnknownLocationStillEscalates() throws {
    let decision = try decide(#"{"imminent_danger": true}"#)
    #expect(decision.escalation == .emergency)
    #expect(decision.roles.contains(.emergencyServices))
  }

  @Test func aMinorInCommercialSexIsAMandatedReportWithoutMeansOrConsent() throws {
    let decision = try decide(
      "{\(Self.houston), \"indicators\": [\"commercial_sex\"], \"victims\": [{\"age\": 16, \"consents_to_law_enforcement\": false}], \"perpetrator\": {\"caregiver\": false}}"
    )
    #expect(decision.escalation == .mandatedReport)
    #expect(decision.roles.contains(.localLawEnforcement))
    #expect(decision.roles.contains(.childProtectiveServices))
    for referral in decision.referrals where referral.role.isLawEnforcement {
      #expect(referral.consent != .given)
    }
  }

  @Test func anAdultInCommercialSexWithoutMeansIsNotTrafficking() throws {
    let decision = try decide(
      "{\(Self.austin), \"reporter\": {\"relationship\": \"victim\", \"consents_to_share\": true}, \"indicators\": [\"commercial_sex\"], \"victims\": [{\"age\": 25, \"consents_to_law_enforcement\": true}]}"
    )
    #expect(decision.escalation == .servicesReferral)
    #expect(!decision.referrals.contains { $0.role.isLawEnforcement })
  }

  @Test func policeGetAnAdultsCaseOnlyWithConsent() throws {
    let facts =
      "\(Self.austin), \"reporter\": {\"relationship\": \"victim\"}, \"trafficking_type\": \"sex\", \"indicators\": [\"force\", \"commercial_sex\"]"
    let yes = try decide(
      "{\(facts), \"victims\": [{\"age\": 25, \"consents_to_law_enforcement\": true}]}")
    #expect(yes.escalation == .lawEnforcementReferral)
    #expect(yes.referrals.contains { $0.role == .localLawEnforcement && $0.consent == .given })
    let no = try decide(
      "{\(facts), \"victims\": [{\"age\": 25, \"consents_to_law_enforcement\": false}]}")
    #expect(!no.referrals.contains { $0.role.isLawEnforcement })
    #expect(no.escalation == .servicesReferral)
    #expect(no.roles.contains(.shelter))
    #expect(
      no.nearMisses.contains { $0.failedOn == "victims[0].consents_to_law_enforcement == false" })
    let unknown = try decide("{\(facts), \"victims\": [{\"age\": 25}]}")
    #expect(!unknown.referrals.contains { $0.role.isLawEnforcement })
    #expect(unknown.needs.contains { $0.fact == "victims[0].consents_to_law_enforcement" })
  }

  @Test func thirdPartyTipsSwitchWithThePolicy() throws {
    let tip =
      "{\(Self.austin), \"reporter\": {\"relationship\": \"friend\", \"consents_to_share\": true}, \"trafficking_type\": \"sex\", \"indicators\": [\"coercion\"], \"victims\": [{\"age\": 30}]}"
    let strict = try decide(
      tip, policy: PolicySettings(thirdPartyAdultTips: .victimConsentRequired))
    #expect(!strict.referrals.contains { $0.role == .localLawEnforcement })
    let permissive = try decide(
      tip, policy: PolicySettings(thirdPartyAdultTips: .reporterConsentSufficient))
    #expect(
      permissive.referrals.contains { $0.role == .localLawEnforcement && $0.consent == .given })
    #expect(set.policy.settings.thirdPartyAdultTips == .victimConsentRequired)
  }

  @Test func laborExploitationBelowTraffickingGoesToLaborStandardsNotPolice() throws {
    let decision = try decide(
      "{\(Self.houston), \"reporter\": {\"relationship\": \"victim\", \"consents_to_share\": true}, \"trafficking_type\": \"labor\", \"indicators\": [\"wage_theft\"], \"victims\": [{\"age\": 34, \"consents_to_law_enforcement\": true}]}"
    )
    #expect(decision.roles.contains(.laborStandards))
    #expect(!decision.referrals.contains { $0.role.isLawEnforcement })
    #expect(decision.category == .highRisk)
  }

  @Test func laborTraffickingNeedsForceFraudOrCoercion() throws {
    let decision = try decide(
      "{\(Self.houston), \"reporter\": {\"relationship\": \"victim\"}, \"trafficking_type\": \"labor\", \"indicators\": [\"debt_bondage\", \"coercion\"], \"victims\": [{\"age\": 34, \"consents_to_law_enforcement\": true}]}"
    )
    #expect(decision.escalation == .lawEnforcementReferral)
    #expect(decision.roles.contains(.localLawEnforcement))
  }

  @Test func texasChildAbuseIntakeAndTheCaregiverFork() throws {
    let base = "\(Self.austin), \"trafficking_type\": \"sex\", \"victims\": [{\"age\": 14}]"
    let caregiver = try decide("{\(base), \"perpetrator\": {\"caregiver\": true}}")
    #expect(caregiver.protocols.contains { $0.id == "TX-MINOR-01" })
    #expect(caregiver.protocols.contains { $0.id == "TX-MINOR-CAREGIVER" })
    #expect(!caregiver.protocols.contains { $0.id == "TX-MINOR-NONCAREGIVER" })
    #expect(caregiver.roles.contains(.childProtectiveServices))
    let other = try decide("{\(base), \"perpetrator\": {\"caregiver\": false}}")
    #expect(other.protocols.contains { $0.id == "TX-MINOR-NONCAREGIVER" })
    #expect(other.roles.contains(.localLawEnforcement))
    #expect(other.roles.contains(.stateLawEnforcement))
    let unknown = try decide("{\(base)}")
    #expect(unknown.needs.contains { $0.fact == "perpetrator.caregiver" })
  }

  @Test func texasStatePoliceAreCopiedOnEveryPoliceReferral() throws {
    let decision = try decide(
      "{\(Self.austin), \"reporter\": {\"relationship\": \"victim\"}, \"trafficking_type\": \"sex\", \"indicators\": [\"force\"], \"victims\": [{\"age\": 25, \"consents_to_law_enforcement\": true}]}"
    )
    #expect(decision.protocols.contains { $0.id == "TX-DPS-COPY" })
    #expect(
      decision.referrals.contains {
        $0.role == .stateLawEnforcement && $0.contact.hasPrefix("tx-dps")
      })
  }

  @Test func aTexasProfessionalMustReportThemselves() throws {
    let decision = try decide(
      "{\(Self.austin), \"reporter\": {\"relationship\": \"professional\", \"mandated_reporter\": true}, \"trafficking_type\": \"sex\", \"victims\": [{\"age\": 15}]}"
    )
    let duty = decision.protocols.first { $0.id == "TX-PROF-DUTY" }
    #expect(duty?.because.contains("48 hours") == true)
  }

  @Test func onlineChildExploitationGoesToTheCyberTipline() throws {
    let decision = try decide(
      "{\(Self.houston), \"trafficking_type\": \"sex\", \"online_exploitation\": true, \"victims\": [{\"age\": 13}]}"
    )
    #expect(decision.referrals.contains { $0.role == .cybertipline && $0.consent != .given })
    #expect(decision.escalation == .mandatedReport)
  }

  @Test func foreignNationalsGetImmigrationLawEnforcementAndLegalServices() throws {
    let decision = try decide(
      "{\(Self.houston), \"reporter\": {\"relationship\": \"victim\", \"consents_to_share\": true}, \"trafficking_type\": \"labor\", \"indicators\": [\"document_confiscation\", \"threats_immigration\", \"coercion\"], \"victims\": [{\"age\": 29, \"foreign_national\": true, \"language\": \"es\", \"consents_to_law_enforcement\": true}]}"
    )
    #expect(decision.roles.contains(.federalImmigrationLawEnforcement))
    #expect(decision.roles.contains(.immigrationLegalServices))
    #expect(decision.roles.contains(.interpretation))
  }

  @Test func forcedMarriageInTheUSAbroadAndOfAMinor() throws {
    let here = try decide(
      "{\(Self.miami), \"reporter\": {\"relationship\": \"victim\", \"consents_to_share\": true}, \"forced_marriage\": true, \"victims\": [{\"age\": 21}]}"
    )
    #expect(here.roles.contains(.forcedMarriageServices))
    #expect(!here.roles.contains(.consularServices))
    let abroad = try decide(
      #"{"location": {"country": "PK"}, "reporter": {"relationship": "family", "consents_to_share": true}, "forced_marriage": true, "victims": [{"age": 20, "foreign_national": false}]}"#
    )
    #expect(abroad.roles.contains(.consularServices))
    let minor = try decide(
      "{\(Self.miami), \"forced_marriage\": true, \"victims\": [{\"age\": 16}]}")
    #expect(minor.escalation == .mandatedReport)
    #expect(minor.roles.contains(.childProtectiveServices))
  }

  @Test func aUSCitizenTraffickedAbroadGoesToConsularServices() throws {
    let decision = try decide(
      #"{"location": {"country": "MX", "city": "Cancun"}, "reporter": {"relationship": "family", "consents_to_share": true}, "trafficking_type": "labor", "indicators": ["document_confiscation"], "victims": [{"age": 27, "foreign_national": false}]}"#
    )
    #expect(decision.roles.contains(.consularServices))
  }

  @Test(arguments: [("CA", losAngeles), ("FL", miami)])
  func californiaAndFloridaChildAbuseIntakeWithoutAStatePoliceCopy(state: String, location: String)
    throws
  {
    let decision = try decide(
      "{\(location), \"trafficking_type\": \"sex\", \"indicators\": [\"commercial_sex\"], \"victims\": [{\"age\": 15}], \"perpetrator\": {\"caregiver\": false}}"
    )
    #expect(decision.escalation == .mandatedReport)
    #expect(
      decision.referrals.contains {
        $0.role == .childProtectiveServices && $0.jurisdiction.hasPrefix("US/\(state)")
      })
    // Neither state's law puts a duty on the hotline to copy its state police.
    #expect(!decision.roles.contains(.stateLawEnforcement))
  }

  @Test func theShippedSetIsTrainingDataWithFictionalContacts() {
    #expect(set.policy.trainingData)
    #expect(set.contacts.allSatisfy { $0.trainingData })
    for contact in set.contacts {
      let phone = contact.phone
      let fictional =
        phone == "911"
        || phone.range(of: #"^\d{3}-555-01\d{2}$"#, options: .regularExpression) != nil
      #expect(fictional, "\(contact.id) has phone \(phone)")
      #expect(contact.email.isEmpty || contact.email.hasSuffix("@example.org"), "\(contact.id)")
    }
  }

  @Test func theShippedSetMeetsItsSizeTargets() {
    let lawEnforcement = set.contacts.filter { $0.role.isLawEnforcement }.count
    let providers = set.contacts.filter { $0.role.kind == .provider }.count
    #expect(set.protocols.count >= 40)
    #expect(lawEnforcement >= 150)
    #expect(providers >= 100)
    #expect(set.geography.counties(state: "TX").count == 254)
    let texasCounties = Set(
      set.contacts.compactMap { $0.jurisdiction.state == "TX" ? $0.jurisdiction.county : nil })
    for county in ["Travis", "Harris", "Dallas", "Bexar", "El Paso", "Brewster"] {
      #expect(texasCounties.contains(county), "\(county)")
    }
    #expect(set.protocols.filter { $0.scope.depth >= 3 }.count >= 3)
    #expect(set.protocols.allSatisfy { !$0.tests.isEmpty })
  }

  @Test func theShippedSetPassesItsOwnCheck() {
    let report = ProtocolChecker.check(set, asOf: TestSupport.day)
    #expect(report.testsFailed == 0)
    #expect(!report.hasErrors, "\(report.diagnostics.filter { $0.severity == .error })")
  }
}
