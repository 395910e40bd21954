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
    /// The file's text; nil when it cannot be read.
    public var text: String?
    /// Why the file could not be read, when `text` is nil (else it is taken as not UTF-8).
    public var failure: ContentFile.Failure?

    public init(path: String, text: String?, failure: ContentFile.Failure? = nil) {
      self.path = path
      self.text = text
      self.failure = failure
    }

    /// Reads the file at `path`, keeping why it could not be read (a named pipe is never
    /// opened for reading, so it cannot block the lint).
    public init(reading path: String) {
      self.path = path
      do throws(ContentFile.Failure) {
        text = try ContentFile.read(path)
      } catch {
        failure = error
      }
    }

    /// The HS0001 error of a file that could not be read.
    public var readError: ScenarioDiagnostic {
      (failure ?? ContentFile.Failure("not UTF-8 text")).diagnostic(path: path)
    }
  }

  public static func lint(
    _ files: [File], engine: Engine, asOf: Day, rubrics: RubricBook, bound: Int = 200_000
  ) -> (scenarios: Int, diagnostics: [ScenarioDiagnostic]) {
    let results = Results(count: files.count)
    DispatchQueue.concurrentPerform(iterations: files.count) { index in
      let file = files[index]
      guard let text = file.text else {
        results.set(index, nil, [file.readError])
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
      results.set(index, scenario.map { ($0.id, $0.idPosition) }, diagnostics)
    }
    var diagnostics: [ScenarioDiagnostic] = []
    var first: [String: String] = [:]
    var count = 0
    // Files in the order given (the catalogue sorts them), so "already used" names the first.
    for (index, result) in results.all.enumerated() {
      diagnostics += result.diagnostics
      guard let (id, position) = result.id else { continue }
      count += 1
      if let earlier = first[id] {
        diagnostics.append(
          ScenarioDiagnostic(
            .error, .duplicateID, at: SourceLocation(file: files[index].path, position: position),
            "scenario id '\(id)' is already used by \(earlier)"))
      } else {
        first[id] = files[index].path
      }
    }
    return (count, diagnostics.sorted())
  }

  /// Each file's result, written from the worker threads.
  final class Results: @unchecked Sendable {
    typealias Result = (id: (String, SourcePosition)?, diagnostics: [ScenarioDiagnostic])
    // Every access holds `lock`.
    private let lock = NSLock()
    private var results: [Result]

    init(count: Int) { results = Array(repeating: (nil, []), count: count) }

    func set(_ index: Int, _ id: (String, SourcePosition)?, _ diagnostics: [ScenarioDiagnostic]) {
      lock.lock()
      results[index] = (id, diagnostics)
      lock.unlock()
    }

    var all: [Result] {
      lock.lock()
      defer { lock.unlock() }
      return results
    }
  }
}
