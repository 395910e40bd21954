/// A JSON value as `StrictJSON` read it, with where it starts in the text.
struct JSONNode: Sendable {
  enum Kind: Sendable {
    case null
    case bool(Bool)
    /// The number as written (`16`, `-3`, `16.5`, `1e2`): decoders say which forms they take.
    case number(String)
    case string(String)
    case array([JSONNode])
    case object([ReportMember<JSONNode>])
  }

  var kind: Kind
  var position: SourcePosition
}

/// One key and value of an object (JSON) or mapping (YAML), in file order.
struct ReportMember<Value> {
  var key: String
  var keyPosition: SourcePosition
  var value: Value
}

extension ReportMember: Sendable where Value: Sendable {}

/// A strict RFC 8259 JSON reader for reports: exactly JSON's grammar (no comments, no
/// single quotes, no unquoted keys, no `True`, `+16`, `016`, `~`, tags or trailing commas),
/// UTF-8 only (an invalid byte is an error, never a replacement character), no duplicate
/// keys, nesting bounded by `Report.Limits.nesting`. Every value keeps its line and column
/// (1-based, columns counted in Unicode scalars, as libyaml counts them) so that a decoder
/// can name where a bad value is without parsing twice.
///
/// One pass over the bytes; positions cost one subtraction per value because a JSON string
/// cannot hold a raw line break, so lines only end in white space between tokens.
enum StrictJSON {
  /// Parses a whole text into one value; nil when the text is empty or white space.
  ///
  /// - Throws: `FieldIssue` (`.syntax`) at the first byte that is not valid JSON.
  static func parse(_ bytes: UnsafeBufferPointer<UInt8>) throws(FieldIssue) -> JSONNode? {
    var parser = Parser(bytes: bytes)
    parser.skipByteOrderMark()
    parser.skipWhitespace()
    guard parser.index < bytes.count else { return nil }
    let node = try parser.value(depth: 1)
    parser.skipWhitespace()
    guard parser.index == bytes.count else {
      throw parser.issue("expected the end of the text after the report, found \(parser.found())")
    }
    return node
  }

  /// Checks that a whole text is UTF-8, for readers that parse it as something else (YAML).
  ///
  /// - Throws: `FieldIssue` (`.syntax`) at the first byte that is not UTF-8.
  static func validateUTF8(_ bytes: UnsafeBufferPointer<UInt8>) throws(FieldIssue) {
    var parser = Parser(bytes: bytes)
    while parser.index < bytes.count {
      switch bytes[parser.index] {
      case 0x0A, 0x0D: parser.skipWhitespace()
      case 0x00..<0x80: parser.index += 1
      default: try parser.utf8Sequence()
      }
    }
  }

  private struct Parser {
    let bytes: UnsafeBufferPointer<UInt8>
    var index = 0
    var line = 1
    /// The offset that column 1 counts from: the line's first byte, moved one to the right
    /// for every UTF-8 continuation byte already passed on the line.
    var columnOrigin = 0

    init(bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    var position: SourcePosition { position(at: index) }

    func position(at offset: Int) -> SourcePosition {
      SourcePosition(line: line, column: offset - columnOrigin + 1)
    }

    var peek: UInt8? { index < bytes.count ? bytes[index] : nil }

    func issue(_ message: String, at position: SourcePosition? = nil) -> FieldIssue {
      FieldIssue(.syntax, at: position ?? self.position, field: "", "invalid JSON: \(message)")
    }

    mutating func skipByteOrderMark() {
      // RFC 8259 §8.1 lets a parser ignore a byte order mark; editors on Windows add one.
      if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF {
        index = 3
        columnOrigin = 3
      }
    }

    mutating func skipWhitespace() {
      while index < bytes.count {
        switch bytes[index] {
        case 0x20, 0x09: index += 1
        case 0x0A:
          // CR LF is one line break.
          if index == 0 || bytes[index - 1] != 0x0D { line += 1 }
          index += 1
          columnOrigin = index
        case 0x0D:
          line += 1
          index += 1
          columnOrigin = index
        default: return
        }
      }
    }

    mutating func value(depth: Int) throws(FieldIssue) -> JSONNode {
      skipWhitespace()
      let start = position
      guard let byte = peek else { throw issue("the text ends where a value should be") }
      switch byte {
      case UInt8(ascii: "{"), UInt8(ascii: "["):
        guard depth <= Report.Limits.nesting else {
          throw issue("nested more than \(Report.Limits.nesting) levels deep")
        }
        return byte == UInt8(ascii: "{")
          ? try object(depth: depth, start: start) : try array(depth: depth, start: start)
      case UInt8(ascii: "\""): return JSONNode(kind: .string(try string()), position: start)
      case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
        return JSONNode(kind: .number(try number()), position: start)
      default:
        if isLiteral("true") { return literal(.bool(true), length: 4, at: start) }
        if isLiteral("false") { return literal(.bool(false), length: 5, at: start) }
        if isLiteral("null") { return literal(.null, length: 4, at: start) }
        throw issue("expected a value, found \(found())\(hint())")
      }
    }

    mutating func literal(_ kind: JSONNode.Kind, length: Int, at start: SourcePosition)
      -> JSONNode
    {
      index += length
      return JSONNode(kind: kind, position: start)
    }

    /// Whether the bytes at `index` are `word`.
    func hasPrefix(_ word: StaticString) -> Bool {
      let count = word.utf8CodeUnitCount
      guard index + count <= bytes.count else { return false }
      for offset in 0..<count where bytes[index + offset] != word.utf8Start[offset] {
        return false
      }
      return true
    }

    /// Whether the literal `word` starts here and is not the start of a longer word.
    func isLiteral(_ word: StaticString) -> Bool {
      let end = index + word.utf8CodeUnitCount
      return hasPrefix(word) && (end == bytes.count || !isWordByte(bytes[end]))
    }

    mutating func object(depth: Int, start: SourcePosition) throws(FieldIssue) -> JSONNode {
      index += 1
      var members: [ReportMember<JSONNode>] = []
      var keys: Set<String> = []
      skipWhitespace()
      if peek == UInt8(ascii: "}") {
        index += 1
        return JSONNode(kind: .object(members), position: start)
      }
      while true {
        skipWhitespace()
        guard peek == UInt8(ascii: "\"") else {
          let trailing = peek == UInt8(ascii: "}") && !members.isEmpty
          throw issue(
            trailing
              ? "a ',' before '}': JSON allows no trailing comma"
              : "expected a key in double quotes, found \(found())\(hint(key: true))")
        }
        let keyPosition = position
        let key = try string()
        // Objects are small: a linear scan, with a set only for long ones.
        let duplicate =
          members.count < 16 ? members.contains { $0.key == key } : !keys.insert(key).inserted
        if members.count == 15 { keys = Set(members.map(\.key) + [key]) }
        guard !duplicate else {
          throw issue("duplicate key '\(key)' in a mapping", at: keyPosition)
        }
        skipWhitespace()
        guard peek == UInt8(ascii: ":") else {
          throw issue("expected ':' after the key, found \(found())")
        }
        index += 1
        let value = try value(depth: depth + 1)
        members.append(ReportMember(key: key, keyPosition: keyPosition, value: value))
        skipWhitespace()
        switch peek {
        case UInt8(ascii: ","): index += 1
        case UInt8(ascii: "}"):
          index += 1
          return JSONNode(kind: .object(members), position: start)
        default: throw issue("expected ',' or '}' after a value, found \(found())\(hint())")
        }
      }
    }

    mutating func array(depth: Int, start: SourcePosition) throws(FieldIssue) -> JSONNode {
      index += 1
      var items: [JSONNode] = []
      skipWhitespace()
      if peek == UInt8(ascii: "]") {
        index += 1
        return JSONNode(kind: .array(items), position: start)
      }
      while true {
        skipWhitespace()
        if peek == UInt8(ascii: "]") {
          throw issue("a ',' before ']': JSON allows no trailing comma")
        }
        items.append(try value(depth: depth + 1))
        skipWhitespace()
        switch peek {
        case UInt8(ascii: ","): index += 1
        case UInt8(ascii: "]"):
          index += 1
          return JSONNode(kind: .array(items), position: start)
        default: throw issue("expected ',' or ']' after a value, found \(found())\(hint())")
        }
      }
    }

    /// A number, checked against RFC 8259's grammar, returned as written.
    mutating func number() throws(FieldIssue) -> String {
      let start = index
      func isDigit(_ byte: UInt8?) -> Bool {
        byte.map { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) } ?? false
      }
      if peek == UInt8(ascii: "-") { index += 1 }
      guard isDigit(peek) else {
        throw issue("expected a digit after '-', found \(found())")
      }
      if peek == UInt8(ascii: "0") {
        index += 1
        if isDigit(peek) {
          throw issue(
            "a number cannot start with 0 (JSON has no leading zeros or octal numbers)",
            at: position(at: start))
        }
      } else {
        while isDigit(peek) { index += 1 }
      }
      if peek == UInt8(ascii: ".") {
        index += 1
        guard isDigit(peek) else { throw issue("expected a digit after '.', found \(found())") }
        while isDigit(peek) { index += 1 }
      }
      if peek == UInt8(ascii: "e") || peek == UInt8(ascii: "E") {
        index += 1
        if peek == UInt8(ascii: "+") || peek == UInt8(ascii: "-") { index += 1 }
        guard isDigit(peek) else {
          throw issue("expected a digit in the exponent, found \(found())")
        }
        while isDigit(peek) { index += 1 }
      }
      return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
    }

    /// A string: its escapes decoded, its UTF-8 checked byte by byte.
    mutating func string() throws(FieldIssue) -> String {
      let open = position
      index += 1
      var start = index
      var decoded: [UInt8]?
      while true {
        guard index < bytes.count else {
          throw issue("this string has no closing '\"'", at: open)
        }
        let byte = bytes[index]
        switch byte {
        case UInt8(ascii: "\""):
          let raw = UnsafeBufferPointer(rebasing: bytes[start..<index])
          index += 1
          guard var decoded else { return String(decoding: raw, as: UTF8.self) }
          decoded.append(contentsOf: raw)
          return String(decoding: decoded, as: UTF8.self)
        case UInt8(ascii: "\\"):
          var buffer = decoded ?? []
          buffer.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<index]))
          try escape(into: &buffer)
          decoded = buffer
          start = index
        case 0x0A, 0x0D:
          throw issue("a string cannot span lines (write \\n for a line break)")
        case 0x00..<0x20:
          throw issue(
            "the control character U+00\(hex(byte)) in a string must be written as an escape "
              + "(\\u00\(hex(byte)))")
        case 0x20..<0x80: index += 1
        default: try utf8Sequence()
        }
      }
    }

    /// Decodes the escape at `index` (a backslash) into UTF-8.
    mutating func escape(into buffer: inout [UInt8]) throws(FieldIssue) {
      let at = position
      index += 1
      guard let byte = peek else { throw issue("the text ends inside an escape", at: at) }
      index += 1
      switch byte {
      case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): buffer.append(byte)
      case UInt8(ascii: "b"): buffer.append(0x08)
      case UInt8(ascii: "f"): buffer.append(0x0C)
      case UInt8(ascii: "n"): buffer.append(0x0A)
      case UInt8(ascii: "r"): buffer.append(0x0D)
      case UInt8(ascii: "t"): buffer.append(0x09)
      case UInt8(ascii: "u"):
        var value = try hexQuad(at: at)
        if (0xD800...0xDBFF).contains(value) {
          // A high surrogate must be followed by a low one: together they are one scalar.
          guard hasPrefix("\\u") else {
            throw issue(
              "\\u\(hex4(value)) is half of a surrogate pair; the other half is missing", at: at)
          }
          index += 2
          let low = try hexQuad(at: at)
          guard (0xDC00...0xDFFF).contains(low) else {
            throw issue(
              "\\u\(hex4(value)) is half of a surrogate pair; the other half is missing", at: at)
          }
          value = 0x10000 + ((value - 0xD800) << 10) + (low - 0xDC00)
        } else if (0xDC00...0xDFFF).contains(value) {
          throw issue(
            "\\u\(hex4(value)) is half of a surrogate pair; the other half is missing", at: at)
        }
        guard let scalar = Unicode.Scalar(value) else {
          throw issue("\\u\(hex4(value)) is not a character", at: at)
        }
        buffer.append(contentsOf: String(Character(scalar)).utf8)
      default:
        let escape =
          (0x21...0x7E).contains(byte)
          ? "'\\\(Character(Unicode.Scalar(byte)))'" : "a backslash before \(describe(byte))"
        throw issue(
          "\(escape) is not a JSON escape (\\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)", at: at)
      }
    }

    mutating func hexQuad(at: SourcePosition) throws(FieldIssue) -> UInt32 {
      var value: UInt32 = 0
      for _ in 0..<4 {
        guard let byte = peek, let digit = hexDigit(byte) else {
          throw issue("\\u needs four hexadecimal digits", at: at)
        }
        value = value << 4 | digit
        index += 1
      }
      return value
    }

    /// Checks the UTF-8 sequence at `index` (Unicode 15, table 3-7) and steps over it.
    mutating func utf8Sequence() throws(FieldIssue) {
      let lead = bytes[index]
      let length: Int
      var low: UInt8 = 0x80
      var high: UInt8 = 0xBF
      switch lead {
      case 0xC2...0xDF: length = 2
      case 0xE0:
        length = 3
        low = 0xA0
      case 0xE1...0xEC, 0xEE...0xEF: length = 3
      case 0xED:
        length = 3
        high = 0x9F
      case 0xF0:
        length = 4
        low = 0x90
      case 0xF1...0xF3: length = 4
      case 0xF4:
        length = 4
        high = 0x8F
      default: throw notUTF8(lead)
      }
      for offset in 1..<length {
        guard index + offset < bytes.count else { throw notUTF8(lead) }
        let byte = bytes[index + offset]
        let (min, max) = offset == 1 ? (low, high) : (0x80, 0xBF)
        guard byte >= min, byte <= max else { throw notUTF8(lead) }
      }
      index += length
      columnOrigin += length - 1
    }

    func notUTF8(_ byte: UInt8) -> FieldIssue {
      FieldIssue(
        .syntax, at: position, field: "",
        "not UTF-8 (byte 0x\(hex(byte))); a report must be UTF-8 text")
    }

    /// What is at `index`, for a message: `'#'`, `'True'`, `the end of the text`.
    func found() -> String {
      guard let byte = peek else { return "the end of the text" }
      if isWordByte(byte) {
        var end = index
        while end < bytes.count, end - index < 24, isWordByte(bytes[end]) { end += 1 }
        return "'"
          + String(decoding: UnsafeBufferPointer(rebasing: bytes[index..<end]), as: UTF8.self)
          + "'"
      }
      return describe(byte)
    }

    /// A byte as a message shows it: `'#'` for a visible ASCII character, else its code.
    func describe(_ byte: UInt8) -> String {
      switch byte {
      case 0x27: "a single quote (')"
      case 0x21...0x7E: "'\(Character(Unicode.Scalar(byte)))'"
      case 0x20: "a space"
      case 0x00..<0x20, 0x7F: "the control character U+00\(hex(byte))"
      default: "a non-ASCII character (byte 0x\(hex(byte)))"
      }
    }

    /// Why YAML habits are not JSON, for the common ones.
    func hint(key: Bool = false) -> String {
      guard let byte = peek else { return "" }
      switch byte {
      case UInt8(ascii: "#"), UInt8(ascii: "/"): return "; JSON has no comments"
      case UInt8(ascii: "'"): return "; JSON strings are in double quotes"
      case UInt8(ascii: "~"): return "; JSON writes null as null"
      case UInt8(ascii: "!"): return "; JSON has no tags"
      case UInt8(ascii: "&"), UInt8(ascii: "*"): return "; JSON has no anchors or aliases"
      case UInt8(ascii: "+"): return "; a JSON number has no '+' sign"
      case UInt8(ascii: "."): return "; a JSON number starts with a digit"
      default:
        guard isWordByte(byte) else { return "" }
        if key { return "; JSON keys are in double quotes" }
        return "; JSON's literals are true, false and null, and text is in double quotes"
      }
    }

    func isWordByte(_ byte: UInt8) -> Bool {
      switch byte {
      case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
        UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"):
        true
      default: false
      }
    }

    func hexDigit(_ byte: UInt8) -> UInt32? {
      switch byte {
      case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt32(byte - UInt8(ascii: "0"))
      case UInt8(ascii: "a")...UInt8(ascii: "f"): UInt32(byte - UInt8(ascii: "a") + 10)
      case UInt8(ascii: "A")...UInt8(ascii: "F"): UInt32(byte - UInt8(ascii: "A") + 10)
      default: nil
      }
    }

    func hex(_ byte: UInt8) -> String {
      let text = String(byte, radix: 16, uppercase: true)
      return byte < 0x10 ? "0" + text : text
    }

    func hex4(_ value: UInt32) -> String {
      let text = String(value, radix: 16, uppercase: true)
      return String(repeating: "0", count: max(0, 4 - text.count)) + text
    }
  }
}
