/// A compiled, type-checked boolean expression of the protocol language, for use outside
/// protocol files (scenario answers that depend on what is known, tools, tests).
public struct Expression: Sendable, Hashable, CustomStringConvertible {
  /// The expression as written.
  public let text: String
  /// The canonical rendering: fully parenthesised, single spaces, strings re-escaped. Two
  /// texts that parse to the same expression have the same canonical form, and the
  /// canonical form parses back to that expression.
  public let canonical: String
  let condition: Condition

  /// Parses and type-checks `text` against the facts schema.
  ///
  /// - Parameter hostFunctions: extra functions of one quoted name that the caller answers
  ///   at evaluation (a scenario's `asked("location")`).
  /// - Throws: `ExpressionError` with the scalar offset of the problem; `HR0023` when the
  ///   text is over a limit of `ExpressionLimits`.
  public init(_ text: String, hostFunctions: [String] = []) throws(ExpressionError) {
    let syntax = try ExpressionParser.parse(text)
    self.text = text
    self.condition = try TypeChecker.check(syntax, hostFunctions: hostFunctions)
    self.canonical = syntax.canonical
  }

  /// Evaluates with three-valued logic: a missing fact is unknown, not false.
  ///
  /// - Parameter host: answers the host functions; without it they are unknown.
  public func evaluate(
    _ report: Report, policy: PolicySettings = PolicySettings(),
    host: (@Sendable (String, String) -> Bool)? = nil
  ) -> Truth {
    var context = EvaluationContext(report: report, policy: policy)
    context.host = host
    return condition.evaluate(context)
  }

  /// The unknown facts that could still change the result (empty unless it is unknown).
  public func unknownFacts(in report: Report, policy: PolicySettings = PolicySettings()) -> [String]
  {
    let context = EvaluationContext(report: report, policy: policy)
    guard condition.evaluate(context) == .unknown else { return [] }
    var facts: [String] = []
    condition.unknownFacts(context, into: &facts)
    var seen = Set<String>()
    return facts.filter { seen.insert($0).inserted }
  }

  public var description: String { text }
}

extension Expression {
  /// The host-function calls the expression makes (`asked("location")` gives
  /// `("asked", "location")`), in order, so a loader can check what they name.
  public var hostCalls: [(name: String, argument: String)] {
    var calls: [(String, String)] = []
    func walk(_ condition: Condition) {
      switch condition {
      case .host(let name, let argument): calls.append((name, argument))
      case .not(let inner), .anyVictim(let inner), .allVictims(let inner): walk(inner)
      case .and(let items), .or(let items): items.forEach(walk)
      default: break
      }
    }
    walk(condition)
    return calls
  }
}
