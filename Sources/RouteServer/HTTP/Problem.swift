import Hummingbird
import ProtocolEngine

/// An RFC 9457 problem: every error response of the service is one, as
/// `application/problem+json`, with `type`, `title`, `status` and `detail` (and, for a refused
/// reload, `errors`). `detail` for a bad report is the message `hotline-route route` prints,
/// with the file named `<request>`.
public struct Problem: Error, Sendable, Equatable {
  /// What kind of problem, as a URN (`urn:hotline-route:problem:invalid-report`); the kinds are
  /// listed in docs/serve.md.
  public var kind: Kind
  public var status: HTTPResponse.Status
  public var detail: String
  /// The protocol set's errors, for a refused reload.
  public var errors: [String]
  /// Extra response headers (`WWW-Authenticate`, `Allow`).
  public var headers: HTTPFields

  /// The kinds of problem, each with its title.
  public enum Kind: String, Sendable, CaseIterable {
    case invalidReport = "invalid-report"
    case invalidBatch = "invalid-batch"
    case invalidQuery = "invalid-query"
    case tooLarge = "too-large"
    case unauthorized = "unauthorized"
    case notFound = "not-found"
    case methodNotAllowed = "method-not-allowed"
    case rulesetRefused = "ruleset-refused"
    case internalError = "internal-error"

    /// The URN written as `type`.
    public var type: String { "urn:hotline-route:problem:" + rawValue }

    public var title: String {
      switch self {
      case .invalidReport: "The report is not valid"
      case .invalidBatch: "The batch is not a JSON array of reports"
      case .invalidQuery: "The query string is not valid"
      case .tooLarge: "The request is too large"
      case .unauthorized: "A bearer token is required"
      case .notFound: "No such resource"
      case .methodNotAllowed: "Method not allowed"
      case .rulesetRefused: "The protocol set was refused"
      case .internalError: "Internal error"
      }
    }
  }

  public init(
    _ kind: Kind, status: HTTPResponse.Status, detail: String, errors: [String] = [],
    headers: HTTPFields = [:]
  ) {
    self.kind = kind
    self.status = status
    self.detail = detail
    self.errors = errors
    self.headers = headers
  }

  /// The problem object, keys in a fixed order.
  public var json: JSONValue {
    var pairs: [(String, JSONValue)] = [
      ("type", .string(kind.type)), ("title", .string(kind.title)),
      ("status", .int(Int(status.code))), ("detail", .string(detail)),
    ]
    if !errors.isEmpty { pairs.append(("errors", .array(errors.map(JSONValue.string)))) }
    return .object(pairs)
  }

  /// The response: `application/problem+json`, pretty-printed like every body of the service.
  public var response: Response {
    var fields = headers
    fields[.contentType] = "application/problem+json"
    return Response(
      status: status, headers: fields,
      body: ResponseBody(byteBuffer: ByteBuffer(string: json.rendered(pretty: true) + "\n")))
  }
}

extension Problem {
  /// 401, with the challenge RFC 6750 asks for.
  static func unauthorized(_ detail: String) -> Problem {
    Problem(
      .unauthorized, status: .unauthorized, detail: detail,
      headers: [.wwwAuthenticate: "Bearer realm=\"hotline-route\""])
  }

  /// 413 for a single report, with the message `route` prints (HR0103).
  static func reportTooLarge(file: String) -> Problem {
    Problem(
      .tooLarge, status: .contentTooLarge,
      detail:
        "\(file):1:1: error[HR0103]: the report is larger than \(Report.Limits.bytes) bytes "
        + "(1 MiB), the limit for one report")
  }
}
