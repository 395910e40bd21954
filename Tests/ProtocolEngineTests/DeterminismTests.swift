import ProtocolEngine
import Testing

@Suite("Determinism")
struct DeterminismTests {
  static let reports = [
    #"{"location": {"state": "TX", "county": "Travis", "city": "Austin"}, "victims": [{"age": 16}, {"age": 30}], "trafficking_type": "sex", "indicators": ["force"]}"#,
    #"{"imminent_danger": true, "location": {"state": "TX", "county": "Harris"}}"#,
    #"{"location": {"state": "TX"}, "victims": [{"age": 15}]}"#,
  ]

  @Test(arguments: reports)
  func theSameReportGivesTheSameBytes(json: String) throws {
    let set = try TestSupport.load(TestSupport.shippedSet)
    let report = try TestSupport.report(json, geography: set.geography)
    let first = Engine(set).decide(report, asOf: TestSupport.day).json.rendered(pretty: true)
    let second = Engine(try TestSupport.load(TestSupport.shippedSet)).decide(
      report, asOf: TestSupport.day
    )
    .json.rendered(pretty: true)
    #expect(first == second)
  }

  @Test func shufflingTheDirectoryAndFilesChangesNothing() throws {
    let source = try ProtocolSetSource.read(directory: TestSupport.shippedSet)
    var shuffled = source
    var generator = SplitMix64(seed: 7)
    shuffled.protocols.shuffle(using: &generator)
    shuffled.directory = source.directory.reversed().map { file in
      var lines = file.text.split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
      let header = lines.removeFirst()
      lines.shuffle(using: &generator)
      return .init(path: file.path, text: ([header] + lines).joined(separator: "\n") + "\n")
    }
    let (original, _) = ProtocolSet.parse(source)
    let (reordered, _) = ProtocolSet.parse(shuffled)
    let a = try #require(original)
    let b = try #require(reordered)
    #expect(a.sha256 == b.sha256)
    for json in Self.reports {
      let report = try TestSupport.report(json, geography: a.geography)
      #expect(
        Engine(a).decide(report, asOf: TestSupport.day).json.rendered()
          == Engine(b).decide(report, asOf: TestSupport.day).json.rendered())
    }
  }

  @Test func changingAProtocolChangesTheDigest() throws {
    let source = try ProtocolSetSource.read(directory: TestSupport.miniSet)
    var changed = source
    changed.protocols[0].text = changed.protocols[0].text.replacingOccurrences(
      of: "version: 1", with: "version: 9")
    let (a, _) = ProtocolSet.parse(source)
    let (b, _) = ProtocolSet.parse(changed)
    #expect(a?.sha256 != nil && a?.sha256 != b?.sha256)
  }
}
