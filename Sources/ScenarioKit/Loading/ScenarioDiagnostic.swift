import ProtocolEngine

/// The catalogue of scenario and curriculum diagnostics (documented in `Scenarios/README.md`
/// and `Curricula/README.md`).
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
  /// A key fact of the engine's decision on the truth cannot be revealed on any path.
  case unrevealable = "HS0030"
  /// A topic has no unconditional answer.
  case noDefaultAnswer = "HS0031"
  /// A revealed value differs from the truth.
  case misinformation = "HS0032"
  /// The engine's decision on the truth still needs facts: the truth is incomplete.
  case truthIncomplete = "HS0033"
  /// A phone number outside the fictional 555-0100 to 555-0199 range.
  case realPhone = "HS0040"
  /// An e-mail address outside the example domains (RFC 2606).
  case realEmail = "HS0041"
  /// A number shaped like a Social Security number.
  case ssnLike = "HS0042"
  /// A street address with a house number.
  case streetAddress = "HS0043"
  /// A `# lint: allow` comment that names no known code.
  case badAllow = "HS0044"
  /// An answer no play can reach.
  case unreachableAnswer = "HS0050"
  /// An event no play can fire.
  case unreachableEvent = "HS0051"
  /// A choice option no play can choose (its choice is never offered).
  case unreachableOption = "HS0052"
  /// A state the trainee cannot leave: a choice whose every option opens a choice again.
  case deadEnd = "HS0053"
  /// A conduct rule no play can break.
  case conductNeverTriggers = "HS0054"
  /// The exploration stopped at its step bound; reachability findings are incomplete.
  case explorationBound = "HS0055"
  /// A golden transcript is malformed (an unknown verb, a bad expectation).
  case invalidTranscript = "HS0060"
  /// A golden transcript's score or compliance falls outside what it expects.
  case transcriptFails = "HS0061"
  /// A curriculum names a scenario that no scenario file has.
  case unknownScenario = "HS0101"
  /// A curriculum part requires a part the curriculum does not have.
  case unknownPart = "HS0102"
  /// A curriculum part no trainee can reach (a prerequisite cycle, or a prerequisite that can
  /// never be mastered).
  case unreachablePart = "HS0103"
  /// A mastery rule no trainee can meet.
  case impossibleMastery = "HS0104"
  /// A curriculum plays a scenario that does not list the curriculum's audience.
  case audienceMismatch = "HS0105"
  /// A scenario listed twice in one curriculum part.
  case repeatedScenario = "HS0106"
  /// A part requires a part listed after it.
  case requiresLaterPart = "HS0107"
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

  /// The diagnostic for people, as it is printed on a terminal: the file name and the
  /// message (which may quote the file) pass the terminal sanitiser. JSON output uses the
  /// fields, which its encoder escapes.
  public var description: String {
    TerminalText.sanitized("\(location): \(severity.rawValue)[\(code.rawValue)]: \(message)")
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

  /// The error for people; what it quotes (a name typed, a file name) is sanitised.
  public var description: String {
    switch self {
    case .notFound(let name, let known):
      let hint = closestMatch(name, known).map { " (did you mean '\($0)'?)" } ?? ""
      return TerminalText.sanitized("no scenario '\(name)'\(hint); `hotline-sim list` shows them")
    case .invalid(let diagnostics):
      return diagnostics.filter { $0.severity == .error }.map(\.description).joined(separator: "\n")
    case .unreadable(let file, let reason):
      return TerminalText.sanitized("\(file): cannot read: \(reason)")
    }
  }
}
