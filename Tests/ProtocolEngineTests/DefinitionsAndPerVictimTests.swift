import ProtocolEngine
import Testing

/// Named definitions (`policy.yaml`'s `definitions:`) and `for_each: victim` protocols, on the
/// mini fixture with one protocol and one policy swapped in.
@Suite("Definitions and per-victim protocols")
struct DefinitionsAndPerVictimTests {
  static let policy = """
    version: "test-1"
    name: Engine test fixture (training data)
    training_data: true
    definitions:
      means: '"force" in indicators || "debt_bondage" in indicators'
      adult: v.age >= 18
      adult_trafficked: adult && means
    """

  static let perVictim = """
    id: T-ADULT
    title: Adult trafficking, police with each adult's consent
    version: 1
    effective: 2020-01-01
    scope: US
    for_each: victim
    when: adult_trafficked
    then:
      escalation: law_enforcement_referral
      referrals:
        - role: local_law_enforcement
          consent: victim
    because: An adult decides whether police are involved.
    cite: [test]
    tests:
      - report:
          location: { state: TX, county: Travis }
          indicators: [debt_bondage]
          victims: [{ age: 30, consents_to_law_enforcement: true }]
        expect: { escalation: law_enforcement_referral }
    """

  func source(policy: String = policy, adult: String = perVictim) throws -> ProtocolSetSource {
    var source = try TestSupport.miniSource(replacing: ["adult.yaml": adult])
    source.policy.text = policy
    return source
  }

  func decide(_ json: String, in source: ProtocolSetSource) throws -> Decision {
    let (set, diagnostics) = ProtocolSet.parse(source)
    let loaded = try #require(set, "\(diagnostics)")
    let report = try TestSupport.report(json, geography: loaded.geography)
    return Engine(loaded).decide(report, asOf: TestSupport.day)
  }

  static let travis = #""location": {"state": "TX", "county": "Travis"}"#

  @Test func aDefinitionIsUsedByNameAndExpandsWhereItIsUsed() throws {
    let decision = try decide(
      #"{\#(Self.travis), "indicators": ["debt_bondage"], "victims": [{"age": 30, "consents_to_law_enforcement": true}]}"#,
      in: try source())
    #expect(decision.protocols.map(\.id).contains("T-ADULT"))
    #expect(decision.referrals.contains { $0.role == .localLawEnforcement && $0.consent == .given })
  }

  @Test func aPerVictimProtocolAppliesForEachAdultOnTheirOwnConsent() throws {
    // One adult agrees, one refuses: police are referred (for the one who agreed) and the
    // refusal is shown, not overridden.
    let decision = try decide(
      #"{\#(Self.travis), "indicators": ["force"], "victims": [{"age": 40, "consents_to_law_enforcement": false}, {"age": 30, "consents_to_law_enforcement": true}]}"#,
      in: try source())
    #expect(decision.escalation == .lawEnforcementReferral)
    #expect(
      decision.nearMisses.contains {
        $0.protocolID == "T-ADULT"
          && $0.failedOn == "victims[0].consents_to_law_enforcement == false"
      })
  }

  @Test func aChildBesideTheAdultDoesNotLiftTheAdultsRefusal() throws {
    let decision = try decide(
      #"{\#(Self.travis), "indicators": ["force"], "victims": [{"age": 15}, {"age": 30, "consents_to_law_enforcement": false}]}"#,
      in: try source())
    // T-ADULT applies for the 30-year-old only, whose refusal stands.
    #expect(
      !decision.protocols.contains {
        $0.id == "T-ADULT" && $0.escalation == .lawEnforcementReferral
      })
    #expect(
      decision.nearMisses.contains {
        $0.protocolID == "T-ADULT"
          && $0.failedOn == "victims[1].consents_to_law_enforcement == false"
      })
  }

  @Test func noVictimsKnownMakesTheVictimFactsNeeds() throws {
    let decision = try decide(
      #"{\#(Self.travis), "indicators": ["force"]}"#, in: try source())
    #expect(decision.needs.map(\.fact).contains("victims[0].age"))
  }

  @Test func aVictimDefinitionOutsideAVictimIsALocatedError() throws {
    let bad = Self.perVictim.replacingOccurrences(of: "for_each: victim\n", with: "")
    let (set, diagnostics) = ProtocolSet.parse(try source(adult: bad))
    #expect(set == nil)
    #expect(
      diagnostics.map(\.description).contains {
        $0.hasSuffix(
          "adult.yaml:6:7: error[HR0022]: when: 'adult_trafficked' is about one victim (it uses v); use it inside any(victims, ...), all(victims, ...) or a for_each: victim protocol"
        )
      }, "\(diagnostics)")
  }

  @Test(arguments: [
    (
      "  means: '\"force\" in indicators ||'\n",
      "policy.yaml:5:35: error[HR0020]: definitions.means: the expression ends too early"
    ),
    (
      "  victims: imminent_danger\n",
      "policy.yaml:5:3: error[HR0005]: definitions.victims: 'victims' is a fact, function or keyword of the language; pick another name"
    ),
    (
      "  later: sooner\n  sooner: imminent_danger\n",
      "policy.yaml:5:10: error[HR0022]: definitions.later: unknown fact 'sooner'"
    ),
  ])
  func badDefinitionsAreLocatedInPolicyYaml(definition: String, expected: String) throws {
    let policy = """
      version: "test-1"
      name: x
      training_data: true
      definitions:
      \(definition)
      """
    var source = try source(policy: policy)
    source.policy.path = "policy.yaml"
    let (set, diagnostics) = ProtocolSet.parse(source)
    #expect(set == nil)
    #expect(
      diagnostics.map(\.description).contains { $0.hasPrefix(expected) }, "\(diagnostics)")
  }

  @Test func forEachTakesOnlyVictim() throws {
    let bad = Self.perVictim.replacingOccurrences(of: "for_each: victim", with: "for_each: report")
    let (_, diagnostics) = ProtocolSet.parse(try source(adult: bad))
    #expect(
      diagnostics.map(\.description).contains {
        $0.contains(
          "error[HR0005]: for_each: 'report' is not something a protocol can apply to one by one (for_each: victim)"
        )
      }, "\(diagnostics)")
  }
}
