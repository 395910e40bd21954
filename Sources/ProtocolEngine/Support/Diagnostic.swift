/// A position in a source file: 1-based line and column.
public struct SourcePosition: Sendable, Hashable, Comparable, CustomStringConvertible {
  public var line: Int
  public var column: Int

  public init(line: Int, column: Int) {
    self.line = line
    self.column = column
  }

  public static func < (lhs: SourcePosition, rhs: SourcePosition) -> Bool {
    (lhs.line, lhs.column) < (rhs.line, rhs.column)
  }

  public var description: String { "\(line):\(column)" }
}

/// A place in an input file, as printed before every diagnostic.
public struct SourceLocation: Sendable, Hashable, Comparable, CustomStringConvertible {
  public var file: String
  public var position: SourcePosition

  public init(file: String, line: Int, column: Int) {
    self.file = file
    self.position = SourcePosition(line: line, column: column)
  }

  public init(file: String, position: SourcePosition) {
    self.file = file
    self.position = position
  }

  public static func < (lhs: SourceLocation, rhs: SourceLocation) -> Bool {
    (lhs.file, lhs.position) < (rhs.file, rhs.position)
  }

  public var description: String { "\(file):\(position)" }
}

/// How serious a diagnostic is; `error` makes `check` fail.
public enum Severity: String, Sendable, Hashable, Comparable, CaseIterable {
  case error, warning, note

  private var rank: Int {
    switch self {
    case .error: 0
    case .warning: 1
    case .note: 2
    }
  }

  public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rank < rhs.rank }
}

/// The catalogue of protocol-set diagnostics (documented in `Protocols/README.md`).
public enum DiagnosticCode: String, Sendable, Hashable, CaseIterable {
  /// The file is not valid YAML or CSV.
  case syntax = "HR0001"
  /// A mapping has a key the format does not define.
  case unknownKey = "HR0002"
  /// A required key is missing.
  case missingKey = "HR0003"
  /// A value has the wrong type.
  case wrongType = "HR0004"
  /// A value is of the right type but not allowed.
  case invalidValue = "HR0005"
  /// Two protocols share an id.
  case duplicateProtocol = "HR0010"
  /// Two contacts share an id.
  case duplicateContact = "HR0011"
  /// An expression does not parse.
  case expressionSyntax = "HR0020"
  /// An expression does not type-check.
  case expressionType = "HR0021"
  /// An expression names a fact the schema does not have.
  case unknownFact = "HR0022"
  /// An expression is over a limit: too long, too deeply nested, or it expands (through
  /// named conditions) to too many conditions.
  case expressionLimit = "HR0023"
  /// An inline test failed.
  case testFailed = "HR0030"
  /// An inline test's report is invalid.
  case testReportInvalid = "HR0031"
  /// A protocol can never apply.
  case unreachable = "HR0050"
  /// A protocol never adds anything another protocol does not already do.
  case shadowed = "HR0051"
  /// A referred role has no contact somewhere in the protocol's scope.
  case roleWithoutContact = "HR0052"
  /// No inline test makes the protocol apply.
  case neverApplied = "HR0053"
  /// A protocol has no inline tests.
  case untested = "HR0054"
  /// A protocol or contact is not in force on the date checked.
  case notInForce = "HR0055"
}

/// One finding about an input file, printed as `file:line:col: severity[CODE]: message`.
public struct Diagnostic: Sendable, Hashable, Comparable, CustomStringConvertible {
  public var location: SourceLocation
  public var severity: Severity
  public var code: DiagnosticCode
  public var message: String

  public init(
    _ severity: Severity, _ code: DiagnosticCode, at location: SourceLocation, _ message: String
  ) {
    self.location = location
    self.severity = severity
    self.code = code
    self.message = message
  }

  public static func < (lhs: Diagnostic, rhs: Diagnostic) -> Bool {
    (lhs.location, lhs.code.rawValue, lhs.message)
      < (rhs.location, rhs.code.rawValue, rhs.message)
  }

  public var description: String {
    "\(location): \(severity.rawValue)[\(code.rawValue)]: \(message)"
  }
}
