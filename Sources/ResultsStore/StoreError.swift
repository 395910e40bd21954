/// Errors the results store throws. Each prints as a sentence a coordinator can act on, and
/// names the database (the file, or the PostgreSQL URL with its password replaced by `***`)
/// when the database itself is the problem.
public enum StoreError: Error, Sendable, Equatable, CustomStringConvertible {
  /// The database cannot be opened or created as a results store: its folder cannot be made, it
  /// is a folder, it is not an SQLite database, it is read-only or damaged; or the PostgreSQL URL
  /// is malformed, the server cannot be reached, refuses the login or lacks the database.
  /// Nothing was written.
  case cannotOpen(path: String, reason: String)
  /// The database failed while reading or writing an open store (disk full, a lock held past
  /// the 30-second wait, a damaged page, a lost connection to the server). The transaction was rolled back, so nothing half-written
  /// remains.
  case database(path: String, reason: String)
  /// No session has this id, nor starts with this prefix.
  case noSuchSession(String)
  /// More than one session starts with this prefix; `matches` lists their ids, sorted.
  case ambiguous(String, matches: [String])
  /// The session is submitted or abandoned, so it takes no more verbs, no second ending and no
  /// new owner: what was recorded is final.
  case notActive(session: String, status: SessionStatus)
  /// `finish` was asked to leave a session active; an ending is `submitted` or `abandoned`.
  case stillActive(session: String)
  /// The file was migrated by a newer hotline-sim (it has applied migrations this build does not
  /// know). Writing with an older schema could corrupt what the newer one relies on, so the
  /// store refuses to open it.
  case newerSchema(path: String)

  /// The fewest characters a session-id prefix needs, so that a short typo does not pick a
  /// session by accident.
  public static let minimumPrefixLength = 4

  public var description: String {
    switch self {
    case .cannotOpen(let path, let reason):
      return "cannot open the results store \(path): \(reason)"
    case .database(let path, let reason):
      return "the results store \(path) failed: \(reason)"
    case .noSuchSession(let text) where text.count < Self.minimumPrefixLength:
      return
        "no session has the id '\(text)' (a prefix needs at least "
        + "\(Self.minimumPrefixLength) characters)"
    case .noSuchSession(let text):
      return "no session has the id '\(text)', nor an id starting with it"
    case .ambiguous(let prefix, let matches):
      let shown = matches.prefix(5).joined(separator: ", ")
      let more = matches.count > 5 ? " and \(matches.count - 5) more" : ""
      return
        "'\(prefix)' starts \(matches.count) session ids (\(shown)\(more)): "
        + "give more characters"
    case .notActive(let session, let status):
      return
        "session \(session) is already \(status.rawValue): it takes no more verbs and cannot "
        + "be ended or resumed again"
    case .stillActive(let session):
      return "session \(session) cannot be finished as active: end it as submitted or abandoned"
    case .newerSchema(let path):
      let other = path.contains("://") ? "database" : "file"
      return
        "the results store \(path) was updated by a newer hotline-sim: use that version, or "
        + "set HOTLINESIM_DB to another \(other)"
    }
  }
}
