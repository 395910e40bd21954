import ProtocolEngine
import Testing

/// A child anywhere in the U.S. is reported to a resolved child-protection and police contact,
/// and the set has the scale the hotline publishes.
@Suite("National coverage of the shipped protocol set")
struct NationalCoverageTests {
  let set: ProtocolSet
  let engine: Engine

  init() throws {
    set = try TestSupport.load(TestSupport.shippedSet)
    engine = Engine(set)
  }

  static let jurisdictions = [
    "AK", "AL", "AR", "AZ", "CA", "CO", "CT", "DC", "DE", "FL", "GA", "HI", "IA", "ID", "IL", "IN",
    "KS", "KY", "LA", "MA", "MD", "ME", "MI", "MN", "MO", "MS", "MT", "NC", "ND", "NE", "NH", "NJ",
    "NM", "NV", "NY", "OH", "OK", "OR", "PA", "PR", "RI", "SC", "SD", "TN", "TX", "UT", "VA", "VT",
    "WA", "WI", "WV", "WY",
  ]

  @Test func geographyListsEveryCountyOfTheStatesDCAndPuertoRico() {
    #expect(set.geography.states == Self.jurisdictions.sorted())
    let counties = Self.jurisdictions.reduce(0) { $0 + set.geography.counties(state: $1).count }
    #expect(counties >= 3_143 + 78)
    #expect(set.geography.counties(state: "PR").count == 78)
  }

  /// Every county of every state: a 15-year-old sold for sex by a non-caregiver.
  @Test(arguments: jurisdictions)
  func aChildInEveryCountyIsReportedToTheStateIntakeAndLocalPolice(state: String) throws {
    let intake = try #require(
      set.protocols.first {
        $0.scope.description == "US/\(state)"
          && $0.referrals.contains { $0.role == .childProtectiveServices }
      }, "no child-abuse protocol scoped to \(state)")
    #expect(!intake.cite.isEmpty)
    for county in set.geography.counties(state: state) {
      var report = Report()
      report.location = Location(country: "US", state: state, county: county)
      report.traffickingType = .sex
      report.victims = [Victim(age: 15)]
      report.perpetrator = Perpetrator(caregiver: false)
      let decision = engine.decide(report, asOf: TestSupport.day)
      #expect(decision.escalation == .mandatedReport, "\(state)/\(county)")
      let cps = decision.referrals.filter { $0.role == .childProtectiveServices }
      #expect(
        !cps.isEmpty && cps.allSatisfy { $0.jurisdiction.hasPrefix("US/\(state)") },
        "\(state)/\(county): child protection \(cps.map(\.contact))")
      let police = decision.referrals.filter { $0.role == .localLawEnforcement }
      #expect(
        !police.isEmpty && police.allSatisfy { $0.jurisdiction.hasPrefix("US/\(state)/") },
        "\(state)/\(county): police \(police.map(\.contact))")
      #expect(
        !decision.nearMisses.contains { $0.failedOn == "directory" },
        "\(state)/\(county): \(decision.nearMisses.map(\.because))")
    }
  }

  @Test func theSetHasTheHotlinesPublishedScale() throws {
    let report = ProtocolChecker.check(set, asOf: TestSupport.day)
    #expect(report.protocolCount >= 282)
    #expect(report.lawEnforcementCount >= 1_681)
    #expect(report.providerCount >= 1_200)
    #expect(report.diagnostics.filter { $0.severity != .note }.map(\.description) == [])
  }
}

extension NationalCoverageTests {
  @Test(arguments: [
    ("AK", "Anchorage Municipality", "Anchorage"), ("AK", "Bethel Census Area", "Bethel"),
    ("AK", "Juneau City and Borough", "Juneau"), ("PR", "San Juan Municipio", "San Juan"),
    ("MD", "Baltimore city", "Baltimore City"), ("MD", "Baltimore County", "Baltimore"),
    ("LA", "orleans parish", "Orleans"), ("NM", "Doña Ana County", "Doña Ana"),
  ])
  func censusSpellingsOfCountiesAreAccepted(state: String, written: String, canonical: String)
    throws
  {
    let report = try Report.decode(
      #"{"location": {"state": "\#(state)", "county": "\#(written)"}}"#, file: "r.json",
      geography: set.geography)
    #expect(report.location?.county == canonical)
  }
}
