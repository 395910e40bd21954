/// The limits every expression is held to (documented in `Protocols/README.md`, "Limits").
/// They keep parsing, checking, evaluating and rendering within a small, bounded stack and
/// time, whatever an author (or an attacker) writes.
public enum ExpressionLimits {
  /// The longest expression, in Unicode scalars.
  public static let maximumLength = 4_096
  /// How deeply an expression may nest as written: each `(`, `[`, `!` and function call
  /// opens a level. A run of `&&` or `||` does not nest, however long.
  public static let maximumNesting = 64
  /// How deeply the compiled condition may nest once named conditions are put in place:
  /// each `!`, `any`/`all`, run of `&&` or `||`, and the test at the bottom is a level.
  public static let maximumDepth = 64
  /// The most conditions one expression may compile to, named conditions expanded.
  public static let maximumConditions = 10_000
}

/// An error in an expression, at a scalar offset within its text.
public struct ExpressionError: Error, Sendable, Hashable, CustomStringConvertible {
  /// Unicode scalars from the start of the expression to the problem.
  public var offset: Int
  /// `HR0020` (syntax), `HR0021` (type), `HR0022` (unknown fact) or `HR0023` (over a limit
  /// of `ExpressionLimits`).
  public var code: DiagnosticCode
  public var message: String

  public var description: String { "column \(offset + 1): \(message)" }
}

/// One part of a fact path: `victims[0].age` is `victims`, `[0]`, `age`.
enum PathPart: Sendable, Hashable {
  case name(String)
  case index(Int)
}

enum BinaryOperator: String, Sendable, Hashable {
  case and = "&&", or = "||"
  case equal = "==", notEqual = "!="
  case less = "<", lessOrEqual = "<=", greater = ">", greaterOrEqual = ">="
  case `in` = "in"
}

/// A parsed, untyped expression with its source range (scalar offsets into the text).
struct SyntaxNode: Sendable, Hashable {
  indirect enum Kind: Sendable, Hashable {
    case path([PathPart])
    case string(String)
    case int(Int)
    case bool(Bool)
    case list([SyntaxNode])
    case not(SyntaxNode)
    /// A comparison or `in`.
    case binary(BinaryOperator, SyntaxNode, SyntaxNode)
    /// A run of `&&` (or of `||`), two operands or more, grouped from the left as written:
    /// `a && b && c` is `((a && b) && c)`. One node for the run keeps a long run from
    /// building a deep tree that every recursive pass would have to descend.
    case chain(BinaryOperator, [SyntaxNode])
    case call(String, [SyntaxNode])
  }

  var kind: Kind
  var range: Range<Int>

  /// A canonical rendering (fully parenthesised, single spaces) used for hashing and display.
  var canonical: String {
    switch kind {
    case .path(let parts): return SyntaxNode.render(parts)
    case .string(let text):
      return "\"" + text.replacingAll("\\", with: "\\\\").replacingAll("\"", with: "\\\"") + "\""
    case .int(let value): return String(value)
    case .bool(let value): return value ? "true" : "false"
    case .list(let items): return "[" + items.map(\.canonical).joined(separator: ", ") + "]"
    case .not(let operand): return "!" + operand.canonical
    case .binary(let op, let lhs, let rhs):
      return "(\(lhs.canonical) \(op.rawValue) \(rhs.canonical))"
    case .chain(let op, let items):
      // As the nested binary nodes of a left-grouped run would render: ((a && b) && c).
      var text = String(repeating: "(", count: max(0, items.count - 1))
      for (index, item) in items.enumerated() {
        if index > 0 { text += " \(op.rawValue) " }
        text += item.canonical
        if index > 0 { text += ")" }
      }
      return text
    case .call(let name, let arguments):
      return name + "(" + arguments.map(\.canonical).joined(separator: ", ") + ")"
    }
  }

  static func render(_ parts: [PathPart]) -> String {
    var text = ""
    for part in parts {
      switch part {
      case .name(let name): text += text.isEmpty ? name : "." + name
      case .index(let index): text += "[\(index)]"
      }
    }
    return text
  }

  /// The top-level `&&` operands, left to right (the node itself if it is not an `&&`).
  var conjuncts: [SyntaxNode] {
    if case .chain(.and, let items) = kind { return items.flatMap(\.conjuncts) }
    return [self]
  }
}

extension String {
  func replacingAll(_ target: String, with replacement: String) -> String {
    guard !target.isEmpty else { return self }
    return components(separatedBy: target).joined(separator: replacement)
  }
}

/// Tokens of the expression language.
private enum Token: Equatable {
  case identifier(String)
  case int(Int)
  case string(String)
  case symbol(String)
  case end
}

/// Lexer and recursive-descent parser for protocol expressions.
///
/// Grammar, loosest first: `or := and ("||" and)*`, `and := unary ("&&" unary)*`,
/// `unary := "!" unary | comparison`, `comparison := primary (op primary)?` with op one of
/// `== != < <= > >= in`, `primary := literal | path | call | "(" or ")" | "[" list "]"`.
///
/// The text is at most `ExpressionLimits.maximumLength` scalars and nests at most
/// `ExpressionLimits.maximumNesting` levels, so the recursion is bounded.
struct ExpressionParser {
  private let scalars: [Unicode.Scalar]
  private var tokens: [(token: Token, range: Range<Int>)] = []
  private var index = 0
  /// The `(`, `[`, `!` and calls open around the current token.
  private var nesting = 0

  /// Parses `text`; errors carry the scalar offset of the problem.
  ///
  /// - Throws: `ExpressionError`; `HR0023` at the first scalar past the length limit, or at
  ///   the token that opens one level too many.
  static func parse(_ text: String) throws(ExpressionError) -> SyntaxNode {
    let scalars = Array(text.unicodeScalars)
    guard scalars.count <= ExpressionLimits.maximumLength else {
      throw ExpressionError(
        offset: ExpressionLimits.maximumLength, code: .expressionLimit,
        message:
          "expression too long: \(scalars.count) characters, over the limit of \(ExpressionLimits.maximumLength)"
      )
    }
    var parser = ExpressionParser(scalars: scalars)
    try parser.tokenize()
    let node = try parser.parseOr()
    guard case .end = parser.current.token else {
      throw ExpressionError(
        offset: parser.current.range.lowerBound, code: .expressionSyntax,
        message: "unexpected \(parser.describe(parser.current.token)) after a complete expression")
    }
    return node
  }

  private init(scalars: [Unicode.Scalar]) { self.scalars = scalars }

  private var current: (token: Token, range: Range<Int>) { tokens[index] }

  private mutating func tokenize() throws(ExpressionError) {
    var i = 0
    func isIdentifierStart(_ s: Unicode.Scalar) -> Bool {
      s == "_" || (s >= "a" && s <= "z") || (s >= "A" && s <= "Z")
    }
    func isDigit(_ s: Unicode.Scalar) -> Bool { s >= "0" && s <= "9" }
    while i < scalars.count {
      let s = scalars[i]
      if s == " " || s == "\t" || s == "\n" || s == "\r" {
        i += 1
        continue
      }
      let start = i
      if isIdentifierStart(s) {
        while i < scalars.count, isIdentifierStart(scalars[i]) || isDigit(scalars[i]) { i += 1 }
        var name = ""
        name.unicodeScalars.append(contentsOf: scalars[start..<i])
        tokens.append((.identifier(name), start..<i))
      } else if isDigit(s) || (s == "-" && i + 1 < scalars.count && isDigit(scalars[i + 1])) {
        i += 1
        while i < scalars.count, isDigit(scalars[i]) { i += 1 }
        var digits = ""
        digits.unicodeScalars.append(contentsOf: scalars[start..<i])
        guard let value = Int(digits) else {
          throw ExpressionError(
            offset: start, code: .expressionSyntax, message: "number \(digits) is too large")
        }
        tokens.append((.int(value), start..<i))
      } else if s == "\"" {
        i += 1
        var text = ""
        var closed = false
        while i < scalars.count {
          let c = scalars[i]
          if c == "\\", i + 1 < scalars.count, scalars[i + 1] == "\"" || scalars[i + 1] == "\\" {
            text.unicodeScalars.append(scalars[i + 1])
            i += 2
            continue
          }
          i += 1
          if c == "\"" {
            closed = true
            break
          }
          text.unicodeScalars.append(c)
        }
        guard closed else {
          throw ExpressionError(
            offset: start, code: .expressionSyntax, message: "unterminated string")
        }
        tokens.append((.string(text), start..<i))
      } else {
        let two =
          i + 1 < scalars.count ? String(String.UnicodeScalarView([s, scalars[i + 1]])) : ""
        if ["&&", "||", "==", "!=", "<=", ">="].contains(two) {
          tokens.append((.symbol(two), start..<i + 2))
          i += 2
        } else if "()[],.!<>".unicodeScalars.contains(s) {
          tokens.append((.symbol(String(s)), start..<i + 1))
          i += 1
        } else if s == "=" || s == "&" || s == "|" {
          let hint = s == "=" ? "'==' to compare" : s == "&" ? "'&&'" : "'||'"
          throw ExpressionError(
            offset: start, code: .expressionSyntax, message: "unexpected '\(s)'; use \(hint)")
        } else if s == "'" {
          throw ExpressionError(
            offset: start, code: .expressionSyntax, message: "strings use double quotes (\"...\")")
        } else {
          throw ExpressionError(
            offset: start, code: .expressionSyntax, message: "unexpected character '\(s)'")
        }
      }
    }
    tokens.append((.end, scalars.count..<scalars.count))
  }

  private func describe(_ token: Token) -> String {
    switch token {
    case .identifier(let name): "'\(name)'"
    case .int(let value): "number \(value)"
    case .string(let text): "string \"\(text)\""
    case .symbol(let symbol): "'\(symbol)'"
    case .end: "end of expression"
    }
  }

  private mutating func advance() -> (token: Token, range: Range<Int>) {
    let token = tokens[index]
    if index < tokens.count - 1 { index += 1 }
    return token
  }

  private mutating func expect(_ symbol: String, _ context: String) throws(ExpressionError)
    -> Range<Int>
  {
    guard case .symbol(symbol) = current.token else {
      throw ExpressionError(
        offset: current.range.lowerBound, code: .expressionSyntax,
        message: "expected '\(symbol)' \(context), found \(describe(current.token))")
    }
    return advance().range
  }

  /// Opens one level of nesting at `range`, or throws when that is one too many.
  private mutating func enter(_ range: Range<Int>) throws(ExpressionError) {
    nesting += 1
    guard nesting <= ExpressionLimits.maximumNesting else {
      throw ExpressionError(
        offset: range.lowerBound, code: .expressionLimit,
        message:
          "expression too deeply nested: more than \(ExpressionLimits.maximumNesting) levels of parentheses, brackets, '!' and function calls"
      )
    }
  }

  private mutating func parseOr() throws(ExpressionError) -> SyntaxNode {
    try parseChain(.or) { (parser) throws(ExpressionError) in try parser.parseAnd() }
  }

  private mutating func parseAnd() throws(ExpressionError) -> SyntaxNode {
    try parseChain(.and) { (parser) throws(ExpressionError) in try parser.parseUnary() }
  }

  /// `operand (op operand)*` as one `.chain` node, extending a parenthesised run of the same
  /// operator on the left (`(a && b) && c` is the run `a && b && c`, as it renders).
  private mutating func parseChain(
    _ op: BinaryOperator,
    _ operand: (inout ExpressionParser) throws(ExpressionError) -> SyntaxNode
  ) throws(ExpressionError) -> SyntaxNode {
    let first = try operand(&self)
    guard case .symbol(op.rawValue) = current.token else { return first }
    var items: [SyntaxNode]
    if case .chain(op, let run) = first.kind { items = run } else { items = [first] }
    while case .symbol(op.rawValue) = current.token {
      _ = advance()
      items.append(try operand(&self))
    }
    let end = items.last?.range.upperBound ?? first.range.upperBound
    return SyntaxNode(kind: .chain(op, items), range: first.range.lowerBound..<end)
  }

  private mutating func parseUnary() throws(ExpressionError) -> SyntaxNode {
    // `!!!...x` is a loop, not a recursion; each `!` still counts as a level.
    var starts: [Int] = []
    while case .symbol("!") = current.token {
      try enter(current.range)
      starts.append(advance().range.lowerBound)
    }
    var node = try parseComparison()
    for start in starts.reversed() {
      node = SyntaxNode(kind: .not(node), range: start..<node.range.upperBound)
    }
    nesting -= starts.count
    return node
  }

  private mutating func parseComparison() throws(ExpressionError) -> SyntaxNode {
    let lhs = try parsePrimary()
    let op: BinaryOperator?
    switch current.token {
    case .symbol(let symbol):
      op = BinaryOperator(rawValue: symbol).flatMap { [.and, .or].contains($0) ? nil : $0 }
    case .identifier("in"): op = .in
    default: op = nil
    }
    guard let op else { return lhs }
    _ = advance()
    let rhs = try parsePrimary()
    switch current.token {
    case .symbol(let symbol) where ["==", "!=", "<", "<=", ">", ">="].contains(symbol):
      throw ExpressionError(
        offset: current.range.lowerBound, code: .expressionSyntax,
        message: "comparisons do not chain; join them with '&&'")
    default: break
    }
    return SyntaxNode(
      kind: .binary(op, lhs, rhs), range: lhs.range.lowerBound..<rhs.range.upperBound)
  }

  private mutating func parsePrimary() throws(ExpressionError) -> SyntaxNode {
    let (token, range) = advance()
    switch token {
    case .int(let value): return SyntaxNode(kind: .int(value), range: range)
    case .string(let text): return SyntaxNode(kind: .string(text), range: range)
    case .identifier("true"): return SyntaxNode(kind: .bool(true), range: range)
    case .identifier("false"): return SyntaxNode(kind: .bool(false), range: range)
    case .identifier("in"):
      throw ExpressionError(
        offset: range.lowerBound, code: .expressionSyntax, message: "'in' needs a value on its left"
      )
    case .identifier(let name):
      if case .symbol("(") = current.token {
        try enter(range)
        defer { nesting -= 1 }
        _ = advance()
        var arguments: [SyntaxNode] = []
        if case .symbol(")") = current.token {
        } else {
          arguments.append(try parseOr())
          while case .symbol(",") = current.token {
            _ = advance()
            arguments.append(try parseOr())
          }
        }
        let end = try expect(")", "to close the arguments of \(name)(")
        return SyntaxNode(kind: .call(name, arguments), range: range.lowerBound..<end.upperBound)
      }
      var parts: [PathPart] = [.name(name)]
      var end = range.upperBound
      while true {
        if case .symbol(".") = current.token {
          _ = advance()
          let (next, nextRange) = advance()
          guard case .identifier(let field) = next else {
            throw ExpressionError(
              offset: nextRange.lowerBound, code: .expressionSyntax,
              message: "expected a field name after '.', found \(describe(next))")
          }
          parts.append(.name(field))
          end = nextRange.upperBound
        } else if case .symbol("[") = current.token {
          _ = advance()
          let (next, nextRange) = advance()
          guard case .int(let position) = next, position >= 0 else {
            throw ExpressionError(
              offset: nextRange.lowerBound, code: .expressionSyntax,
              message: "expected an index (0, 1, ...) inside '[ ]', found \(describe(next))")
          }
          parts.append(.index(position))
          end = try expect("]", "after the index").upperBound
        } else {
          break
        }
      }
      return SyntaxNode(kind: .path(parts), range: range.lowerBound..<end)
    case .symbol("("):
      try enter(range)
      defer { nesting -= 1 }
      let inner = try parseOr()
      let end = try expect(")", "to close '('")
      return SyntaxNode(kind: inner.kind, range: range.lowerBound..<end.upperBound)
    case .symbol("["):
      try enter(range)
      defer { nesting -= 1 }
      var items: [SyntaxNode] = []
      if case .symbol("]") = current.token {
      } else {
        items.append(try parsePrimary())
        while case .symbol(",") = current.token {
          _ = advance()
          items.append(try parsePrimary())
        }
      }
      let end = try expect("]", "to close the list")
      return SyntaxNode(kind: .list(items), range: range.lowerBound..<end.upperBound)
    case .end:
      throw ExpressionError(
        offset: range.lowerBound, code: .expressionSyntax, message: "the expression ends too early")
    default:
      throw ExpressionError(
        offset: range.lowerBound, code: .expressionSyntax, message: "unexpected \(describe(token))")
    }
  }
}
