import ProtocolEngine

/// Splits a batch body, a JSON array, into its elements' byte ranges without decoding them:
/// each element is then decoded on its own by the report decoder, so that one bad report
/// fails alone. Only the array's own syntax is checked here (brackets, commas, strings
/// closed); what is inside an element is the decoder's business.
enum BatchSplitter {
  /// Where an element is in the body.
  struct Element: Equatable {
    var range: Range<Int>
    /// Line and column (in characters) of its first byte, from 1.
    var line: Int
    var column: Int
  }

  /// Why a body is not an array of elements.
  enum Failure: Error, Equatable {
    /// Not an array at all, or its syntax is broken at `offset`.
    case syntax(offset: Int, message: String)
    /// More than `limit` elements.
    case tooMany(limit: Int)
  }

  /// The elements of the array in `bytes`, at most `limit` of them.
  static func split(_ bytes: [UInt8], limit: Int) throws(Failure) -> [Element] {
    var elements: [Element] = []
    var index = 0
    var line = 1
    var lineStart = 0
    let count = bytes.count
    // The column is counted forward from the last one found on the same line, so finding
    // every element's column costs one pass over the body, not one per element.
    var counted = (offset: 0, column: 1)
    func column(at offset: Int) -> Int {
      if counted.offset < lineStart { counted = (lineStart, 1) }
      var column = counted.column
      var position = counted.offset
      while position < offset {
        if bytes[position] & 0xC0 != 0x80 { column += 1 }
        position += 1
      }
      counted = (offset, column)
      return column
    }

    func skipSpace() {
      while index < count {
        switch bytes[index] {
        case 0x20, 0x09, 0x0D: index += 1
        case 0x0A:
          index += 1
          line += 1
          lineStart = index
        default: return
        }
      }
    }

    skipSpace()
    guard index < count, bytes[index] == UInt8(ascii: "[") else {
      throw .syntax(
        offset: index, message: "a batch is a JSON array of reports: [ {...}, {...} ]")
    }
    index += 1
    skipSpace()
    if index < count, bytes[index] == UInt8(ascii: "]") {
      index += 1
      skipSpace()
      guard index == count else {
        throw .syntax(offset: index, message: "nothing may follow the batch's closing ]")
      }
      return []
    }
    while true {
      guard elements.count < limit else { throw .tooMany(limit: limit) }
      guard index < count else {
        throw .syntax(offset: index, message: "the batch ends before its closing ]")
      }
      let start = index
      let startColumn = column(at: start)
      let startLine = line
      var depth = 0
      var inString = false
      // Whether an object, array or string has been closed at the top level: after one,
      // only `,` or `]` may come (so `[{} {}]` is an error, not one bad report).
      var complete = false
      scan: while index < count {
        let byte = bytes[index]
        if inString {
          if byte == UInt8(ascii: "\\") {
            index += 2
            continue
          }
          if byte == UInt8(ascii: "\"") {
            inString = false
            if depth == 0 { complete = true }
          }
          if byte == 0x0A {
            line += 1
            lineStart = index + 1
          }
          index += 1
          continue
        }
        if complete, depth == 0 {
          switch byte {
          case 0x20, 0x09, 0x0D, 0x0A, UInt8(ascii: ","), UInt8(ascii: "]"): break
          default:
            throw .syntax(
              offset: index, message: "expected , or ] after report \(elements.count)")
          }
        }
        switch byte {
        case UInt8(ascii: "\""): inString = true
        case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
        case UInt8(ascii: "}"), UInt8(ascii: "]"):
          if depth == 0 { break scan }
          depth -= 1
          if depth == 0 { complete = true }
        case UInt8(ascii: ","):
          if depth == 0 { break scan }
        case 0x0A:
          line += 1
          lineStart = index + 1
        default: break
        }
        index += 1
      }
      guard !inString, depth == 0 else {
        throw .syntax(
          offset: min(index, count),
          message: "the batch ends inside report \(elements.count) (an unclosed string, "
            + "object or array)")
      }
      guard index < count else {
        throw .syntax(offset: count, message: "the batch ends before its closing ]")
      }
      var end = index
      while end > start, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[end - 1]) { end -= 1 }
      guard end > start else {
        throw .syntax(offset: start, message: "report \(elements.count) of the batch is missing")
      }
      elements.append(Element(range: start..<end, line: startLine, column: startColumn))
      if bytes[index] == UInt8(ascii: ",") {
        index += 1
        skipSpace()
        continue
      }
      guard bytes[index] == UInt8(ascii: "]") else {
        throw .syntax(offset: index, message: "expected , or ] after report \(elements.count - 1)")
      }
      index += 1
      skipSpace()
      guard index == count else {
        throw .syntax(offset: index, message: "nothing may follow the batch's closing ]")
      }
      return elements
    }
  }

  /// The column (in characters, from 1) of `offset` on the line starting at `lineStart`.
  static func columnOf(_ bytes: [UInt8], from lineStart: Int, to offset: Int) -> Int {
    var column = 1
    var position = lineStart
    while position < offset && position < bytes.count {
      // Count characters, not bytes: skip UTF-8 continuation bytes.
      if bytes[position] & 0xC0 != 0x80 { column += 1 }
      position += 1
    }
    return column
  }

  /// Line and column (from 1) of a byte offset.
  static func position(of offset: Int, in bytes: [UInt8]) -> SourcePosition {
    var line = 1
    var lineStart = 0
    for position in 0..<min(offset, bytes.count) where bytes[position] == 0x0A {
      line += 1
      lineStart = position + 1
    }
    return SourcePosition(line: line, column: columnOf(bytes, from: lineStart, to: offset))
  }
}
