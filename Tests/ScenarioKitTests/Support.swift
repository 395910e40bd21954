import Foundation
import ProtocolEngine
import ScenarioKit

enum Fixtures {
  static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
  static let root = folder.deletingLastPathComponent().deletingLastPathComponent()
  static let miniSet = root.appendingPathComponent("Tests/ProtocolEngineTests/Fixtures/mini").path
  static let scenarioPath = folder.appendingPathComponent("Fixtures/mini-scenario.yaml").path
  static let day = Day("2026-11-29") ?? Day.today()

  static func engine() throws -> Engine { Engine(try ProtocolSet.load(directory: miniSet)) }

  static func text() throws -> String { try String(contentsOfFile: scenarioPath, encoding: .utf8) }

  static func scenario() throws -> Scenario {
    let (scenario, diagnostics) = ScenarioLoader.parse(try text(), path: "mini-scenario.yaml")
    guard let scenario else { throw ScenarioError.invalid(diagnostics) }
    return scenario
  }

  static func player(mode: PlayMode = .practice, seed: UInt64 = 1) throws -> Player {
    Player(scenario: try scenario(), engine: try engine(), mode: mode, seed: seed, asOf: day)
  }

  /// Diagnostics of the fixture with one piece of text replaced.
  static func diagnostics(replacing target: String, with replacement: String) throws -> [String] {
    let text = try text()
    precondition(text.contains(target), "fixture does not contain \(target)")
    let (_, diagnostics) = ScenarioLoader.parse(
      text.replacingOccurrences(of: target, with: replacement), path: "s.yaml")
    return diagnostics.map(\.description)
  }
}
