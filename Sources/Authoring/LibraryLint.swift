import Foundation
import ProtocolEngine
import ScenarioKit
import Scoring

/// Lints a library of scenario files as `hotline-sim lint` does: personal data, the format,
/// duplicate ids, decidability, reachability and golden transcripts. Files are checked in
/// parallel (each check is pure); the diagnostics come back sorted, whatever the order of work.
public enum LibraryLint {
  public struct File: Sendable {
    public var path: String
    /// The file's text; nil when it cannot be read as UTF-8.
    public var text: String?

    public init(path: String, text: String?) {
      self.path = path
      self.text = text
    }
  }

  public static func lint(
    _ files: [File], engine: Engine, asOf: Day, rubrics: RubricBook, bound: Int = 200_000
  ) -> (scenarios: Int, diagnostics: [ScenarioDiagnostic]) {
    let results = Results(count: files.count)
    DispatchQueue.concurrentPerform(iterations: files.count) { index in
      let file = files[index]
      guard let text = file.text else {
        let location = SourceLocation(file: file.path, line: 1, column: 1)
        results.set(
          index, nil,
          [ScenarioDiagnostic(.error, .syntax, at: location, "the file is not UTF-8 text")])
        return
      }
      var diagnostics = PersonalData.scan(text, path: file.path)
      let (scenario, found) = ScenarioLoader.parse(
        text, path: file.path, geography: engine.set.geography)
      diagnostics += found
      if let scenario {
        diagnostics += DeepLint.lint(
          scenario, engine: engine, asOf: asOf, rubrics: rubrics, bound: bound)
      }
      results.set(index, scenario?.id, diagnostics)
    }
    var diagnostics: [ScenarioDiagnostic] = []
    var first: [String: String] = [:]
    var count = 0
    for (index, result) in results.all.enumerated() {
      diagnostics += result.diagnostics
      guard let id = result.id else { continue }
      count += 1
      if let earlier = first[id] {
        diagnostics.append(
          ScenarioDiagnostic(
            .error, .duplicateID, at: SourceLocation(file: files[index].path, line: 1, column: 1),
            "scenario id '\(id)' is already used by \(earlier)"))
      } else {
        first[id] = files[index].path
      }
    }
    return (count, diagnostics.sorted())
  }

  /// Each file's result, written from the worker threads.
  final class Results: @unchecked Sendable {
    private let lock = NSLock()
    private var results: [(id: String?, diagnostics: [ScenarioDiagnostic])]

    init(count: Int) { results = Array(repeating: (nil, []), count: count) }

    func set(_ index: Int, _ id: String?, _ diagnostics: [ScenarioDiagnostic]) {
      lock.lock()
      results[index] = (id, diagnostics)
      lock.unlock()
    }

    var all: [(id: String?, diagnostics: [ScenarioDiagnostic])] {
      lock.lock()
      defer { lock.unlock() }
      return results
    }
  }
}
