import ProtocolEngine

/// A record read back from a log, checked: its report decoded by the strict report decoder,
/// its decision reduced to what replay compares.
public struct LoggedDecision: Sendable {
  public var record: DecisionRecord
  /// The logged (masked) report, decoded.
  public var report: Report
  /// The logged decision's escalation, referrals and protocols.
  public var outcome: DecisionOutcome
  /// When the decision was made.
  public var instant: LogInstant
  /// Where the record is: `file:line` or the database and request id.
  public var source: String
}

/// Reads records from their JSON, naming the position and field of anything wrong.
enum RecordDecoder {
  static let keys = ["request_id", "time", "ruleset", "as_of", "report", "decision"]
  /// The longest request id accepted.
  static let maximumRequestID = 200

  /// Decodes one line of a JSON lines log.
  ///
  /// - Parameters:
  ///   - bytes: the line, without its newline.
  ///   - file: the log's name, and `line` its line number, for errors and ``LoggedDecision/source``.
  /// - Throws: `DecisionLogError.invalidRecord` at `file:line:col`.
  static func decode(line bytes: [UInt8], location file: String, line: Int)
    throws(DecisionLogError) -> LoggedDecision
  {
    let locate = { (offset: Int) in "\(file):\(line):\(column(of: offset, in: bytes))" }
    let root: LineJSON
    do throws(LineIssue) {
      root = try LineJSONParser.parse(bytes)
    } catch {
      throw .invalidRecord(
        location: locate(error.offset), field: error.field, message: error.message)
    }
    guard case .object(let pairs) = root.kind else {
      throw .invalidRecord(
        location: locate(root.start), field: "",
        message: "a record is a JSON object, not \(root.typeName)")
    }
    for pair in pairs where !keys.contains(pair.key) {
      throw .invalidRecord(
        location: locate(pair.value.start), field: pair.key,
        message: "not a field of a decision record (\(keys.joined(separator: ", ")))")
    }
    func required(_ key: String) throws(DecisionLogError) -> LineJSON {
      guard let value = pairs.first(where: { $0.key == key })?.value else {
        throw .invalidRecord(location: locate(root.start), field: key, message: "missing")
      }
      return value
    }
    let requestID = try text(required("request_id"), field: "request_id", locate: locate)
    guard !requestID.isEmpty, requestID.count <= maximumRequestID else {
      throw .invalidRecord(
        location: locate(try required("request_id").start), field: "request_id",
        message: "must be 1 to \(maximumRequestID) characters")
    }
    let timeNode = try required("time")
    let time = try text(timeNode, field: "time", locate: locate)
    guard let instant = LogInstant(rfc3339: time) else {
      throw .invalidRecord(
        location: locate(timeNode.start), field: "time",
        message: "'\(time)' is not an RFC 3339 time (2026-11-30T14:05:09.123Z)")
    }
    let rulesetNode = try required("ruleset")
    guard case .object(let ruleset) = rulesetNode.kind else {
      throw .invalidRecord(
        location: locate(rulesetNode.start), field: "ruleset",
        message: "expected an object with version and sha256, not \(rulesetNode.typeName)")
    }
    for pair in ruleset where pair.key != "version" && pair.key != "sha256" {
      throw .invalidRecord(
        location: locate(pair.value.start), field: "ruleset.\(pair.key)",
        message: "not a field of a ruleset (version, sha256)")
    }
    func rulesetField(_ key: String) throws(DecisionLogError) -> String {
      guard let node = ruleset.first(where: { $0.key == key })?.value else {
        throw .invalidRecord(
          location: locate(rulesetNode.start), field: "ruleset.\(key)", message: "missing")
      }
      return try text(node, field: "ruleset.\(key)", locate: locate)
    }
    let version = try rulesetField("version")
    let sha256 = try rulesetField("sha256")
    let asOfNode = try required("as_of")
    let asOfText = try text(asOfNode, field: "as_of", locate: locate)
    guard let asOf = Day(asOfText) else {
      throw .invalidRecord(
        location: locate(asOfNode.start), field: "as_of",
        message: "'\(asOfText)' is not a date (YYYY-MM-DD)")
    }
    let reportNode = try required("report")
    let report = try decodeReport(reportNode, in: bytes, file: file, locate: locate)
    let decisionNode = try required("decision")
    let outcome = try decodeOutcome(decisionNode, locate: locate)
    let record = DecisionRecord(
      requestID: requestID, time: time, rulesetVersion: version, rulesetSHA256: sha256,
      asOf: asOf, report: reportNode.value, decision: decisionNode.value)
    return LoggedDecision(
      record: record, report: report, outcome: outcome, instant: instant,
      source: "\(file):\(line)")
  }

  /// The report, by the strict report decoder: its positions are moved to the line's.
  static func decodeReport(
    _ node: LineJSON, in bytes: [UInt8], file: String, locate: (Int) -> String
  ) throws(DecisionLogError) -> Report {
    guard case .object = node.kind else {
      throw .invalidRecord(
        location: locate(node.start), field: "report",
        message: "expected a report object, not \(node.typeName)")
    }
    do throws(ProtocolEngineError) {
      return try Report.decode(utf8: Array(bytes[node.start..<node.end]), file: file)
    } catch {
      guard case .invalidReport(let location, let field, let message) = error else {
        throw .invalidRecord(location: locate(node.start), field: "report", message: "\(error)")
      }
      // The report is on one line: its column c is the line's column of its start + c - 1.
      var offset = node.start
      var column = 1
      while column < location.position.column, offset < node.end {
        offset += 1
        if offset < node.end, bytes[offset] & 0xC0 != 0x80 { column += 1 }
      }
      throw .invalidRecord(
        location: locate(offset), field: field.isEmpty ? "report" : "report.\(field)",
        message: message)
    }
  }

  /// The decision's escalation, protocols and referrals; other fields are not read.
  static func decodeOutcome(_ node: LineJSON, locate: (Int) -> String) throws(DecisionLogError)
    -> DecisionOutcome
  {
    guard case .object(let pairs) = node.kind else {
      throw .invalidRecord(
        location: locate(node.start), field: "decision",
        message: "expected a decision object, not \(node.typeName)")
    }
    func member(
      _ object: [(key: String, value: LineJSON)], _ key: String, at start: Int, _ path: String
    )
      throws(DecisionLogError) -> LineJSON
    {
      guard let value = object.first(where: { $0.key == key })?.value else {
        throw .invalidRecord(location: locate(start), field: path, message: "missing")
      }
      return value
    }
    let escalationNode = try member(pairs, "escalation", at: node.start, "decision.escalation")
    let escalationText = try text(escalationNode, field: "decision.escalation", locate: locate)
    guard let escalation = Escalation(rawValue: escalationText) else {
      throw .invalidRecord(
        location: locate(escalationNode.start), field: "decision.escalation",
        message: "'\(escalationText)' is not one of "
          + Escalation.allCases.map(\.rawValue).joined(separator: ", "))
    }
    func list(_ key: String) throws(DecisionLogError) -> [(LineJSON, String)] {
      let path = "decision.\(key)"
      let value = try member(pairs, key, at: node.start, path)
      guard case .array(let items) = value.kind else {
        throw .invalidRecord(
          location: locate(value.start), field: path,
          message: "expected a list, not \(value.typeName)")
      }
      return items.enumerated().map { ($1, "\(path)[\($0)]") }
    }
    func field(_ item: LineJSON, _ path: String, _ key: String) throws(DecisionLogError) -> String {
      guard case .object(let object) = item.kind else {
        throw .invalidRecord(
          location: locate(item.start), field: path,
          message: "expected an object, not \(item.typeName)")
      }
      let value = try member(object, key, at: item.start, "\(path).\(key)")
      return try text(value, field: "\(path).\(key)", locate: locate)
    }
    var protocols: [String] = []
    for (item, path) in try list("protocols") { protocols.append(try field(item, path, "id")) }
    var referrals: [DecisionOutcome.Referral] = []
    for (item, path) in try list("referrals") {
      referrals.append(
        DecisionOutcome.Referral(
          contact: try field(item, path, "contact"), role: try field(item, path, "role")))
    }
    return DecisionOutcome(escalation: escalation, referrals: referrals, protocols: protocols)
  }

  static func text(_ node: LineJSON, field: String, locate: (Int) -> String)
    throws(DecisionLogError) -> String
  {
    guard case .string(let text) = node.kind else {
      throw .invalidRecord(
        location: locate(node.start), field: field,
        message: "expected a string, not \(node.typeName)")
    }
    return text
  }

  /// The 1-based column of a byte offset, counted in Unicode scalars as the report decoder
  /// counts them.
  static func column(of offset: Int, in bytes: [UInt8]) -> Int {
    var column = 1
    for byte in bytes[0..<min(offset, bytes.count)] where byte & 0xC0 != 0x80 { column += 1 }
    return column
  }
}
