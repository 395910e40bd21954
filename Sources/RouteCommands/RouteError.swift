import ProtocolEngine

/// A report `hotline-route` cannot take as text at all, before any field is read. Each case
/// has a code (documented in `Protocols/README.md`, "Report limits") and makes `route` exit
/// 64. Problems with a field of a readable report are `ProtocolEngineError.invalidReport`.
public enum RouteError: Error, Sendable, Equatable, CustomStringConvertible {
  /// The report file is not a regular file that can be opened: missing, a directory, a FIFO,
  /// a socket or device, a symbolic link to nothing, or not permitted. `reason` says which.
  case unreadableReport(file: String, reason: String)
  /// The report is longer than `Report.Limits.bytes`.
  case reportTooLarge(file: String)
  /// The report is not UTF-8 text: `position` is the first byte that is not.
  case notUTF8(location: SourceLocation, message: String)

  /// The code printed with the error.
  public var code: String {
    switch self {
    case .unreadableReport: "HR0101"
    case .notUTF8: "HR0102"
    case .reportTooLarge: "HR0103"
    }
  }

  /// `file:line:col: error[CODE]: message`, as `check` prints its diagnostics.
  public var description: String {
    switch self {
    case .unreadableReport(let file, let reason):
      return "\(file):1:1: error[\(code)]: cannot read the report: \(reason)"
    case .reportTooLarge(let file):
      return
        "\(file):1:1: error[\(code)]: the report is larger than \(Report.Limits.bytes) bytes "
        + "(1 MiB), the limit for one report"
    case .notUTF8(let location, let message):
      return "\(location): error[\(code)]: \(message)"
    }
  }
}
