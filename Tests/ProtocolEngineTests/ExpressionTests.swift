import ProtocolEngine
import Testing

@Suite("Expression language")
struct ExpressionTests {
  func truth(_ expression: String, _ report: String) throws -> Truth {
    try Expression(expression).evaluate(try TestSupport.report(report))
  }

  @Test(
    "Kleene truth tables for &&, || and !",
    arguments: [
      // (a, b) as imminent_danger and forced_marriage; nil = unknown
      (true, true, Truth.true, Truth.true), (true, false, .false, .true),
      (false, false, .false, .false), (true, nil, .unknown, .true),
      (false, nil, .false, .unknown), (nil, nil, .unknown, .unknown),
      (nil, true, .unknown, .true), (nil, false, .false, .unknown),
    ] as [(Bool?, Bool?, Truth, Truth)])
  func truthTables(a: Bool?, b: Bool?, and: Truth, or: Truth) throws {
    var fields: [String] = []
    if let a { fields.append("\"imminent_danger\": \(a)") }
    if let b { fields.append("\"forced_marriage\": \(b)") }
    let report = "{ " + fields.joined(separator: ", ") + " }"
    #expect(try truth("imminent_danger && forced_marriage", report) == and)
    #expect(try truth("imminent_danger || forced_marriage", report) == or)
    let notA: Truth = a.map { $0 ? .false : .true } ?? .unknown
    #expect(try truth("!imminent_danger", report) == notA)
  }

  @Test func knownIsTwoValued() throws {
    #expect(try truth("known(perpetrator.caregiver)", "{}") == .false)
    #expect(
      try truth("known(perpetrator.caregiver)", #"{"perpetrator": {"caregiver": false}}"#) == .true)
    #expect(try truth("known(victims)", #"{"victims": [{}]}"#) == .true)
    // An empty list says nothing about the victims: it is unknown, like a missing one.
    #expect(try truth("known(victims)", #"{"victims": []}"#) == .false)
  }

  @Test func anyAndAllOverVictims() throws {
    let minor = "any(victims, v.age < 18)"
    #expect(try truth(minor, "{}") == .unknown)
    #expect(try truth(minor, #"{"victims": []}"#) == .unknown)
    #expect(try truth(minor, #"{"victims": [{"age": 30}, {"age": 16}]}"#) == .true)
    #expect(try truth(minor, #"{"victims": [{"age": 30}, {}]}"#) == .unknown)
    #expect(try truth(minor, #"{"victims": [{"age": 30}, {"age": 19}]}"#) == .false)
    let adults = "all(victims, v.age >= 18)"
    #expect(try truth(adults, #"{"victims": [{"age": 30}, {"age": 19}]}"#) == .true)
    #expect(try truth(adults, #"{"victims": [{"age": 30}, {}]}"#) == .unknown)
    #expect(try truth(adults, #"{"victims": [{}, {"age": 12}]}"#) == .false)
    #expect(try truth(adults, #"{"victims": []}"#) == .unknown)
  }

  @Test func membershipAndIndicators() throws {
    #expect(try truth(#""force" in indicators"#, "{}") == .unknown)
    #expect(try truth(#""force" in indicators"#, #"{"indicators": []}"#) == .false)
    #expect(try truth(#""force" in indicators"#, #"{"indicators": ["force"]}"#) == .true)
    let states = #"location.state in ["TX", "CA"]"#
    #expect(try truth(states, #"{"location": {"state": "CA"}}"#) == .true)
    #expect(try truth(states, #"{"location": {"state": "FL"}}"#) == .false)
    #expect(try truth(states, "{}") == .unknown)
    #expect(try truth(#"trafficking_type == "none""#, #"{"trafficking_type": "none"}"#) == .true)
    #expect(try truth(#"victims[1].age > 17"#, #"{"victims": [{"age": 3}]}"#) == .unknown)
  }

  @Test(arguments: Channel.allCases)
  func everyEnumeratedValueComparesAsItself(channel: Channel) throws {
    let report = #"{"channel": "\#(channel.rawValue)"}"#
    for other in Channel.allCases {
      #expect(
        try truth(#"channel == "\#(other.rawValue)""#, report)
          == (other == channel ? .true : .false))
    }
    for relationship in Relationship.allCases {
      let json = #"{"reporter": {"relationship": "\#(relationship.rawValue)"}}"#
      #expect(try truth(#"reporter.relationship == "\#(relationship.rawValue)""#, json) == .true)
    }
    for type in TraffickingType.allCases where type != .unknown {
      let json = #"{"trafficking_type": "\#(type.rawValue)"}"#
      #expect(try truth(#"trafficking_type == "\#(type.rawValue)""#, json) == .true)
    }
  }

  @Test func countryDefaultsToTheUS() throws {
    #expect(try truth(#"location.country == "US""#, "{}") == .true)
    #expect(try truth(#"location.country != "US""#, #"{"location": {"country": "MX"}}"#) == .true)
  }

  @Test func policySettingsAreFacts() throws {
    let expression = try Expression(
      #"policy.third_party_adult_tips == "reporter_consent_sufficient""#)
    let report = Report()
    #expect(expression.evaluate(report) == .false)
    #expect(
      expression.evaluate(
        report, policy: PolicySettings(thirdPartyAdultTips: .reporterConsentSufficient))
        == .true)
  }

  @Test func unknownFactsAreTheOnesThatMatter() throws {
    let expression = try Expression(
      "any(victims, v.age < 18) && (perpetrator.caregiver == false || imminent_danger)")
    let report = try TestSupport.report(#"{"victims": [{"age": 16}], "imminent_danger": false}"#)
    #expect(expression.unknownFacts(in: report) == ["perpetrator.caregiver"])
    let nobody = try TestSupport.report(#"{"victims": [{"age": 40}, {}]}"#)
    #expect(expression.unknownFacts(in: nobody).contains("victims[1].age"))
    // A false conjunct makes the rest irrelevant.
    let adult = try TestSupport.report(#"{"victims": [{"age": 40}]}"#)
    #expect(expression.unknownFacts(in: adult).isEmpty)
  }

  @Test(
    "Syntax, type and unknown-fact errors carry a column and a code",
    arguments: [
      ("imminent_danger &&", 18, "HR0020", "the expression ends too early"),
      ("victims[0].age = 3", 15, "HR0020", "unexpected '='; use '==' to compare"),
      ("trafficking_type == 'sex'", 20, "HR0020", "strings use double quotes (\"...\")"),
      ("1 < 2 < 3", 6, "HR0020", "comparisons do not chain; join them with '&&'"),
      (
        #"trafficking_type == "sexx""#, 20, "HR0021",
        "\"sexx\" is not a trafficking type (sex, labor, both, none, unknown) (did you mean 'sex'?)"
      ),
      (
        #"victims[0].age < "16""#, 17, "HR0021",
        "cannot compare victims[0].age (a number) with text \"16\""
      ),
      (
        "location.state", 0, "HR0021",
        "location.state is text, not true/false; compare it with something"
      ),
      (
        "location.stat == \"TX\"", 0, "HR0022",
        "unknown fact 'location.stat' (did you mean 'location.state'?)"
      ),
      (
        "v.age < 18", 0, "HR0022",
        "'v' is only defined inside any(victims, ...) or all(victims, ...)"
      ),
      (
        #""kidnap" in indicators"#, 0, "HR0021",
        "\"kidnap\" is not an indicator (force, fraud, coercion, debt_bondage, document_confiscation, commercial_sex, restricted_movement, threats_immigration, wage_theft)"
      ),
      (#"refers("police")"#, 7, "HR0021", "\"police\" is not a role"),
      (
        "count(victims) > 1", 0, "HR0022",
        "unknown function 'count'; the functions are any, all, known and refers"
      ),
      ("imminent_danger && 3", 19, "HR0021", "3 is not a condition (true/false)"),
    ])
  func errors(expression: String, offset: Int, code: String, message: String) {
    do {
      _ = try Expression(expression)
      Issue.record("expected an error for \(expression)")
    } catch {
      #expect(error.offset == offset)
      #expect(error.code.rawValue == code)
      #expect(error.message == message)
    }
  }
}
