import ProtocolEngine
import Testing

@Suite("Protocol set diagnostics")
struct ProtocolSetDiagnosticsTests {
  static let valid = """
    id: T-EXTRA
    title: Extra
    version: 1
    effective: 2020-01-01
    scope: US
    when: online_exploitation
    then:
      escalation: information
    because: Test.
    cite: [test]
    tests:
      - report: { online_exploitation: true }
        expect: { escalation: information }

    """

  /// The diagnostics of the mini set with one protocol file added (named `extra.yaml`).
  func diagnostics(_ text: String) throws -> [String] {
    let source = try TestSupport.miniSource(replacing: ["extra.yaml": text])
    let report = ProtocolChecker.check(source, asOf: TestSupport.day)
    let prefix = TestSupport.miniSet + "/"
    return report.diagnostics.map { $0.description.replacingOccurrences(of: prefix, with: "") }
  }

  func errors(_ text: String) throws -> [String] {
    try diagnostics(text).filter { $0.contains(": error[") }
  }

  @Test func theFixtureIsClean() throws {
    #expect(try errors(Self.valid).isEmpty)
  }

  static func edit(_ target: String, _ replacement: String) -> String {
    valid.replacingOccurrences(of: target, with: replacement)
  }

  static let protocolCases: [(String, String)] = [
    (
      "id: T-X\ntitle: [unclosed\n",
      "protocols/extra.yaml:3:1: error[HR0001]: invalid YAML:"
    ),
    (
      edit("cite: [test]", "cite: [test]\nseverity: high"),
      "protocols/extra.yaml:11:1: error[HR0002]: severity: unknown key"
    ),
    (
      edit("title: Extra\n", ""),
      "protocols/extra.yaml:1:1: error[HR0003]: missing required key 'title'"
    ),
    (
      edit("version: 1", "version: one"),
      "protocols/extra.yaml:3:10: error[HR0004]: version: expected a whole number, found one"
    ),
    (
      edit("escalation: information", "escalation: urgent"),
      "protocols/extra.yaml:8:15: error[HR0005]: then.escalation: 'urgent' is not one of emergency, mandated_report, law_enforcement_referral, services_referral, information"
    ),
    (
      edit("effective: 2020-01-01", "effective: 2020-02-30"),
      "protocols/extra.yaml:4:12: error[HR0005]: effective: '2020-02-30' is not a date (YYYY-MM-DD)"
    ),
    (
      edit("scope: US", "scope: US/TX/Travs"),
      "protocols/extra.yaml:5:8: error[HR0005]: scope: 'Travs' is not a county of TX in geography.csv (did you mean 'Travis'?)"
    ),
    (
      edit("when: online_exploitation", "when: online_exploitation && victims[0].age < \"9\""),
      "protocols/extra.yaml:6:47: error[HR0021]: when: cannot compare victims[0].age (a number) with text \"9\""
    ),
    (
      edit(
        "when: online_exploitation", "when: >\n  online_exploitation\n  && location.stat == \"TX\""),
      "protocols/extra.yaml:8:6: error[HR0022]: when: unknown fact 'location.stat' (did you mean 'location.state'?)"
    ),
    (
      edit("when: online_exploitation", "when: \"online_exploitation &&\""),
      "protocols/extra.yaml:6:30: error[HR0020]: when: the expression ends too early"
    ),
    (
      edit("id: T-EXTRA", "id: T-DANGER"),
      "protocols/extra.yaml:1:1: error[HR0010]: protocol id 'T-DANGER' is already used by"
    ),
    (
      edit(
        "  escalation: information",
        "  escalation: information\n  referrals:\n    - role: local_police"),
      "protocols/extra.yaml:10:13: error[HR0005]: then.referrals[0].role: 'local_police' is not one of"
    ),
    (
      edit(
        "  escalation: information",
        "  escalation: information\n  referrals:\n    - role: local_law_enforcement"),
      "protocols/extra.yaml:10:7: error[HR0003]: then.referrals[0]: missing required key 'consent'"
    ),
    (
      edit("{ online_exploitation: true }", "{ victims: [{ age: -1 }] }"),
      "protocols/extra.yaml:12:32: error[HR0031]: tests[0].report.victims[0].age: -1 is not an age"
    ),
    (
      edit("expect: { escalation: information }", "expect: { escalation: emergency }"),
      "protocols/extra.yaml:12:5: error[HR0030]: T-EXTRA test 'tests[0]': expected escalation emergency, got information"
    ),
    (
      edit(
        "tests:\n  - report: { online_exploitation: true }\n    expect: { escalation: information }\n",
        ""),
      "protocols/extra.yaml:1:1: error[HR0054]: T-EXTRA has no inline tests"
    ),
  ]

  @Test("Protocol file errors name file, line, column and field", arguments: protocolCases)
  func protocolErrors(text: String, expected: String) throws {
    let errors = try errors(text)
    #expect(errors.contains { $0.hasPrefix(expected) }, "\(errors)")
  }

  @Test func warningsForUnreachableShadowedAndUncontactedProtocols() throws {
    let unreachable = Self.valid.replacingOccurrences(
      of: "when: online_exploitation",
      with: "when: online_exploitation && victims[0].age < 18 && victims[0].age > 20"
    ).replacingOccurrences(
      of: "expect: { escalation: information }", with: "expect: { applies: false }")
    let found = try diagnostics(unreachable)
    #expect(found.contains { $0.contains("warning[HR0050]: T-EXTRA can never apply") })
    #expect(found.contains { $0.contains("warning[HR0053]: no inline test makes T-EXTRA apply") })

    let shadowed = Self.valid.replacingOccurrences(
      of: "when: online_exploitation", with: "when: imminent_danger && online_exploitation"
    ).replacingOccurrences(
      of: "{ online_exploitation: true }",
      with: "{ online_exploitation: true, imminent_danger: true }")
    #expect(
      try diagnostics(shadowed).contains {
        $0.contains("warning[HR0051]: T-EXTRA is shadowed by T-DANGER")
      })

    let gaps = try diagnostics(Self.valid)
    #expect(
      gaps.contains {
        $0.hasPrefix(
          "protocols/minor.yaml:1:1: warning[HR0052]: T-MINOR refers local_law_enforcement, which has no active contact in 1 of 4 counties of its scope: TX/Loving"
        )
      })
    #expect(
      gaps.contains {
        $0.contains("note[HR0055]: contact tx-harris-so-old is not active on 2026-11-29")
      })
    #expect(
      gaps.contains {
        $0.hasPrefix(
          "protocols/minor.yaml:1:1: note[HR0052]: T-MINOR refers local_law_enforcement, which has no contact in 54 states outside geography.csv (AK, AL, AR, AS, AZ, CO, ...)"
        )
      })
  }

  static let directoryCases: [(String, String)] = [
    ("id,name\n", "contacts.csv:1:1: error[HR0003]: header: expected id,name,role"),
    (
      "id,name,role,jurisdiction,topics,languages,hours,phone,email,active_from,active_until,training_data\nus-x,X,police,US,,en,24/7,800-555-0100,,,,true\n",
      "contacts.csv:2:8: error[HR0005]: role: 'police' is not a role"
    ),
    (
      "id,name,role,jurisdiction,topics,languages,hours,phone,email,active_from,active_until,training_data\nus-x,\"X,shelter,US,,en,24/7,800-555-0100,,,,true\n",
      "contacts.csv:2:6: error[HR0001]: a quoted field is never closed"
    ),
    (
      "id,name,role,jurisdiction,topics,languages,hours,phone,email,active_from,active_until,training_data\nus-x,X,shelter,US\n",
      "contacts.csv:2:1: error[HR0001]: expected 12 fields, found 4"
    ),
    (
      "id,name,role,jurisdiction,topics,languages,hours,phone,email,active_from,active_until,training_data\nus-x,X,shelter,US/ZZ,,en,24/7,800-555-0100,,,,true\n",
      "contacts.csv:2:16: error[HR0005]: jurisdiction: 'ZZ' is not a U.S. state code"
    ),
    (
      "id,name,role,jurisdiction,topics,languages,hours,phone,email,active_from,active_until,training_data\nus-x,X,shelter,US,kids,en,24/7,800-555-0100,,,,true\n",
      "contacts.csv:2:19: error[HR0005]: topics: 'kids' is not a topic"
    ),
    (
      "id,name,role,jurisdiction,topics,languages,hours,phone,email,active_from,active_until,training_data\nus-x,X,shelter,US,,en,24/7,800-555-0100,,2026-13-01,,true\nus-x,Y,shelter,US,,en,24/7,800-555-0101,,,,true\nus-x,Z,shelter,US,,en,24/7,800-555-0102,,,,true\n",
      "contacts.csv:2:42: error[HR0005]: active_from: '2026-13-01' is not a date (YYYY-MM-DD)"
    ),
    (
      "id,name,role,jurisdiction,topics,languages,hours,phone,email,active_from,active_until,training_data\nus-x,Y,shelter,US,,en,24/7,800-555-0101,,,,true\nus-x,Z,shelter,US,,en,24/7,800-555-0102,,,,true\n",
      "contacts.csv:3:1: error[HR0011]: contact id 'us-x' is already used at contacts.csv:2:1"
    ),
  ]

  @Test("Directory errors name the line, column and field", arguments: directoryCases)
  func directoryErrors(csv: String, expected: String) throws {
    let source = try TestSupport.miniSource(directory: csv)
    let (set, diagnostics) = ProtocolSet.parse(source)
    #expect(set == nil)
    let lines = diagnostics.map(\.description)
    #expect(lines.contains { $0.hasPrefix(expected) }, "\(lines)")
  }

  @Test func loadingABrokenSetThrowsEveryError() throws {
    var source = try TestSupport.miniSource(
      replacing: ["extra.yaml": "id: lower\n", "extra2.yaml": "just text"])
    source.geography = nil
    let (set, diagnostics) = ProtocolSet.parse(source)
    #expect(set == nil)
    #expect(diagnostics.filter { $0.severity == .error }.count >= 2)
  }

  @Test func aMissingDirectoryIsUnreadable() {
    #expect(
      throws: ProtocolEngineError.unreadable(
        file: "/nonexistent/set", reason: "no such protocol set directory")
    ) {
      try ProtocolSet.load(directory: "/nonexistent/set")
    }
  }
}
