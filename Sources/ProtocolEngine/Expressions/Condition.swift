/// Kleene's three truth values.
public enum Truth: Sendable, Hashable {
  case `false`, unknown, `true`

  init(_ value: Bool) { self = value ? .true : .false }

  static prefix func ! (value: Truth) -> Truth {
    switch value {
    case .true: .false
    case .false: .true
    case .unknown: .unknown
    }
  }
}

enum ComparisonOperator: Sendable, Hashable {
  case equal, notEqual, less, lessOrEqual, greater, greaterOrEqual
}

/// A type-checked boolean expression, ready to evaluate. Only the cases that nest a single
/// condition are boxed (`indirect`): leaves live inline in their parent's array, so
/// evaluating them retains nothing.
enum Condition: Sendable, Hashable {
  case constant(Bool)
  /// A boolean fact used as a condition.
  case fact(FactRef)
  case compare(Operand, ComparisonOperator, Operand)
  case member(Operand, [Scalar])
  case indicator(Indicator)
  /// Any of these indicators (their bits): what `"a" in indicators || "b" in indicators ...`
  /// compiles to, so that `means` costs one mask test.
  case anyIndicator(UInt16)
  indirect case not(Condition)
  case and([Condition])
  case or([Condition])
  case known(FactRef)
  indirect case anyVictim(Condition)
  indirect case allVictims(Condition)
  case refers(Role)
  /// A function the embedding program defines (a scenario's `asked("location")`), called
  /// with its one string argument.
  case host(String, String)

  /// Whether the condition uses `refers(...)`, which makes its protocol run in stage 2.
  var usesReferrals: Bool {
    switch self {
    case .refers: true
    case .not(let inner), .anyVictim(let inner), .allVictims(let inner): inner.usesReferrals
    case .and(let items), .or(let items): items.contains { $0.usesReferrals }
    default: false
    }
  }
}

enum Operand: Sendable, Hashable {
  case fact(FactRef)
  case literal(Scalar)
}
