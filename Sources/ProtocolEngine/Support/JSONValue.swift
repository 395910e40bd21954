/// A JSON value with ordered object keys, so that output is byte-identical run to run.
public indirect enum JSONValue: Sendable, Hashable {
  case null
  case bool(Bool)
  case int(Int)
  case double(Double)
  case string(String)
  case array([JSONValue])
  case object([(String, JSONValue)])

  public static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
    lhs.rendered() == rhs.rendered()
  }

  public func hash(into hasher: inout Hasher) { hasher.combine(rendered()) }

  /// Renders the value; `pretty` indents by two spaces, one key per line.
  public func rendered(pretty: Bool = false) -> String {
    String(decoding: renderedUTF8(pretty: pretty), as: UTF8.self)
  }

  /// The value's JSON as UTF-8 bytes, exactly the text of `rendered(pretty:)`, with `suffix`
  /// appended: for a service that sends bytes, without making a `String` first.
  ///
  /// Strings are copied a run of bytes at a time; `"`, `\`, newline, return and tab are
  /// escaped by name and the other C0 controls as `\u00xx` (lower-case hex). Every other
  /// scalar is written as is (JSON allows DEL, C1 and bidi characters in strings).
  public func renderedUTF8(pretty: Bool = false, suffix: String = "") -> [UInt8] {
    var out: [UInt8] = []
    out.reserveCapacity(1024)
    write(into: &out, pretty: pretty, indent: 0)
    out.append(contentsOf: suffix.utf8)
    return out
  }

  private func write(into out: inout [UInt8], pretty: Bool, indent: Int) {
    switch self {
    case .null: out.append(contentsOf: "null".utf8)
    case .bool(let value): out.append(contentsOf: (value ? "true" : "false").utf8)
    case .int(let value): out.append(contentsOf: String(value).utf8)
    case .double(let value):
      if value.isFinite, value == value.rounded(), abs(value) < 1e15 {
        out.append(contentsOf: String(Int(value)).utf8)
      } else if value.isFinite {
        out.append(contentsOf: String(value).utf8)
      } else {
        out.append(contentsOf: "null".utf8)
      }
    case .string(let value): JSONValue.writeString(value, into: &out)
    case .array(let items):
      guard !items.isEmpty else {
        out.append(contentsOf: "[]".utf8)
        return
      }
      out.append(UInt8(ascii: "["))
      for (index, item) in items.enumerated() {
        if index > 0 { out.append(UInt8(ascii: ",")) }
        if pretty { JSONValue.newline(&out, indent + 1) }
        item.write(into: &out, pretty: pretty, indent: indent + 1)
      }
      if pretty { JSONValue.newline(&out, indent) }
      out.append(UInt8(ascii: "]"))
    case .object(let pairs):
      guard !pairs.isEmpty else {
        out.append(contentsOf: "{}".utf8)
        return
      }
      out.append(UInt8(ascii: "{"))
      for index in pairs.indices {
        if index > 0 { out.append(UInt8(ascii: ",")) }
        if pretty { JSONValue.newline(&out, indent + 1) }
        JSONValue.writeString(pairs[index].0, into: &out)
        out.append(UInt8(ascii: ":"))
        if pretty { out.append(UInt8(ascii: " ")) }
        pairs[index].1.write(into: &out, pretty: pretty, indent: indent + 1)
      }
      if pretty { JSONValue.newline(&out, indent) }
      out.append(UInt8(ascii: "}"))
    }
  }

  private static func newline(_ out: inout [UInt8], _ indent: Int) {
    out.append(0x0A)
    out.append(contentsOf: repeatElement(0x20, count: indent * 2))
  }

  private static let hexDigits = Array("0123456789abcdef".utf8)

  /// Bytes of a multi-byte scalar are all 0x80 or more, so scanning bytes finds exactly the
  /// ASCII characters that need escaping.
  private static func writeString(_ value: String, into out: inout [UInt8]) {
    out.append(UInt8(ascii: "\""))
    var value = value
    value.withUTF8 { bytes in
      var runStart = 0
      for index in 0..<bytes.count {
        let byte = bytes[index]
        guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else {
          continue
        }
        if runStart < index {
          out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<index]))
        }
        runStart = index + 1
        switch byte {
        case UInt8(ascii: "\""): out.append(contentsOf: "\\\"".utf8)
        case UInt8(ascii: "\\"): out.append(contentsOf: "\\\\".utf8)
        case 0x0A: out.append(contentsOf: "\\n".utf8)
        case 0x0D: out.append(contentsOf: "\\r".utf8)
        case 0x09: out.append(contentsOf: "\\t".utf8)
        default:
          out.append(contentsOf: "\\u00".utf8)
          out.append(hexDigits[Int(byte >> 4)])
          out.append(hexDigits[Int(byte & 0x0F)])
        }
      }
      if runStart < bytes.count {
        out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<bytes.count]))
      }
    }
    out.append(UInt8(ascii: "\""))
  }
}

extension JSONValue {
  /// `.string(value)` or `.null` when the value is missing.
  static func optional(_ value: String?) -> JSONValue { value.map(JSONValue.string) ?? .null }
}
