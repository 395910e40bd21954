import Foundation
import ProtocolEngine

/// The scenario files under a folder (`Scenarios/`), found by id or by path.
public struct ScenarioCatalog: Sendable {
  public let root: String
  /// Every `*.yaml` / `*.yml` file below the root except the rubrics file, sorted.
  public let files: [String]

  /// The audiences' rubrics, beside the scenarios (`rubrics.yaml` at the root).
  public var rubricsPath: String {
    root.hasSuffix("/") ? root + "rubrics.yaml" : root + "/rubrics.yaml"
  }

  public init(root: String) {
    self.root = root
    var files: [String] = []
    if let enumerator = FileManager.default.enumerator(atPath: root) {
      while let relative = enumerator.nextObject() as? String {
        guard relative.hasSuffix(".yaml") || relative.hasSuffix(".yml"),
          relative != "rubrics.yaml"
        else { continue }
        files.append(root.hasSuffix("/") ? root + relative : root + "/" + relative)
      }
    }
    self.files = files.sorted()
  }

  /// Reads and parses one scenario file. A file that cannot be read (not UTF-8, not a
  /// regular file, a broken link, too large) is one located HS0001 error.
  public static func load(path: String, geography: Geography?) -> (Scenario?, [ScenarioDiagnostic])
  {
    do throws(ContentFile.Failure) {
      return ScenarioLoader.parse(try ContentFile.read(path), path: path, geography: geography)
    } catch {
      return (nil, [error.diagnostic(path: path)])
    }
  }

  /// Every scenario that loads, and every diagnostic of every file (including duplicate ids).
  public func loadAll(geography: Geography?) -> (
    scenarios: [Scenario], diagnostics: [ScenarioDiagnostic]
  ) {
    var scenarios: [Scenario] = []
    var diagnostics: [ScenarioDiagnostic] = []
    var seen: [String: String] = [:]
    for file in files {
      let (scenario, found) = ScenarioCatalog.load(path: file, geography: geography)
      diagnostics += found
      guard let scenario else { continue }
      if let first = seen[scenario.id] {
        diagnostics.append(
          ScenarioDiagnostic(
            .error, .duplicateID, at: SourceLocation(file: file, position: scenario.idPosition),
            "scenario id '\(scenario.id)' is already used by \(first)"))
        continue
      }
      seen[scenario.id] = file
      scenarios.append(scenario)
    }
    return (scenarios, diagnostics.sorted())
  }

  /// Finds a scenario by path (a file that exists) or by id (a file named `<id>.yaml`,
  /// else any file whose `id` matches).
  ///
  /// - Throws: `ScenarioError.notFound` or `.invalid` with the scenario's diagnostics.
  public func find(_ name: String, geography: Geography?) throws(ScenarioError) -> Scenario {
    if ScenarioCatalog.namesAFile(name) {
      return try ScenarioCatalog.require(ScenarioCatalog.load(path: name, geography: geography))
    }
    if let file = files.first(where: {
      URL(fileURLWithPath: $0).deletingPathExtension().lastPathComponent == name
    }) {
      let (scenario, diagnostics) = ScenarioCatalog.load(path: file, geography: geography)
      if let scenario, scenario.id == name { return scenario }
      if scenario == nil { throw .invalid(diagnostics) }
    }
    let (scenarios, _) = loadAll(geography: geography)
    if let scenario = scenarios.first(where: { $0.id == name }) { return scenario }
    throw .notFound(name, known: scenarios.map(\.id))
  }

  /// Whether `name` is a path to something other than a folder (a file, a pipe, a broken
  /// link), or to a folder named like a scenario file (`x.yaml`): all are read as a file, so
  /// what cannot be read says why instead of "no scenario".
  static func namesAFile(_ name: String) -> Bool {
    var info = stat()
    guard lstat(name, &info) == 0 else { return false }
    var target = stat()
    let isFolder = stat(name, &target) == 0 && target.st_mode & 0o170000 == 0o040000
    return !isFolder || name.hasSuffix(".yaml") || name.hasSuffix(".yml")
  }

  private static func require(_ loaded: (Scenario?, [ScenarioDiagnostic])) throws(ScenarioError)
    -> Scenario
  {
    guard let scenario = loaded.0 else { throw .invalid(loaded.1) }
    return scenario
  }

  /// Where the shipped scenarios are: `$HOTLINESIM_SCENARIOS`, else `./Scenarios`, else a
  /// `Scenarios` folder beside or above the running executable.
  public static func defaultRoot(executable: String = CommandLine.arguments.first ?? "") -> String {
    if let value = ProcessInfo.processInfo.environment["HOTLINESIM_SCENARIOS"], !value.isEmpty {
      return value
    }
    if FileManager.default.fileExists(atPath: "Scenarios/README.md") { return "Scenarios" }
    var folder = URL(fileURLWithPath: executable).resolvingSymlinksInPath()
      .deletingLastPathComponent()
    for _ in 0..<8 {
      let candidate = folder.appendingPathComponent("Scenarios")
      if FileManager.default.fileExists(atPath: candidate.appendingPathComponent("README.md").path)
      {
        return candidate.path
      }
      folder.deleteLastPathComponent()
    }
    return "Scenarios"
  }
}
