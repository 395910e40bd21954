// libFuzzer target: trainee verbs, as `hotline-sim play < script` reads them.
//
// Plays a shipped scenario (Scenarios/tx/tx-motel-whisper.yaml: topics, timed events, a
// choice, conduct rules; `HOTLINESIM_FUZZ_SCENARIO` names another) with the shipped protocol
// set through the shell's command loop reading piped input: each line of the input is one
// verb, echoed and answered. The first byte picks the mode (practice or assessment), plain
// or styled output, whether the attempt is scored and debriefed after the end of input
// submits it, and the seed.
// Oracle: with colour off, nothing the shell writes holds a control character other than
// newline and tab (text reaching a terminal goes through the sanitiser).
// Build and run: see Fuzz/README.md.
import Foundation
import FuzzSupport
import ProtocolEngine
import ScenarioKit
import Scoring
import Shell

private let scenario: Scenario = {
  let path =
    ProcessInfo.processInfo.environment["HOTLINESIM_FUZZ_SCENARIO"]
    ?? "Scenarios/tx/tx-motel-whisper.yaml"
  let (scenario, diagnostics) = ScenarioLoader.parse(
    repositoryFile(path), path: path, geography: shippedSet.set.geography)
  guard let scenario else { fatalError("FuzzVerbs: \(path) does not load: \(diagnostics)") }
  return scenario
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
  let first = size > 0 ? data[0] : 0
  let player = Player(
    scenario: scenario, engine: shippedEngine, mode: first & 1 == 0 ? .practice : .assessment,
    seed: UInt64(first >> 3), asOf: fuzzDay)
  // As the shell reads a pipe: lines of UTF-8 text, without their newlines.
  let lines = inputText(data, size).split(separator: "\n", omittingEmptySubsequences: false)
  var reader = ScriptedReader(lines.map { .line(String($0)) }, interactive: false)
  var written: [String] = []
  var session = ShellSession(
    player: player, style: OutputStyle(color: false, plain: first & 2 != 0), echo: true,
    write: { written.append($0) })
  let finished = session.run(reader: &reader)
  // Scoring costs more than playing (it asks the engine many questions): every other input.
  if first & 4 != 0 { _ = Scorer.score(finished, trainee: "fuzz").debrief }

  guard oraclesEnabled else { return 0 }
  for chunk in written where chunk.unicodeScalars.contains(where: isTerminalControl) {
    fatalError("FuzzVerbs: a control character reaches the terminal: \(showingControls(chunk))")
  }
  return 0
}

/// Loads what every input uses before the first one runs (and before `-timeout` counts).
@_cdecl("LLVMFuzzerInitialize")
public func initialize(_ argc: UnsafeMutablePointer<Int32>, _ argv: UnsafeMutablePointer<Arguments>)
  -> Int32
{
  _ = shippedEngine
  _ = scenario
  return 0
}

/// SwiftPM's name for this program's `main` (see `runLibFuzzer`).
@_cdecl("FuzzVerbs_main")
func main(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> Int32 {
  runLibFuzzer(argc, argv, fuzz)
}
