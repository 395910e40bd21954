import DecisionLog
import Hummingbird
import ProtocolEngine

/// `POST /v1/decisions` and `POST /v1/decisions:batch`.
struct DecisionHandlers: Sendable {
  let state: ServerState

  /// The name reports are given in error messages (as `route` says `<stdin>`).
  static let file = "<request>"

  /// One report in, the decision `hotline-route route` prints out (byte for byte), or a
  /// problem whose detail is the message `route` prints.
  func decide(_ request: Request, context: RouteRequestContext) async throws -> Response {
    let explain = try DecisionHandlers.explain(request)
    let bytes = try await DecisionHandlers.body(
      request, limit: Report.Limits.bytes, tooLarge: .reportTooLarge(file: DecisionHandlers.file))
    let start = ContinuousClock.now
    let ruleset = state.rulesets.current
    switch Decider.decide(
      bytes, file: DecisionHandlers.file, ruleset: ruleset, explain: explain,
      today: UTCTime.today())
    {
    case .failure(let problem): throw problem
    case .success(let made):
      let body = made.body
      state.metrics.decision(made.decision.escalation, duration: ContinuousClock.now - start)
      log(made, ruleset: ruleset, requestID: context.requestID)
      return DecisionHandlers.json(body)
    }
  }

  /// Up to `RouteTable.batchItems` reports in, one result per report out, in order: either
  /// `{"status": 200, "decision": {...}}` or `{"status": 400|413, "problem": {...}}`; a bad
  /// report fails alone. All the reports are decided under one ruleset.
  func batch(_ request: Request, context: RouteRequestContext) async throws -> Response {
    let explain = try DecisionHandlers.explain(request)
    let bytes = try await DecisionHandlers.body(
      request, limit: RouteTable.batchBytes,
      tooLarge: Problem(
        .tooLarge, status: .contentTooLarge,
        detail:
          "the batch is larger than \(RouteTable.batchBytes) bytes (16 MiB), the limit for one "
          + "batch; send it in parts"))
    do throws(ProtocolEngineError) {
      try Report.validateUTF8(bytes, file: DecisionHandlers.file)
    } catch {
      throw Decider.invalid(notUTF8: error)
    }
    let elements: [BatchSplitter.Element]
    do throws(BatchSplitter.Failure) {
      elements = try BatchSplitter.split(bytes, limit: RouteTable.batchItems)
    } catch {
      switch error {
      case .tooMany(let limit):
        throw Problem(
          .tooLarge, status: .contentTooLarge,
          detail: "the batch has more than \(limit) reports, the limit for one batch; send it "
            + "in parts")
      case .syntax(let offset, let message):
        let location = SourceLocation(
          file: DecisionHandlers.file, position: BatchSplitter.position(of: offset, in: bytes))
        throw Problem(.invalidBatch, status: .badRequest, detail: "\(location): \(message)")
      }
    }
    let ruleset = state.rulesets.current
    let today = UTCTime.today()
    var results: [JSONValue] = []
    results.reserveCapacity(elements.count)
    for (index, element) in elements.enumerated() {
      let start = ContinuousClock.now
      switch decideItem(
        Array(bytes[element.range]), index: index, at: element, ruleset: ruleset,
        explain: explain, today: today)
      {
      case .failure(let problem):
        results.append(
          .object([("status", .int(Int(problem.status.code))), ("problem", problem.json)]))
      case .success(let made):
        state.metrics.decision(made.decision.escalation, duration: ContinuousClock.now - start)
        log(made, ruleset: ruleset, requestID: "\(context.requestID)/\(index)")
        results.append(.object([("status", .int(200)), ("decision", made.json)]))
      }
    }
    return DecisionHandlers.json(JSONValue.array(results).renderedUTF8(pretty: true, suffix: "\n"))
  }

  /// One report of a batch. Errors are located in the whole body, and their field is
  /// prefixed with the report's index: `<request>:3:18: [1].victims[0].age: ...`.
  private func decideItem(
    _ bytes: [UInt8], index: Int, at element: BatchSplitter.Element, ruleset: LoadedRuleset,
    explain: Bool, today: Day
  ) -> Result<Decider.Made, Problem> {
    guard bytes.count <= Report.Limits.bytes else {
      return .failure(
        Problem(
          .tooLarge, status: .contentTooLarge,
          detail:
            "\(DecisionHandlers.file):\(element.line):\(element.column): error[HR0103]: report "
            + "[\(index)] is larger than \(Report.Limits.bytes) bytes (1 MiB), the limit for one "
            + "report"))
    }
    let report: Report
    do throws(ProtocolEngineError) {
      report = try Report.decode(
        utf8: bytes, file: DecisionHandlers.file, format: .json,
        geography: ruleset.engine.set.geography)
    } catch {
      guard case .invalidReport(let location, let field, let message) = error else {
        return .failure(Problem(.invalidReport, status: .badRequest, detail: error.description))
      }
      let line = element.line + location.position.line - 1
      let column =
        location.position.line == 1
        ? element.column + location.position.column - 1 : location.position.column
      let located = ProtocolEngineError.invalidReport(
        location: SourceLocation(file: DecisionHandlers.file, line: line, column: column),
        field: field.isEmpty ? "[\(index)]" : "[\(index)].\(field)", message: message)
      return .failure(Problem(.invalidReport, status: .badRequest, detail: located.description))
    }
    let day = report.receivedDay ?? today
    let decision = ruleset.engine.decide(report, asOf: day, explain: explain)
    return .success(
      Decider.Made(report: report, decision: decision, asOf: day, json: decision.json))
  }

  /// Hands the decision to the decision log, if there is one, without waiting for it.
  private func log(_ made: Decider.Made, ruleset: LoadedRuleset, requestID: String) {
    guard let sink = state.sink else { return }
    _ = sink.submit(
      DecisionRecord(
        requestID: requestID, time: UTCTime.timestamp(), rulesetVersion: ruleset.version,
        rulesetSHA256: ruleset.sha256, asOf: made.asOf, report: ReportMask.mask(made.report),
        decision: made.json))
  }

  /// `?explain=true|false` (default true); any other query parameter is refused.
  static func explain(_ request: Request) throws(Problem) -> Bool {
    var explain = true
    for (key, value) in request.uri.queryParameters {
      guard key == "explain" else {
        throw Problem(
          .invalidQuery, status: .badRequest,
          detail: "unknown query parameter '\(key)'; the only one is explain=true|false")
      }
      switch value {
      case "true": explain = true
      case "false": explain = false
      default:
        throw Problem(
          .invalidQuery, status: .badRequest,
          detail: "explain must be true or false, not '\(value)'")
      }
    }
    return explain
  }

  /// The request body, refused with `tooLarge` past `limit` bytes (by its Content-Length
  /// before reading, else while reading).
  static func body(_ request: Request, limit: Int, tooLarge: Problem) async throws -> [UInt8] {
    if let length = request.headers[.contentLength].flatMap({ Int($0) }), length > limit {
      throw tooLarge
    }
    do {
      let buffer = try await request.body.collect(upTo: limit)
      return Array(buffer.readableBytesView)
    } catch let error as any HTTPResponseError where error.status == .contentTooLarge {
      throw tooLarge
    }
  }

  static func json(_ body: String) -> Response {
    json(Array(body.utf8))
  }

  static func json(_ body: [UInt8]) -> Response {
    Response(
      status: .ok, headers: [.contentType: "application/json"],
      body: ResponseBody(byteBuffer: ByteBuffer(bytes: body)))
  }
}
