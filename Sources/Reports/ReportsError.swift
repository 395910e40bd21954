/// What can go wrong while turning stored attempts into a report or an export, or reading a
/// workshop facilitator's line.
///
/// The builders are pure and take whatever the store holds (a record they cannot read is shown
/// as "no details", not refused), so what is left is the rendering machinery itself.
public enum ReportsError: Error, Sendable, Equatable, CustomStringConvertible {
  /// A built-in Mustache template did not compile: a bug in this module, named so it can be
  /// found without a debugger.
  case template(name: String, reason: String)
  /// A workshop's `rate` line that cannot be read; the sentence says why and how to write it.
  case badRating(String)

  public var description: String {
    switch self {
    case .template(let name, let reason):
      return "the report template '\(name)' does not compile (\(reason)); this is a bug"
    case .badRating(let text):
      return text
    }
  }
}
