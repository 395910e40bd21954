import Yams

/// A problem with one field of an input file, before it is given a file name. Shared by
/// every loader of YAML and CSV input (protocol sets here, scenarios and curricula elsewhere).
public struct FieldIssue: Error, Sendable {
  public var position: SourcePosition
  /// The field's path, e.g. `victims[0].age`; empty for a problem with the whole file.
  public var field: String
  public var message: String
  /// The protocol-set diagnostic code; other loaders map issues to their own codes.
  public var code: DiagnosticCode

  public init(
    _ code: DiagnosticCode, at position: SourcePosition, field: String, _ message: String
  ) {
    self.position = position
    self.field = field
    self.message = message
    self.code = code
  }

  /// `field: message`, or the message alone for a whole-file problem.
  public var text: String { field.isEmpty ? message : "\(field): \(message)" }

  func diagnostic(file: String) -> Diagnostic {
    Diagnostic(
      .error, code, at: SourceLocation(file: file, position: position),
      field.isEmpty ? message : "\(field): \(message)")
  }
}

extension Node {
  /// Where the node starts (1:1 when the parser gave no mark).
  public var position: SourcePosition {
    mark.map { SourcePosition(line: $0.line, column: $0.column) }
      ?? SourcePosition(line: 1, column: 1)
  }

  /// A short rendering of the node for error messages.
  public var preview: String {
    switch self {
    case .scalar(let scalar):
      let text = scalar.string.count > 40 ? String(scalar.string.prefix(40)) + "…" : scalar.string
      return scalar.style == .plain ? text : "\"\(text)\""
    case .mapping: return "a mapping"
    case .sequence: return "a list"
    case .alias: return "an alias"
    }
  }

  /// A plain `null`, `~` or empty scalar, which a report treats as unknown.
  public var isNull: Bool {
    guard case .scalar(let scalar) = self, scalar.style == .plain else { return false }
    return ["", "~", "null", "Null", "NULL"].contains(scalar.string)
  }
}

/// Joins a parent field path and a key: `victims[0]` + `age` -> `victims[0].age`.
public func fieldPath(_ parent: String, _ key: String) -> String {
  parent.isEmpty ? key : "\(parent).\(key)"
}

/// Typed, strict access to YAML scalars; each failure names the field and its position.
public enum YAMLValue {
  public static func string(_ node: Node, field: String) throws(FieldIssue) -> String {
    guard case .scalar(let scalar) = node else {
      throw FieldIssue(
        .wrongType, at: node.position, field: field, "expected text, found \(node.preview)")
    }
    return scalar.string
  }

  /// A plain scalar spelled `true` or `false` (any case); quoted text is not a boolean.
  public static func bool(_ node: Node, field: String) throws(FieldIssue) -> Bool {
    if case .scalar(let scalar) = node, scalar.style == .plain {
      switch scalar.string.lowercased() {
      case "true": return true
      case "false": return false
      default: break
      }
    }
    throw FieldIssue(
      .wrongType, at: node.position, field: field, "expected true or false, found \(node.preview)")
  }

  public static func int(_ node: Node, field: String) throws(FieldIssue) -> Int {
    if case .scalar(let scalar) = node, scalar.style == .plain, let value = Int(scalar.string) {
      return value
    }
    throw FieldIssue(
      .wrongType, at: node.position, field: field, "expected a whole number, found \(node.preview)")
  }

  public static func sequence(_ node: Node, field: String) throws(FieldIssue) -> [Node] {
    guard case .sequence(let sequence) = node else {
      throw FieldIssue(
        .wrongType, at: node.position, field: field, "expected a list, found \(node.preview)")
    }
    return Array(sequence)
  }

  public static func stringList(_ node: Node, field: String) throws(FieldIssue) -> [String] {
    var values: [String] = []
    for (index, item) in try sequence(node, field: field).enumerated() {
      values.append(try string(item, field: "\(field)[\(index)]"))
    }
    return values
  }

  public static func day(_ node: Node, field: String) throws(FieldIssue) -> Day {
    let text = try string(node, field: field)
    guard let day = Day(text) else {
      throw FieldIssue(
        .invalidValue, at: node.position, field: field, "'\(text)' is not a date (YYYY-MM-DD)")
    }
    return day
  }

  /// Looks a spelled value up among an enumeration's raw values, naming the choices if absent.
  public static func choice<T: RawRepresentable & CaseIterable>(
    _ node: Node, field: String, as type: T.Type
  ) throws(FieldIssue) -> T where T.RawValue == String {
    let text = try string(node, field: field)
    if let value = T(rawValue: text) { return value }
    let choices = T.allCases.map(\.rawValue)
    throw FieldIssue(
      .invalidValue, at: node.position, field: field,
      "'\(text)' is not one of \(choices.joined(separator: ", "))\(suggestion(text, choices))")
  }
}

/// A YAML mapping read key by key; `finish()` rejects keys nobody asked for.
public struct YAMLMapping {
  public let node: Node
  public let field: String
  private let pairs: [(key: String, keyNode: Node, value: Node)]

  public init(_ node: Node, field: String) throws(FieldIssue) {
    guard case .mapping(let mapping) = node else {
      throw FieldIssue(
        .wrongType, at: node.position, field: field, "expected a mapping, found \(node.preview)")
    }
    var pairs: [(String, Node, Node)] = []
    for (key, value) in mapping {
      guard case .scalar(let scalar) = key else {
        throw FieldIssue(.wrongType, at: key.position, field: field, "keys must be text")
      }
      pairs.append((scalar.string, key, value))
    }
    self.node = node
    self.field = field
    self.pairs = pairs
  }

  public var keys: [String] { pairs.map(\.key) }

  /// The key nodes and values, in file order.
  public var entries: [(key: String, keyNode: Node, value: Node)] { pairs }

  public subscript(key: String) -> Node? {
    pairs.first { $0.key == key }.map(\.value)
  }

  /// The value, treating an explicit `null` as absent.
  public func optional(_ key: String) -> Node? {
    guard let value = self[key], !value.isNull else { return nil }
    return value
  }

  public func required(_ key: String) throws(FieldIssue) -> Node {
    guard let value = self[key] else {
      throw FieldIssue(
        .missingKey, at: node.position, field: field, "missing required key '\(key)'")
    }
    return value
  }

  /// Throws for the first key not in `allowed`, suggesting the nearest allowed key.
  public func rejectUnknownKeys(allowed: [String]) throws(FieldIssue) {
    for pair in pairs where !allowed.contains(pair.key) {
      throw FieldIssue(
        .unknownKey, at: pair.keyNode.position, field: fieldPath(field, pair.key),
        "unknown key\(suggestion(pair.key, allowed))")
    }
  }
}

/// ` (did you mean 'x'?)` for the closest candidate within a small edit distance, else "".
///
/// - Complexity: O(candidates × `maximumSuggestionLength`); text longer than that gets no
///   suggestion.
public func suggestion(_ text: String, _ candidates: [String]) -> String {
  guard let best = closestMatch(text, candidates) else { return "" }
  return " (did you mean '\(best)'?)"
}

/// The longest text (in Unicode scalars) that gets a "did you mean": a typo of a name, code
/// or key is short, and a longer value is not worth comparing with every candidate.
public let maximumSuggestionLength = 64

/// The candidate nearest to `text` by edit distance (ignoring case), if it is close enough to
/// be a typo: within 1 edit for short text, a third of its length, and never more than 3.
/// Among equally near candidates the first wins.
///
/// - Returns: nil for text longer than `maximumSuggestionLength` scalars.
/// - Complexity: O(candidates × `maximumSuggestionLength`): a candidate whose length differs
///   by more than the allowed distance is skipped, and a comparison stops as soon as it
///   cannot come within it.
public func closestMatch(_ text: String, _ candidates: [String]) -> String? {
  guard text.unicodeScalars.count <= maximumSuggestionLength else { return nil }
  let allowed = max(1, min(3, text.count / 3))
  let lowered = Array(text.lowercased().unicodeScalars)
  var best: (candidate: String, distance: Int)?
  for candidate in candidates {
    // Only a strictly nearer candidate replaces the best so far.
    let limit = min(allowed, (best?.distance ?? Int.max) - 1)
    guard limit >= 0, candidate.utf8.count <= 4 * (lowered.count + limit) else { continue }
    let other = Array(candidate.lowercased().unicodeScalars)
    if let distance = editDistance(lowered, other, atMost: limit) {
      best = (candidate, distance)
    }
  }
  return best?.candidate
}

/// Levenshtein distance between two strings, by Unicode scalars.
///
/// - Complexity: O(n × m); use `closestMatch` to compare input with candidates.
public func editDistance(_ lhs: String, _ rhs: String) -> Int {
  let a = Array(lhs.unicodeScalars)
  let b = Array(rhs.unicodeScalars)
  return editDistance(a, b, atMost: max(a.count, b.count)) ?? max(a.count, b.count)
}

/// The Levenshtein distance between `a` and `b` if it is at most `limit`, else nil.
///
/// - Complexity: O(min(n, m) × limit) at worst: only the band of cells within `limit` of
///   the diagonal is computed, and it stops when a whole row is over `limit`.
func editDistance(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar], atMost limit: Int) -> Int? {
  guard limit >= 0, abs(a.count - b.count) <= limit else { return nil }
  if a.isEmpty { return b.count }
  if b.isEmpty { return a.count }
  let over = limit + 1
  var previous = (0...b.count).map { $0 <= limit ? $0 : over }
  var current = Array(repeating: over, count: b.count + 1)
  for i in 1...a.count {
    // Cells further than `limit` from the diagonal are over the limit; leave them `over`.
    let low = max(1, i - limit)
    let high = min(b.count, i + limit)
    current[0] = i <= limit ? i : over
    if low > 1 { current[low - 1] = over }
    var rowMinimum = current[0]
    for j in low...high {
      let cost = a[i - 1] == b[j - 1] ? 0 : 1
      let value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
      current[j] = min(value, over)
      rowMinimum = min(rowMinimum, current[j])
    }
    if high < b.count { current[high + 1] = over }
    guard rowMinimum <= limit else { return nil }
    swap(&previous, &current)
  }
  return previous[b.count] <= limit ? previous[b.count] : nil
}

/// Parses YAML (or JSON) text into a node tree, turning parser errors into a located issue.
public func composeYAML(_ text: String) throws(FieldIssue) -> Node? {
  do {
    // The basic resolver: every loader types scalars itself (`YAMLValue`), so the default
    // resolver's regular-expression tagging of each scalar would be wasted work.
    return try Yams.compose(yaml: text, .basic, .default, .utf8)
  } catch let error as YamlError {
    throw yamlIssue(error)
  } catch {
    throw FieldIssue(.syntax, at: SourcePosition(line: 1, column: 1), field: "", "\(error)")
  }
}

private func yamlIssue(_ error: YamlError) -> FieldIssue {
  func at(_ mark: Mark) -> SourcePosition { SourcePosition(line: mark.line, column: mark.column) }
  switch error {
  case .scanner(let context, let problem, let mark, _),
    .parser(let context, let problem, let mark, _),
    .composer(let context, let problem, let mark, _):
    let detail = context.map { "\(problem) \($0.text)" } ?? problem
    return FieldIssue(.syntax, at: at(mark), field: "", "invalid YAML: \(detail)")
  case .duplicatedKeysInMapping(let duplicates, let context):
    return FieldIssue(
      .syntax, at: at(context.mark), field: "",
      "duplicate key \(duplicates.map { "'\($0)'" }.joined(separator: ", ")) in a mapping")
  case .reader(let problem, _, _, _):
    return FieldIssue(
      .syntax, at: SourcePosition(line: 1, column: 1), field: "", "unreadable text: \(problem)")
  default:
    return FieldIssue(
      .syntax, at: SourcePosition(line: 1, column: 1), field: "", "invalid YAML: \(error)")
  }
}
