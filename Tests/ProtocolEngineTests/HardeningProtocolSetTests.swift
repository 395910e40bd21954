import Foundation
import PropertyBased
import ProtocolEngine
import Testing

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Issue 13: protocol sets that are hostile or careless end in located errors, quickly.
@Suite("Hardening: protocol sets")
struct HardeningProtocolSetTests {
  static let header =
    "id,name,role,jurisdiction,topics,languages,hours,phone,email,active_from,active_until,training_data"

  func errors(_ text: String) throws -> [String] {
    try ProtocolSetDiagnosticsTests().errors(text)
  }

  func edit(_ target: String, _ replacement: String) -> String {
    ProtocolSetDiagnosticsTests.edit(target, replacement)
  }

  /// The errors of the mini set with its directory replaced by `csv` (named contacts.csv).
  func directoryErrors(_ csv: String) throws -> [String] {
    let (_, diagnostics) = ProtocolSet.parse(try TestSupport.miniSource(directory: csv))
    return diagnostics.filter { $0.severity == .error }.map(\.description)
  }

  // MARK: - "Did you mean"

  @Test func aHundredKilobyteValueGetsNoSuggestionAndNoQuadraticWork() {
    let counties = (0..<3_000).map { "County \($0)" }
    let long = String(repeating: "x", count: 100_000)
    #expect(closestMatch(long, counties) == nil)
    #expect(suggestion(long, counties) == "")
    // Just over the limit, even one edit away from a candidate, gets none either.
    let candidate = String(repeating: "a", count: 65)
    #expect(closestMatch(String(repeating: "a", count: 64) + "b", [candidate]) == nil)
    #expect(closestMatch(String(repeating: "a", count: 63) + "b", [candidate]) == candidate)
  }

  @Test func aHundredKilobyteCountyInAScopeIsALocatedErrorWithoutASuggestion() throws {
    let county = String(repeating: "x", count: 100_000)
    let errors = try errors(edit("scope: US", "scope: US/TX/\(county)"))
    #expect(errors.count == 1)
    #expect(errors.first?.hasPrefix("protocols/extra.yaml:5:8: error[HR0005]: scope: 'xxx") == true)
    #expect(errors.first?.hasSuffix("' is not a county of TX in geography.csv") == true)
  }

  @Test(
    "Ordinary typos get the same suggestion as before",
    arguments: [
      ("Travs", ["Travis", "Harris", "Loving"], "Travis"),
      ("travis", ["Travis"], "Travis"),
      (
        "locl_law_enforcement", ["local_law_enforcement", "state_law_enforcement"],
        "local_law_enforcement"
      ),
      ("sexx", ["sex", "labor", "both", "none", "unknown"], "sex"),
      ("x", ["y", "z"], "y"),
      ("", ["a", "bb"], "a"),
    ] as [(String, [String], String)])
  func typosStillGetSuggestions(text: String, candidates: [String], expected: String) {
    #expect(closestMatch(text, candidates) == expected)
  }

  /// `closestMatch` as it was: a full Levenshtein distance to every candidate.
  static func unboundedClosestMatch(_ text: String, _ candidates: [String]) -> String? {
    var best: (String, Int)?
    for candidate in candidates {
      let found = unboundedDistance(text.lowercased(), candidate.lowercased())
      if found < (best?.1 ?? Int.max) { best = (candidate, found) }
    }
    guard let best, best.1 <= max(1, min(3, text.count / 3)) else { return nil }
    return best.0
  }

  @Test func boundedSuggestionsAgreeWithTheUnboundedOnes() async {
    let words = Gen.character(in: "a"..."d").string(of: 0...12)
    await propertyCheck(count: 1_000, input: words, words.array(of: 0...8)) { text, candidates in
      #expect(closestMatch(text, candidates) == Self.unboundedClosestMatch(text, candidates))
      for candidate in candidates {
        #expect(editDistance(text, candidate) == Self.unboundedDistance(text, candidate))
      }
    }
  }

  static func unboundedDistance(_ lhs: String, _ rhs: String) -> Int {
    let a = Array(lhs.unicodeScalars)
    let b = Array(rhs.unicodeScalars)
    var previous = Array(0...b.count)
    for i in a.indices {
      var current = [i + 1]
      for j in b.indices {
        current.append(
          min(previous[j + 1] + 1, current[j] + 1, previous[j] + (a[i] == b[j] ? 0 : 1)))
      }
      previous = current
    }
    return previous[b.count]
  }

  @Test func farValuesStillGetNone() {
    #expect(closestMatch("Austin", ["Travis", "Harris"]) == nil)
    #expect(closestMatch("abcdefghij", ["abcdefghijklmnop"]) == nil)
    #expect(editDistance("kitten", "sitting") == 3)
    #expect(editDistance("", "abc") == 3)
    #expect(editDistance("flaw", "lawn") == 2)
  }

  // MARK: - CSV

  @Test func aCROnlyDirectoryReadsLikeTheSameFileWithLF() throws {
    let url = TestSupport.testsFolder.appendingPathComponent("Fixtures/hardening/cr-only.csv")
    let crOnly = try String(contentsOf: url, encoding: .utf8)
    #expect(!crOnly.contains("\n") && crOnly.contains("\r"))
    let lf = crOnly.replacingOccurrences(of: "\r", with: "\n")
    let (crSet, crDiagnostics) = ProtocolSet.parse(try TestSupport.miniSource(directory: crOnly))
    let (lfSet, _) = ProtocolSet.parse(try TestSupport.miniSource(directory: lf))
    #expect(crDiagnostics.filter { $0.severity == .error }.isEmpty, "\(crDiagnostics)")
    #expect(crSet?.contacts.map(\.id) == lfSet?.contacts.map(\.id))
    #expect(crSet?.contacts.map(\.location) == lfSet?.contacts.map(\.location))
    #expect(crSet?.contacts.count == 13)
  }

  @Test func aLargeCROnlyFileIsReadInLinearTimeAndErrorsKeepTheirLines() throws {
    var rows = [Self.header]
    for index in 0..<5_000 {
      rows.append("tx-c-\(index),Shelter \(index),shelter,US/TX,,en,24/7,512-555-0100,,,,true")
    }
    rows.append("tx-bad,Bad,police,US/TX,,en,24/7,512-555-0100,,,,true")
    let errors = try directoryErrors(rows.joined(separator: "\r") + "\r")
    #expect(errors == ["contacts.csv:5002:12: error[HR0005]: role: 'police' is not a role"])
  }

  @Test(
    "Stray quotes and control characters are located errors naming the field",
    arguments: [
      (
        "us-x,Bad \"quoted\" name,shelter,US,,en,24/7,800-555-0100,,,,true",
        "contacts.csv:2:10: error[HR0001]: name: a quote inside a field that does not start with one; put the whole field in quotes and double the quote (\"\")"
      ),
      (
        "us-x,Bad\u{0}name,shelter,US,,en,24/7,800-555-0100,,,,true",
        "contacts.csv:2:9: error[HR0001]: name: contains the control character U+0000; a field may hold tabs, and line breaks only inside quotes"
      ),
      (
        "us-x,\"Bad \u{1B}]0;title\u{7} name\",shelter,US,,en,24/7,800-555-0100,,,,true",
        "contacts.csv:2:11: error[HR0001]: name: contains the control character U+001B"
      ),
      (
        "us-x,X,shelter,US,,en,24/7\u{7F},800-555-0100,,,,true",
        "contacts.csv:2:27: error[HR0001]: hours: contains the control character U+007F"
      ),
      (
        "us-x,X,shelter,US,,en,24/7,800-555-0100,\u{9B}2J,,,true",
        "contacts.csv:2:41: error[HR0001]: email: contains the control character U+009B"
      ),
      (
        "us-x,\"X\"y,shelter,US,,en,24/7,800-555-0100,,,,true",
        "contacts.csv:2:9: error[HR0001]: name: unexpected text after a closing quote"
      ),
    ])
  func badFieldsAreLocated(row: String, expected: String) throws {
    let errors = try directoryErrors(Self.header + "\n" + row + "\n")
    #expect(errors.count == 1)
    #expect(errors.first?.hasPrefix(expected) == true, "\(errors)")
  }

  @Test func aStrayQuoteInTheHeaderIsNamedAsTheHeader() throws {
    let errors = try directoryErrors("id,na\"me\n")
    #expect(
      errors == [
        "contacts.csv:1:6: error[HR0001]: header: a quote inside a field that does not start with one; put the whole field in quotes and double the quote (\"\")"
      ])
  }

  @Test func tabsQuotedLineBreaksAndDoubledQuotesAreStillFine() throws {
    let csv =
      Self.header + "\r\n"
      + "us-x,\"Shelter \"\"Two\"\"\r\nLine\",shelter,US,,en,\"24/7\tdaily\",800-555-0100,,,,true\r\n"
      + "us-y,Y,shelter,US/ZZ,,en,24/7,800-555-0100,,,,true\r\n"
    let errors = try directoryErrors(csv)
    // The second record starts on line 4: the quoted line break counts as a line.
    #expect(
      errors == ["contacts.csv:4:16: error[HR0005]: jurisdiction: 'ZZ' is not a U.S. state code"])
    let (set, _) = ProtocolSet.parse(
      try TestSupport.miniSource(directory: csv.replacingOccurrences(of: "US/ZZ", with: "US")))
    #expect(set?.contacts.first { $0.id == "us-x" }?.name == "Shelter \"Two\"\r\nLine")
    #expect(set?.contacts.first { $0.id == "us-x" }?.hours == "24/7\tdaily")
  }

  @Test func aFieldAfterAQuotedLineBreakIsLocatedOnItsOwnLine() throws {
    let csv =
      Self.header + "\n"
      + "us-x,\"Two\nlines\",police,US,,en,24/7,800-555-0100,,,,true\n"
    #expect(
      try directoryErrors(csv).first?.hasPrefix("contacts.csv:3:8: error[HR0005]: role:") == true)
  }

  // MARK: - Values the loader used to accept

  @Test(
    "Invalid values in a protocol file are located errors",
    arguments: [
      (
        "scope: US", "scope: Mars",
        "protocols/extra.yaml:5:8: error[HR0005]: scope: 'Mars' is not a jurisdiction of this hotline: use any, US or a path under it (US/TX, US/TX/Travis)"
      ),
      (
        "scope: US", "scope: PR",
        "protocols/extra.yaml:5:8: error[HR0005]: scope: 'PR' is not a jurisdiction of this hotline: use any, US or a path under it (US/TX, US/TX/Travis) (did you mean 'US/PR'?)"
      ),
      ("scope: US", "scope: ANY", "protocols/extra.yaml:5:8: error[HR0005]: scope: 'ANY' is not"),
      (
        "scope: US", "scope: Mars/TX",
        "protocols/extra.yaml:5:8: error[HR0005]: scope: 'Mars' is not"
      ),
      (
        "version: 1", "version: -1",
        "protocols/extra.yaml:3:10: error[HR0005]: version: -1 is not a version (1, 2, ...)"
      ),
      (
        "version: 1", "version: 0",
        "protocols/extra.yaml:3:10: error[HR0005]: version: 0 is not a version (1, 2, ...)"
      ),
      (
        "id: T-EXTRA", "id: T-\u{661}\u{662}",
        "protocols/extra.yaml:1:5: error[HR0005]: id: 'T-\u{661}\u{662}' is not a protocol id (A-Z, 0-9, '-')"
      ),
      (
        "id: T-EXTRA", "id: T-\u{FF11}",
        "protocols/extra.yaml:1:5: error[HR0005]: id: 'T-\u{FF11}' is not a protocol id"
      ),
      ("title: Extra", "title: \"\"", "protocols/extra.yaml:2:8: error[HR0005]: title: empty text"),
      (
        "because: Test.", "because: \"  \"",
        "protocols/extra.yaml:9:10: error[HR0005]: because: empty text"
      ),
      (
        "cite: [test]", "cite: []",
        "protocols/extra.yaml:10:7: error[HR0005]: cite: a protocol cites at least one source"
      ),
      (
        "cite: [test]", "cite: [test, \"\"]",
        "protocols/extra.yaml:10:14: error[HR0005]: cite[1]: empty text"
      ),
      (
        "  escalation: information",
        "  escalation: information\n  referrals:\n    - role: shelter\n      because: \"\"",
        "protocols/extra.yaml:11:16: error[HR0005]: then.referrals[0].because: empty text"
      ),
      (
        "effective: 2020-01-01", "effective: \"2020-01-0\u{661}\"",
        "protocols/extra.yaml:4:12: error[HR0005]: effective: '2020-01-0\u{661}' is not a date (YYYY-MM-DD)"
      ),
    ])
  func invalidProtocolValues(target: String, replacement: String, expected: String) throws {
    let errors = try errors(edit(target, replacement))
    #expect(errors.contains { $0.hasPrefix(expected) }, "\(errors)")
  }

  @Test func aLowerCaseCountryIsTheUSAndReadsAsUS() throws {
    let text = edit("scope: US", "scope: us")
    #expect(try errors(text).isEmpty)
    let source = try TestSupport.miniSource(replacing: ["extra.yaml": text])
    let (set, _) = ProtocolSet.parse(source)
    #expect(set?.protocols.first { $0.id == "T-EXTRA" }?.scope.description == "US")
    let contacts = Self.header + "\nus-x,X,shelter,us/tx/TRAVIS,,en,24/7,800-555-0100,,,,true\n"
    let (withContact, _) = ProtocolSet.parse(try TestSupport.miniSource(directory: contacts))
    #expect(withContact?.contacts.first?.jurisdiction.description == "US/TX/Travis")
  }

  @Test(
    "Invalid values in the directory and geography are located errors",
    arguments: [
      (
        "us-\u{661},X,shelter,US,,en,24/7,800-555-0100,,,,true",
        "contacts.csv:2:1: error[HR0005]: id: 'us-\u{661}' is not a contact id"
      ),
      (
        "us-x,X,shelter,Mars,,en,24/7,800-555-0100,,,,true",
        "contacts.csv:2:16: error[HR0005]: jurisdiction: 'Mars' is not a jurisdiction of this hotline"
      ),
    ])
  func invalidDirectoryValues(row: String, expected: String) throws {
    let errors = try directoryErrors(Self.header + "\n" + row + "\n")
    #expect(errors.contains { $0.hasPrefix(expected) }, "\(errors)")
  }

  @Test func aFIPSCodeWithNonASCIIDigitsIsAnError() throws {
    var source = try TestSupport.miniSource()
    source.geography = .init(
      path: "geography.csv", text: "country,state,county,fips\nUS,TX,Travis,4845\u{663}\n")
    let (_, diagnostics) = ProtocolSet.parse(source)
    #expect(
      diagnostics.map(\.description).contains {
        $0.hasPrefix(
          "geography.csv:2:14: error[HR0005]: fips: '4845\u{663}' is not a five-digit FIPS code")
      })
  }

  @Test func anEmptyPolicyVersionIsAnError() throws {
    var source = try TestSupport.miniSource()
    source.policy.text = source.policy.text.replacingOccurrences(
      of: "version: \"test-1\"", with: "version: \"\"")
    let (_, diagnostics) = ProtocolSet.parse(source)
    #expect(
      diagnostics.map(\.description).contains {
        $0.hasSuffix("policy.yaml:1:10: error[HR0005]: version: empty text")
      }, "\(diagnostics)")
  }

  // MARK: - Files that cannot be read

  /// A copy of the mini set in a fresh temporary folder.
  func scratchSet() throws -> String {
    let folder = FileManager.default.temporaryDirectory
      .appendingPathComponent("hotlinesim-hardening-\(UUID().uuidString)").path
    try FileManager.default.copyItem(atPath: TestSupport.miniSet, toPath: folder)
    return folder
  }

  @Test func unreadableFilesAreLocatedErrorsWithAPlainReasonAndAFIFONeverBlocks() throws {
    let set = try scratchSet()
    defer { try? FileManager.default.removeItem(atPath: set) }
    let protocols = set + "/protocols/"
    // "Houston" with a Latin-1 byte in it, as an editor set to Latin-1 might save it.
    try Data(Array("id: T-X\ntitle: Hou".utf8) + [0xFF] + Array("ston\n".utf8)).write(
      to: URL(fileURLWithPath: protocols + "latin1.yaml"))
    #expect(mkfifo(protocols + "fifo.yaml", 0o644) == 0)
    try FileManager.default.createDirectory(
      atPath: protocols + "folder.yaml", withIntermediateDirectories: false)
    try FileManager.default.createSymbolicLink(
      atPath: protocols + "dangling.yaml", withDestinationPath: set + "/nowhere.yaml")
    try FileManager.default.createSymbolicLink(
      atPath: protocols + "loop.yaml", withDestinationPath: protocols + "loop.yaml")
    // 17 MiB, sparse: over the limit without writing it.
    #expect(FileManager.default.createFile(atPath: protocols + "huge.yaml", contents: nil))
    #expect(truncate(protocols + "huge.yaml", 17 << 20) == 0)

    let source = try ProtocolSetSource.read(directory: set)
    let report = ProtocolChecker.check(source, asOf: TestSupport.day)
    let errors = report.diagnostics.filter { $0.severity == .error }.map {
      $0.description.replacingOccurrences(of: set + "/", with: "")
    }
    #expect(
      errors == [
        "protocols/dangling.yaml:1:1: error[HR0001]: cannot read: a broken link",
        "protocols/fifo.yaml:1:1: error[HR0001]: cannot read: not a regular file (a FIFO)",
        "protocols/folder.yaml:1:1: error[HR0001]: cannot read: not a regular file (a directory)",
        "protocols/huge.yaml:1:1: error[HR0001]: cannot read: 17825792 bytes, over the limit of 16777216 (16 MiB)",
        "protocols/latin1.yaml:2:11: error[HR0001]: cannot read: not UTF-8 text (byte 0xFF)",
        "protocols/loop.yaml:1:1: error[HR0001]: cannot read: a link that leads back to itself",
      ])
    #expect(throws: ProtocolEngineError.self) { try ProtocolSet.load(directory: set) }
  }

  @Test func anUnreadablePolicyIsOneErrorNotTwo() throws {
    let set = try scratchSet()
    defer { try? FileManager.default.removeItem(atPath: set) }
    try FileManager.default.removeItem(atPath: set + "/policy.yaml")
    #expect(mkfifo(set + "/policy.yaml", 0o644) == 0)
    let (parsed, diagnostics) = ProtocolSet.parse(try ProtocolSetSource.read(directory: set))
    #expect(parsed == nil)
    #expect(
      diagnostics.filter { $0.severity == .error }.map(\.description) == [
        "\(set)/policy.yaml:1:1: error[HR0001]: cannot read: not a regular file (a FIFO)"
      ])
  }
}
