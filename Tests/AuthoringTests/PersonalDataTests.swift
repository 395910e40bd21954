import Authoring
import Foundation
import ProtocolEngine
import ScenarioKit
import Testing

@Suite("Personal-data lint")
struct PersonalDataTests {
  /// One planted datum per fixture: the code, where it is, and what the message quotes.
  struct Planted: Sendable, CustomStringConvertible {
    var file: String
    var code: ScenarioCode
    var line: Int
    var column: Int
    var quoted: String
    var description: String { file }
  }

  static let planted: [Planted] = [
    Planted(
      file: "hs0040-phone.yaml", code: .realPhone, line: 34, column: 31, quoted: "512-467-2290"),
    Planted(
      file: "hs0041-email.yaml", code: .realEmail, line: 29, column: 26,
      quoted: "rosa.delgado82@gmail.com"),
    Planted(file: "hs0042-ssn.yaml", code: .ssnLike, line: 32, column: 27, quoted: "219-09-9999"),
    Planted(
      file: "hs0043-address.yaml", code: .streetAddress, line: 21, column: 40,
      quoted: "4400 S Congress Ave"),
    Planted(
      file: "hs0044-bad-allow.yaml", code: .badAllow, line: 22, column: 25, quoted: "HS0030"),
  ]

  @Test(arguments: planted)
  func eachFixtureReportsExactlyItsPlantedDatum(_ planted: Planted) throws {
    let path = "personal-data/\(planted.file)"
    let found = PersonalData.scan(try AuthoringFixtures.text(path), path: path)
    try #require(found.count == 1, "\(found)")
    let diagnostic = found[0]
    #expect(diagnostic.code == planted.code)
    #expect(
      diagnostic.location == SourceLocation(file: path, line: planted.line, column: planted.column))
    #expect(diagnostic.severity == (planted.code == .badAllow ? .warning : .error))
    #expect(diagnostic.message.contains(planted.quoted))
  }

  @Test(arguments: planted)
  func fixturesAreRealScenarios(_ planted: Planted) throws {
    let scenario = try AuthoringFixtures.scenario("personal-data/\(planted.file)")
    #expect(scenario.id.hasPrefix("pd-"))
  }

  @Test func messagesSayWhatWasFoundAndWhatToUseInstead() {
    let text = """
      say: "call 512-555-7788"
      say: "write to jane@gmail.com"
      say: "SSN 123-45-6789"
      say: "at 123 Main Street"
      # lint: allow HS0099
      # lint: allow because it is public
      say: "Call 800-373-7888"  # lint: allow hs0030 HS0040
      """
    let messages = PersonalData.scan(text, path: "f.yaml").map(\.description)
    #expect(
      messages == [
        "f.yaml:1:12: error[HS0040]: a phone number (512-555-7788): use a fictional 555-0100 to 555-0199 number, or add `# lint: allow HS0040` if it is a public hotline number on purpose",
        "f.yaml:2:16: error[HS0041]: an e-mail address (jane@gmail.com): use an address at example.org (or another RFC 2606 example domain), or add `# lint: allow HS0041` if it is a public address on purpose",
        "f.yaml:3:11: error[HS0042]: a number shaped like a Social Security number (123-45-6789): leave it out or write XXX-XX-XXXX",
        "f.yaml:4:10: error[HS0043]: a street address (123 Main Street): name the street or a landmark without a house number (\"a motel off South Congress\"), or add `# lint: allow HS0043` if it is a public place on purpose",
        "f.yaml:5:15: warning[HS0044]: HS0099 is not a diagnostic code; `# lint: allow` takes HS0040, HS0041, HS0042 or HS0043",
        "f.yaml:6:1: warning[HS0044]: `# lint: allow` names no code; it takes HS0040, HS0041, HS0042 or HS0043",
        "f.yaml:7:41: warning[HS0044]: HS0030 is not a personal-data check; `# lint: allow` takes HS0040, HS0041, HS0042 or HS0043",
      ])
  }

  /// Text that must be flagged, the code, and the matched text's first column.
  static let mustFlag: [(String, ScenarioCode, Int)] = [
    ("Caller: Call me back at 512-555-7788 after nine.", .realPhone, 25),
    ("Caller: Her cell is (512) 467-2290, she never picks up.", .realPhone, 21),
    ("Texter: text 512.467.2290 if he answers", .realPhone, 14),
    ("Texter: my number is +1 512 467 2290", .realPhone, 22),
    ("Caller: the card said 800-373-7888", .realPhone, 23),
    ("Caller: he wrote 5124672290 on my hand", .realPhone, 18),
    ("Caller: the number on the flyer was 373-7888", .realPhone, 37),
    ("Sender: reach me at +15124672290", .realPhone, 21),
    ("Caller: dial 1 (210) 555-1212 for information", .realPhone, 14),
    ("Caller: I called 1-713-226-4100 and nobody came", .realPhone, 18),
    ("phone: tel:+1-713-555-0234", .realPhone, 12),
    ("Caller: Cell: 832 555 7788. Please hurry.", .realPhone, 15),
    ("say: \"(713)226-4100 is the boss's line\"", .realPhone, 7),
    ("Texter: hes at 214—555–3344 i think", .realPhone, 16),
    ("Caller: call 911 or 713-226-4100, whichever", .realPhone, 21),
    ("Caller: the code is 4471, her number is 713-226-4100", .realPhone, 41),
    ("Caller: ask for Art 512-467-2290, he drives the van", .realPhone, 21),
    ("Caller: area code 512, 467-2290", .realPhone, 24),
    ("Sender: email me at maria.lopez@gmail.com", .realEmail, 21),
    ("Sender: tips go to tips@txhumantrafficking.org", .realEmail, 20),
    ("Sender: jdoe+work@outlook.com (work)", .realEmail, 9),
    ("Sender: <rosa@yahoo.com.mx>", .realEmail, 10),
    ("Sender: contact@example.co is the agency", .realEmail, 9),
    ("Sender: help@example.org.evil.com", .realEmail, 9),
    ("Sender: Juan.Perez@Hotmail.COM", .realEmail, 9),
    ("Caller: her social is 123-45-6789", .ssnLike, 23),
    ("Caller: SSN 078 05 1120, he made her memorize it", .ssnLike, 13),
    ("ssn: \"219-09-9999\"", .ssnLike, 7),
    ("Caller: they keep her at 4400 S Congress Ave in Austin.", .streetAddress, 26),
    ("Caller: it's 123 Main Street, the blue house", .streetAddress, 14),
    ("Caller: 77 W. Elm St. Apt 4, upstairs", .streetAddress, 9),
    ("Caller: the house at 1209 Rosewood Ave", .streetAddress, 22),
    ("Texter: drop off is 9 Bluebonnet Ln.", .streetAddress, 21),
    ("Caller: It's 2300 North Lamar Blvd, by the pawn shop", .streetAddress, 14),
    ("Caller: 3100 E 7th St, the back unit", .streetAddress, 9),
    ("Caller: at 15 Martin Luther King Jr Blvd", .streetAddress, 12),
    ("Caller: the trailer at 88 Mesquite Trail", .streetAddress, 24),
    ("Caller: lives at 2024 Oak Lane with her uncle", .streetAddress, 18),
    ("Caller: 1600 Pennsylvania Avenue", .streetAddress, 9),
  ]

  @Test func flagsRealisticPersonalData() {
    for (text, code, column) in PersonalDataTests.mustFlag {
      let found = PersonalData.scan(text, path: "t")
      #expect(found.map(\.code) == [code], "\(text): \(found)")
      #expect(found.first?.location.position.column == column, "\(text): \(found)")
    }
  }

  static let mustNotFlag = [
    "Caller: Call 911 now if he comes back.",
    "Texter: you can call or text 988 any time",
    "Caller: Dial 211 for shelter lists.",
    "Caller: The hotline is 512-555-0142.",
    "phone: (512) 555-0100",
    "Texter: +1 512 555 0199",
    "Caller: 1-800-555-0199, the fictional line",
    "Sender: 5125550150",
    "Caller: It's 12:00 and she's still at the motel.",
    "received_at: 2026-11-29T21:40:00-06:00",
    "effective: 2024-01-01",
    "Caller: on 11/29/2026, around 9:30",
    "Caller: She is 16, maybe 17.",
    "victims[0].age: 16",
    "id: tx-bexar-01, case TX-2026-004417",
    "cite: Tex. Fam. Code 261.101",
    "cite: 18 U.S.C. 1591",
    "cite: Penal Code 236.1",
    "cite: Tex. Fam. Code § 39.201",
    "cite: Ind. Code 31-34-1-3.5 and 31-9-2-133.1",
    "cite: N.D. Cent. Code 50-25.1-03",
    "cite: Utah Code 76-5-308.5",
    "cite: Wis. Stat. 48.981(2)-(3)",
    "cite: Va. Code 18.2-357.1, 63.2-1509",
    "cite: 42 U.S.C. 13031; 34 U.S.C. 20341",
    "policy version 2.10.3",
    "Caller: the zip is 78704",
    "Caller: zip 78704-1234",
    "Caller: off Highway 290",
    "Caller: on I-35 near exit 240",
    "Caller: she's in room 12",
    "Caller: 3 men came to the door",
    "Caller: Suite 200",
    "Caller: it's 2 blocks down the street",
    "Caller: 45 minutes down Highway 290 Frontage Road",
    "Caller: In 2024 Texas Highway Patrol found them",
    "Caller: the nail salon on Main Street",
    "Caller: by the 5th Street bridge",
    "Sender: write to help@example.org or tips@hotline.example",
    "Sender: ops@help.example.org, a@b.test, x@y.invalid, dev@app.localhost",
    "Texter: his handle is @trafficker_99",
    "Caller: about 300 dollars a week, $1,250 a month",
    "hours: Mon-Fri 09:00-17:00",
    "clock: { ask: 45 }",
    "Caller: ages 14, 15 and 17",
    "Caller: a 10-12 hour shift, 7 days",
    "cite: ICAC cite § 21112",
    "  - Fla. Stat. § 943.0583 (human trafficking victim expunction)",
    "  - \"Haw. Rev. Stat. §§ 712-1202, 712-1203 and 707-781 (sex trafficking)\"",
    "  - Tex. Gov't Code § 411.0728 (nondisclosure for victims of trafficking)",
    "note: Ley 57-2023 replaced Ley 246-2011",
    "cite: Tex. Code Crim. Proc. art. 2.305 and Haw. Rev. Stat. 712-1202",
    "Caller: 1 in 4 girls at the truck stop",
    "Caller: coordinates 30.2672, -97.7431",
    "Caller: the bus came at 7 and left at 8:15",
    "Caller: it cost 4,000 and he says she owes 12,500",
    "Caller: they stay at the Motel 6 on Interstate 10",
    "id,name,role,jurisdiction,topics,languages,hours,phone,email,active_from,active_until",
    "tx-dps,Texas DPS,state_law_enforcement,US/TX,,en;es,24/7,512-555-0110,tx-dps@example.org,2020-01-01,,true",
  ]

  @Test func leavesOrdinaryHotlineTextAlone() {
    for text in PersonalDataTests.mustNotFlag {
      #expect(PersonalData.scan(text, path: "t").isEmpty, "\(text)")
    }
    #expect(PersonalDataTests.mustNotFlag.count >= 15 && PersonalDataTests.mustFlag.count >= 15)
  }

  @Test func findsPersonalDataInDirectoryRows() {
    let row =
      "tx-x,Texas X,shelter,US/TX,,en,24/7,512-424-2000,intake@shelter-austin.org,4400 S Congress Ave,2020-01-01,,true"
    let found = PersonalData.scan(row, path: "providers.csv")
    #expect(found.map(\.code) == [.realPhone, .realEmail, .streetAddress])
    #expect(found.map(\.location.position.column) == [37, 50, 76])
  }

  @Test func anAllowCommentSilencesTheCodesItNamesOnItsLineOnly() {
    let text = """
      say: "The national hotline is 888-373-7888."   # lint: allow HS0040
      say: "The national hotline is 888-373-7888."
      say: "Call 888-373-7888, or come to 4400 S Congress Ave."  # lint: allow HS0040 HS0043 public places
      say: "Call 888-373-7888 or mail help@gmail.com"  # lint: allow HS0041, HS0030
      Our office: 4400 S Congress Ave <!-- lint: allow HS0043 -->
      | HS0044 | warning | a `# lint: allow` comment that names no known code |
      Add `# lint: allow HS0040` after a public number: 888-373-7888.
      """
    let found = PersonalData.scan(text, path: "f")
    #expect(
      found.map { "\($0.location.position) \($0.code.rawValue)" } == [
        "2:31 HS0040", "4:12 HS0040", "4:72 HS0044", "7:51 HS0040",
      ])
  }

  @Test func columnsCountCharactersNotBytes() {
    let found = PersonalData.scan("Caller: “ñ” é 512-467-2290\r\nnext", path: "f")
    #expect(found.map(\.location.position) == [SourcePosition(line: 1, column: 15)])
  }

  @Test func findingsAreSortedByLineThenColumn() {
    let found = PersonalData.scan(
      "a 123 Main Street or 512-467-2290 or x@gmail.com\n\n123-45-6789", path: "f")
    #expect(found.map(\.code) == [.streetAddress, .realPhone, .realEmail, .ssnLike])
    #expect(found.map(\.location.position.line) == [1, 1, 1, 3])
    #expect(found == found.sorted())
  }

  /// The shipped scenarios and protocol set use 555-01xx numbers and example.org addresses.
  @Test func everyShippedFileIsClean() throws {
    var checked = 0
    var found: [String] = []
    for folder in ["Scenarios", "Protocols"] {
      let root = AuthoringFixtures.root.appendingPathComponent(folder)
      let enumerator = try #require(FileManager.default.enumerator(atPath: root.path))
      while let relative = enumerator.nextObject() as? String {
        guard [".yaml", ".csv", ".md"].contains(where: relative.hasSuffix) else { continue }
        let text = try String(
          contentsOf: root.appendingPathComponent(relative), encoding: .utf8)
        found += PersonalData.scan(text, path: "\(folder)/\(relative)").map(\.description)
        checked += 1
      }
    }
    #expect(checked > 300)
    #expect(found.isEmpty, "\(found.joined(separator: "\n"))")
  }
}
