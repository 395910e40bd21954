import ProtocolEngine

/// A record as a sink's buffer keeps it: the scalars, and the masked report and the decision
/// already rendered to compact JSON bytes.
///
/// A ``DecisionRecord`` holds two `JSONValue` trees, hundreds of small allocations and
/// several kilobytes per record; a backlog of tens of thousands of them (a slow disk, a
/// database restarting) left the allocator holding tens of megabytes after it drained. A
/// queued record is a handful of contiguous buffers, rendered once on submit, and the writers
/// only copy bytes.
struct QueuedRecord: Sendable {
  var requestID: String
  var time: String
  var rulesetVersion: String
  var rulesetSHA256: String
  var asOf: String
  /// The masked report, compact JSON.
  var report: [UInt8]
  /// The decision, compact JSON.
  var decision: [UInt8]
  /// The decision's escalation (empty when it names none).
  var escalation: String
  /// The bytes the record holds, about: what the buffer's byte limit counts.
  let size: Int

  init(_ record: DecisionRecord) {
    requestID = record.requestID
    time = record.time
    rulesetVersion = record.rulesetVersion
    rulesetSHA256 = record.rulesetSHA256
    asOf = record.asOf.description
    report = QueuedRecord.exact(record.report.renderedUTF8())
    decision = QueuedRecord.exact(record.decision.renderedUTF8())
    escalation = record.escalation?.rawValue ?? ""
    size =
      report.count + decision.count + requestID.utf8.count + time.utf8.count
      + rulesetVersion.utf8.count + rulesetSHA256.utf8.count + asOf.utf8.count
      + escalation.utf8.count + QueuedRecord.overhead
  }

  /// A copy with no spare capacity (the renderer's buffer grows by doubling, so up to half
  /// of it is unused; a buffer of tens of thousands of records would keep all of that).
  static func exact(_ bytes: [UInt8]) -> [UInt8] {
    [UInt8](unsafeUninitializedCapacity: bytes.count) { buffer, count in
      count = buffer.initialize(fromContentsOf: bytes)
    }
  }

  /// What a record costs beyond its bytes: the struct, the buffers' headers, the allocator.
  static let overhead = 256

  /// Appends the record's log line, byte for byte ``DecisionRecord/jsonLine`` (the same keys
  /// in the same order, strings escaped by the same renderer), newline included.
  func appendLine(to out: inout [UInt8]) {
    func key(_ text: StaticString) {
      out.append(
        contentsOf: UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }
    func string(_ text: String) { out.append(contentsOf: JSONValue.string(text).renderedUTF8()) }
    key("{\"request_id\":")
    string(requestID)
    key(",\"time\":")
    string(time)
    key(",\"ruleset\":{\"version\":")
    string(rulesetVersion)
    key(",\"sha256\":")
    string(rulesetSHA256)
    key("},\"as_of\":")
    string(asOf)
    key(",\"report\":")
    out.append(contentsOf: report)
    key(",\"decision\":")
    out.append(contentsOf: decision)
    key("}\n")
  }

}
