// libFuzzer target: a report's bytes, as `hotline-route route` reads them.
//
// Decodes the input with the shipped geography (`Report.decode`), decides it with the
// shipped protocol set and renders the decision as JSON and as text.
// Oracle (besides "never crashes, hangs or leaks"): a decoded report, written as the report
// JSON, reads back as a report that writes the same JSON and gets the same decision.
// Build and run: see Fuzz/README.md.
import FuzzSupport
import ProtocolEngine

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
  let engine = shippedEngine
  let geography = engine.set.geography
  let report: Report
  do {
    report = try Report.decode(inputText(data, size), file: "<fuzz>", geography: geography)
  } catch {
    _ = "\(error)"  // the message route prints
    return 0
  }
  let day = report.receivedDay ?? fuzzDay
  let decision = engine.decide(report, asOf: day)
  _ = decision.json.rendered(pretty: true)
  _ = decision.text

  guard oraclesEnabled else { return 0 }
  let encoded = report.json.rendered(pretty: false)
  let again: Report
  do {
    again = try Report.decode(encoded, file: "<re-encoded>", geography: geography)
  } catch {
    fatalError(
      "FuzzReport: the report re-encoded as \(showingControls(encoded)) is rejected: \(error)")
  }
  // An empty object is written as nothing (both say "unknown"), so compare what is written.
  guard again.json.rendered(pretty: false) == encoded else {
    fatalError("FuzzReport: re-encoding changes the report: \(showingControls(encoded))")
  }
  guard engine.decide(again, asOf: day) == decision else {
    fatalError("FuzzReport: re-encoding changes the decision: \(showingControls(encoded))")
  }
  return 0
}

/// Loads what every input uses before the first one runs (and before `-timeout` counts).
@_cdecl("LLVMFuzzerInitialize")
public func initialize(_ argc: UnsafeMutablePointer<Int32>, _ argv: UnsafeMutablePointer<Arguments>)
  -> Int32
{
  _ = shippedEngine
  return 0
}

/// SwiftPM's name for this program's `main` (see `runLibFuzzer`).
@_cdecl("FuzzReport_main")
func main(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> Int32 {
  runLibFuzzer(argc, argv, fuzz)
}
