/// How often the inline tests saw a protocol apply.
public struct ProtocolCoverage: Sendable, Hashable {
  public var id: String
  public var tests: Int
  /// Inline tests (of any protocol) in which this protocol applied.
  public var applied: Int
  /// Inline tests whose report is in this protocol's scope but where it did not apply.
  public var notApplied: Int
}

/// The result of `hotline-route check`.
public struct CheckReport: Sendable {
  public var diagnostics: [Diagnostic]
  public var ruleset: RulesetIdentity?
  public var protocolCount = 0
  public var contactCount = 0
  /// Contacts by family of role: law enforcement, agencies, service providers.
  public var lawEnforcementCount = 0
  public var agencyCount = 0
  public var providerCount = 0
  /// States (with DC and PR) whose counties geography.csv lists.
  public var stateCount = 0
  public var countyCount = 0
  public var testsRun = 0
  public var testsFailed = 0
  public var coverage: [ProtocolCoverage] = []
  public var asOf: Day

  public var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }

  public var json: JSONValue {
    .object([
      ("ok", .bool(!hasErrors)),
      ("as_of", .string(asOf.description)),
      (
        "ruleset",
        ruleset.map { .object([("version", .string($0.version)), ("sha256", .string($0.sha256))]) }
          ?? .null
      ),
      ("protocols", .int(protocolCount)),
      ("contacts", .int(contactCount)),
      (
        "directory",
        .object([
          ("law_enforcement", .int(lawEnforcementCount)), ("agencies", .int(agencyCount)),
          ("providers", .int(providerCount)),
        ])
      ),
      ("states", .int(stateCount)),
      ("counties", .int(countyCount)),
      (
        "tests",
        .object([
          ("run", .int(testsRun)), ("passed", .int(testsRun - testsFailed)),
          ("failed", .int(testsFailed)),
        ])
      ),
      (
        "coverage",
        .array(
          coverage.map {
            .object([
              ("protocol", .string($0.id)), ("tests", .int($0.tests)),
              ("applied", .int($0.applied)),
              ("not_applied", .int($0.notApplied)),
            ])
          })
      ),
      (
        "diagnostics",
        .array(
          diagnostics.map {
            .object([
              ("file", .string($0.location.file)), ("line", .int($0.location.position.line)),
              ("column", .int($0.location.position.column)),
              ("severity", .string($0.severity.rawValue)),
              ("code", .string($0.code.rawValue)), ("message", .string($0.message)),
            ])
          })
      ),
    ])
  }

  /// Diagnostics one per line, then a summary.
  public var text: String {
    var lines = diagnostics.map(\.description)
    let errors = diagnostics.filter { $0.severity == .error }.count
    let warnings = diagnostics.filter { $0.severity == .warning }.count
    if let ruleset {
      let applied = coverage.filter { $0.applied > 0 }.count
      let both = coverage.filter { $0.applied > 0 && $0.notApplied > 0 }.count
      lines.append(
        "checked \(protocolCount) protocols, \(contactCount) contacts, \(countyCount) counties as of \(asOf)"
      )
      lines.append(
        "directory: \(lawEnforcementCount) law-enforcement contacts, \(agencyCount) agencies, "
          + "\(providerCount) providers; counties of \(stateCount) states, DC and territories")
      lines.append("inline tests: \(testsRun - testsFailed) passed, \(testsFailed) failed")
      lines.append(
        "coverage: \(applied)/\(protocolCount) protocols applied by an inline test; "
          + "\(both)/\(protocolCount) also seen not applying")
      lines.append("ruleset \(ruleset.version) sha256 \(ruleset.sha256)")
    }
    lines.append(
      "\(errors) error\(errors == 1 ? "" : "s"), \(warnings) warning\(warnings == 1 ? "" : "s")")
    return lines.joined(separator: "\n") + "\n"
  }
}

/// Checks a protocol set beyond parsing: inline tests, coverage, unreachable and shadowed
/// protocols, roles with no contact somewhere in a protocol's scope.
public enum ProtocolChecker {
  /// Parses and checks a set. Parse errors end the check early (the set cannot run).
  public static func check(_ source: ProtocolSetSource, asOf day: Day) -> CheckReport {
    let (parsed, diagnostics) = ProtocolSet.parse(source)
    guard let set = parsed else {
      return CheckReport(diagnostics: diagnostics, ruleset: nil, asOf: day)
    }
    var report = check(set, asOf: day)
    report.diagnostics = (diagnostics + report.diagnostics).sorted()
    return report
  }

  public static func check(_ set: ProtocolSet, asOf day: Day) -> CheckReport {
    let engine = Engine(set)
    var diagnostics: [Diagnostic] = []
    var report = CheckReport(
      diagnostics: [], ruleset: RulesetIdentity(version: set.policy.version, sha256: set.sha256),
      asOf: day)
    report.protocolCount = set.protocols.count
    report.contactCount = set.contacts.count
    report.lawEnforcementCount = set.contacts.filter { $0.role.kind == .lawEnforcement }.count
    report.agencyCount = set.contacts.filter { $0.role.kind == .agency }.count
    report.providerCount = set.contacts.filter { $0.role.kind == .provider }.count
    report.stateCount = set.geography.states.count
    report.countyCount = set.geography.states.reduce(0) {
      $0 + set.geography.counties(state: $1).count
    }

    // Inline tests, and coverage over every test's decision.
    var applied: [String: Int] = [:]
    var notApplied: [String: Int] = [:]
    for item in set.protocols {
      if item.tests.isEmpty {
        diagnostics.append(
          Diagnostic(.error, .untested, at: item.location, "\(item.id) has no inline tests"))
      }
      for test in item.tests {
        report.testsRun += 1
        let testDay = test.asOf ?? day
        let decision = engine.decide(test.report, asOf: testDay, explain: true, policy: test.policy)
        let appliedIDs = Set(decision.protocols.map(\.id))
        let jurisdiction = (test.report.location ?? Location()).jurisdiction
        for other in set.protocols where other.isInForce(on: testDay) {
          if appliedIDs.contains(other.id) {
            applied[other.id, default: 0] += 1
          } else if other.scope.contains(jurisdiction) {
            notApplied[other.id, default: 0] += 1
          }
        }
        let failures = failures(of: test, protocol: item, decision: decision)
        if !failures.isEmpty {
          report.testsFailed += 1
          let summary =
            "escalation \(decision.escalation.rawValue); protocols \(decision.protocols.map(\.id).joined(separator: ", ")); roles \(decision.roles.map(\.rawValue).joined(separator: ", "))"
          diagnostics.append(
            Diagnostic(
              .error, .testFailed, at: test.location,
              "\(item.id) test '\(test.name)': \(failures.joined(separator: "; ")) (decided: \(summary))"
            ))
        }
      }
    }
    report.coverage = set.protocols.map {
      ProtocolCoverage(
        id: $0.id, tests: $0.tests.count, applied: applied[$0.id] ?? 0,
        notApplied: notApplied[$0.id] ?? 0)
    }
    for item in set.protocols where (applied[item.id] ?? 0) == 0 && !item.tests.isEmpty {
      diagnostics.append(
        Diagnostic(
          .warning, .neverApplied, at: item.location, "no inline test makes \(item.id) apply"))
    }

    // Unreachable and not in force.
    for item in set.protocols {
      if Satisfiability.isUnsatisfiable(item.condition) {
        diagnostics.append(
          Diagnostic(
            .warning, .unreachable, at: item.whenLocation,
            "\(item.id) can never apply: its condition contradicts itself"))
      }
      if let expires = item.expires, expires < day {
        diagnostics.append(
          Diagnostic(.note, .notInForce, at: item.location, "\(item.id) expired on \(expires)"))
      } else if day < item.effective {
        diagnostics.append(
          Diagnostic(
            .note, .notInForce, at: item.location,
            "\(item.id) is not in force until \(item.effective)"))
      }
    }
    for contact in set.contacts where !contact.isActive(on: day) {
      diagnostics.append(
        Diagnostic(
          .note, .notInForce, at: contact.location, "contact \(contact.id) is not active on \(day)")
      )
    }

    diagnostics += shadowed(set)
    diagnostics += roleGaps(set, engine: engine, on: day)
    report.diagnostics = diagnostics.sorted()
    return report
  }

  /// What an inline test expected and did not get.
  static func failures(of test: ProtocolTest, protocol item: ReportingProtocol, decision: Decision)
    -> [String]
  {
    var failures: [String] = []
    let appliedIDs = decision.protocols.map(\.id)
    if appliedIDs.contains(item.id) != test.expect.applies {
      failures.append(
        test.expect.applies ? "expected \(item.id) to apply" : "expected \(item.id) not to apply")
    }
    if let escalation = test.expect.escalation, escalation != decision.escalation {
      failures.append(
        "expected escalation \(escalation.rawValue), got \(decision.escalation.rawValue)")
    }
    let roles = Set(decision.roles)
    if let expected = test.expect.roles, Set(expected) != roles {
      let missing = Set(expected).subtracting(roles).sorted().map(\.rawValue)
      let extra = roles.subtracting(expected).sorted().map(\.rawValue)
      var parts: [String] = []
      if !missing.isEmpty { parts.append("missing \(missing.joined(separator: ", "))") }
      if !extra.isEmpty { parts.append("unexpected \(extra.joined(separator: ", "))") }
      failures.append("roles differ: \(parts.joined(separator: "; "))")
    }
    let missing = test.expect.includesRoles.filter { !roles.contains($0) }
    if !missing.isEmpty {
      failures.append("expected referral to \(missing.map(\.rawValue).joined(separator: ", "))")
    }
    let unwanted = test.expect.excludesRoles.filter { roles.contains($0) }
    if !unwanted.isEmpty {
      failures.append("expected no referral to \(unwanted.map(\.rawValue).joined(separator: ", "))")
    }
    let needs = Set(decision.needs.map(\.fact))
    let missingNeeds = test.expect.needs.filter { !needs.contains($0) }
    if !missingNeeds.isEmpty {
      failures.append("expected needs \(missingNeeds.joined(separator: ", "))")
    }
    return failures
  }

  /// A protocol is shadowed when another, at the same or a wider scope and in force at
  /// least as long, requires a subset of its conditions and does everything it does.
  static func shadowed(_ set: ProtocolSet) -> [Diagnostic] {
    var diagnostics: [Diagnostic] = []
    for item in set.protocols {
      let conditions = Set(item.conjuncts.map(\.canonical))
      let rules = Set(
        item.referrals.map { "\($0.role.rawValue)|\($0.consent.rawValue)|\($0.topic ?? "")" })
      for other in set.protocols
      where other.id != item.id && other.stage == item.stage && other.perVictim == item.perVictim {
        guard other.scope.contains(item.scope), other.escalation >= item.escalation,
          other.effective <= item.effective,
          other.expires.map({ end in item.expires.map { end >= $0 } ?? false }) ?? true,
          Set(other.conjuncts.map(\.canonical)).isSubset(of: conditions),
          rules.isSubset(
            of: Set(
              other.referrals.map { "\($0.role.rawValue)|\($0.consent.rawValue)|\($0.topic ?? "")" }
            ))
        else { continue }
        // Two identical protocols shadow each other; report only the later id.
        if Set(other.conjuncts.map(\.canonical)) == conditions, other.scope == item.scope,
          other.escalation == item.escalation, other.id > item.id
        {
          continue
        }
        diagnostics.append(
          Diagnostic(
            .warning, .shadowed, at: item.location,
            "\(item.id) is shadowed by \(other.id) (\(other.location.file)): whenever it applies, \(other.id) applies too and already escalates and refers as much"
          ))
        break
      }
    }
    return diagnostics
  }

  /// For each protocol's referral roles, the counties in its scope where no contact resolves.
  static func roleGaps(_ set: ProtocolSet, engine: Engine, on day: Day) -> [Diagnostic] {
    var diagnostics: [Diagnostic] = []
    for item in set.protocols where item.isInForce(on: day) {
      var jurisdictions: [Jurisdiction] = []
      for state in set.geography.states {
        for county in set.geography.counties(state: state) {
          let jurisdiction = Jurisdiction(components: [Jurisdiction.homeCountry, state, county])
          if item.scope.contains(jurisdiction) { jurisdictions.append(jurisdiction) }
        }
      }
      if item.scope.depth >= 3 { jurisdictions = [item.scope] }
      for rule in item.referrals {
        var missing: [String] = []
        for jurisdiction in jurisdictions {
          if engine.contacts(for: rule.role, topic: rule.topic, in: jurisdiction, on: day).isEmpty {
            missing.append(jurisdiction.components.dropFirst().joined(separator: "/"))
          }
        }
        guard !missing.isEmpty else { continue }
        let examples =
          missing.prefix(5).joined(separator: ", ") + (missing.count > 5 ? ", ..." : "")
        diagnostics.append(
          Diagnostic(
            .warning, .roleWithoutContact, at: item.location,
            "\(item.id) refers \(rule.role.rawValue)\(rule.topic.map { " (topic \($0))" } ?? ""), which has no active contact in \(missing.count) of \(jurisdictions.count) counties of its scope: \(examples)"
          ))
      }
    }
    return diagnostics + uncoveredStates(set, engine: engine, on: day)
  }

  /// Notes (not warnings) for national protocols whose roles have no contact at all in the
  /// states geography.csv does not cover: a report from there routes with a near miss
  /// ("find one by hand") for that role.
  static func uncoveredStates(_ set: ProtocolSet, engine: Engine, on day: Day) -> [Diagnostic] {
    let covered = Set(set.geography.states)
    let others = USStates.codes.keys.filter { !covered.contains($0) }.sorted()
    guard !others.isEmpty else { return [] }
    var diagnostics: [Diagnostic] = []
    for item in set.protocols where item.isInForce(on: day) && item.scope.depth <= 1 {
      for rule in item.referrals {
        let missing = others.filter { state in
          engine.contacts(
            for: rule.role, topic: rule.topic,
            in: Jurisdiction(components: [Jurisdiction.homeCountry, state]), on: day
          ).isEmpty
        }
        guard !missing.isEmpty else { continue }
        let examples =
          missing.prefix(6).joined(separator: ", ") + (missing.count > 6 ? ", ..." : "")
        diagnostics.append(
          Diagnostic(
            .note, .roleWithoutContact, at: item.location,
            "\(item.id) refers \(rule.role.rawValue), which has no contact in \(missing.count) states outside geography.csv (\(examples)); reports from there are told to find one by hand"
          ))
      }
    }
    return diagnostics
  }
}
