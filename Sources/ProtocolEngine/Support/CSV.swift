/// One record of a CSV file with the line it starts on, for error messages.
struct CSVRecord: Sendable {
  var line: Int
  var fields: [String]
  /// The 1-based column where each field starts on `line` (approximate after a quoted newline).
  var columns: [Int]
}

/// An RFC 4180 reader that keeps line and column numbers, which the CSV packages available
/// here do not report; a directory error must name the line and column of the bad field.
enum CSVReader {
  /// Splits `text` into records; a quote left open is an error at the line it opened on.
  /// Works on UTF-8 bytes: the delimiters are ASCII, and fields are sliced, not rebuilt
  /// character by character.
  static func records(_ text: String) throws(FieldIssue) -> [CSVRecord] {
    var bytes = Array(text.utf8)
    if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
    let quote = UInt8(ascii: "\""), comma = UInt8(ascii: ","), newline = UInt8(ascii: "\n")
    let carriageReturn = UInt8(ascii: "\r")
    var records: [CSVRecord] = []
    var fields: [String] = []
    var columns: [Int] = []
    var index = 0
    var line = 1
    var lineStart = 0
    var recordLine = 1
    /// Columns count Unicode scalars, as YAML marks do.
    func column(_ offset: Int) -> Int {
      1 + bytes[lineStart..<offset].reduce(0) { $0 + ($1 & 0xC0 == 0x80 ? 0 : 1) }
    }
    while index <= bytes.count {
      // One field starts here.
      let fieldColumn = index < bytes.count ? column(index) : column(bytes.count)
      var field: String
      if index < bytes.count, bytes[index] == quote {
        let openedAt = SourcePosition(line: line, column: fieldColumn)
        var content: [UInt8] = []
        index += 1
        var closed = false
        while index < bytes.count {
          let byte = bytes[index]
          if byte == quote {
            if index + 1 < bytes.count, bytes[index + 1] == quote {
              content.append(quote)
              index += 2
              continue
            }
            index += 1
            closed = true
            break
          }
          if byte == newline {
            line += 1
            lineStart = index + 1
          }
          content.append(byte)
          index += 1
        }
        guard closed else {
          throw FieldIssue(.syntax, at: openedAt, field: "", "a quoted field is never closed")
        }
        if index < bytes.count, bytes[index] != comma, bytes[index] != newline,
          !(bytes[index] == carriageReturn && index + 1 < bytes.count
            && bytes[index + 1] == newline)
        {
          throw FieldIssue(
            .syntax, at: SourcePosition(line: line, column: column(index)), field: "",
            "unexpected text after a closing quote")
        }
        field = String(decoding: content, as: UTF8.self)
      } else {
        let start = index
        while index < bytes.count, bytes[index] != comma, bytes[index] != newline { index += 1 }
        var end = index
        if end > start, bytes[end - 1] == carriageReturn, index < bytes.count,
          bytes[index] == newline
        {
          end -= 1
        }
        field = String(decoding: bytes[start..<end], as: UTF8.self)
      }
      fields.append(field)
      columns.append(fieldColumn)
      if index < bytes.count, bytes[index] == comma {
        index += 1
        continue
      }
      if index < bytes.count, bytes[index] == carriageReturn { index += 1 }
      // End of a record (a newline or the end of the text).
      if !(fields.count == 1 && fields[0].isEmpty) {
        records.append(CSVRecord(line: recordLine, fields: fields, columns: columns))
      }
      fields = []
      columns = []
      index += 1
      line += 1
      lineStart = index
      recordLine = line
    }
    return records
  }
}

/// A CSV table with a required header, read by column name.
struct CSVTable {
  let header: [String]
  let rows: [CSVRecord]
  /// Column name -> index.
  let columns: [String: Int]

  /// Reads `text` and checks that its header is exactly `expected`.
  init(_ text: String, expected: [String]) throws(FieldIssue) {
    let records = try CSVReader.records(text)
    guard let first = records.first else {
      throw FieldIssue(
        .missingKey, at: SourcePosition(line: 1, column: 1), field: "",
        "empty file; expected the header \(expected.joined(separator: ","))")
    }
    let header = first.fields.map(\.trimmingSpaces)
    guard header == expected else {
      let firstWrong = zip(header, expected).enumerated().first { $0.element.0 != $0.element.1 }
      let index = firstWrong?.offset ?? min(header.count, expected.count)
      let column = index < first.columns.count ? first.columns[index] : 1
      throw FieldIssue(
        .missingKey, at: SourcePosition(line: first.line, column: column), field: "header",
        "expected \(expected.joined(separator: ",")), found \(header.joined(separator: ","))")
    }
    for record in records.dropFirst() where record.fields.count != expected.count {
      throw FieldIssue(
        .syntax, at: SourcePosition(line: record.line, column: 1), field: "",
        "expected \(expected.count) fields, found \(record.fields.count)")
    }
    self.header = header
    self.rows = Array(records.dropFirst())
    self.columns = Dictionary(
      header.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
  }

  func value(_ row: CSVRecord, _ column: String) -> String {
    guard let index = columns[column] else { return "" }
    return row.fields[index].trimmingSpaces
  }

  func position(_ row: CSVRecord, _ column: String) -> SourcePosition {
    let index = columns[column] ?? 0
    return SourcePosition(line: row.line, column: row.columns[index])
  }
}
