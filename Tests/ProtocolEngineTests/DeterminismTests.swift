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
    var generator = SplitMix(seed: 7)
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

/// A small deterministic generator so shuffles are the same on every run.
struct SplitMix: RandomNumberGenerator {
  var state: UInt64

  init(seed: UInt64) { state = seed }

  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}
