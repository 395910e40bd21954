// libFuzzer target: one protocol file, as `hotline-route check` and `route` load it.
//
// The input is the only protocol file of a set with the shipped policy.yaml (its
// `definitions`) and geography.csv (`ProtocolSet.parse`). When it loads, the protocol joins
// the shipped directory and geography and `check` runs: its inline tests are decided by the
// engine, then coverage, shadowed and unreachable protocols and role gaps.
// Oracle: every diagnostic about the file points into it.
// Build and run: see Fuzz/README.md.
import FuzzSupport
import ProtocolEngine

private let path = "Protocols/protocols/fuzz.yaml"

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
  let text = inputText(data, size)
  let source = ProtocolSetSource(
    policy: shippedSet.source.policy,
    protocols: [ProtocolSetSource.File(path: path, text: text)],
    directory: [], geography: shippedSet.source.geography)
  let (parsed, diagnostics) = ProtocolSet.parse(source)
  for diagnostic in diagnostics {
    _ = "\(diagnostic)"
    checkLocation(diagnostic.location, file: path, text: text, in: "FuzzProtocol")
  }
  guard let parsed else { return 0 }

  var set = shippedSet.set
  set.protocols = parsed.protocols
  let report = ProtocolChecker.check(set, asOf: fuzzDay)
  _ = report.text
  _ = report.json.rendered(pretty: true)
  for diagnostic in report.diagnostics {
    checkLocation(diagnostic.location, file: path, text: text, in: "FuzzProtocol")
  }
  return 0
}

/// Loads what every input uses before the first one runs (and before `-timeout` counts).
@_cdecl("LLVMFuzzerInitialize")
public func initialize(_ argc: UnsafeMutablePointer<Int32>, _ argv: UnsafeMutablePointer<Arguments>)
  -> Int32
{
  _ = shippedSet
  return 0
}

/// SwiftPM's name for this program's `main` (see `runLibFuzzer`).
@_cdecl("FuzzProtocol_main")
func main(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> Int32 {
  runLibFuzzer(argc, argv, fuzz)
}
