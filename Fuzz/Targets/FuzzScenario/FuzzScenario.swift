// libFuzzer target: a scenario file, as `hotline-sim lint`, `play` and `graph` load it.
//
// Scans the input for personal data and parses it with the shipped geography
// (`ScenarioLoader.parse`). A scenario that loads is then linted deeply with the shipped
// protocol set and rubrics (golden transcripts replayed and scored, decidability, a
// reachability exploration bounded to a few hundred states), played once with a fixed script
// (every topic asked, the first option chosen, time passing, an escalation, a submission),
// scored, debriefed, and drawn as a graph.
// Oracle: every diagnostic about the file points into it.
// Build and run: see Fuzz/README.md.
import Authoring
import FuzzSupport
import ProtocolEngine
import ScenarioKit
import Scoring

private let rubrics: RubricBook = {
  let path = "Scenarios/rubrics.yaml"
  do {
    return try RubricBook.parse(repositoryFile(path))
  } catch {
    fatalError("FuzzScenario: \(path): \(error)")
  }
}()

/// The exploration bound of the deep lint (`hotline-sim lint` uses 200,000).
private let bound = 300

private let path = "Scenarios/fuzz/fuzz.yaml"

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
  let text = inputText(data, size)
  let engine = shippedEngine
  var diagnostics = PersonalData.scan(text, path: path)
  let (loaded, found) = ScenarioLoader.parse(text, path: path, geography: engine.set.geography)
  diagnostics += found
  if let scenario = loaded {
    diagnostics += DeepLint.lint(
      scenario, engine: engine, asOf: fuzzDay, rubrics: rubrics, bound: bound)
    play(scenario, engine: engine)
    _ = ScenarioGraph(scenario).render(.dot)
    _ = ScenarioGraph(scenario).render(.mermaid)
  }
  for diagnostic in diagnostics {
    _ = "\(diagnostic)"
    checkLocation(diagnostic.location, file: path, text: text, in: "FuzzScenario")
  }
  return 0
}

private func play(_ scenario: Scenario, engine: Engine) {
  var player = Player(scenario: scenario, engine: engine, mode: .practice, seed: 1, asOf: fuzzDay)
  _ = player.start()
  var script = ["facts", "hint", "time"]
  for topic in scenario.topics.prefix(40) { script += ["ask \(topic.id)", "choose 1"] }
  script += ["wait 120", "escalate emergency", "note fuzz", "submit"]
  for line in script where !player.isOver { _ = player.handle(line) }
  player.end(.submitted)
  let score = Scorer.score(player, trainee: "fuzz")
  _ = score.debrief
  _ = score.json.rendered(pretty: true)
}

/// Loads what every input uses before the first one runs (and before `-timeout` counts).
@_cdecl("LLVMFuzzerInitialize")
public func initialize(_ argc: UnsafeMutablePointer<Int32>, _ argv: UnsafeMutablePointer<Arguments>)
  -> Int32
{
  _ = shippedEngine
  _ = rubrics
  return 0
}

/// SwiftPM's name for this program's `main` (see `runLibFuzzer`).
@_cdecl("FuzzScenario_main")
func main(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> Int32 {
  runLibFuzzer(argc, argv, fuzz)
}
