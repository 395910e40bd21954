import Foundation
import ProtocolEngine
import ScenarioKit
import Testing

/// The scenario library's lessons: the engine's decision on each scenario's truth is the one
/// its summary teaches. A protocol change that alters a lesson fails here, by name, and a new
/// scenario must state its lesson in this table.
@Suite struct LibraryTests {
  typealias F = AuthoringFixtures

  /// Scenario id -> the escalation and the referral roles (in the engine's order) its lesson
  /// rests on.
  static let lessons: [String: (escalation: String, roles: [String])] = [
    "ca-hotel-clerk-adult": (
      "law_enforcement_referral",
      ["local_law_enforcement", "state_law_enforcement", "shelter", "case_management"]
    ),
    "in-bus-station-adult": (
      "services_referral", ["shelter", "case_management", "legal_services"]
    ),
    "tx-adult-later-consents": (
      "law_enforcement_referral",
      [
        "local_law_enforcement", "state_law_enforcement", "shelter", "case_management",
        "legal_services",
      ]
    ),
    "fl-violence-audible": ("services_referral", ["shelter", "case_management", "legal_services"]),
    "nm-adult-info-only": ("services_referral", ["case_management"]),
    "de-massage-tip": (
      "services_referral",
      ["shelter", "case_management", "immigration_legal_services", "interpretation"]
    ),
    "tx-spanish-caller": (
      "law_enforcement_referral",
      [
        "local_law_enforcement", "state_law_enforcement", "shelter", "case_management",
        "legal_services", "interpretation",
      ]
    ),
    "fl-mandarin-caller": (
      "law_enforcement_referral",
      [
        "local_law_enforcement", "state_law_enforcement", "federal_immigration_law_enforcement",
        "shelter", "case_management", "legal_services", "immigration_legal_services",
        "interpretation",
      ]
    ),
    "tx-cantina-both": (
      "law_enforcement_referral",
      [
        "local_law_enforcement", "state_law_enforcement", "federal_law_enforcement",
        "labor_standards", "shelter", "case_management", "legal_services",
      ]
    ),
    "tx-unclear-webform": (
      "mandated_report",
      [
        "local_law_enforcement", "state_law_enforcement", "federal_law_enforcement",
        "child_protective_services",
      ]
    ),
    "sc-gaming-grooming": (
      "mandated_report",
      [
        "local_law_enforcement", "state_law_enforcement", "federal_law_enforcement",
        "child_protective_services", "cybertipline",
      ]
    ),
    "tx-teen-and-adult": (
      "mandated_report",
      [
        "local_law_enforcement", "state_law_enforcement", "federal_law_enforcement",
        "child_protective_services", "shelter", "case_management", "legal_services",
      ]
    ),
    "tx-facts-change": (
      "mandated_report",
      [
        "local_law_enforcement", "state_law_enforcement", "federal_law_enforcement",
        "child_protective_services",
      ]
    ),
    "tx-wrong-caller": (
      "mandated_report",
      [
        "local_law_enforcement", "state_law_enforcement", "federal_law_enforcement",
        "child_protective_services",
      ]
    ),
    "nc-farmworkers-passports": (
      "law_enforcement_referral",
      [
        "local_law_enforcement", "state_law_enforcement", "federal_law_enforcement",
        "federal_immigration_law_enforcement", "labor_standards", "shelter", "case_management",
        "immigration_legal_services", "interpretation",
      ]
    ),
    "ca-domestic-worker": (
      "services_referral",
      [
        "labor_standards", "shelter", "case_management", "legal_services",
        "immigration_legal_services",
      ]
    ),
    "in-forced-marriage-minor": (
      "mandated_report",
      ["local_law_enforcement", "child_protective_services", "forced_marriage_services"]
    ),
    "us-forced-marriage-abroad": (
      "services_referral", ["consular_services", "forced_marriage_services"]
    ),
    "tx-teacher-duty": (
      "mandated_report",
      [
        "local_law_enforcement", "state_law_enforcement", "federal_law_enforcement",
        "child_protective_services",
      ]
    ),
    "tx-candy-parent": ("mandated_report", ["child_protective_services", "shelter"]),
    "tx-candy-crew": (
      "mandated_report",
      [
        "local_law_enforcement", "state_law_enforcement", "federal_law_enforcement",
        "child_protective_services", "labor_standards",
      ]
    ),
    "tx-restaurant-underpaid": ("services_referral", ["labor_standards", "legal_services"]),
    "tx-teen-owed-wages": ("services_referral", ["labor_standards", "legal_services"]),
    "adult-text-no-consent": (
      "services_referral", ["shelter", "case_management", "legal_services"]
    ),
    "tx-minor-online-ad": (
      "mandated_report",
      [
        "local_law_enforcement", "state_law_enforcement", "federal_law_enforcement",
        "child_protective_services", "cybertipline",
      ]
    ),
    "tx-motel-whisper": (
      "emergency",
      [
        "emergency_services", "local_law_enforcement", "state_law_enforcement", "shelter",
        "case_management", "legal_services",
      ]
    ),
  ]

  @Test func everyShippedScenarioStatesItsLesson() {
    #expect(Set(F.shippedIDs) == Set(Self.lessons.keys))
  }

  @Test(arguments: AuthoringFixtures.shippedIDs)
  func theEnginesDecisionIsTheLesson(id: String) throws {
    let lesson = try #require(Self.lessons[id], "\(id) has no row in LibraryTests.lessons")
    let engine = try F.shippedEngine.get()
    let decision = engine.decide(try F.shipped(id).truth, asOf: F.day)
    #expect(decision.escalation.rawValue == lesson.escalation, "\(id)")
    #expect(decision.roles.map(\.rawValue) == lesson.roles, "\(id)")
  }

  @Test(arguments: AuthoringFixtures.shippedIDs)
  func everyScenarioHasAStrongRunAndItsTypicalMistake(id: String) throws {
    let scenario = try F.shipped(id)
    let ids = Set(scenario.transcripts.map(\.id))
    #expect(ids.isSuperset(of: ["strong", "typical"]), "\(id): \(ids.sorted())")
    let strong = try #require(scenario.transcripts.first { $0.id == "strong" })
    #expect(strong.compliance.allSatisfy { $0 == .highCompliance || $0 == .compliant }, "\(id)")
    #expect(!scenario.contentWarning.isEmpty && !scenario.summary.isEmpty, "\(id)")
  }

  /// The neighbour's tip about a massage business, played under both settings of
  /// `third_party_adult_tips`: with the shipped one (the women's own consent is required) it
  /// is services only; where an agency accepts the reporter's consent, the tip goes to police.
  @Test func theMassageTipUnderBothPolicySettings() throws {
    let engine = try F.shippedEngine.get()
    let truth = try F.shipped("de-massage-tip").truth
    let shipped = engine.decide(
      truth, asOf: F.day, policy: PolicySettings(thirdPartyAdultTips: .victimConsentRequired))
    #expect(shipped.escalation == .servicesReferral)
    #expect(!shipped.roles.contains(.localLawEnforcement))
    let other = engine.decide(
      truth, asOf: F.day, policy: PolicySettings(thirdPartyAdultTips: .reporterConsentSufficient))
    #expect(other.escalation == .lawEnforcementReferral)
    #expect(other.roles.contains(.localLawEnforcement))
    #expect(other.protocols.map(\.id).contains("US-TIP-ADULT-02"))
  }

  /// A scenario whose truth changes during the call teaches the decision on the changed truth:
  /// after the violence, an emergency (without her consent).
  @Test func theViolenceHeardChangesTheDecisionToAnEmergency() throws {
    let engine = try F.shippedEngine.get()
    let scenario = try F.shipped("fl-violence-audible")
    var truth = scenario.truth
    for fact in scenario.events.flatMap(\.effect.sets) { fact.apply(to: &truth) }
    let decision = engine.decide(truth, asOf: F.day)
    #expect(decision.escalation == .emergency)
    #expect(decision.roles.contains(.emergencyServices))
    #expect(!decision.roles.contains(.stateLawEnforcement))
  }

}
