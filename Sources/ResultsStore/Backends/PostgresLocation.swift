import Foundation

/// A PostgreSQL database named by a `postgres://user:password@host:port/database` URL, and how to
/// show it without its password.
struct PostgresLocation: Sendable, Hashable {
  /// How the connection is protected, as libpq's `sslmode` names it.
  enum TLSMode: String, Sendable, Hashable, CaseIterable {
    /// Plain TCP.
    case disable
    /// TLS when the server offers it, without checking its certificate (libpq's default).
    case prefer
    /// TLS always, without checking the certificate.
    case require
    /// TLS always, with the certificate checked against the system's roots and the host name.
    case verifyFull = "verify-full"
  }

  var user: String
  var password: String?
  var host: String
  var port: Int
  var database: String
  var tls: TLSMode
  /// Whether the URL gave `sslmode` (shown again only then).
  var tlsGiven: Bool

  static let schemes = ["postgres", "postgresql"]
  static let defaultPort = 5432

  /// The URL with the password replaced by `***`: what every message shows.
  var redacted: String {
    let credentials = password == nil ? user : "\(user):***"
    let shownHost = host.contains(":") ? "[\(host)]" : host
    let query = tlsGiven ? "?sslmode=\(tls.rawValue)" : ""
    return "postgres://\(credentials)@\(shownHost):\(port)/\(database)\(query)"
  }

  /// `host:port`, as connection errors name the server.
  var server: String {
    host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
  }

  /// Reads `text` as a PostgreSQL URL.
  ///
  /// - Returns: Nil when `text` does not start with `postgres://` or `postgresql://` (it is then
  ///   an SQLite file).
  /// - Throws: `.cannotOpen`, naming the URL without its password, when it is one but is
  ///   malformed or lacks a host or a user name.
  init?(parsing text: String) throws(StoreError) {
    guard let scheme = Self.scheme(of: text) else { return nil }
    let shown = Self.redacting(text)
    func refuse(_ reason: String) -> StoreError { .cannotOpen(path: shown, reason: reason) }
    guard let components = URLComponents(string: text), components.scheme?.lowercased() == scheme
    else {
      throw refuse("it is not a valid postgres://user:password@host:port/database URL")
    }
    guard let host = components.host, !host.isEmpty else {
      throw refuse("the URL names no host (postgres://user:password@host:port/database)")
    }
    guard let user = components.user, !user.isEmpty else {
      throw refuse("the URL names no user (postgres://user:password@host:port/database)")
    }
    let port = components.port ?? Self.defaultPort
    guard (1...65535).contains(port) else {
      throw refuse("the port \(port) is not between 1 and 65535")
    }
    var path = components.path
    if path.hasPrefix("/") { path.removeFirst() }
    guard !path.contains("/") else {
      throw refuse("the database name '\(path)' contains a '/'")
    }
    var tls = TLSMode.prefer
    var tlsGiven = false
    for item in components.queryItems ?? [] {
      guard item.name == "sslmode" else {
        throw refuse("the URL parameter '\(item.name)' is not supported (only sslmode is)")
      }
      guard let value = item.value, let mode = TLSMode(rawValue: value) else {
        let modes = TLSMode.allCases.map(\.rawValue).joined(separator: ", ")
        throw refuse("sslmode must be one of \(modes)")
      }
      tls = mode
      tlsGiven = true
    }
    self.user = user
    self.password = components.password
    // URLComponents keeps an IPv6 literal's brackets.
    self.host =
      host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
    self.port = port
    // As libpq does, the database defaults to the user's name.
    self.database = path.isEmpty ? user : path
    self.tls = tls
    self.tlsGiven = tlsGiven
  }

  init(
    user: String, password: String?, host: String, port: Int, database: String,
    tls: TLSMode, tlsGiven: Bool
  ) {
    self.user = user
    self.password = password
    self.host = host
    self.port = port
    self.database = database
    self.tls = tls
    self.tlsGiven = tlsGiven
  }

  /// The same server and login, another database.
  func with(database: String) -> PostgresLocation {
    var copy = self
    copy.database = database
    return copy
  }

  /// The URL that connects here, password included: for tests that hand it to another process,
  /// never for messages.
  var url: String {
    var components = URLComponents()
    components.scheme = "postgres"
    components.user = user
    components.password = password
    components.host = host.contains(":") ? "[\(host)]" : host
    components.port = port
    components.path = "/" + database
    if tlsGiven {
      components.queryItems = [URLQueryItem(name: "sslmode", value: tls.rawValue)]
    }
    return components.string ?? redacted
  }

  /// `text` with the password removed, in whatever shape: a message may quote what a server or
  /// library said, and nothing it says may carry the password out.
  func scrubbed(_ text: String) -> String {
    guard let password, !password.isEmpty else { return text }
    var text = text.replacing(password, with: "***")
    if let encoded = password.addingPercentEncoding(withAllowedCharacters: .urlPasswordAllowed),
      encoded != password
    {
      text = text.replacing(encoded, with: "***")
    }
    return text
  }

  /// The scheme when `text` is a PostgreSQL URL (compared regardless of case).
  private static func scheme(of text: String) -> String? {
    let lowered = text.prefix(14).lowercased()
    return schemes.first { lowered.hasPrefix("\($0)://") }
  }

  /// A URL that could not be parsed, with whatever sits between the user name and the last `@`
  /// hidden: it may be the password.
  static func redacting(_ text: String) -> String {
    guard let separator = text.range(of: "://") else { return text }
    let rest = text[separator.upperBound...]
    guard let at = rest.lastIndex(of: "@") else { return text }
    let credentials = rest[..<at]
    guard let colon = credentials.firstIndex(of: ":") else { return text }
    return String(text[..<colon]) + ":***" + String(rest[at...])
  }
}
