import Foundation
import ProtocolEngine
import ScenarioKit

/// The curriculum files under a folder (`Curricula/`), found by id or by path.
public struct CurriculumCatalog: Sendable {
  public let root: String
  /// Every `*.yaml` / `*.yml` file below the root, sorted.
  public let files: [String]

  public init(root: String) {
    self.root = root
    var files: [String] = []
    if let enumerator = FileManager.default.enumerator(atPath: root) {
      while let relative = enumerator.nextObject() as? String {
        guard relative.hasSuffix(".yaml") || relative.hasSuffix(".yml") else { continue }
        files.append(root.hasSuffix("/") ? root + relative : root + "/" + relative)
      }
    }
    self.files = files.sorted()
  }

  /// Reads and parses one curriculum file.
  public static func load(path: String) -> (Curriculum?, [ScenarioDiagnostic]) {
    let text: String
    do throws(ContentFile.Failure) {
      text = try ContentFile.read(path)
    } catch {
      return (nil, [error.diagnostic(path: path)])
    }
    return CurriculumLoader.parse(text, path: path)
  }

  /// Every curriculum that loads, and every diagnostic of every file on its own (duplicate
  /// ids and references to scenarios are ``CurriculumCheck``'s).
  public func loadAll() -> (curricula: [Curriculum], diagnostics: [ScenarioDiagnostic]) {
    var curricula: [Curriculum] = []
    var diagnostics: [ScenarioDiagnostic] = []
    for file in files {
      let (curriculum, found) = CurriculumCatalog.load(path: file)
      diagnostics += found
      if let curriculum { curricula.append(curriculum) }
    }
    return (curricula, diagnostics.sorted())
  }

  /// Finds a curriculum by path (a file that exists) or by id.
  ///
  /// - Throws: ``CurriculumError``: not found (with a suggestion) or invalid (its errors).
  public func find(_ name: String) throws(CurriculumError) -> Curriculum {
    var isDirectory: ObjCBool = false
    if FileManager.default.fileExists(atPath: name, isDirectory: &isDirectory),
      !isDirectory.boolValue
    {
      let (curriculum, diagnostics) = CurriculumCatalog.load(path: name)
      guard let curriculum else { throw .invalid(diagnostics) }
      return curriculum
    }
    var known: [String] = []
    for file in files {
      let (curriculum, diagnostics) = CurriculumCatalog.load(path: file)
      if let curriculum {
        if curriculum.id == name { return curriculum }
        known.append(curriculum.id)
      } else if URL(fileURLWithPath: file).deletingPathExtension().lastPathComponent == name {
        throw .invalid(diagnostics)
      }
    }
    throw .notFound(name, known: known.sorted(), root: root)
  }

  /// Where the shipped curricula are: `$HOTLINESIM_CURRICULA`, else `./Curricula`, else a
  /// `Curricula` folder beside or above the running executable.
  public static func defaultRoot(executable: String = CommandLine.arguments.first ?? "") -> String {
    if let value = ProcessInfo.processInfo.environment["HOTLINESIM_CURRICULA"], !value.isEmpty {
      return value
    }
    if FileManager.default.fileExists(atPath: "Curricula/README.md") { return "Curricula" }
    var folder = URL(fileURLWithPath: executable).resolvingSymlinksInPath()
      .deletingLastPathComponent()
    for _ in 0..<8 {
      let candidate = folder.appendingPathComponent("Curricula")
      if FileManager.default.fileExists(atPath: candidate.appendingPathComponent("README.md").path)
      {
        return candidate.path
      }
      folder.deleteLastPathComponent()
    }
    return "Curricula"
  }
}

/// Errors of the curriculum layer.
public enum CurriculumError: Error, Sendable, Equatable, CustomStringConvertible {
  /// No curriculum has this id or path; `known` lists the ids that exist under `root`.
  case notFound(String, known: [String], root: String)
  /// The curriculum has errors; every diagnostic is listed.
  case invalid([ScenarioDiagnostic])

  public var description: String {
    switch self {
    case .notFound(let name, let known, let root):
      let hint = closestMatch(name, known).map { " (did you mean '\($0)'?)" } ?? ""
      let list = known.isEmpty ? "there are none in \(root)" : "`hotline-sim list --curricula`"
      return "no curriculum '\(name)'\(hint); \(list)"
    case .invalid(let diagnostics):
      return diagnostics.filter { $0.severity == .error }.map(\.description).joined(separator: "\n")
    }
  }
}
