import Foundation
import ProtocolEngine
import ScenarioKit

/// Paths and loaders shared by the authoring tests.
enum AuthoringFixtures {
  static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
  static let root = folder.deletingLastPathComponent().deletingLastPathComponent()
  static let day = Day("2026-11-29") ?? Day.today()

  static let shippedEngine: Result<Engine, Error> = Result {
    Engine(try ProtocolSet.load(directory: root.appendingPathComponent("Protocols").path))
  }

  /// The id of every shipped scenario (a scenario's file is named by its id).
  static let shippedIDs: [String] = ScenarioCatalog(
    root: root.appendingPathComponent("Scenarios").path
  ).files.map { URL(fileURLWithPath: $0).deletingPathExtension().lastPathComponent }.sorted()

  /// A fixture file's text (`Tests/AuthoringTests/Fixtures/NAME`).
  static func text(_ name: String) throws -> String {
    try String(contentsOf: folder.appendingPathComponent("Fixtures/\(name)"), encoding: .utf8)
  }

  /// A shipped scenario by id.
  static func shipped(_ id: String) throws -> Scenario {
    let engine = try shippedEngine.get()
    let catalog = ScenarioCatalog(root: root.appendingPathComponent("Scenarios").path)
    return try catalog.find(id, geography: engine.set.geography)
  }

  /// Parses a fixture scenario, throwing its diagnostics when it has errors.
  static func scenario(_ name: String) throws -> Scenario {
    let engine = try shippedEngine.get()
    let (scenario, diagnostics) = ScenarioLoader.parse(
      try text(name), path: name, geography: engine.set.geography)
    guard let scenario else { throw ScenarioError.invalid(diagnostics) }
    return scenario
  }
}
