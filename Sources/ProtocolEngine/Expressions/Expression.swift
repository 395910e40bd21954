/// A compiled, type-checked boolean expression of the protocol language, for use outside
/// protocol files (scenario answers that depend on what is known, tools, tests).
public struct Expression: Sendable, Hashable, CustomStringConvertible {
  /// The expression as written.
  public let text: String
  let condition: Condition

  /// Parses and type-checks `text` against the facts schema.
  ///
  /// - Throws: `ExpressionError` with the scalar offset of the problem.
  public init(_ text: String) throws(ExpressionError) {
    self.text = text
    self.condition = try TypeChecker.check(try ExpressionParser.parse(text))
  }

  /// Evaluates with three-valued logic: a missing fact is unknown, not false.
  public func evaluate(_ report: Report, policy: PolicySettings = PolicySettings()) -> Truth {
    condition.evaluate(EvaluationContext(report: report, policy: policy))
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
