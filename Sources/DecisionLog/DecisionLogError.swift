/// Errors opening, writing and reading decision logs. Each names the file or database and,
/// for a bad record, the line, column and field.
public enum DecisionLogError: Error, Sendable, Equatable, CustomStringConvertible {
  /// The destination is a folder, not a file.
  case isAFolder(path: String)
  /// The log file cannot be opened or created; `reason` says why (no such folder, permission
  /// denied, not a regular file, another process writes it).
  case cannotOpen(path: String, reason: String)
  /// A log file cannot be written or made durable (`write`, `fsync`).
  case cannotWrite(path: String, reason: String)
  /// A `postgres://` URL that cannot be used; the password is never printed.
  case badURL(url: String, reason: String)
  /// The PostgreSQL server did not answer, refused the login or the schema.
  case database(url: String, reason: String)
  /// A record in a log is not valid: `location` is `file:line:col` (or the database row),
  /// `field` the record's field (`report.victims[0].age`).
  case invalidRecord(location: String, field: String, message: String)
  /// `--since` is neither a day nor an RFC 3339 time.
  case badSince(String)
  /// `close()` gave up: these records were accepted but could not be made durable.
  case notDurable(records: Int, reason: String)
  /// `run()` was called a second time.
  case alreadyRunning

  public var description: String {
    switch self {
    case .isAFolder(let path):
      return "\(path): is a folder; give a file name for the decision log"
    case .cannotOpen(let path, let reason):
      return "\(path): cannot open the decision log: \(reason)"
    case .cannotWrite(let path, let reason):
      return "\(path): cannot write the decision log: \(reason)"
    case .badURL(let url, let reason):
      return "\(url): not a usable PostgreSQL URL: \(reason)"
    case .database(let url, let reason):
      return "\(url): \(reason)"
    case .invalidRecord(let location, let field, let message):
      return field.isEmpty ? "\(location): \(message)" : "\(location): \(field): \(message)"
    case .badSince(let text):
      return "--since: '\(text)' is neither a day (YYYY-MM-DD) nor an RFC 3339 time "
        + "(2026-11-30T14:05:09Z)"
    case .notDurable(let records, let reason):
      return "\(records) decision record\(records == 1 ? "" : "s") could not be written: \(reason)"
    case .alreadyRunning:
      return "the decision log's writer is already running"
    }
  }
}
