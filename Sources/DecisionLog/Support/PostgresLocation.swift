import Foundation
import PostgresNIO

/// A decision log in PostgreSQL, from a `postgres://` or `postgresql://` URL:
/// `postgres://user:password@host:5432/database?table=decision_log&sslmode=prefer`.
///
/// `table` (default `decision_log`) must be a lower-case SQL identifier: it is the only name
/// put into SQL text, and only after this check. `sslmode` is `disable`, `prefer` (the
/// default) or `require`.
public struct PostgresLocation: Sendable, Hashable, CustomStringConvertible {
  public enum TLSMode: String, Sendable, Hashable, CaseIterable { case disable, prefer, require }

  public var host: String
  public var port: Int
  public var username: String
  public var password: String?
  public var database: String
  public var table: String
  public var tls: TLSMode

  /// The table name when the URL names none.
  public static let defaultTable = "decision_log"

  /// Whether a destination names a PostgreSQL database rather than a file.
  public static func isURL(_ text: String) -> Bool {
    let lowered = text.lowercased()
    return lowered.hasPrefix("postgres://") || lowered.hasPrefix("postgresql://")
  }

  /// Parses a URL.
  ///
  /// - Throws: `DecisionLogError.badURL` saying what is wrong (the password is not printed).
  public init(url text: String) throws(DecisionLogError) {
    let shown = PostgresLocation.redacted(text)
    guard PostgresLocation.isURL(text), let components = URLComponents(string: text) else {
      throw .badURL(
        url: shown, reason: "expected postgres://user:password@host:port/database?table=name")
    }
    guard let host = components.host, !host.isEmpty else {
      throw .badURL(url: shown, reason: "no host")
    }
    guard let user = components.user, !user.isEmpty else {
      throw .badURL(url: shown, reason: "no user name (postgres://user@host/database)")
    }
    let database = String(components.path.drop(while: { $0 == "/" }))
    guard !database.isEmpty, !database.contains("/") else {
      throw .badURL(url: shown, reason: "no database name (postgres://user@host/database)")
    }
    var table = PostgresLocation.defaultTable
    var tls = TLSMode.prefer
    for item in components.queryItems ?? [] {
      switch item.name {
      case "table":
        let name = item.value ?? ""
        guard PostgresLocation.isIdentifier(name) else {
          throw .badURL(
            url: shown,
            reason: "table '\(name)' is not a lower-case SQL name (a-z, 0-9, _; at most 63)")
        }
        table = name
      case "sslmode":
        guard let mode = TLSMode(rawValue: item.value ?? "") else {
          throw .badURL(url: shown, reason: "sslmode must be disable, prefer or require")
        }
        tls = mode
      default:
        throw .badURL(url: shown, reason: "unknown parameter '\(item.name)' (table, sslmode)")
      }
    }
    self.host = host
    port = components.port ?? 5432
    username = components.user?.removingPercentEncoding ?? user
    password = components.password?.removingPercentEncoding
    self.database = database.removingPercentEncoding ?? database
    self.table = table
    self.tls = tls
  }

  /// The URL without its password.
  public var description: String {
    "postgres://\(username)@\(host):\(port)/\(database)?table=\(table)"
  }

  /// The table's name quoted for SQL (checked by ``isIdentifier(_:)`` first).
  var quotedTable: String { "\"\(table)\"" }

  /// Whether a name is safe to put into SQL as a table name.
  static func isIdentifier(_ name: String) -> Bool {
    guard let first = name.utf8.first, (0x61...0x7A).contains(first) || first == 0x5F,
      name.utf8.count <= 63
    else { return false }
    return name.utf8.allSatisfy {
      (0x61...0x7A).contains($0) || (0x30...0x39).contains($0) || $0 == 0x5F
    }
  }

  /// A URL as it may be printed: the password replaced by `***`.
  static func redacted(_ text: String) -> String {
    guard let scheme = text.range(of: "://"), let at = text.range(of: "@"),
      scheme.upperBound <= at.lowerBound
    else { return text }
    let credentials = text[scheme.upperBound..<at.lowerBound]
    guard let colon = credentials.firstIndex(of: ":") else { return text }
    return String(text[..<colon]) + ":***" + String(text[at.lowerBound...])
  }

  var clientConfiguration: PostgresClient.Configuration {
    var configuration = PostgresClient.Configuration(
      host: host, port: port, username: username, password: password, database: database,
      tls: .disable)
    switch tls {
    case .disable: configuration.tls = .disable
    case .prefer: configuration.tls = .prefer(.makeClientConfiguration())
    case .require: configuration.tls = .require(.makeClientConfiguration())
    }
    configuration.options.connectTimeout = .seconds(5)
    configuration.options.maximumConnections = 2
    return configuration
  }

  /// A single connection's configuration (opening checks and reading).
  ///
  /// - Throws: when the TLS context cannot be made.
  func connectionConfiguration() throws -> PostgresConnection.Configuration {
    var configuration = PostgresConnection.Configuration(
      host: host, port: port, username: username, password: password, database: database,
      tls: .disable)
    switch tls {
    case .disable: configuration.tls = .disable
    case .prefer: configuration.tls = .prefer(try .init(configuration: .makeClientConfiguration()))
    case .require:
      configuration.tls = .require(try .init(configuration: .makeClientConfiguration()))
    }
    configuration.options.connectTimeout = .seconds(5)
    return configuration
  }

  /// A PostgreSQL error in words: the server's message, or why the connection failed.
  static func describe(_ error: any Error) -> String {
    if let error = error as? PSQLError {
      if let message = error.serverInfo?[.message] {
        let state = error.serverInfo?[.sqlState].map { " (SQLSTATE \($0))" } ?? ""
        return message + state
      }
      if let underlying = error.underlying {
        return "\(error.code): \(underlying)"
      }
      return "\(error.code)"
    }
    return "\(error)"
  }
}
