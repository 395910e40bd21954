import Foundation
import Hummingbird
import Logging

/// The outermost middleware: gives each request its id, turns every error into a problem
/// (404 and 405 included), sets `X-Request-ID`, counts the request in the metrics and logs
/// one line for it at info (id, method, path, status, latency; never a body or a header).
struct AccessMiddleware: RouterMiddleware {
  typealias Context = RouteRequestContext
  // `HTTPField` itself is not re-exported by Hummingbird; its name type is reached this way.
  static let requestIDHeader: HTTPFields.Element.Name = {
    guard let name = HTTPFields.Element.Name("X-Request-ID") else {
      preconditionFailure("X-Request-ID is a valid header name")
    }
    return name
  }()

  let state: ServerState
  var metrics: ServerMetrics { state.metrics }
  var logger: Logger { state.logger }

  func handle(
    _ request: Request, context: Context,
    next: (Request, Context) async throws -> Response
  ) async throws -> Response {
    let start = ContinuousClock.now
    var context = context
    context.requestID =
      AccessMiddleware.acceptable(request.headers[AccessMiddleware.requestIDHeader])
      ?? UUID().uuidString.lowercased()
    let path = request.uri.path
    let entry = RouteTable.entry(for: Substring(path))
    state.requestStarted()
    defer { state.requestFinished() }
    var response: Response
    do {
      response = try await next(request, context)
    } catch let problem as Problem {
      response = problem.response
    } catch let error as any HTTPResponseError {
      response = AccessMiddleware.problem(for: error, request: request, entry: entry).response
    } catch {
      // The error's type only: its text could quote the request.
      logger.error(
        "internal error",
        metadata: [
          "request_id": .string(context.requestID),
          "error_type": .string(String(describing: type(of: error))),
        ])
      response =
        Problem(
          .internalError, status: .internalServerError,
          detail: "the request could not be completed; see the service log for request id "
            + context.requestID
        ).response
    }
    response.headers[AccessMiddleware.requestIDHeader] = context.requestID
    let duration = ContinuousClock.now - start
    let status = Int(response.status.code)
    // Labels from a closed set, whatever the client sends: unknown paths and methods are
    // counted together, so a client cannot make the metrics grow without bound.
    let method =
      AccessMiddleware.countedMethods.contains(request.method) ? request.method.rawValue : "other"
    metrics.request(
      route: entry?.path ?? "unmatched", method: method, status: status, duration: duration)
    if logger.logLevel <= .info {
      let latency =
        Double(duration.components.attoseconds) / 1e15
        + Double(duration.components.seconds) * 1e3
      logger.info(
        "request",
        metadata: [
          "request_id": .string(context.requestID), "method": .string(request.method.rawValue),
          "path": .string(entry?.path ?? "unmatched"), "status": .stringConvertible(status),
          "latency_ms": .string(String(format: "%.3f", latency)),
        ])
    }
    return response
  }

  static let countedMethods: [HTTPRequest.Method] = [
    .get, .head, .post, .put, .delete, .patch, .options,
  ]

  /// An incoming request id worth keeping: 1 to 64 characters of `[A-Za-z0-9._-]`.
  static func acceptable(_ value: String?) -> String? {
    guard let value, !value.isEmpty, value.utf8.count <= 64,
      value.utf8.allSatisfy({ byte in
        (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A)
          || (byte >= 0x61 && byte <= 0x7A) || byte == 0x2E || byte == 0x5F || byte == 0x2D
      })
    else { return nil }
    return value
  }

  /// A Hummingbird error (the router's 404, a body over the server's bound) as a problem.
  static func problem(
    for error: any HTTPResponseError, request: Request, entry: RouteTable.Entry?
  ) -> Problem {
    switch error.status {
    case .notFound:
      if let entry, !entry.methods.contains(request.method) {
        let allowed = entry.methods.map(\.rawValue).joined(separator: ", ")
        return Problem(
          .methodNotAllowed, status: .methodNotAllowed,
          detail: "\(entry.path) does not accept \(request.method.rawValue); use \(allowed)",
          headers: [.allow: allowed])
      }
      return Problem(
        .notFound, status: .notFound,
        detail: "no resource at \(request.uri.path); see docs/serve.md for the endpoints")
    case .contentTooLarge:
      return Problem(.tooLarge, status: .contentTooLarge, detail: "the request body is too large")
    default:
      return Problem(
        .internalError, status: error.status,
        detail: error.status.reasonPhrase)
    }
  }
}

/// Asks for `Authorization: Bearer <token>` on every path under `/v1` (unknown ones too, so
/// a client without a token learns nothing about them) and answers 401 with
/// `WWW-Authenticate: Bearer` otherwise. Neither the header nor the token is ever logged.
struct BearerAuthMiddleware: RouterMiddleware {
  typealias Context = RouteRequestContext
  let state: ServerState

  func handle(
    _ request: Request, context: Context,
    next: (Request, Context) async throws -> Response
  ) async throws -> Response {
    guard RouteTable.isProtected(Substring(request.uri.path)) else {
      return try await next(request, context)
    }
    guard let header = request.headers[.authorization] else {
      throw Problem.unauthorized("this resource needs an Authorization: Bearer <token> header")
    }
    guard let token = BearerTokens.token(inAuthorization: header) else {
      throw Problem.unauthorized("the Authorization header is not of the form Bearer <token>")
    }
    guard state.tokens.accepts(token) else {
      throw Problem.unauthorized("the bearer token is not accepted")
    }
    return try await next(request, context)
  }
}
