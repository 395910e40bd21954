import ProtocolEngine

/// The catalogue of scenario diagnostics (documented in `Scenarios/README.md`).
public enum ScenarioCode: String, Sendable, Hashable, CaseIterable {
  /// Not valid YAML.
  case syntax = "HS0001"
  /// A key the format does not define.
  case unknownKey = "HS0002"
  /// A required key is missing.
  case missingKey = "HS0003"
  /// A value has the wrong type.
  case wrongType = "HS0004"
  /// A value is not allowed.
  case invalidValue = "HS0005"
  /// Two things share an id.
  case duplicateID = "HS0006"
  /// The truth is not a valid report.
  case invalidTruth = "HS0010"
  /// A fact path or value in `known`, `reveals` or `sets` is invalid.
  case invalidFact = "HS0011"
  /// A condition does not parse or type-check.
  case invalidCondition = "HS0020"
  /// A reference to a topic, event, choice or option that does not exist.
  case unknownReference = "HS0021"
  /// A fact the engine's decision depends on can never be revealed.
  case unrevealable = "HS0030"
  /// A topic has no unconditional answer.
  case noDefaultAnswer = "HS0031"
  /// A revealed value differs from the truth.
  case misinformation = "HS0032"
}

/// One finding about a scenario file: `file:line:col: severity[HSnnnn]: message`.
public struct ScenarioDiagnostic: Sendable, Hashable, Comparable, CustomStringConvertible {
  public var location: SourceLocation
  public var severity: Severity
  public var code: ScenarioCode
  public var message: String

  public init(
    _ severity: Severity, _ code: ScenarioCode, at location: SourceLocation, _ message: String
  ) {
    self.location = location
    self.severity = severity
    self.code = code
    self.message = message
  }

  public static func < (lhs: ScenarioDiagnostic, rhs: ScenarioDiagnostic) -> Bool {
    (lhs.location, lhs.code.rawValue, lhs.message) < (rhs.location, rhs.code.rawValue, rhs.message)
  }

  public var description: String {
    "\(location): \(severity.rawValue)[\(code.rawValue)]: \(message)"
  }
}

/// Errors of the scenario layer.
public enum ScenarioError: Error, Sendable, Equatable, CustomStringConvertible {
  /// No scenario has this id or path; `known` lists the ids that exist.
  case notFound(String, known: [String])
  /// The scenario has errors; every diagnostic is listed.
  case invalid([ScenarioDiagnostic])
  /// A file could not be read.
  case unreadable(file: String, reason: String)

  public var description: String {
    switch self {
    case .notFound(let name, let known):
      let hint = closestMatch(name, known).map { " (did you mean '\($0)'?)" } ?? ""
      return "no scenario '\(name)'\(hint); `hotline-sim list` shows them"
    case .invalid(let diagnostics):
      return diagnostics.filter { $0.severity == .error }.map(\.description).joined(separator: "\n")
    case .unreadable(let file, let reason):
      return "\(file): cannot read: \(reason)"
    }
  }
}
