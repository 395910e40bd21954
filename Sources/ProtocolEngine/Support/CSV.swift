/// One record of a CSV file with the line it starts on, for error messages.
struct CSVRecord: Sendable {
  var line: Int
  var fields: [String]
  /// Where each field starts (1-based line and column): a field after a quoted line break
  /// starts on a later line than the record.
  var positions: [SourcePosition]

  /// The 1-based column where each field starts.
  var columns: [Int] { positions.map(\.column) }
}

/// An RFC 4180 reader that keeps line and column numbers, which the CSV packages available
/// here do not report; a directory error must name the line and column of the bad field.
///
/// Beyond RFC 4180 it accepts a line break of LF, CRLF or a lone CR (as a spreadsheet on an
/// old Mac writes) and refuses what is almost certainly a mistake or an attack: a quote
/// inside a field that is not quoted, and control characters (anything below U+0020 but a
/// tab, DEL and U+0080 to U+009F; line breaks only inside quotes).
enum CSVReader {
  /// Splits `text` into records; a quote left open is an error at the line it opened on.
  /// Works on UTF-8 bytes: the delimiters are ASCII, and fields are sliced, not rebuilt
  /// character by character.
  ///
  /// - Parameter names: the expected column names, to name the field of an error (the
  ///   header's own fields are named `header`).
  /// - Throws: `FieldIssue` (`HR0001`) at the line and column of the offending character.
  /// - Complexity: O(n) in the length of `text`; line and column are kept as it goes.
  static func records(_ text: String, names: [String] = []) throws(FieldIssue) -> [CSVRecord] {
    var bytes = Array(text.utf8)
    if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
    let quote = UInt8(ascii: "\""), comma = UInt8(ascii: ","), newline = UInt8(ascii: "\n")
    let carriageReturn = UInt8(ascii: "\r")
    var records: [CSVRecord] = []
    var fields: [String] = []
    var positions: [SourcePosition] = []
    var index = 0
    // Where `bytes[index]` is. Columns count Unicode scalars, as YAML marks do.
    var line = 1
    var column = 1
    var recordLine = 1

    /// Moves past `bytes[index]`, keeping `line` and `column` (a CRLF is one line break).
    func step() {
      let byte = bytes[index]
      index += 1
      if byte == newline
        || (byte == carriageReturn && (index == bytes.count || bytes[index] != newline))
      {
        line += 1
        column = 1
      } else if byte & 0xC0 != 0x80 {
        column += 1
      }
    }
    func fieldName() -> String {
      if records.isEmpty { return "header" }
      return fields.count < names.count ? names[fields.count] : "field \(fields.count + 1)"
    }
    /// The control character starting at `index` (C0 but tab, DEL, C1), if any.
    func control(allowingLineBreaks: Bool) -> UInt32? {
      let byte = bytes[index]
      if byte == 0x09 || (allowingLineBreaks && (byte == newline || byte == carriageReturn)) {
        return nil
      }
      if byte < 0x20 || byte == 0x7F { return UInt32(byte) }
      // U+0080...U+009F are C2 80...C2 9F in UTF-8.
      if byte == 0xC2, index + 1 < bytes.count, (0x80...0x9F).contains(bytes[index + 1]) {
        return UInt32(bytes[index + 1])
      }
      return nil
    }
    func controlIssue(_ value: UInt32) -> FieldIssue {
      let hex = String(value, radix: 16, uppercase: true)
      let code = "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
      return FieldIssue(
        .syntax, at: SourcePosition(line: line, column: column), field: fieldName(),
        "contains the control character \(code); a field may hold tabs, and line breaks only inside quotes"
      )
    }

    while true {
      // One field starts here.
      let start = SourcePosition(line: line, column: column)
      var field: String
      if index < bytes.count, bytes[index] == quote {
        var content: [UInt8] = []
        step()
        var closed = false
        while index < bytes.count {
          let byte = bytes[index]
          if byte == quote {
            if index + 1 < bytes.count, bytes[index + 1] == quote {
              content.append(quote)
              step()
              step()
              continue
            }
            step()
            closed = true
            break
          }
          if let value = control(allowingLineBreaks: true) { throw controlIssue(value) }
          content.append(byte)
          step()
        }
        guard closed else {
          throw FieldIssue(.syntax, at: start, field: "", "a quoted field is never closed")
        }
        if index < bytes.count, bytes[index] != comma, bytes[index] != newline,
          bytes[index] != carriageReturn
        {
          throw FieldIssue(
            .syntax, at: SourcePosition(line: line, column: column), field: fieldName(),
            "unexpected text after a closing quote")
        }
        field = String(decoding: content, as: UTF8.self)
      } else {
        let first = index
        while index < bytes.count, bytes[index] != comma, bytes[index] != newline,
          bytes[index] != carriageReturn
        {
          if bytes[index] == quote {
            throw FieldIssue(
              .syntax, at: SourcePosition(line: line, column: column), field: fieldName(),
              "a quote inside a field that does not start with one; put the whole field in quotes and double the quote (\"\")"
            )
          }
          if let value = control(allowingLineBreaks: false) { throw controlIssue(value) }
          step()
        }
        field = String(decoding: bytes[first..<index], as: UTF8.self)
      }
      fields.append(field)
      positions.append(start)
      if index < bytes.count, bytes[index] == comma {
        step()
        continue
      }
      // End of a record: a line break (LF, CRLF or CR) or the end of the text.
      if !(fields.count == 1 && fields[0].isEmpty) {
        records.append(CSVRecord(line: recordLine, fields: fields, positions: positions))
      }
      fields = []
      positions = []
      guard index < bytes.count else { break }
      if bytes[index] == carriageReturn, index + 1 < bytes.count, bytes[index + 1] == newline {
        step()
      }
      step()
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
    let records = try CSVReader.records(text, names: expected)
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
    row.positions[columns[column] ?? 0]
  }
}
