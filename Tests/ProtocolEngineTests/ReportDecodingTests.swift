import ProtocolEngine
import Testing

@Suite("Report decoding")
struct ReportDecodingTests {
  @Test func decodesEveryField() throws {
    let report = try TestSupport.report(
      """
      { "id": "r-1", "received_at": "2026-11-29T01:00:00Z", "channel": "call",
        "reporter": { "relationship": "community_member", "mandated_reporter": false,
                      "consents_to_share": true },
        "location": { "country": "US", "state": "tx", "county": "travis county", "city": "Austin" },
        "trafficking_type": "sex", "indicators": ["force", "wage_theft"],
        "victims": [ { "age": 16, "foreign_national": false, "language": "EN",
                       "consents_to_law_enforcement": true } ],
        "perpetrator": { "caregiver": false },
        "imminent_danger": false, "online_exploitation": true, "forced_marriage": false }
      """, geography: try TestSupport.load(TestSupport.miniSet).geography)
    #expect(report.id == "r-1")
    #expect(report.receivedDay == Day("2026-11-29"))
    #expect(report.channel == .call)
    #expect(report.reporter?.relationship == .communityMember)
    #expect(report.location?.state == "TX")
    #expect(report.location?.county == "Travis")
    #expect(report.location?.jurisdiction.description == "US/TX/Travis/Austin")
    #expect(report.indicators?.sorted == [.force, .wageTheft])
    #expect(report.victims?.first?.age == 16)
    #expect(report.victims?.first?.language == "en")
    #expect(report.perpetrator?.caregiver == false)
    #expect(report.onlineExploitation == true)
  }

  @Test func missingFieldsAreUnknownAndUnknownTypeIsMissing() throws {
    let report = try TestSupport.report(#"{ "trafficking_type": "unknown", "victims": [{}] }"#)
    #expect(report.traffickingType == nil)
    #expect(report.imminentDanger == nil)
    #expect(report.victims?.first?.age == nil)
    #expect(report.location == nil)
  }

  @Test(
    "Bad input names the file, position and field",
    arguments: [
      (#"{ "victims": [ { "age": -3 } ] }"#, "test.json:1:25: victims[0].age: -3 is not an age"),
      (
        #"{ "victims": [ { "age": "16" } ] }"#,
        "test.json:1:25: victims[0].age: expected a whole number, found \"16\""
      ),
      (
        #"{ "imminent_danger": "yes" }"#,
        "test.json:1:22: imminent_danger: expected true or false, found \"yes\""
      ),
      (#"{ "colour": "red" }"#, "test.json:1:3: colour: unknown key"),
      (#"{ "victim": [] }"#, "test.json:1:3: victim: unknown key (did you mean 'victims'?)"),
      (
        #"{ "location": { "state": "XX" } }"#,
        "test.json:1:26: location.state: 'XX' is not a U.S. state code (did you mean 'TX'?)"
      ),
      (
        #"{ "trafficking_type": "sexx" }"#,
        "test.json:1:23: trafficking_type: 'sexx' is not one of sex, labor, both, none, unknown (did you mean 'sex'?)"
      ),
      (
        #"{ "indicators": ["force", "threats"] }"#,
        "test.json:1:27: indicators[1]: 'threats' is not one of force, fraud, coercion, debt_bondage, document_confiscation, commercial_sex, restricted_movement, threats_immigration, wage_theft"
      ),
      (
        #"{ "received_at": "yesterday" }"#,
        "test.json:1:18: received_at: 'yesterday' is not an RFC 3339 timestamp (e.g. 2026-11-29T01:00:00Z)"
      ),
      (
        #"{ "victims": [ { "language": "Spanish" } ] }"#,
        "test.json:1:30: victims[0].language: 'Spanish' is not an ISO 639 language code (e.g. en, es, vi)"
      ),
      (
        #"{ "victims": { "age": 3 } }"#, "test.json:1:14: victims: expected a list, found a mapping"
      ),
      (#"[1, 2]"#, "test.json:1:1: expected a mapping, found a list"),
      ("", "test.json:1:1: the report is empty"),
      (
        #"{ "location": { "country": "MX", "state": "TX" } }"#,
        "test.json:1:43: location.state: 'TX' is a U.S. state but location.country is 'MX'; give country US, or the region's own name abroad"
      ),
      (
        #"{ "victims": [ { "age": 130 } ] }"#,
        "test.json:1:25: victims[0].age: 130 is not an age (over 110)"
      ),
    ])
  func rejectsBadInput(text: String, message: String) {
    #expect(throws: ProtocolEngineError.self) { try TestSupport.report(text) }
    do {
      _ = try TestSupport.report(text)
    } catch {
      #expect("\(error)" == message)
    }
  }

  @Test func invalidJSONIsASyntaxErrorWithAPosition() {
    do {
      _ = try TestSupport.report("{ \"victims\": [ { \"age\": 16 }\n")
      Issue.record("expected an error")
    } catch {
      #expect("\(error)".hasPrefix("test.json:"))
      #expect("\(error)".contains("invalid JSON"))
    }
  }

  @Test func duplicateKeysAreRejected() {
    #expect(throws: ProtocolEngineError.self) {
      try TestSupport.report(#"{ "imminent_danger": true, "imminent_danger": false }"#)
    }
  }

  @Test func countyMustBelongToTheState() throws {
    let geography = try TestSupport.load(TestSupport.miniSet).geography
    do {
      _ = try TestSupport.report(
        #"{ "location": { "state": "TX", "county": "Travs" } }"#, geography: geography)
      Issue.record("expected an error")
    } catch {
      #expect(
        "\(error)"
          == "test.json:1:42: location.county: 'Travs' is not a county of TX (did you mean 'Travis'?)"
      )
    }
    // A state geography.csv does not list accepts any county.
    let report = try TestSupport.report(
      #"{ "location": { "state": "NY", "county": "Kings" } }"#, geography: geography)
    #expect(report.location?.county == "Kings")
  }

  @Test func abroadLocationsNeedNoUSState() throws {
    let report = try TestSupport.report(#"{ "location": { "country": "mx", "city": "Tijuana" } }"#)
    #expect(report.location?.isAbroad == true)
    #expect(report.location?.country == "MX")
  }
}
