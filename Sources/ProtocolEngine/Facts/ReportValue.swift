import Yams

/// A parsed value a report is decoded from: a strict JSON value (`route`, the service,
/// `Report.decode`) or a YAML node (a scenario's truth, a protocol's inline test, a `.yaml`
/// report). One decoder reads both, so the two agree on every field, limit and message; each
/// kind of value says which of its forms are text, booleans and whole numbers (JSON: exactly
/// its own types, never coerced; YAML: its plain and quoted scalars, as `YAMLValue` reads
/// them).
protocol ReportValue {
  /// Where the value starts.
  var position: SourcePosition { get }
  /// `null` (or YAML's `~` and empty scalar): the fact is unknown, as if left out.
  var isNull: Bool { get }
  func text(field: String) throws(FieldIssue) -> String
  func bool(field: String) throws(FieldIssue) -> Bool
  func int(field: String) throws(FieldIssue) -> Int
  func list(field: String) throws(FieldIssue) -> [Self]
  func members(field: String) throws(FieldIssue) -> [ReportMember<Self>]
}

/// An object (JSON) or mapping (YAML) of a report, read key by key.
struct ReportObject<Value: ReportValue> {
  let field: String
  let members: [ReportMember<Value>]

  init(_ value: Value, field: String) throws(FieldIssue) {
    self.field = field
    self.members = try value.members(field: field)
  }

  /// The value, treating an explicit null as absent.
  func optional(_ key: String) -> Value? {
    guard let member = members.first(where: { $0.key == key }), !member.value.isNull else {
      return nil
    }
    return member.value
  }

  /// Throws for the first key (in file order) not in `allowed`, suggesting the nearest.
  func rejectUnknownKeys(allowed: [String]) throws(FieldIssue) {
    for member in members where !allowed.contains(member.key) {
      let key = member.key
      // A key past the text limit is shown clipped, and not compared with the allowed keys.
      guard key.unicodeScalars.count <= Report.Limits.textLength else {
        throw FieldIssue(
          .unknownKey, at: member.keyPosition,
          field: fieldPath(field, String(key.unicodeScalars.prefix(40)) + "…"), "unknown key")
      }
      throw FieldIssue(
        .unknownKey, at: member.keyPosition, field: fieldPath(field, key),
        "unknown key\(suggestion(key, allowed))")
    }
  }
}

extension JSONNode: ReportValue {
  var isNull: Bool { if case .null = kind { true } else { false } }

  /// A short rendering for messages, as `Node.preview` renders YAML.
  var preview: String {
    func clipped(_ text: String) -> String {
      text.unicodeScalars.count > 40 ? String(text.unicodeScalars.prefix(40)) + "…" : text
    }
    switch kind {
    case .null: return "null"
    case .bool(let value): return value ? "true" : "false"
    case .number(let text): return clipped(text)
    case .string(let text): return "\"\(clipped(text))\""
    case .array: return "a list"
    case .object: return "a mapping"
    }
  }

  func text(field: String) throws(FieldIssue) -> String {
    guard case .string(let text) = kind else {
      throw FieldIssue(.wrongType, at: position, field: field, "expected text, found \(preview)")
    }
    return text
  }

  func bool(field: String) throws(FieldIssue) -> Bool {
    guard case .bool(let value) = kind else {
      throw FieldIssue(
        .wrongType, at: position, field: field, "expected true or false, found \(preview)")
    }
    return value
  }

  /// A number written as a whole number (`16`, `-3`); `16.0` and `1e1` are not.
  func int(field: String) throws(FieldIssue) -> Int {
    guard case .number(let text) = kind, let value = Int(text) else {
      throw FieldIssue(
        .wrongType, at: position, field: field, "expected a whole number, found \(preview)")
    }
    return value
  }

  func list(field: String) throws(FieldIssue) -> [JSONNode] {
    guard case .array(let items) = kind else {
      throw FieldIssue(.wrongType, at: position, field: field, "expected a list, found \(preview)")
    }
    return items
  }

  func members(field: String) throws(FieldIssue) -> [ReportMember<JSONNode>] {
    guard case .object(let members) = kind else {
      throw FieldIssue(
        .wrongType, at: position, field: field, "expected a mapping, found \(preview)")
    }
    return members
  }
}

/// A YAML node read as a report value, with `YAMLValue`'s rules for scalars.
struct YAMLReportValue: ReportValue {
  let node: Node

  var position: SourcePosition { node.position }
  var isNull: Bool { node.isNull }

  func text(field: String) throws(FieldIssue) -> String {
    try YAMLValue.string(node, field: field)
  }

  func bool(field: String) throws(FieldIssue) -> Bool { try YAMLValue.bool(node, field: field) }

  func int(field: String) throws(FieldIssue) -> Int { try YAMLValue.int(node, field: field) }

  func list(field: String) throws(FieldIssue) -> [YAMLReportValue] {
    try YAMLValue.sequence(node, field: field).map(YAMLReportValue.init)
  }

  func members(field: String) throws(FieldIssue) -> [ReportMember<YAMLReportValue>] {
    try YAMLMapping(node, field: field).entries.map {
      ReportMember(
        key: $0.key, keyPosition: $0.keyNode.position, value: YAMLReportValue(node: $0.value))
    }
  }
}
