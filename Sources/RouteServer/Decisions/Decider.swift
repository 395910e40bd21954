import ProtocolEngine

/// One report through the engine, exactly as `hotline-route route` takes it: the same
/// limits, the same UTF-8 check (HR0102) and strict decoder (geography from the set), the
/// as-of day from the report's `received_at`, else today in UTC, and the same JSON.
public enum Decider {
  /// A decision made, with what the decision log and the metrics need.
  public struct Made: Sendable {
    public var report: Report
    public var decision: Decision
    public var asOf: Day
    /// `decision.json`, built once for the answer and the decision log.
    public var json: JSONValue

    /// The body `route` prints: the decision JSON, pretty, and a newline.
    public var body: [UInt8] { json.renderedUTF8(pretty: true, suffix: "\n") }
  }

  /// Decides one report given as bytes, named `file` in error messages.
  ///
  /// - Parameters:
  ///   - explain: false takes the engine's fast path: `because` texts are empty, and
  ///     `needs` and `near_misses` are empty arrays; everything else is the same.
  ///   - today: the day used when the report has no `received_at`.
  /// - Returns: the decision, or the problem (400, or 413 over `Report.Limits.bytes`) whose
  ///   detail is the message `route` prints for these bytes, less its `hotline-route: `.
  public static func decide(
    _ bytes: [UInt8], file: String, ruleset: LoadedRuleset, explain: Bool, today: Day
  ) -> Result<Made, Problem> {
    guard bytes.count <= Report.Limits.bytes else { return .failure(.reportTooLarge(file: file)) }
    let report: Report
    do throws(ProtocolEngineError) {
      try Report.validateUTF8(bytes, file: file)
    } catch {
      return .failure(invalid(notUTF8: error))
    }
    do throws(ProtocolEngineError) {
      report = try Report.decode(
        utf8: bytes, file: file, format: .json, geography: ruleset.engine.set.geography)
    } catch {
      return .failure(Problem(.invalidReport, status: .badRequest, detail: error.description))
    }
    let day = report.receivedDay ?? today
    let decision = ruleset.engine.decide(report, asOf: day, explain: explain)
    return .success(Made(report: report, decision: decision, asOf: day, json: decision.json))
  }

  /// The problem for bytes that are not UTF-8, worded as `route` words it (HR0102).
  static func invalid(notUTF8 error: ProtocolEngineError) -> Problem {
    guard case .invalidReport(let location, _, let message) = error else {
      return Problem(.invalidReport, status: .badRequest, detail: error.description)
    }
    return Problem(
      .invalidReport, status: .badRequest, detail: "\(location): error[HR0102]: \(message)")
  }
}
