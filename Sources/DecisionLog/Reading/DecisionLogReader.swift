import Foundation
import Logging
import PostgresNIO
import ProtocolEngine

/// Reads a decision log back: a JSON lines file or a PostgreSQL table, records in log order
/// (a file's line order; a table's `time`, then `request_id`).
///
/// Every record is checked as it is read: a bad one is a `DecisionLogError.invalidRecord` at
/// `file:line:col` naming the field, never a crash. A file's last line that has no newline
/// and is not a valid record was cut short by a writer that was stopped mid-write: it is
/// reported as a warning and skipped. Blank lines are skipped.
public struct DecisionLogReader: Sendable {
  /// The longest line read (a record holds a report of at most 1 MiB and its decision).
  public static let maximumLineLength = 16 << 20

  /// What is read.
  public enum Source: Sendable, Hashable {
    case file(String)
    case postgres(PostgresLocation)
  }

  public let source: Source

  /// A logger that discards everything (the default for reading).
  public static let quietLogger = Logger(label: "hotlinesim.decision-log.reader") { _ in
    SwiftLogNoOpLogHandler()
  }

  /// A file path or a `postgres://` URL.
  ///
  /// - Throws: `DecisionLogError.badURL` for a malformed URL.
  public init(_ source: String) throws(DecisionLogError) {
    self.source =
      PostgresLocation.isURL(source) ? .postgres(try PostgresLocation(url: source)) : .file(source)
  }

  /// Calls `body` with each record made at or after `since`, in log order.
  ///
  /// - Parameters:
  ///   - since: the earliest decision time read (`nil`: all).
  ///   - logger: for the PostgreSQL connection.
  ///   - warn: receives warnings (`file:line:col: ...`): a cut-short last line.
  /// - Throws: `DecisionLogError` for an unreadable log or a bad record; what `body` throws.
  public func read(
    since: LogInstant? = nil, logger: Logger = DecisionLogReader.quietLogger,
    warn: (String) -> Void,
    _ body: (LoggedDecision) throws -> Void
  ) async throws {
    switch source {
    case .file(let path):
      try readFile(path, since: since, warn: warn, body)
    case .postgres(let location):
      try await readTable(location, since: since, logger: logger, body)
    }
  }

  private func readFile(
    _ path: String, since: LogInstant?, warn: (String) -> Void,
    _ body: (LoggedDecision) throws -> Void
  ) throws {
    let descriptor = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
    guard descriptor >= 0 else {
      let error = errno
      throw DecisionLogError.cannotOpen(
        path: path,
        reason: error == ENOENT ? "no such file" : LogFile.describe(errno: error, path: path))
    }
    defer { close(descriptor) }
    var status = stat()
    guard fstat(descriptor, &status) == 0 else {
      throw DecisionLogError.cannotOpen(path: path, reason: String(cString: strerror(errno)))
    }
    switch status.st_mode & S_IFMT {
    case S_IFREG: break
    case S_IFDIR: throw DecisionLogError.isAFolder(path: path)
    default: throw DecisionLogError.cannotOpen(path: path, reason: "it is not a regular file")
    }
    var line: [UInt8] = []
    var number = 1
    var chunk = [UInt8](repeating: 0, count: 1 << 20)
    func handle(_ bytes: [UInt8]) throws {
      guard !bytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) else { return }
      let logged = try RecordDecoder.decode(line: bytes, location: path, line: number)
      if let since, logged.instant < since { return }
      try body(logged)
    }
    while true {
      let count = chunk.withUnsafeMutableBytes { readBytes(descriptor, $0.baseAddress, $0.count) }
      if count < 0 {
        if errno == EINTR { continue }
        throw DecisionLogError.cannotOpen(path: path, reason: String(cString: strerror(errno)))
      }
      if count == 0 { break }
      var start = 0
      while let newline = chunk[start..<count].firstIndex(of: 0x0A) {
        line.append(contentsOf: chunk[start..<newline])
        try checkLength(line, path: path, number: number)
        try handle(line)
        line.removeAll(keepingCapacity: true)
        number += 1
        start = newline + 1
      }
      line.append(contentsOf: chunk[start..<count])
      try checkLength(line, path: path, number: number)
    }
    guard !line.isEmpty else { return }
    do {
      try handle(line)
    } catch let error as DecisionLogError {
      guard case .invalidRecord(let location, let field, let message) = error else { throw error }
      let what = field.isEmpty ? message : "\(field): \(message)"
      warn(
        "\(location): warning: the last line has no newline and is not a complete record "
          + "(\(what)); a writer was stopped mid-write, so it is skipped")
    }
  }

  private func checkLength(_ line: [UInt8], path: String, number: Int) throws {
    guard line.count <= DecisionLogReader.maximumLineLength else {
      throw DecisionLogError.invalidRecord(
        location: "\(path):\(number):1", field: "",
        message: "the line is longer than \(DecisionLogReader.maximumLineLength) bytes (16 MiB)")
    }
  }

  private func readTable(
    _ location: PostgresLocation, since: LogInstant?, logger: Logger,
    _ body: (LoggedDecision) throws -> Void
  ) async throws {
    let connection: PostgresConnection
    do {
      connection = try await PostgresConnection.connect(
        configuration: try location.connectionConfiguration(), id: 1, logger: logger)
    } catch {
      throw DecisionLogError.database(
        url: location.description,
        reason: "cannot connect to the server at \(location.host):\(location.port): "
          + PostgresLocation.describe(error))
    }
    do {
      try await readRows(connection, location: location, since: since, logger: logger, body)
    } catch {
      try? await connection.close()
      throw error
    }
    try? await connection.close()
  }

  private func readRows(
    _ connection: PostgresConnection, location: PostgresLocation, since: LogInstant?,
    logger: Logger, _ body: (LoggedDecision) throws -> Void
  ) async throws {
    let sql = """
      SELECT request_id, to_char(time AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
        ruleset_version, ruleset_sha256, as_of::text, report::text, decision::text
      FROM \(location.quotedTable) WHERE time >= $1::timestamptz ORDER BY time, request_id
      """
    var bindings = PostgresBindings(capacity: 1)
    bindings.append(since?.description ?? "-infinity")
    let rows: PostgresRowSequence
    do {
      rows = try await connection.query(
        PostgresQuery(unsafeSQL: sql, binds: bindings), logger: logger)
    } catch {
      throw DecisionLogError.database(
        url: location.description,
        reason: "cannot read the table \(location.table): " + PostgresLocation.describe(error))
    }
    let types = (String, String, String, String, String, String, String).self
    for try await (requestID, time, version, sha256, asOfText, reportText, decisionText)
      in rows.decode(types)
    {
      let row = "\(location) request_id \(requestID)"
      func parse(_ text: String, _ column: String) throws(DecisionLogError) -> (LineJSON, [UInt8]) {
        let bytes = Array(text.utf8)
        do throws(LineIssue) {
          return (try LineJSONParser.parse(bytes), bytes)
        } catch {
          throw .invalidRecord(
            location: "\(row) \(column):\(RecordDecoder.column(of: error.offset, in: bytes))",
            field: error.field.isEmpty ? column : "\(column).\(error.field)", message: error.message
          )
        }
      }
      let (reportNode, reportBytes) = try parse(reportText, "report")
      let report = try RecordDecoder.decodeReport(
        reportNode, in: reportBytes, file: row,
        locate: { "\(row) report:\(RecordDecoder.column(of: $0, in: reportBytes))" })
      let (decisionNode, decisionBytes) = try parse(decisionText, "decision")
      let outcome = try RecordDecoder.decodeOutcome(
        decisionNode,
        locate: { "\(row) decision:\(RecordDecoder.column(of: $0, in: decisionBytes))" })
      guard let instant = LogInstant(rfc3339: time), let asOf = Day(asOfText) else {
        throw DecisionLogError.invalidRecord(
          location: row, field: "time", message: "'\(time)' is not an RFC 3339 time")
      }
      let record = DecisionRecord(
        requestID: requestID, time: time, rulesetVersion: version, rulesetSHA256: sha256,
        asOf: asOf, report: reportNode.value, decision: decisionNode.value)
      try body(
        LoggedDecision(
          record: record, report: report, outcome: outcome, instant: instant, source: row))
    }
  }
}

/// `read(2)`, named apart from `DecisionLogReader.read`.
private func readBytes(_ descriptor: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int) -> Int
{
  read(descriptor, buffer, count)
}
