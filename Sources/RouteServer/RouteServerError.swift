import ProtocolEngine

/// Why `hotline-route serve` cannot start, or a reload cannot take effect. Each case prints a
/// sentence naming the file or option at fault (never the contents of a token file).
public enum RouteServerError: Error, Sendable, Equatable, CustomStringConvertible {
  /// `--token-file` is missing, unreadable, or holds no token; `reason` says which.
  case tokenFile(path: String, reason: String)
  /// The protocol set cannot be read or has errors; `errors` lists them as
  /// `file:line:col: error[CODE]: message`.
  case protocolSet(directory: String, errors: [String])
  /// `--decision-log` names a destination that cannot be opened.
  case decisionLog(destination: String, reason: String)
  /// `--log-level` is not a level.
  case logLevel(String)
  /// `--host` and `--port` cannot be listened on.
  case listen(address: String, reason: String)

  /// Whether the fault is in how the command was called (exit 64) rather than in the
  /// protocol set, the decision log or the network (exit 1).
  public var isUsage: Bool {
    switch self {
    case .tokenFile, .logLevel: true
    case .protocolSet, .decisionLog, .listen: false
    }
  }

  public var description: String {
    switch self {
    case .tokenFile(let path, let reason):
      return "--token-file \(path): \(reason)"
    case .protocolSet(let directory, let errors):
      let count = errors.count == 1 ? "1 error" : "\(errors.count) errors"
      return "protocol set \(directory) has \(count):\n" + errors.joined(separator: "\n")
    case .decisionLog(let destination, let reason):
      return "--decision-log \(destination): \(reason)"
    case .logLevel(let level):
      return
        "--log-level: '\(level)' is not a level (trace, debug, info, notice, warning, error, "
        + "critical)"
    case .listen(let address, let reason):
      return "cannot listen on \(address): \(reason)"
    }
  }
}
