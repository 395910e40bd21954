import Foundation
import PostgresNIO

// PostgreSQL's failures in a coordinator's words. postgres-nio's own descriptions are
// deliberately vague (to keep secrets out of logs), so the words come from the error's code, the
// server's SQLSTATE and message, and the network error underneath; whatever the server or the
// network said passes through `scrubbed`, so no message carries the password.

extension PostgresBackend {
  /// Why `error` happened, as a sentence fragment naming the server when the server is the
  /// problem.
  static func reason(for error: any Error, at place: PostgresLocation) -> String {
    switch error {
    case let error as RowError:
      return place.scrubbed(error.message)
    case let error as PSQLError:
      return reason(for: error, at: place)
    case let error as PostgresDecodingError:
      return
        "the column \(error.columnName) holds a \(error.postgresType) that is not a "
        + "\(error.targetType)"
    case is PostgresTransaction.NoAnswer:
      return
        "the PostgreSQL server at \(place.server) did not answer within "
        + "\(PostgresTransaction.deadline) seconds"
    case let error as NIOSSLError:
      return "TLS failed (\(place.scrubbed("\(error)")))"
    default:
      return place.scrubbed("\(error)")
    }
  }

  private static func reason(for error: PSQLError, at place: PostgresLocation) -> String {
    let server = "the PostgreSQL server at \(place.server)"
    switch error.code {
    case .server:
      return reason(
        sqlState: error.serverInfo?[.sqlState] ?? "",
        message: place.scrubbed(error.serverInfo?[.message] ?? ""), at: place)
    case .connectionError:
      return "cannot connect to \(server) (\(connectionFailure(error.underlying, at: place)))"
    case .serverClosedConnection, .uncleanShutdown:
      return "\(server) closed the connection"
    case .clientClosedConnection:
      return "the connection to \(server) was closed"
    case .sslUnsupported:
      return "\(server) does not offer TLS, which sslmode=\(place.tls.rawValue) asks for"
    case .failedToAddSSLHandler:
      return "TLS could not be set up with \(server)"
    case .authMechanismRequiresPassword:
      return "\(server) asks for a password and the URL gives none"
    case .unsupportedAuthMechanism:
      return "\(server) asks for a login method hotline-sim does not support"
    case .saslError:
      return "the password exchange with \(server) failed"
    default:
      return "\(server) failed (\(error.code))"
    }
  }

  /// The words for an SQLSTATE the store can meet; others keep the server's message.
  static func reason(sqlState: String, message: String, at place: PostgresLocation) -> String {
    switch sqlState {
    case "28P01":
      return "the server refused the password of the user '\(place.user)'"
    case "28000":
      return "the server refused the login: \(message)"
    case "3D000":
      return "the server has no database named '\(place.database)'"
    case "42501":
      return "permission denied: \(message)"
    case "55P03":
      return
        "another hotline-sim kept it locked for more than \(Int(ResultsStore.busyTimeout)) "
        + "seconds"
    case "53100":
      return "the server's disk is full"
    case "53300":
      return "the server has no connection left for hotline-sim (too many clients)"
    case "57P01", "57P02", "57P03":
      return "the server is shutting down or starting up (\(message))"
    default:
      let words = message.isEmpty ? "the server reported an error" : message
      return sqlState.isEmpty ? words : "\(words) (SQLSTATE \(sqlState))"
    }
  }

  /// Why a connection could not be made: refused, unreachable, no such host, or no answer.
  private static func connectionFailure(_ error: (any Error)?, at place: PostgresLocation)
    -> String
  {
    switch error {
    case let error as NIOConnectionError:
      if let failure = error.connectionErrors.lazy.compactMap({ $0.error as? IOError }).first {
        return words(errno: failure.errnoCode)
      }
      if error.connectionErrors.isEmpty {
        return "the host name '\(place.host)' cannot be resolved"
      }
      return place.scrubbed("\(error.connectionErrors[0].error)")
    case let error as IOError:
      return words(errno: error.errnoCode)
    case let error as ChannelError:
      if case .connectTimeout(let amount) = error {
        return "no answer within \(amount.nanoseconds / 1_000_000_000) seconds"
      }
      return place.scrubbed("\(error)")
    case let error?:
      return place.scrubbed("\(error)")
    case nil:
      return "no reason given"
    }
  }

  private static func words(errno code: Int32) -> String {
    switch code {
    case ECONNREFUSED: "connection refused: is the server running and accepting TCP connections?"
    case ETIMEDOUT: "the connection timed out"
    case EHOSTUNREACH, ENETUNREACH: "the host is unreachable"
    default: String(cString: strerror(code))
    }
  }
}
