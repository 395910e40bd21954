import ProtocolEngine

/// How one logged decision changes when its report is decided again under another ruleset.
public struct ReplayedChange: Sendable, Hashable {
  public var requestID: String
  public var time: String
  public var asOf: Day
  /// Where the record is in the log (`file:line`).
  public var source: String
  /// The escalation logged and the one now, when they differ.
  public var escalationFrom: Escalation?
  public var escalationTo: Escalation?
  public var referralsAdded: [DecisionOutcome.Referral]
  public var referralsRemoved: [DecisionOutcome.Referral]
  public var protocolsAdded: [String]
  public var protocolsRemoved: [String]

  /// Compares a logged outcome with a new one; `nil` when nothing changed.
  init?(_ logged: LoggedDecision, now: DecisionOutcome) {
    let old = logged.outcome
    requestID = logged.record.requestID
    time = logged.record.time
    asOf = logged.record.asOf
    source = logged.source
    if old.escalation != now.escalation {
      escalationFrom = old.escalation
      escalationTo = now.escalation
    }
    func added<T: Hashable>(_ before: [T], _ after: [T]) -> [T] {
      let before = Set(before)
      return after.filter { !before.contains($0) }
    }
    referralsAdded = added(old.referrals, now.referrals)
    referralsRemoved = added(now.referrals, old.referrals)
    protocolsAdded = added(old.protocols, now.protocols)
    protocolsRemoved = added(now.protocols, old.protocols)
    if escalationFrom == nil, referralsAdded.isEmpty, referralsRemoved.isEmpty,
      protocolsAdded.isEmpty, protocolsRemoved.isEmpty
    {
      return nil
    }
  }
}

/// The records of one ruleset found in a log.
public struct LoggedRuleset: Sendable, Hashable {
  public var version: String
  public var sha256: String
  public var records: Int
  /// Where its first record is.
  public var first: String
}

/// What a changed ruleset would have decided differently on the decisions in a log: the
/// protocol administrator's impact check on real traffic.
///
/// Each logged (masked) report is decided again under the proposed ruleset, on the day the
/// log says it was decided for (`as_of`), and compared with the logged decision: the
/// escalation, the referrals made now (by contact and role) and the protocols that apply.
public struct ReplayReport: Sendable {
  /// The ruleset the reports were decided again under.
  public var proposed: RulesetIdentity
  /// Records replayed (after `--since`).
  public var replayed = 0
  /// The records whose decision changes, sorted by time, then request id.
  public var changes: [ReplayedChange] = []
  /// The rulesets the log's records were decided under, in order of first appearance.
  public var rulesets: [LoggedRuleset] = []
  /// Times a record's ruleset differs from the record before it.
  public var rulesetSwitches = 0
  private var lastSHA256: String?
  private var rulesetIndex: [String: Int] = [:]

  public init(proposed: RulesetIdentity) { self.proposed = proposed }

  /// Decides one logged report again and records any change.
  public mutating func replay(_ logged: LoggedDecision, engine: Engine) {
    replayed += 1
    let sha256 = logged.record.rulesetSHA256
    if let lastSHA256, lastSHA256 != sha256 { rulesetSwitches += 1 }
    lastSHA256 = sha256
    let key = sha256 + "\u{0}" + logged.record.rulesetVersion
    if let index = rulesetIndex[key] {
      rulesets[index].records += 1
    } else {
      rulesetIndex[key] = rulesets.count
      rulesets.append(
        LoggedRuleset(
          version: logged.record.rulesetVersion, sha256: sha256, records: 1, first: logged.source))
    }
    let decision = engine.decide(logged.report, asOf: logged.record.asOf)
    if let change = ReplayedChange(logged, now: DecisionOutcome(decision)) {
      changes.append(change)
    }
  }

  /// The changes in output order.
  public var sortedChanges: [ReplayedChange] {
    changes.sorted {
      let left = (LogInstant(rfc3339: $0.time)?.milliseconds ?? 0, $0.requestID, $0.source)
      let right = (LogInstant(rfc3339: $1.time)?.milliseconds ?? 0, $1.requestID, $1.source)
      return left < right
    }
  }

  /// Reports whose escalation changes.
  public var escalationChanges: Int { changes.count { $0.escalationFrom != nil } }
  /// Reports with referrals added, and the referrals added in all.
  public var referralsAdded: (reports: Int, referrals: Int) {
    (
      changes.count { !$0.referralsAdded.isEmpty },
      changes.reduce(0) { $0 + $1.referralsAdded.count }
    )
  }
  public var referralsRemoved: (reports: Int, referrals: Int) {
    (
      changes.count { !$0.referralsRemoved.isEmpty },
      changes.reduce(0) { $0 + $1.referralsRemoved.count }
    )
  }
  public var protocolsAdded: (reports: Int, protocols: Int) {
    (
      changes.count { !$0.protocolsAdded.isEmpty },
      changes.reduce(0) { $0 + $1.protocolsAdded.count }
    )
  }
  public var protocolsRemoved: (reports: Int, protocols: Int) {
    (
      changes.count { !$0.protocolsRemoved.isEmpty },
      changes.reduce(0) { $0 + $1.protocolsRemoved.count }
    )
  }

  /// Escalation moves (`from -> to`) with how many reports make each, sorted by the levels
  /// (highest first).
  public var escalationMoves: [(from: Escalation, to: Escalation, reports: Int)] {
    var counts: [Pair: Int] = [:]
    for change in changes {
      if let from = change.escalationFrom, let to = change.escalationTo {
        counts[Pair(from: from, to: to), default: 0] += 1
      }
    }
    return counts.sorted { ($1.key.from, $1.key.to) < ($0.key.from, $0.key.to) }
      .map { ($0.key.from, $0.key.to, $0.value) }
  }

  /// Per referral (contact and role) and per protocol: how many reports gain it or lose it,
  /// sorted.
  public var referralTotals: [(referral: DecisionOutcome.Referral, added: Int, removed: Int)] {
    var totals: [DecisionOutcome.Referral: (Int, Int)] = [:]
    for change in changes {
      for referral in change.referralsAdded { totals[referral, default: (0, 0)].0 += 1 }
      for referral in change.referralsRemoved { totals[referral, default: (0, 0)].1 += 1 }
    }
    return totals.keys.sorted().map { ($0, totals[$0]?.0 ?? 0, totals[$0]?.1 ?? 0) }
  }

  public var protocolTotals: [(id: String, added: Int, removed: Int)] {
    var totals: [String: (Int, Int)] = [:]
    for change in changes {
      for id in change.protocolsAdded { totals[id, default: (0, 0)].0 += 1 }
      for id in change.protocolsRemoved { totals[id, default: (0, 0)].1 += 1 }
    }
    return totals.keys.sorted().map { ($0, totals[$0]?.0 ?? 0, totals[$0]?.1 ?? 0) }
  }

  private struct Pair: Hashable {
    var from: Escalation
    var to: Escalation
  }
}

// MARK: - Output

extension ReplayReport {
  /// `N of M reports change`.
  public var summary: String {
    "\(changes.count) of \(replayed) report\(replayed == 1 ? "" : "s") change"
  }

  private static func ruleset(_ version: String, _ sha256: String) -> String {
    "\(version) (\(sha256.prefix(12)))"
  }

  /// One block per changed report, then the totals, the rulesets of the log and the summary.
  public var text: String {
    var out = ""
    for change in sortedChanges {
      out += "\(change.requestID) (\(change.source), \(change.time), as of \(change.asOf)):\n"
      if let from = change.escalationFrom, let to = change.escalationTo {
        out += "    escalation: \(from.rawValue) -> \(to.rawValue)\n"
      }
      func line(_ label: String, _ items: [String]) {
        if !items.isEmpty { out += "    \(label): \(items.joined(separator: ", "))\n" }
      }
      line("referrals added", change.referralsAdded.map(\.description))
      line("referrals removed", change.referralsRemoved.map(\.description))
      line("protocols added", change.protocolsAdded)
      line("protocols removed", change.protocolsRemoved)
      out += "\n"
    }
    if !changes.isEmpty {
      out += "Changes by kind (reports):\n"
      out += "  escalation changed: \(escalationChanges)\n"
      for move in escalationMoves {
        out += "    \(move.from.rawValue) -> \(move.to.rawValue): \(move.reports)\n"
      }
      out +=
        "  referrals added: \(referralsAdded.reports) (\(referralsAdded.referrals) referrals)\n"
      out +=
        "  referrals removed: \(referralsRemoved.reports) (\(referralsRemoved.referrals) referrals)\n"
      out +=
        "  protocols added: \(protocolsAdded.reports) (\(protocolsAdded.protocols) protocols)\n"
      out +=
        "  protocols removed: \(protocolsRemoved.reports) (\(protocolsRemoved.protocols) protocols)\n"
      if !referralTotals.isEmpty {
        out += "By referral:\n"
        for item in referralTotals {
          out += "  \(item.referral): +\(item.added) -\(item.removed)\n"
        }
      }
      if !protocolTotals.isEmpty {
        out += "By protocol:\n"
        for item in protocolTotals { out += "  \(item.id): +\(item.added) -\(item.removed)\n" }
      }
      out += "\n"
    }
    if rulesets.count > 1 {
      out +=
        "Note: the log holds decisions from \(rulesets.count) rulesets (the ruleset changes "
        + "\(rulesetSwitches) time\(rulesetSwitches == 1 ? "" : "s") between records):\n"
    }
    for item in rulesets {
      out +=
        "\(rulesets.count > 1 ? "  " : "Logged under ")ruleset "
        + "\(ReplayReport.ruleset(item.version, item.sha256)): \(item.records) "
        + "record\(item.records == 1 ? "" : "s") (first at \(item.first))\n"
    }
    out += "\(summary) (replayed under ruleset "
    out += "\(ReplayReport.ruleset(proposed.version, proposed.sha256)))\n"
    return out
  }

  /// The report as one JSON object, every object's keys sorted.
  public var json: JSONValue {
    func ruleset(_ version: String, _ sha256: String) -> [(String, JSONValue)] {
      [("sha256", .string(sha256)), ("version", .string(version))]
    }
    func pair(_ added: [String], _ removed: [String]) -> JSONValue {
      .object([
        ("added", .array(added.map(JSONValue.string))),
        ("removed", .array(removed.map(JSONValue.string))),
      ])
    }
    func referrals(_ items: [DecisionOutcome.Referral]) -> [JSONValue] {
      items.map { .object([("contact", .string($0.contact)), ("role", .string($0.role))]) }
    }
    func counted(_ counts: (Int, Int)) -> JSONValue {
      .object([("items", .int(counts.1)), ("reports", .int(counts.0))])
    }
    return .object([
      ("changed", .int(changes.count)),
      (
        "changes",
        .array(
          sortedChanges.map { change in
            .object([
              ("as_of", .string(change.asOf.description)),
              (
                "escalation",
                change.escalationFrom.flatMap { from in
                  change.escalationTo.map { to in
                    .object([("from", .string(from.rawValue)), ("to", .string(to.rawValue))])
                  }
                } ?? .null
              ),
              ("protocols", pair(change.protocolsAdded, change.protocolsRemoved)),
              (
                "referrals",
                .object([
                  ("added", .array(referrals(change.referralsAdded))),
                  ("removed", .array(referrals(change.referralsRemoved))),
                ])
              ),
              ("request_id", .string(change.requestID)),
              ("source", .string(change.source)),
              ("time", .string(change.time)),
            ])
          })
      ),
      (
        "counts",
        .object([
          ("escalation_changed", .int(escalationChanges)),
          (
            "escalation_moves",
            .array(
              escalationMoves.map {
                .object([
                  ("from", .string($0.from.rawValue)), ("reports", .int($0.reports)),
                  ("to", .string($0.to.rawValue)),
                ])
              })
          ),
          ("protocols_added", counted(protocolsAdded)),
          ("protocols_removed", counted(protocolsRemoved)),
          ("referrals_added", counted(referralsAdded)),
          ("referrals_removed", counted(referralsRemoved)),
        ])
      ),
      ("proposed", .object(ruleset(proposed.version, proposed.sha256))),
      ("replayed", .int(replayed)),
      (
        "rulesets",
        .array(
          rulesets.map {
            .object(
              [("first", .string($0.first)), ("records", .int($0.records))]
                + ruleset($0.version, $0.sha256))
          })
      ),
      ("ruleset_switches", .int(rulesetSwitches)),
    ])
  }
}
