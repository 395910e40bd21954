/// The named conditions of a protocol set (`policy.yaml`'s `definitions:`), such as `means`:
/// a legal term said once and used by name in any `when`. A name is compiled where it is
/// used, so a definition that reads `v` means the victim bound there.
public struct Definitions: Sendable, Hashable {
  struct Entry: Sendable, Hashable {
    var name: String
    /// The expression as written.
    var text: String
    /// Parsed, with earlier definitions still as names (they expand when compiled).
    var syntax: SyntaxNode
    /// Whether it reads `v` (one victim), so it needs a victim bound where it is used.
    var aboutOneVictim: Bool
  }

  private(set) var entries: [Entry] = []

  public init() {}

  /// The names, in the order they were defined.
  public var names: [String] { entries.map(\.name) }

  /// The definitions as written, in order, for the set's digest.
  public var texts: [(name: String, text: String)] { entries.map { ($0.name, $0.text) } }

  subscript(name: String) -> Entry? { entries.first { $0.name == name } }

  /// Names that a definition may not take: facts, functions and keywords.
  static let reserved: Set<String> =
    Set(ReportFact.allCases.map { String($0.rawValue.split(separator: ".")[0]) })
    .union(["indicators", "victims", "v", "true", "false", "in", "any", "all", "known", "refers"])

  /// Adds a definition after checking it; it may use the definitions added before it.
  ///
  /// - Throws: `ExpressionError` for a bad name (offset 0), a syntax or type error, or a
  ///   definition that is not a condition.
  public mutating func add(name: String, text: String) throws(ExpressionError) {
    guard let first = name.unicodeScalars.first, first.properties.isLowercase || first == "_",
      name.unicodeScalars.allSatisfy({
        $0.isASCII && ($0.properties.isLowercase || ("0"..."9").contains($0) || $0 == "_")
      })
    else {
      throw ExpressionError(
        offset: 0, code: .invalidValue,
        message: "'\(name)' is not a definition name (lower-case letters, digits and '_')")
    }
    guard !Definitions.reserved.contains(name) else {
      throw ExpressionError(
        offset: 0, code: .invalidValue,
        message: "'\(name)' is a fact, function or keyword of the language; pick another name")
    }
    guard self[name] == nil else {
      throw ExpressionError(
        offset: 0, code: .invalidValue, message: "'\(name)' is defined twice")
    }
    let syntax = try ExpressionParser.parse(text)
    var aboutOneVictim = false
    do {
      _ = try TypeChecker.check(syntax, definitions: self)
    } catch {
      // A definition about one victim (`v.age >= 18`) type-checks with `v` bound.
      _ = try TypeChecker.check(syntax, perVictim: true, definitions: self)
      aboutOneVictim = true
    }
    entries.append(
      Entry(name: name, text: text, syntax: syntax, aboutOneVictim: aboutOneVictim))
  }
}
