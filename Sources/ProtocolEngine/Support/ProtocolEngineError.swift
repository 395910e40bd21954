/// Errors the engine's loaders and decoders throw. Each names the file, position and field.
public enum ProtocolEngineError: Error, Sendable, Equatable, CustomStringConvertible {
  /// A report is not valid: `field` is the path of the offending fact (`victims[0].age`).
  case invalidReport(location: SourceLocation, field: String, message: String)
  /// A file could not be read at all.
  case unreadable(file: String, reason: String)
  /// The protocol set has errors; every diagnostic is listed.
  case invalidProtocolSet([Diagnostic])
  /// A date given on the command line or in a file is not `YYYY-MM-DD`.
  case invalidDate(String)

  public var description: String {
    switch self {
    case .invalidReport(let location, let field, let message):
      return field.isEmpty ? "\(location): \(message)" : "\(location): \(field): \(message)"
    case .unreadable(let file, let reason):
      return "\(file): cannot read: \(reason)"
    case .invalidProtocolSet(let diagnostics):
      let errors = diagnostics.filter { $0.severity == .error }
      return errors.map(\.description).joined(separator: "\n")
    case .invalidDate(let text):
      return "'\(text)' is not a date (expected YYYY-MM-DD)"
    }
  }
}
