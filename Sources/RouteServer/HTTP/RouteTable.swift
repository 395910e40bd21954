import Hummingbird

/// The service's resources, their methods, and the limits on what they accept. A path in
/// this table asked with another method is 405 (with `Allow`); any other path is 404.
public enum RouteTable {
  /// Reports in one `POST /v1/decisions:batch`.
  public static let batchItems = 1_000
  /// Bytes in one batch body (16 MiB); each report in it is still held to
  /// `Report.Limits.bytes`.
  public static let batchBytes = 16 << 20

  struct Entry: Sendable {
    var path: String
    var methods: [HTTPRequest.Method]
  }

  static let entries: [Entry] = [
    Entry(path: "/v1/decisions", methods: [.post]),
    Entry(path: "/v1/decisions:batch", methods: [.post]),
    Entry(path: "/v1/ruleset", methods: [.get, .head]),
    Entry(path: "/v1/ruleset:reload", methods: [.post]),
    Entry(path: "/healthz", methods: [.get, .head]),
    Entry(path: "/metrics", methods: [.get, .head]),
  ]

  /// The entry for a request path (without its query), ignoring one trailing slash.
  static func entry(for path: Substring) -> Entry? {
    let trimmed = path.count > 1 && path.hasSuffix("/") ? path.dropLast() : path
    return entries.first { $0.path == trimmed }
  }

  /// Whether a path needs a bearer token: everything under `/v1`.
  static func isProtected(_ path: Substring) -> Bool {
    path == "/v1" || path.hasPrefix("/v1/")
  }
}
