/// Checks a parsed expression against the facts schema and compiles it to a `Condition`.
struct TypeChecker {
  /// Whether `v` is in scope: inside `any`/`all`, or everywhere in a `for_each: victim`
  /// protocol.
  private var victimBound = false
  /// Whether we are inside `any(...)`/`all(...)`, which cannot nest.
  private var insideQuantifier = false
  /// Functions of one string argument the embedding program answers (`asked`, `fired`).
  private var hostFunctions: [String] = []
  /// The protocol set's named conditions (`means`), usable as identifiers.
  private var definitions: Definitions = Definitions()
  /// Conditions compiled so far, named conditions expanded (`maximumConditions`).
  private var size = 0
  /// Conditions enclosing the one being compiled, named conditions expanded
  /// (`maximumDepth`). Bounding it bounds every later recursive pass over the result.
  private var depth = 0

  private var functionNames: [String] { ["any", "all", "known", "refers"] + hostFunctions }

  /// Compiles `node`, which must be a boolean expression.
  ///
  /// - Parameters:
  ///   - perVictim: `v` is bound at the top level (a `for_each: victim` protocol).
  ///   - definitions: named conditions the expression may use by name.
  static func check(
    _ node: SyntaxNode, hostFunctions: [String] = [], perVictim: Bool = false,
    definitions: Definitions = Definitions()
  ) throws(ExpressionError) -> Condition {
    var checker = TypeChecker()
    checker.hostFunctions = hostFunctions
    checker.victimBound = perVictim
    checker.definitions = definitions
    return try checker.condition(node)
  }

  private func fail(_ node: SyntaxNode, _ message: String, _ code: DiagnosticCode = .expressionType)
    -> ExpressionError
  {
    ExpressionError(offset: node.range.lowerBound, code: code, message: message)
  }

  private static let tooDeep =
    "expression too deeply nested: more than \(ExpressionLimits.maximumDepth) levels of conditions"
  private static let tooLarge =
    "expression too large: more than \(ExpressionLimits.maximumConditions) conditions"

  private mutating func condition(_ node: SyntaxNode) throws(ExpressionError) -> Condition {
    depth += 1
    defer { depth -= 1 }
    size += 1
    guard depth <= ExpressionLimits.maximumDepth else {
      throw fail(node, TypeChecker.tooDeep, .expressionLimit)
    }
    guard size <= ExpressionLimits.maximumConditions else {
      throw fail(node, TypeChecker.tooLarge, .expressionLimit)
    }
    switch node.kind {
    case .bool(let value): return .constant(value)
    case .not(let operand): return .not(try condition(operand))
    case .chain(let op, let items):
      var compiled: [Condition] = []
      compiled.reserveCapacity(items.count)
      for item in items { compiled.append(try condition(item)) }
      return flatten(op, compiled)
    case .binary(.in, let lhs, let rhs): return try membership(lhs, rhs)
    case .binary(let op, let lhs, let rhs): return try comparison(op, lhs, rhs)
    case .call(let name, let arguments): return try call(name, arguments, node)
    case .path(let parts):
      if parts.count == 1, case .name(let name) = parts[0], let definition = definitions[name] {
        return try expand(definition, at: node)
      }
      let ref = try fact(node)
      guard ref.type == .bool else {
        throw fail(
          node,
          "\(SyntaxNode.render(pathParts(node))) is \(ref.type), not true/false; compare it with something"
        )
      }
      return .fact(ref)
    case .string, .int, .list:
      throw fail(node, "\(node.canonical) is not a condition (true/false)")
    }
  }

  /// A named condition, compiled where it is used (so `v` means the victim bound there).
  /// A problem inside it is reported at the name, saying which definition it is.
  private mutating func expand(_ definition: Definitions.Entry, at node: SyntaxNode)
    throws(ExpressionError) -> Condition
  {
    if definition.aboutOneVictim, !victimBound {
      throw fail(
        node,
        "'\(definition.name)' is about one victim (it uses v); use it inside any(victims, ...), all(victims, ...) or a for_each: victim protocol",
        .unknownFact)
    }
    do {
      return try condition(definition.syntax)
    } catch  where error.code == .expressionLimit {
      // Said once, at the outermost name, however many definitions deep the limit was hit.
      let limit =
        error.message.hasPrefix(TypeChecker.tooDeep) ? TypeChecker.tooDeep : TypeChecker.tooLarge
      throw fail(node, "\(limit) once '\(definition.name)' is put in place", .expressionLimit)
    } catch {
      throw fail(node, "in the definition of '\(definition.name)': \(error.message)", error.code)
    }
  }

  private func flatten(_ kind: BinaryOperator, _ items: [Condition]) -> Condition {
    var flat: [Condition] = []
    for item in items {
      switch (kind, item) {
      case (.and, .and(let inner)), (.or, .or(let inner)): flat += inner
      default: flat.append(item)
      }
    }
    guard kind == .or else { return .and(flat) }
    // Indicator tests joined by `||` become one mask test, where the first of them stood.
    var mask: UInt16 = 0
    var first: Int?
    var count = 0
    for (index, item) in flat.enumerated() {
      switch item {
      case .indicator(let indicator): mask |= indicator.bit
      case .anyIndicator(let bits): mask |= bits
      default: continue
      }
      count += 1
      if first == nil { first = index }
    }
    if count > 1, let first {
      var merged: [Condition] = []
      for (index, item) in flat.enumerated() {
        switch item {
        case .indicator, .anyIndicator: if index == first { merged.append(.anyIndicator(mask)) }
        default: merged.append(item)
        }
      }
      flat = merged
    }
    return flat.count == 1 ? flat[0] : .or(flat)
  }

  private func pathParts(_ node: SyntaxNode) -> [PathPart] {
    if case .path(let parts) = node.kind { return parts }
    return []
  }

  /// Resolves a path to a fact, or explains which facts exist.
  private func fact(_ node: SyntaxNode) throws(ExpressionError) -> FactRef {
    let parts = pathParts(node)
    let text = SyntaxNode.render(parts)
    if case .name("v")? = parts.first {
      guard victimBound else {
        throw fail(
          node, "'v' is only defined inside any(victims, ...) or all(victims, ...)", .unknownFact)
      }
      guard parts.count == 2, case .name(let name) = parts[1], let fact = VictimFact(rawValue: name)
      else {
        throw fail(
          node,
          "unknown victim fact '\(text)'\(suggestion(text, VictimFact.allCases.map { "v.\($0.rawValue)" }))",
          .unknownFact)
      }
      return .boundVictim(fact)
    }
    if case .name("victims")? = parts.first {
      if parts.count == 1 { return .victims }
      guard parts.count == 3, case .index(let index) = parts[1], case .name(let name) = parts[2],
        let fact = VictimFact(rawValue: name)
      else {
        throw fail(
          node,
          "unknown fact '\(text)'; a victim's facts are victims[N].\(VictimFact.allCases.map(\.rawValue).joined(separator: "|"))",
          .unknownFact)
      }
      return .victim(index, fact)
    }
    if text == "indicators" { return .indicators }
    if parts.allSatisfy({ if case .name = $0 { true } else { false } }),
      let fact = ReportFact(rawValue: text)
    {
      return .report(fact)
    }
    let known =
      ReportFact.allCases.map(\.rawValue) + ["indicators", "victims"] + definitions.names
    throw fail(node, "unknown fact '\(text)'\(suggestion(text, known))", .unknownFact)
  }

  /// Types a value-producing node (a fact or a literal).
  private func operand(_ node: SyntaxNode) throws(ExpressionError) -> (Operand, FactType?) {
    switch node.kind {
    case .path:
      let ref = try fact(node)
      return (.fact(ref), ref.type)
    case .int(let value): return (.literal(.int(value)), .int)
    case .bool(let value): return (.literal(.bool(value)), .bool)
    case .string(let text): return (.literal(.string(text)), nil)
    case .call(let name, _) where !functionNames.contains(name):
      throw unknownFunction(name, node)
    default: throw fail(node, "\(node.canonical) cannot be compared; compare a fact with a value")
    }
  }

  /// Converts a string literal to the representation of `type`, checking it is allowed.
  private func literal(
    _ text: String, as type: FactType, at node: SyntaxNode, against factNode: SyntaxNode
  )
    throws(ExpressionError) -> Scalar
  {
    switch type {
    case .string:
      return .string(text)
    case .enumeration(let name, let values):
      guard let index = values.firstIndex(of: text) else {
        throw fail(
          node,
          "\"\(text)\" is not a \(name) (\(values.joined(separator: ", ")))\(suggestion(text, values))"
        )
      }
      return .code(index)
    default:
      throw fail(node, "cannot compare \(factNode.canonical) (\(type)) with text \"\(text)\"")
    }
  }

  private mutating func comparison(_ op: BinaryOperator, _ lhs: SyntaxNode, _ rhs: SyntaxNode)
    throws(ExpressionError) -> Condition
  {
    var (left, leftType) = try operand(lhs)
    var (right, rightType) = try operand(rhs)
    // A string literal takes the type of the fact it is compared with.
    if leftType == nil, let rightType, case .literal(.string(let text)) = left {
      left = .literal(try literal(text, as: rightType, at: lhs, against: rhs))
      leftType = rightType
    }
    if rightType == nil, let leftType, case .literal(.string(let text)) = right {
      right = .literal(try literal(text, as: leftType, at: rhs, against: lhs))
      rightType = leftType
    }
    let lt = leftType ?? .string
    let rt = rightType ?? .string
    guard lt == rt else {
      throw fail(lhs, "cannot compare \(lhs.canonical) (\(lt)) with \(rhs.canonical) (\(rt))")
    }
    let compareOp: ComparisonOperator
    switch op {
    case .equal: compareOp = .equal
    case .notEqual: compareOp = .notEqual
    case .less: compareOp = .less
    case .lessOrEqual: compareOp = .lessOrEqual
    case .greater: compareOp = .greater
    case .greaterOrEqual: compareOp = .greaterOrEqual
    case .and, .or, .in: throw fail(lhs, "internal: \(op.rawValue) is not a comparison")
    }
    if [.less, .lessOrEqual, .greater, .greaterOrEqual].contains(compareOp), lt != .int {
      throw fail(lhs, "'\(op.rawValue)' compares numbers; \(lhs.canonical) is \(lt)")
    }
    if lt == .victims || lt == .indicators {
      throw fail(lhs, "\(lhs.canonical) is \(lt); use any(...), all(...) or 'in'")
    }
    return .compare(left, compareOp, right)
  }

  private mutating func membership(_ lhs: SyntaxNode, _ rhs: SyntaxNode) throws(ExpressionError)
    -> Condition
  {
    if case .path = rhs.kind, try fact(rhs) == .indicators {
      guard case .string(let text) = lhs.kind else {
        throw fail(lhs, "the left of 'in indicators' must be an indicator name in quotes")
      }
      guard let indicator = Indicator(rawValue: text) else {
        let names = Indicator.allCases.map(\.rawValue)
        throw fail(
          lhs,
          "\"\(text)\" is not an indicator (\(names.joined(separator: ", ")))\(suggestion(text, names))"
        )
      }
      return .indicator(indicator)
    }
    guard case .list(let items) = rhs.kind else {
      throw fail(rhs, "the right of 'in' must be a list like [\"TX\", \"CA\"] or indicators")
    }
    let (left, leftType) = try operand(lhs)
    guard case .fact = left, let leftType else {
      throw fail(lhs, "the left of 'in' must be a fact")
    }
    var values: [Scalar] = []
    for item in items {
      switch (item.kind, leftType) {
      case (.string(let text), _):
        values.append(try literal(text, as: leftType, at: item, against: lhs))
      case (.int(let value), .int): values.append(.int(value))
      default:
        throw fail(item, "\(item.canonical) is not a \(leftType) value like \(lhs.canonical)")
      }
    }
    return .member(left, values)
  }

  private mutating func call(_ name: String, _ arguments: [SyntaxNode], _ node: SyntaxNode)
    throws(ExpressionError) -> Condition
  {
    switch name {
    case "known":
      guard arguments.count == 1, case .path = arguments[0].kind else {
        throw fail(node, "known(...) takes one fact, e.g. known(perpetrator.caregiver)")
      }
      return .known(try fact(arguments[0]))
    case "any", "all":
      guard arguments.count == 2, case .path(let parts) = arguments[0].kind,
        parts == [.name("victims")]
      else {
        throw fail(
          node,
          "\(name)(...) takes the victims and a condition on v, e.g. \(name)(victims, v.age < 18)")
      }
      guard !insideQuantifier else { throw fail(node, "\(name)(...) cannot be nested") }
      let outerBinding = victimBound
      victimBound = true
      insideQuantifier = true
      defer {
        victimBound = outerBinding
        insideQuantifier = false
      }
      let inner = try condition(arguments[1])
      return name == "any" ? .anyVictim(inner) : .allVictims(inner)
    case "refers":
      guard arguments.count == 1, case .string(let text) = arguments[0].kind else {
        throw fail(
          node, "refers(...) takes a role in quotes, e.g. refers(\"local_law_enforcement\")")
      }
      guard let role = Role(rawValue: text) else {
        let names = Role.allCases.map(\.rawValue)
        throw fail(arguments[0], "\"\(text)\" is not a role\(suggestion(text, names))")
      }
      return .refers(role)
    case let name where hostFunctions.contains(name):
      guard arguments.count == 1, case .string(let text) = arguments[0].kind else {
        throw fail(node, "\(name)(...) takes one name in quotes, e.g. \(name)(\"location\")")
      }
      return .host(name, text)
    default:
      throw unknownFunction(name, node)
    }
  }

  private func unknownFunction(_ name: String, _ node: SyntaxNode) -> ExpressionError {
    let names = functionNames
    let list = names.dropLast().joined(separator: ", ") + " and " + (names.last ?? "")
    return fail(
      node, "unknown function '\(name)'\(suggestion(name, names)); the functions are \(list)",
      .unknownFact)
  }
}
