import ProtocolEngine
import Testing

/// Engine mechanics on the small fixture set in Fixtures/mini.
@Suite("Engine mechanics")
struct EngineTests {
  let set: ProtocolSet
  let engine: Engine

  init() throws {
    set = try TestSupport.load(TestSupport.miniSet)
    engine = Engine(set)
  }

  func decide(_ json: String, asOf: String = "2026-11-29", policy: PolicySettings? = nil) throws
    -> Decision
  {
    let report = try TestSupport.report(json, geography: set.geography)
    return engine.decide(report, asOf: Day(asOf) ?? TestSupport.day, policy: policy)
  }

  @Test func nothingAppliesGivesInformation() throws {
    let decision = try decide(#"{"trafficking_type": "none"}"#)
    #expect(decision.escalation == .information)
    #expect(decision.category == .generalInformation)
    #expect(decision.protocols.isEmpty)
    #expect(decision.referrals.isEmpty)
  }

  @Test func escalationIsTheMaximumAndEmergencyIsNeverLowered() throws {
    let decision = try decide(
      #"{"imminent_danger": true, "location": {"state": "TX", "county": "Travis"}, "trafficking_type": "sex", "indicators": ["force"], "victims": [{"age": 30, "consents_to_law_enforcement": false}]}"#
    )
    #expect(decision.escalation == .emergency)
    #expect(decision.category == .crisis)
    #expect(decision.protocols.first?.id == "T-DANGER")
    // Imminent danger overrides the refused consent for the police referral.
    let police = decision.referrals.first { $0.role == .localLawEnforcement }
    #expect(police?.consent == .notRequiredImminentDanger)
  }

  @Test func mostSpecificContactWins() throws {
    let city = try decide(
      #"{"location": {"state": "TX", "county": "Travis", "city": "Austin"}, "victims": [{"age": 16}], "trafficking_type": "sex"}"#
    )
    #expect(
      city.referrals.filter { $0.role == .localLawEnforcement }.map(\.contact) == [
        "tx-travis-austin-pd"
      ])
    let county = try decide(
      #"{"location": {"state": "TX", "county": "Travis", "city": "Pflugerville"}, "victims": [{"age": 16}], "trafficking_type": "sex"}"#
    )
    #expect(
      county.referrals.filter { $0.role == .localLawEnforcement }.map(\.contact) == ["tx-travis-so"]
    )
    // State-level roles resolve at the state; national ones nationally.
    #expect(city.referrals.contains { $0.contact == "tx-dps" && $0.jurisdiction == "US/TX" })
  }

  @Test func expiredContactsAndProtocolsFollowTheAsOfDate() throws {
    let json =
      #"{"location": {"state": "TX", "county": "Harris"}, "victims": [{"age": 15}], "trafficking_type": "sex"}"#
    let before = try decide(json, asOf: "2025-01-15")
    let after = try decide(json, asOf: "2026-01-15")
    #expect(before.referrals.contains { $0.contact == "tx-harris-so-old" })
    #expect(!before.referrals.contains { $0.contact == "tx-harris-so" })
    #expect(after.referrals.contains { $0.contact == "tx-harris-so" })
    #expect(!after.referrals.contains { $0.contact == "tx-harris-so-old" })
    let retired = #"{"forced_marriage": true}"#
    #expect(try decide(retired, asOf: "2018-06-01").protocols.map(\.id) == ["T-OLD"])
    #expect(try decide(retired, asOf: "2026-06-01").protocols.isEmpty)
  }

  @Test func providerContactsMatchTheAgeGroupAndLanguage() throws {
    let minor = try decide(
      #"{"location": {"state": "TX", "county": "Travis"}, "victims": [{"age": 16}], "trafficking_type": "sex"}"#
    )
    #expect(
      minor.referrals.filter { $0.role == .shelter }.map(\.contact) == ["tx-travis-shelter-youth"])
    let adult = try decide(
      #"{"location": {"state": "TX", "county": "Travis"}, "trafficking_type": "sex", "indicators": ["force"], "victims": [{"age": 30, "language": "es", "consents_to_law_enforcement": true}]}"#
    )
    #expect(
      adult.referrals.filter { $0.role == .shelter }.map(\.contact) == ["tx-travis-shelter-es"])
    // Outside Travis the national line serves.
    let elsewhere = try decide(
      #"{"location": {"state": "CA", "county": "Los Angeles"}, "victims": [{"age": 16}], "trafficking_type": "sex"}"#
    )
    #expect(elsewhere.referrals.filter { $0.role == .shelter }.map(\.contact) == ["us-shelter"])
  }

  @Test func refusedConsentIsANearMissAndUnknownConsentANeed() throws {
    let base =
      #""location": {"state": "TX", "county": "Travis"}, "trafficking_type": "sex", "indicators": ["coercion"]"#
    let refused = try decide(
      "{\(base), \"victims\": [{\"age\": 30, \"consents_to_law_enforcement\": false}]}")
    #expect(!refused.roles.contains(.localLawEnforcement))
    #expect(refused.escalation == .servicesReferral)
    #expect(
      refused.nearMisses.contains {
        $0.protocolID == "T-ADULT"
          && $0.failedOn == "victims[0].consents_to_law_enforcement == false"
      })
    let unknown = try decide("{\(base), \"victims\": [{\"age\": 30}]}")
    #expect(!unknown.roles.contains(.localLawEnforcement))
    let need = unknown.needs.first { $0.fact == "victims[0].consents_to_law_enforcement" }
    // The police referral waits on it, and so does the state-police copy that follows it.
    #expect(
      need?.because
        == "decides T-ADULT (consent for local_law_enforcement), T-TX-COPY (law_enforcement_referral)"
    )
    let given = try decide(
      "{\(base), \"victims\": [{\"age\": 30, \"consents_to_law_enforcement\": true}]}")
    #expect(given.escalation == .lawEnforcementReferral)
    #expect(given.referrals.first { $0.role == .localLawEnforcement }?.consent == .given)
  }

  @Test func aMinorNeedsNoConsentAndNoMeans() throws {
    let decision = try decide(
      #"{"location": {"state": "TX", "county": "Travis"}, "trafficking_type": "sex", "victims": [{"age": 17, "consents_to_law_enforcement": false}]}"#
    )
    #expect(decision.escalation == .mandatedReport)
    #expect(
      decision.referrals.first { $0.role == .localLawEnforcement }?.consent == .notRequiredMinor)
  }

  @Test func thirdPartyTipsFollowThePolicySetting() throws {
    let tip =
      #"{"location": {"state": "TX", "county": "Harris"}, "reporter": {"relationship": "friend", "consents_to_share": true}, "victims": [{"age": 25}]}"#
    let strict = try decide(tip)
    #expect(!strict.protocols.contains { $0.id == "T-TIP" })
    let permissive = try decide(
      tip, policy: PolicySettings(thirdPartyAdultTips: .reporterConsentSufficient))
    let police = permissive.referrals.first { $0.role == .localLawEnforcement }
    #expect(police?.protocolID == "T-TIP")
    #expect(police?.consent == .given)
  }

  @Test func stageTwoSeesStageOneReferrals() throws {
    let minor = try decide(
      #"{"location": {"state": "TX", "county": "Travis"}, "victims": [{"age": 16}], "trafficking_type": "sex"}"#
    )
    #expect(minor.protocols.contains { $0.id == "T-TX-COPY" })
    #expect(minor.roles.contains(.stateLawEnforcement))
    let labor = try decide(
      #"{"location": {"state": "TX", "county": "Travis"}, "trafficking_type": "labor"}"#)
    #expect(!labor.protocols.contains { $0.id == "T-TX-COPY" })
  }

  @Test func unknownFactsThatCouldChangeTheOutcomeAreNeeds() throws {
    let decision = try decide(#"{"location": {"state": "TX"}, "victims": [{"age": 15}]}"#)
    let facts = decision.needs.map(\.fact)
    #expect(facts.contains("perpetrator.caregiver"))
    #expect(facts.contains("location.county"))
    #expect(facts.contains("indicators") || facts.contains("trafficking_type"))
    #expect(facts == facts.sorted())
    #expect(!facts.contains("imminent_danger") || decision.escalation != .emergency)
  }

  @Test func nearMissesNameTheOneFailedCondition() throws {
    let decision = try decide(
      #"{"location": {"state": "TX", "county": "Travis"}, "victims": [{"age": 15}], "perpetrator": {"caregiver": true}, "trafficking_type": "sex"}"#
    )
    let miss = decision.nearMisses.first { $0.protocolID == "T-TX-MINOR" }
    #expect(miss?.failedOn == "perpetrator.caregiver == false")
    #expect(miss?.because.contains("perpetrator.caregiver = true") == true)
  }

  @Test func withoutExplanationTheOutcomeIsTheSame() throws {
    let report = try TestSupport.report(
      #"{"location": {"state": "TX", "county": "Travis", "city": "Austin"}, "victims": [{"age": 16}], "trafficking_type": "sex", "imminent_danger": false}"#,
      geography: set.geography)
    let full = engine.decide(report, asOf: TestSupport.day, explain: true)
    let fast = engine.decide(report, asOf: TestSupport.day, explain: false)
    #expect(full.escalation == fast.escalation)
    #expect(full.protocols.map(\.id) == fast.protocols.map(\.id))
    #expect(full.referrals.map(\.contact) == fast.referrals.map(\.contact))
    #expect(fast.needs.isEmpty && fast.nearMisses.isEmpty)
  }

  @Test func referralsAreDeduplicatedAndSorted() throws {
    let decision = try decide(
      #"{"location": {"state": "TX", "county": "Travis"}, "trafficking_type": "sex", "indicators": ["force"], "victims": [{"age": 16}, {"age": 30, "consents_to_law_enforcement": true}]}"#
    )
    let contacts = decision.referrals.map(\.contact)
    #expect(Set(contacts).count == contacts.count)
    let keys = decision.referrals.map { "\($0.role.order)-\($0.contact)" }
    #expect(keys == keys.sorted())
    // The police referral is credited to the higher-escalation protocol.
    #expect(decision.referrals.first { $0.contact == "tx-travis-so" }?.protocolID == "T-MINOR")
  }

  @Test func decisionJSONHasTheContractShape() throws {
    let decision = try decide(#"{"imminent_danger": true}"#)
    let json = decision.json.rendered()
    #expect(
      json.hasPrefix(
        #"{"escalation":"emergency","category":"crisis","protocols":[{"id":"T-DANGER","title":"Imminent danger","because":"Someone is in danger now."}],"referrals":[{"contact":"us-911","name":"Local 911 dispatch","role":"emergency_services","jurisdiction":"US","protocol":"T-DANGER","consent":"not_required:imminent_danger","because":"#
      ))
    #expect(json.contains(#""ruleset":{"version":"test-1","sha256":"\#(set.sha256)"}"#))
    #expect(set.sha256.count == 64)
  }
}
