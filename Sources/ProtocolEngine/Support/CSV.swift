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
  static func records(_ text: String) throws(FieldIssue) -> [CSVRecord] {
    var records: [CSVRecord] = []
    var fields: [String] = []
    var columns: [Int] = []
    var field = ""
    var line = 1
    var column = 1
    var recordLine = 1
    var fieldColumn = 1
    var inQuotes = false
    var quoteOpenedAt = SourcePosition(line: 1, column: 1)
    var fieldWasQuoted = false
    var iterator = text.unicodeScalars.makeIterator()
    var pending: Unicode.Scalar? = iterator.next()
    if pending == "\u{FEFF}" { pending = iterator.next() }

    func endRecord() {
      fields.append(field)
      columns.append(fieldColumn)
      if !(fields.count == 1 && fields[0].isEmpty && !fieldWasQuoted) {
        records.append(CSVRecord(line: recordLine, fields: fields, columns: columns))
      }
      fields = []
      columns = []
      field = ""
      fieldWasQuoted = false
    }

    while let scalar = pending {
      pending = iterator.next()
      if inQuotes {
        if scalar == "\"" {
          if pending == "\"" {
            field.unicodeScalars.append("\"")
            pending = iterator.next()
            column += 2
            continue
          }
          inQuotes = false
          column += 1
          continue
        }
        field.unicodeScalars.append(scalar)
        if scalar == "\n" {
          line += 1
          column = 1
        } else {
          column += 1
        }
        continue
      }
      switch scalar {
      case "\"" where field.isEmpty && !fieldWasQuoted:
        inQuotes = true
        fieldWasQuoted = true
        quoteOpenedAt = SourcePosition(line: line, column: column)
        column += 1
      case ",":
        fields.append(field)
        columns.append(fieldColumn)
        field = ""
        fieldWasQuoted = false
        column += 1
        fieldColumn = column
      case "\r" where pending == "\n":
        column += 1
      case "\n":
        endRecord()
        line += 1
        column = 1
        fieldColumn = 1
        recordLine = line
      default:
        if fieldWasQuoted {
          throw FieldIssue(
            .syntax, at: SourcePosition(line: line, column: column), field: "",
            "unexpected text after a closing quote")
        }
        field.unicodeScalars.append(scalar)
        column += 1
      }
    }
    if inQuotes {
      throw FieldIssue(.syntax, at: quoteOpenedAt, field: "", "a quoted field is never closed")
    }
    if !field.isEmpty || !fields.isEmpty || fieldWasQuoted { endRecord() }
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
