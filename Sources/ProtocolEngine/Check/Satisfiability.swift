/// A conservative test for conditions that can never be true: contradictory constraints
/// on one fact among the top-level `&&` operands (or inside one `any(victims, ...)`).
/// It finds the contradictions authors actually write (`v.age < 18 && v.age >= 18`,
/// `trafficking_type == "sex" && trafficking_type == "labor"`); it never reports a
/// satisfiable condition.
enum Satisfiability {
  static func isUnsatisfiable(_ condition: Condition) -> Bool {
    let atoms: [Condition]
    if case .and(let items) = condition { atoms = items } else { atoms = [condition] }
    if atoms.contains(.constant(false)) { return true }
    var constraints: [FactRef: Constraint] = [:]
    for atom in atoms {
      if case .anyVictim(let inner) = atom, isUnsatisfiable(inner) { return true }
      guard let (ref, constraint) = constraint(atom) else { continue }
      let merged = constraints[ref].map { $0.intersect(constraint) } ?? constraint
      if merged.isEmpty { return true }
      constraints[ref] = merged
    }
    return false
  }

  /// The values a fact may take: a set of allowed or excluded scalars, or an int range.
  struct Constraint {
    var allowed: Set<Scalar>?
    var excluded: Set<Scalar> = []
    var low = Int.min
    var high = Int.max

    func intersect(_ other: Constraint) -> Constraint {
      var result = self
      switch (allowed, other.allowed) {
      case (let a?, let b?): result.allowed = a.intersection(b)
      case (nil, let b?): result.allowed = b
      default: break
      }
      result.excluded.formUnion(other.excluded)
      result.low = max(low, other.low)
      result.high = min(high, other.high)
      return result
    }

    var isEmpty: Bool {
      if low > high { return true }
      guard let allowed else { return false }
      return allowed.subtracting(excluded).filter { value in
        if case .int(let number) = value { return number >= low && number <= high }
        return true
      }.isEmpty
    }
  }

  private static func constraint(_ atom: Condition) -> (FactRef, Constraint)? {
    switch atom {
    case .fact(let ref): return (ref, Constraint(allowed: [.bool(true)]))
    case .not(.fact(let ref)): return (ref, Constraint(allowed: [.bool(false)]))
    case .member(.fact(let ref), let values): return (ref, Constraint(allowed: Set(values)))
    case .compare(.fact(let ref), let op, .literal(let value)):
      return (ref, constraint(op, value))
    case .compare(.literal(let value), let op, .fact(let ref)):
      let flipped: ComparisonOperator
      switch op {
      case .less: flipped = .greater
      case .lessOrEqual: flipped = .greaterOrEqual
      case .greater: flipped = .less
      case .greaterOrEqual: flipped = .lessOrEqual
      default: flipped = op
      }
      return (ref, constraint(flipped, value))
    default: return nil
    }
  }

  private static func constraint(_ op: ComparisonOperator, _ value: Scalar) -> Constraint {
    var constraint = Constraint()
    switch (op, value) {
    case (.equal, _): constraint.allowed = [value]
    case (.notEqual, _): constraint.excluded = [value]
    // Nothing is below Int.min or above Int.max: `x < Int.min` allows no value (and
    // `n - 1` would overflow).
    case (.less, .int(let n)):
      if n == Int.min {
        (constraint.low, constraint.high) = (Int.max, Int.min)
      } else {
        constraint.high = n - 1
      }
    case (.lessOrEqual, .int(let n)): constraint.high = n
    case (.greater, .int(let n)):
      if n == Int.max {
        (constraint.low, constraint.high) = (Int.max, Int.min)
      } else {
        constraint.low = n + 1
      }
    case (.greaterOrEqual, .int(let n)): constraint.low = n
    default: break
    }
    return constraint
  }
}
