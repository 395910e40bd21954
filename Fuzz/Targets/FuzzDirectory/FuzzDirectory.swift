// libFuzzer target: one directory CSV file, as `hotline-route check` and `route` load it.
//
// The input is the only directory file of a set with the shipped policy.yaml and
// geography.csv (`ProtocolSet.parse`). When it loads, its contacts replace the shipped
// directory beside the shipped protocols, and each shipped example report is decided (roles
// resolve to the most specific active contacts) and rendered.
// Oracle: every diagnostic about the file points into it.
// Build and run: see Fuzz/README.md.
import FuzzSupport
import ProtocolEngine

/// The shipped example reports (Examples/reports/*.json).
private let examples: [Report] = [
  "adult-dallas-no-consent", "austin-motel-danger", "minor-unknown-caregiver", "tx-minor-houston",
].map { name in
  let path = "Examples/reports/\(name).json"
  do {
    return try Report.decode(repositoryFile(path), file: path, geography: shippedSet.set.geography)
  } catch {
    fatalError("FuzzDirectory: \(path): \(error)")
  }
}

private let path = "Protocols/directory/fuzz.csv"

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
  let text = inputText(data, size)
  let source = ProtocolSetSource(
    policy: shippedSet.source.policy, protocols: [],
    directory: [ProtocolSetSource.File(path: path, text: text)],
    geography: shippedSet.source.geography)
  let (parsed, diagnostics) = ProtocolSet.parse(source)
  for diagnostic in diagnostics {
    _ = "\(diagnostic)"
    checkLocation(diagnostic.location, file: path, text: text, in: "FuzzDirectory")
  }
  guard let parsed else { return 0 }

  var set = shippedSet.set
  set.contacts = parsed.contacts
  let engine = Engine(set)
  for example in examples {
    let decision = engine.decide(example, asOf: fuzzDay)
    _ = decision.json.rendered(pretty: true)
    _ = decision.text
  }
  return 0
}

/// Loads what every input uses before the first one runs (and before `-timeout` counts).
@_cdecl("LLVMFuzzerInitialize")
public func initialize(_ argc: UnsafeMutablePointer<Int32>, _ argv: UnsafeMutablePointer<Arguments>)
  -> Int32
{
  _ = examples
  return 0
}

/// SwiftPM's name for this program's `main` (see `runLibFuzzer`).
@_cdecl("FuzzDirectory_main")
func main(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> Int32 {
  runLibFuzzer(argc, argv, fuzz)
}
