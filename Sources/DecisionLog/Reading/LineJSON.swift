import ProtocolEngine

/// A JSON value read from one log line, with where it was: byte offsets into the line, so
/// that an error can name its column and the report can be handed to `Report.decode` as the
/// bytes it was written as.
struct LineJSON {
  enum Kind {
    case null
    case bool(Bool)
    case number(String)
    case string(String)
    case array([LineJSON])
    case object([(key: String, value: LineJSON)])
  }

  var kind: Kind
  /// The value's first byte and one past its last.
  var start: Int
  var end: Int

  /// The value as a `JSONValue` (integers as `.int`, other numbers as `.double`).
  var value: JSONValue {
    switch kind {
    case .null: .null
    case .bool(let flag): .bool(flag)
    case .number(let text): Int(text).map(JSONValue.int) ?? .double(Double(text) ?? 0)
    case .string(let text): .string(text)
    case .array(let items): .array(items.map(\.value))
    case .object(let pairs): .object(pairs.map { ($0.key, $0.value.value) })
    }
  }

  /// What kind of value this is, for messages.
  var typeName: String {
    switch kind {
    case .null: "null"
    case .bool: "a boolean"
    case .number: "a number"
    case .string: "a string"
    case .array: "a list"
    case .object: "an object"
    }
  }
}

/// A problem at a byte offset of a line.
struct LineIssue: Error {
  var offset: Int
  var field: String
  var message: String
}

/// A strict RFC 8259 parser for one line (no raw newlines can occur in it), with nesting
/// bounded so that a hostile line cannot exhaust the stack.
struct LineJSONParser {
  static let maximumDepth = 64

  private let bytes: [UInt8]
  private var index = 0

  init(_ bytes: [UInt8]) { self.bytes = bytes }

  /// Parses the whole line as one value.
  static func parse(_ bytes: [UInt8]) throws(LineIssue) -> LineJSON {
    var parser = LineJSONParser(bytes)
    parser.skipSpace()
    let value = try parser.parseValue(depth: 0, field: "")
    parser.skipSpace()
    guard parser.index == bytes.count else {
      throw LineIssue(offset: parser.index, field: "", message: "text after the record's JSON")
    }
    return value
  }

  private mutating func skipSpace() {
    while index < bytes.count, [0x20, 0x09, 0x0D].contains(bytes[index]) { index += 1 }
  }

  private func issue(_ message: String, field: String) -> LineIssue {
    LineIssue(offset: index, field: field, message: message)
  }

  private mutating func parseValue(depth: Int, field: String) throws(LineIssue) -> LineJSON {
    guard depth < LineJSONParser.maximumDepth else {
      throw issue("nested deeper than \(LineJSONParser.maximumDepth) levels", field: field)
    }
    guard index < bytes.count else { throw issue("the line ends inside the record", field: field) }
    let start = index
    switch bytes[index] {
    case UInt8(ascii: "{"):
      index += 1
      var pairs: [(key: String, value: LineJSON)] = []
      skipSpace()
      if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
        index += 1
        return LineJSON(kind: .object(pairs), start: start, end: index)
      }
      while true {
        skipSpace()
        guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else {
          throw issue("expected a key in quotes", field: field)
        }
        let keyOffset = index
        let key = try parseString(field: field)
        let path = field.isEmpty ? key : "\(field).\(key)"
        if pairs.contains(where: { $0.key == key }) {
          throw LineIssue(offset: keyOffset, field: path, message: "the key appears twice")
        }
        skipSpace()
        guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else {
          throw issue("expected ':' after the key", field: path)
        }
        index += 1
        skipSpace()
        pairs.append((key, try parseValue(depth: depth + 1, field: path)))
        skipSpace()
        guard index < bytes.count else {
          throw issue("the line ends inside an object", field: field)
        }
        if bytes[index] == UInt8(ascii: ",") {
          index += 1
          continue
        }
        guard bytes[index] == UInt8(ascii: "}") else {
          throw issue("expected ',' or '}'", field: field)
        }
        index += 1
        return LineJSON(kind: .object(pairs), start: start, end: index)
      }
    case UInt8(ascii: "["):
      index += 1
      var items: [LineJSON] = []
      skipSpace()
      if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
        index += 1
        return LineJSON(kind: .array(items), start: start, end: index)
      }
      while true {
        skipSpace()
        items.append(try parseValue(depth: depth + 1, field: "\(field)[\(items.count)]"))
        skipSpace()
        guard index < bytes.count else { throw issue("the line ends inside a list", field: field) }
        if bytes[index] == UInt8(ascii: ",") {
          index += 1
          continue
        }
        guard bytes[index] == UInt8(ascii: "]") else {
          throw issue("expected ',' or ']'", field: field)
        }
        index += 1
        return LineJSON(kind: .array(items), start: start, end: index)
      }
    case UInt8(ascii: "\""):
      let text = try parseString(field: field)
      return LineJSON(kind: .string(text), start: start, end: index)
    case UInt8(ascii: "t"):
      try literal("true", field: field)
      return LineJSON(kind: .bool(true), start: start, end: index)
    case UInt8(ascii: "f"):
      try literal("false", field: field)
      return LineJSON(kind: .bool(false), start: start, end: index)
    case UInt8(ascii: "n"):
      try literal("null", field: field)
      return LineJSON(kind: .null, start: start, end: index)
    case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
      return try parseNumber(field: field)
    default:
      throw issue("expected a JSON value", field: field)
    }
  }

  private mutating func literal(_ word: String, field: String) throws(LineIssue) {
    let expected = Array(word.utf8)
    guard index + expected.count <= bytes.count,
      Array(bytes[index..<index + expected.count]) == expected
    else { throw issue("expected a JSON value", field: field) }
    index += expected.count
  }

  private mutating func parseNumber(field: String) throws(LineIssue) -> LineJSON {
    let start = index
    func digits() -> Int {
      let first = index
      while index < bytes.count, bytes[index] >= 0x30, bytes[index] <= 0x39 { index += 1 }
      return index - first
    }
    if bytes[index] == UInt8(ascii: "-") { index += 1 }
    let integerStart = index
    let integerDigits = digits()
    guard integerDigits > 0 else { throw issue("expected a digit", field: field) }
    if integerDigits > 1, bytes[integerStart] == UInt8(ascii: "0") {
      throw LineIssue(offset: integerStart, field: field, message: "a number has a leading zero")
    }
    if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
      index += 1
      guard digits() > 0 else { throw issue("expected a digit after '.'", field: field) }
    }
    if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
      index += 1
      if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-")
      {
        index += 1
      }
      guard digits() > 0 else { throw issue("expected a digit in the exponent", field: field) }
    }
    let text = String(decoding: bytes[start..<index], as: UTF8.self)
    return LineJSON(kind: .number(text), start: start, end: index)
  }

  private mutating func parseString(field: String) throws(LineIssue) -> String {
    index += 1  // the opening quote
    var scalars = String.UnicodeScalarView()
    while true {
      guard index < bytes.count else { throw issue("the line ends inside a string", field: field) }
      let byte = bytes[index]
      switch byte {
      case UInt8(ascii: "\""):
        index += 1
        return String(scalars)
      case UInt8(ascii: "\\"):
        index += 1
        guard index < bytes.count else {
          throw issue("the line ends inside a string", field: field)
        }
        let escape = bytes[index]
        index += 1
        switch escape {
        case UInt8(ascii: "\""): scalars.append("\"")
        case UInt8(ascii: "\\"): scalars.append("\\")
        case UInt8(ascii: "/"): scalars.append("/")
        case UInt8(ascii: "b"): scalars.append("\u{08}")
        case UInt8(ascii: "f"): scalars.append("\u{0C}")
        case UInt8(ascii: "n"): scalars.append("\n")
        case UInt8(ascii: "r"): scalars.append("\r")
        case UInt8(ascii: "t"): scalars.append("\t")
        case UInt8(ascii: "u"):
          var code = try hex4(field: field)
          if (0xD800..<0xDC00).contains(code) {
            guard index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"),
              bytes[index + 1] == UInt8(ascii: "u")
            else { throw issue("a lone UTF-16 surrogate in \\u escape", field: field) }
            index += 2
            let low = try hex4(field: field)
            guard (0xDC00..<0xE000).contains(low) else {
              throw issue("a lone UTF-16 surrogate in \\u escape", field: field)
            }
            code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
          }
          guard let scalar = Unicode.Scalar(code) else {
            throw issue("a lone UTF-16 surrogate in \\u escape", field: field)
          }
          scalars.append(scalar)
        default:
          throw LineIssue(offset: index - 2, field: field, message: "an unknown escape in a string")
        }
      case 0..<0x20:
        throw issue("a control character in a string (escape it)", field: field)
      case 0..<0x80:
        scalars.append(Unicode.Scalar(byte))
        index += 1
      default:
        var decoder = UTF8()
        var iterator = bytes[index...].makeIterator()
        let before = index
        switch decoder.decode(&iterator) {
        case .scalarValue(let scalar):
          scalars.append(scalar)
          index += UTF8.width(scalar)
        default:
          index = before
          throw issue("not UTF-8 text", field: field)
        }
      }
    }
  }

  private mutating func hex4(field: String) throws(LineIssue) -> UInt32 {
    let isHex: (UInt8) -> Bool = {
      (0x30...0x39).contains($0) || (0x41...0x46).contains($0) || (0x61...0x66).contains($0)
    }
    guard index + 4 <= bytes.count, bytes[index..<index + 4].allSatisfy(isHex),
      let value = UInt32(String(decoding: bytes[index..<index + 4], as: UTF8.self), radix: 16)
    else { throw issue("expected four hexadecimal digits after \\u", field: field) }
    index += 4
    return value
  }
}
