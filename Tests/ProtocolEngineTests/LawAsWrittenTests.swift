import ProtocolEngine
import Testing

/// The rules a hotline supervisor and a lawyer found wrong in the shipped set: each test is a
/// report that was routed against the law it cites, and what the law says instead.
@Suite("The law as written, on the shipped protocol set")
struct LawAsWrittenTests {
  let set: ProtocolSet
  let engine: Engine

  init() throws {
    set = try TestSupport.load(TestSupport.shippedSet)
    engine = Engine(set)
  }

  func decide(_ json: String) throws -> Decision {
    let report = try TestSupport.report(json, geography: set.geography)
    return engine.decide(report, asOf: TestSupport.day)
  }

  static let houston =
    #""location": {"country": "US", "state": "TX", "county": "Harris", "city": "Houston"}"#
  static let atlanta =
    #""location": {"country": "US", "state": "GA", "county": "Fulton", "city": "Atlanta"}"#
  static let columbus =
    #""location": {"country": "US", "state": "OH", "county": "Franklin", "city": "Columbus"}"#

  // 1. Means: debt bondage, document confiscation, immigration threats and restricted
  //    movement are coercion.

  @Test(arguments: ["debt_bondage", "document_confiscation", "threats_immigration"])
  func eachFormOfCoercionMakesLaborTrafficking(indicator: String) throws {
    let decision = try decide(
      #"{\#(Self.houston), "reporter": {"relationship": "victim", "consents_to_share": true}, "trafficking_type": "labor", "indicators": ["\#(indicator)"], "victims": [{"age": 31, "foreign_national": true, "consents_to_law_enforcement": true}]}"#
    )
    #expect(decision.escalation == .lawEnforcementReferral)
    #expect(decision.protocols.map(\.id).contains("US-ADULT-LABOR-01"))
    #expect(decision.roles.contains(.federalImmigrationLawEnforcement))
    #expect(decision.roles.contains(.immigrationLegalServices))
  }

  @Test func aForeignWorkerWithPassportHeldAndADebtIsLaborTrafficking() throws {
    let decision = try decide(
      #"{\#(Self.atlanta), "reporter": {"relationship": "victim", "consents_to_share": true}, "trafficking_type": "labor", "indicators": ["document_confiscation", "debt_bondage"], "victims": [{"age": 29, "foreign_national": true, "consents_to_law_enforcement": false}]}"#
    )
    // She refuses police: services, labor department and immigration legal aid, no police.
    #expect(decision.escalation == .servicesReferral)
    #expect(decision.category == .tip)
    #expect(decision.roles.contains(.immigrationLegalServices))
    #expect(!decision.roles.contains { $0.isLawEnforcement })
    #expect(decision.protocols.map(\.id).contains("US-ADULT-SERVICES-01"))
  }

  @Test func theDefinitionIsSaidOnceAndUsedByName() throws {
    #expect(set.policy.definitions.names.contains("means"))
    let usesMeans = set.protocols.filter { $0.whenText.contains("means") }
    #expect(usesMeans.count >= 10)
    let copies = set.protocols.filter {
      $0.whenText.contains(#""force" in indicators || "fraud" in indicators"#)
    }
    #expect(copies.map(\.id) == [])
  }

  // 2. Only sex trafficking drops the means requirement under 18.

  @Test(arguments: ["TX", "CA", "FL", "GA"])
  func aSixteenYearOldOwedWagesIsLaborExploitationNotAMandatedReport(state: String) throws {
    let county = ["TX": "Harris", "CA": "Fresno", "FL": "Miami-Dade", "GA": "Fulton"][state] ?? ""
    let decision = try decide(
      #"{"location": {"country": "US", "state": "\#(state)", "county": "\#(county)"}, "reporter": {"relationship": "family", "consents_to_share": true}, "trafficking_type": "labor", "indicators": ["wage_theft"], "victims": [{"age": 16}], "perpetrator": {"caregiver": false}}"#
    )
    #expect(decision.escalation == .servicesReferral)
    #expect(decision.category == .highRisk)
    #expect(decision.roles.contains(.laborStandards))
    #expect(!decision.roles.contains(.childProtectiveServices))
    #expect(!decision.roles.contains { $0.isLawEnforcement })
  }

  @Test func aSixteenYearOldInCommercialSexNeedsNoMeans() throws {
    let decision = try decide(
      #"{\#(Self.atlanta), "indicators": ["commercial_sex"], "victims": [{"age": 16}], "perpetrator": {"caregiver": false}}"#
    )
    #expect(decision.escalation == .mandatedReport)
    #expect(decision.roles.contains(.childProtectiveServices))
    #expect(decision.roles.contains(.localLawEnforcement))
  }

  // 3. Consent overrides are narrow, and consent is per victim.

  @Test func dangerOverridesConsentForTheEmergencyResponseOnly() throws {
    let decision = try decide(
      #"{\#(Self.houston), "reporter": {"relationship": "victim", "consents_to_share": false}, "trafficking_type": "labor", "indicators": ["force", "threats_immigration"], "victims": [{"age": 30, "foreign_national": true, "consents_to_law_enforcement": false}], "imminent_danger": true}"#
    )
    #expect(decision.escalation == .emergency)
    #expect(decision.roles.contains(.emergencyServices))
    #expect(decision.roles.contains(.localLawEnforcement))
    for role in [
      Role.federalImmigrationLawEnforcement, .federalLawEnforcement, .stateLawEnforcement,
    ] {
      #expect(!decision.roles.contains(role), "\(role) was referred without consent")
    }
    for referral in decision.referrals {
      #expect(
        referral.role.answersEmergencies || referral.consent != .notRequiredImminentDanger,
        "\(referral.contact) made on the danger override")
    }
  }

  @Test func anAdultCoVictimsRefusalStandsBesideAMinor() throws {
    let decision = try decide(
      #"{\#(Self.houston), "reporter": {"relationship": "victim", "consents_to_share": true}, "trafficking_type": "labor", "indicators": ["coercion", "debt_bondage"], "victims": [{"age": 16, "foreign_national": true}, {"age": 22, "foreign_national": true, "consents_to_law_enforcement": false}], "perpetrator": {"caregiver": false}}"#
    )
    // The child's report goes (police, CPS, immigration agents for the child, no consent).
    #expect(decision.escalation == .mandatedReport)
    let hsi = decision.referrals.filter { $0.role == .federalImmigrationLawEnforcement }
    #expect(!hsi.isEmpty)
    #expect(hsi.allSatisfy { $0.consent == .notRequiredMinor })
    // The adult's refusal is kept, and said.
    #expect(
      decision.nearMisses.contains {
        $0.failedOn == "victims[1].consents_to_law_enforcement == false"
      })
    // No referral rests on the adult's consent.
    #expect(!decision.referrals.contains { $0.consent == .given && $0.role.isLawEnforcement })
  }

  @Test func laborStandardsIsNeverRequiredByLaw() throws {
    for item in set.protocols {
      for rule in item.referrals where rule.role == .laborStandards {
        #expect(
          rule.consent != .notRequiredLaw, "\(item.id) refers labor standards as required by law")
      }
    }
  }

  @Test func everyNotRequiredLawReferralNamesItsLaw() throws {
    // The professional's own duty is the one referral made because a statute says so.
    let duty = try #require(set.protocols.first { $0.id == "TX-PROF-DUTY" })
    #expect(duty.referrals.contains { $0.consent == .notRequiredLaw })
    #expect(duty.cite.first?.hasPrefix("Tex. Fam. Code § 261.101") == true)
    for item in set.protocols
    where item.referrals.contains(where: { $0.consent == .notRequiredLaw }) {
      let first = item.cite.first ?? ""
      #expect(
        ["§", "art.", "arts.", "ILCS"].contains { first.contains($0) },
        "\(item.id) makes a referral 'required by law' but its first cite is not a statute: \(first)"
      )
    }
  }

  // 4. Mixed ages: the child's mandated report and the adult's services, both.

  @Test func aSixteenAndATwentyTwoYearOldGetTheChildsReportAndTheAdultsServices() throws {
    let decision = try decide(
      #"{\#(Self.columbus), "reporter": {"relationship": "victim", "consents_to_share": true}, "trafficking_type": "sex", "indicators": ["force", "commercial_sex"], "victims": [{"age": 16}, {"age": 22, "consents_to_law_enforcement": false}], "perpetrator": {"caregiver": false}}"#
    )
    #expect(decision.escalation == .mandatedReport)
    #expect(decision.roles.contains(.childProtectiveServices))
    #expect(decision.roles.contains(.localLawEnforcement))
    // The adult protocols apply for the 22-year-old.
    let ids = decision.protocols.map(\.id)
    #expect(ids.contains("US-ADULT-SERVICES-01"))
    #expect(decision.roles.contains(.shelter))
    #expect(decision.roles.contains(.legalServices))
  }

  // 5. Abroad.

  @Test func dangerAbroadGoesToTheStateDepartmentNeverToA911Contact() throws {
    let decision = try decide(
      #"{"location": {"country": "MX", "city": "Cancun"}, "reporter": {"relationship": "family"}, "trafficking_type": "sex", "indicators": ["force"], "victims": [{"age": 24, "foreign_national": false}], "imminent_danger": true}"#
    )
    #expect(decision.escalation == .emergency)
    #expect(decision.roles.contains(.consularServices))
    #expect(!decision.roles.contains(.emergencyServices))
    #expect(!decision.referrals.contains { $0.jurisdiction.hasPrefix("US/") })
  }

  @Test func aMinorFacingForcedMarriageAbroadIsAChildAbuseMatter() throws {
    let decision = try decide(
      #"{"location": {"country": "PK"}, "reporter": {"relationship": "friend"}, "victims": [{"age": 17, "foreign_national": false}], "forced_marriage": true}"#
    )
    #expect(decision.escalation == .mandatedReport)
    #expect(decision.roles.contains(.consularServices))
    #expect(decision.referrals.allSatisfy { $0.consent != .given })
  }

  // 6. Cites support the rule.

  @Test func noProtocolCopiesTheStatePoliceByAnUnsupportedDuty() throws {
    let ids = Set(set.protocols.map(\.id))
    #expect(!ids.contains("CA-STATEPOLICE-01"))
    #expect(!ids.contains("FL-FDLE-01"))
    let online = try #require(set.protocols.first { $0.id == "US-ONLINE-01" })
    #expect(online.referrals.allSatisfy { $0.consent != .notRequiredLaw })
    #expect(!online.cite.contains { $0.hasPrefix("18 U.S.C. § 2258A") })
  }

  @Test func theTexasCopyToDPSNeverRidesOnTheDangerOverride() throws {
    let decision = try decide(
      #"{\#(Self.houston), "reporter": {"relationship": "victim"}, "trafficking_type": "sex", "indicators": ["force"], "victims": [{"age": 26, "consents_to_law_enforcement": false}], "imminent_danger": true}"#
    )
    #expect(decision.roles.contains(.localLawEnforcement))
    #expect(!decision.roles.contains(.stateLawEnforcement))
  }

  // 7. Input.

  @Test func aCityWithoutACountyStillDecidesAndTheCountyIsANeed() throws {
    let decision = try decide(
      #"{"location": {"state": "TX", "city": "Austin"}, "trafficking_type": "sex", "victims": [{"age": 15}]}"#
    )
    #expect(decision.escalation == .mandatedReport)
    #expect(decision.needs.map(\.fact).contains("location.county"))
  }

  @Test func anEmptyVictimListIsUnknownVictims() throws {
    let decision = try decide(
      #"{\#(Self.houston), "trafficking_type": "sex", "indicators": ["commercial_sex"], "victims": []}"#
    )
    #expect(decision.needs.map(\.fact).contains("victims"))
  }

  @Test func aSpecificSituationWithNoApplyingProtocolIsATip() throws {
    let decision = try decide(
      #"{\#(Self.houston), "reporter": {"relationship": "community_member"}, "victims": [{"age": 30}]}"#
    )
    #expect(decision.category == .tip)
    let empty = try decide(#"{"channel": "call"}"#)
    #expect(empty.category == .generalInformation)
  }

  @Test(arguments: [
    (
      #"{"location": {"country": "MX", "state": "TX"}}"#,
      "r.json:1:41: location.state: 'TX' is a U.S. state but location.country is 'MX'"
    ),
    (
      #"{"location": {"state": "GA", "county": "Travis"}}"#,
      "r.json:1:40: location.county: 'Travis' is not a county of GA"
    ),
    (#"{"victims": [{"age": 111}]}"#, "r.json:1:22: victims[0].age: 111 is not an age"),
  ])
  func badLocationsAndAgesNameTheField(json: String, message: String) throws {
    #expect(throws: ProtocolEngineError.self) {
      try Report.decode(json, file: "r.json", geography: set.geography)
    }
    do {
      _ = try Report.decode(json, file: "r.json", geography: set.geography)
    } catch {
      #expect("\(error)".hasPrefix(message), "\(error)")
    }
  }

  @Test func puertoRicoIsAUSJurisdiction() throws {
    let report = try Report.decode(
      #"{"location": {"country": "PR", "county": "San Juan"}}"#, file: "r.json",
      geography: set.geography)
    #expect(report.location?.state == "PR")
    #expect(report.location?.isAbroad == false)
  }

  /// A child and an adult trafficked together: the adult's services are an adult's (the
  /// adults' shelter), the child's report is the child's; one victim's age never decides the
  /// other's provider.
  @Test func anAdultTraffickedWithAChildGetsTheAdultsShelter() throws {
    let decision = try decide(
      #"{"reporter": {"relationship": "victim", "consents_to_share": true}, "location": {"country": "US", "state": "TX", "county": "Dallas", "city": "Dallas"}, "trafficking_type": "sex", "indicators": ["force", "commercial_sex"], "victims": [{"age": 22, "consents_to_law_enforcement": false}, {"age": 16}], "perpetrator": {"caregiver": false}, "imminent_danger": false}"#
    )
    #expect(decision.escalation == .mandatedReport)
    let shelters = decision.referrals.filter { $0.role == .shelter }
    #expect(!shelters.isEmpty)
    for shelter in shelters where shelter.protocolID == "US-ADULT-SERVICES-01" {
      let topics = try #require(set.contacts.first { $0.id == shelter.contact }).topics
      #expect(!topics.contains("minors") || topics.contains("adults"), "\(shelter.contact)")
    }
    #expect(decision.roles.contains(.childProtectiveServices))
  }

  /// An interpreter must speak the victim's language: a Mandarin speaker in Miami-Dade is
  /// sent to a language line that speaks Mandarin, not to the county's Spanish and Creole one.
  @Test func theInterpreterSpeaksTheVictimsLanguage() throws {
    let decision = try decide(
      #"{"reporter": {"relationship": "victim", "consents_to_share": true}, "location": {"country": "US", "state": "FL", "county": "Miami-Dade", "city": "Miami"}, "trafficking_type": "sex", "indicators": ["force", "commercial_sex", "debt_bondage"], "victims": [{"age": 38, "foreign_national": true, "language": "zh", "consents_to_law_enforcement": false}], "perpetrator": {"caregiver": false}, "imminent_danger": false}"#
    )
    let interpreters = decision.referrals.filter { $0.role == .interpretation }
    #expect(!interpreters.isEmpty)
    for interpreter in interpreters {
      let contact = try #require(set.contacts.first { $0.id == interpreter.contact })
      #expect(contact.languages.contains("zh"), "\(contact.id) speaks \(contact.languages)")
    }
  }

}
