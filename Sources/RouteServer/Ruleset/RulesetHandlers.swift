import Hummingbird
import ProtocolEngine

/// `GET /v1/ruleset` and `POST /v1/ruleset:reload`.
struct RulesetHandlers: Sendable {
  let state: ServerState

  /// The ruleset in force: version, sha256, counts, the as-of day (today) and when it was
  /// loaded.
  func show(_ request: Request, context: RouteRequestContext) async throws -> Response {
    DecisionHandlers.json(
      state.rulesets.current.json(asOf: UTCTime.today()).rendered(pretty: true) + "\n")
  }

  /// Reloads the set from its directory. 200 with the ruleset now in force and the one it
  /// replaced; 422 naming every error when the set is refused (the old one keeps serving).
  func reload(_ request: Request, context: RouteRequestContext) async throws -> Response {
    switch await state.rulesets.reload(trigger: "POST /v1/ruleset:reload") {
    case .loaded(let loaded, let previous):
      let today = UTCTime.today()
      let body = JSONValue.object([
        ("changed", .bool(loaded.sha256 != previous.sha256)),
        ("ruleset", loaded.json(asOf: today)),
        (
          "previous",
          .object([("version", .string(previous.version)), ("sha256", .string(previous.sha256))])
        ),
      ])
      return DecisionHandlers.json(body.rendered(pretty: true) + "\n")
    case .refused(let error, let current):
      let errors: [String]
      if case .protocolSet(_, let found) = error { errors = found } else { errors = [] }
      throw Problem(
        .rulesetRefused, status: .unprocessableContent,
        detail:
          "the protocol set in \(state.rulesets.directory) has \(errors.count) "
          + "error\(errors.count == 1 ? "" : "s") and was not loaded; version "
          + "\(current.version) (sha256 \(current.sha256)) keeps serving",
        errors: errors)
    }
  }
}

/// `GET /healthz` and `GET /metrics`, which need no token.
struct OperationsHandlers: Sendable {
  let state: ServerState

  func health(_ request: Request, context: RouteRequestContext) async throws -> Response {
    DecisionHandlers.json(
      JSONValue.object([("status", .string("ok"))]).rendered(pretty: true) + "\n")
  }

  func metrics(_ request: Request, context: RouteRequestContext) async throws -> Response {
    let text = state.metrics.exposition(decisionLog: state.sink?.statistics)
    return Response(
      status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
      body: ResponseBody(byteBuffer: ByteBuffer(bytes: text)))
  }
}
