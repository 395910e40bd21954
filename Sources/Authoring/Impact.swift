import ProtocolEngine
import ScenarioKit

/// What a scenario expects of a trainee under one protocol set: the engine's decision on a
/// report, reduced to what scoring holds a trainee to.
public struct Expectation: Sendable, Hashable {
  public var escalation: Escalation
  /// The roles referred now, in the decision's order.
  public var roles: [Role]
  /// The ids of the protocols that apply, sorted.
  public var protocols: [String]
  /// The facts the decision turns on, sorted (see ``Expectation/keyFacts(of:decision:engine:asOf:)``).
  public var keyFacts: [String]
  /// The facts the decision still needs, sorted.
  public var needs: [String]

  /// Decides `report` under `engine` and reduces the decision.
  public init(_ report: Report, engine: Engine, asOf day: Day) {
    let decision = engine.decide(report, asOf: day)
    escalation = decision.escalation
    roles = decision.roles
    protocols = decision.protocols.map(\.id).sorted()
    keyFacts = Expectation.keyFacts(of: report, decision: decision, engine: engine, asOf: day)
    needs = decision.needs.map(\.fact)
  }

  /// The key facts of a decision: the known facts of the report each of which, forgotten on
  /// its own (made unknown, everything else kept), changes the escalation, the roles
  /// referred or the protocols that apply.
  ///
  /// Why this definition: it is what a trainee is scored on (a fact whose answer moves the
  /// decision is a key question), it reads no protocol's condition, so it means the same
  /// whatever the protocols are written like, and a protocol change that moves which facts
  /// matter shows even when the outcome stays the same. Facts still unknown are the
  /// decision's `needs`, reported beside it. Two facts that each suffice on their own (two
  /// protocols giving the same outcome) are neither key: forgetting one changes nothing.
  ///
  /// - Complexity: one decision (without explanations) per known fact of the report.
  public static func keyFacts(of report: Report, decision: Decision, engine: Engine, asOf day: Day)
    -> [String]
  {
    let protocols = Set(decision.protocols.map(\.id))
    var facts: [String] = []
    for (path, _) in report.knownFacts {
      guard let forgotten = report.replacing(path, from: Report()) else { continue }
      let other = engine.decide(forgotten, asOf: day, explain: false)
      if other.escalation != decision.escalation || other.roles != decision.roles
        || Set(other.protocols.map(\.id)) != protocols
      {
        facts.append(path)
      }
    }
    return facts.sorted()
  }
}

/// How one expectation changes between two protocol sets. Lists are sorted and empty when
/// nothing changed.
public struct ExpectationChange: Sendable, Hashable {
  /// The escalation before and after, when it changed.
  public var escalation: (from: Escalation, to: Escalation)?
  public var rolesAdded: [Role]
  public var rolesRemoved: [Role]
  public var protocolsAdded: [String]
  public var protocolsRemoved: [String]
  public var keyFactsAdded: [String]
  public var keyFactsRemoved: [String]
  public var needsAdded: [String]
  public var needsRemoved: [String]

  public init(from old: Expectation, to new: Expectation) {
    escalation = old.escalation == new.escalation ? nil : (old.escalation, new.escalation)
    func added<T: Hashable>(_ before: [T], _ after: [T]) -> [T] {
      let old = Set(before)
      return after.filter { !old.contains($0) }
    }
    rolesAdded = added(old.roles, new.roles)
    rolesRemoved = added(new.roles, old.roles)
    protocolsAdded = added(old.protocols, new.protocols)
    protocolsRemoved = added(new.protocols, old.protocols)
    keyFactsAdded = added(old.keyFacts, new.keyFacts)
    keyFactsRemoved = added(new.keyFacts, old.keyFacts)
    needsAdded = added(old.needs, new.needs)
    needsRemoved = added(new.needs, old.needs)
  }

  public var isEmpty: Bool {
    escalation == nil && rolesAdded.isEmpty && rolesRemoved.isEmpty && protocolsAdded.isEmpty
      && protocolsRemoved.isEmpty && keyFactsAdded.isEmpty && keyFactsRemoved.isEmpty
      && needsAdded.isEmpty && needsRemoved.isEmpty
  }

  public static func == (lhs: ExpectationChange, rhs: ExpectationChange) -> Bool {
    lhs.escalation?.from == rhs.escalation?.from && lhs.escalation?.to == rhs.escalation?.to
      && lhs.rolesAdded == rhs.rolesAdded && lhs.rolesRemoved == rhs.rolesRemoved
      && lhs.protocolsAdded == rhs.protocolsAdded && lhs.protocolsRemoved == rhs.protocolsRemoved
      && lhs.keyFactsAdded == rhs.keyFactsAdded && lhs.keyFactsRemoved == rhs.keyFactsRemoved
      && lhs.needsAdded == rhs.needsAdded && lhs.needsRemoved == rhs.needsRemoved
  }

  public func hash(into hasher: inout Hasher) {
    hasher.combine(escalation?.from)
    hasher.combine(escalation?.to)
    hasher.combine(rolesAdded)
    hasher.combine(protocolsAdded)
    hasher.combine(keyFactsAdded)
    hasher.combine(needsAdded)
  }
}

/// One scenario whose expectation changes.
public struct ScenarioImpact: Sendable, Hashable {
  public var id: String
  public var title: String
  public var path: String
  /// The change on the hidden truth (what `explain` shows).
  public var onTruth: ExpectationChange
  /// The change on the best a trainee can learn (see ``ImpactReport/learnable(_:)``): what an
  /// attempt that asks everything is scored against.
  public var onRevealed: ExpectationChange
}

/// A scenario file that did not load, with its first error.
public struct SkippedScenario: Sendable, Hashable {
  public var path: String
  public var error: String

  public init(path: String, error: String) {
    self.path = path
    self.error = error
  }
}

/// What a protocol-set change does to the scenarios: which expect something else of a
/// trainee (see ``init(comparing:baseline:proposed:asOf:)``).
public struct ImpactReport: Sendable, Hashable {
  /// The scenarios compared.
  public var checked: Int
  /// The scenarios whose expectation changes, sorted by id, then path.
  public var changed: [ScenarioImpact]
  /// Files that did not load and were not compared.
  public var skipped: [SkippedScenario] = []
  public var asOf: Day
  public var baseline: RulesetIdentity
  public var proposed: RulesetIdentity

  public init(
    checked: Int, changed: [ScenarioImpact], skipped: [SkippedScenario] = [], asOf: Day,
    baseline: RulesetIdentity, proposed: RulesetIdentity
  ) {
    self.checked = checked
    self.changed = changed
    self.skipped = skipped
    self.asOf = asOf
    self.baseline = baseline
    self.proposed = proposed
  }
}

extension ImpactReport {
  /// Protocol-change impact: compares every scenario's expectation under two protocol sets,
  /// on the truth and on what a trainee can learn. Run it on a pull request that edits
  /// `Protocols/`; it names the scenarios whose transcripts, debriefs and instructors' notes
  /// need a look.
  ///
  /// - Parameters:
  ///   - scenarios: the scenarios (load them with the baseline's geography).
  ///   - baseline: the set in force (usually the shipped one).
  ///   - proposed: the changed set.
  ///   - day: protocols and contacts in force on this day are used, in both sets.
  /// - Complexity: per scenario, two reports decided under each set, plus one decision per
  ///   known fact of each (for the key facts).
  public init(comparing scenarios: [Scenario], baseline: Engine, proposed: Engine, asOf day: Day) {
    var impacts: [ScenarioImpact] = []
    for scenario in scenarios {
      let learned = ImpactReport.learnable(scenario)
      let onTruth = ExpectationChange(
        from: Expectation(scenario.truth, engine: baseline, asOf: day),
        to: Expectation(scenario.truth, engine: proposed, asOf: day))
      let onRevealed = ExpectationChange(
        from: Expectation(learned, engine: baseline, asOf: day),
        to: Expectation(learned, engine: proposed, asOf: day))
      guard !onTruth.isEmpty || !onRevealed.isEmpty else { continue }
      impacts.append(
        ScenarioImpact(
          id: scenario.id, title: scenario.title, path: scenario.path, onTruth: onTruth,
          onRevealed: onRevealed))
    }
    impacts.sort { ($0.id, $0.path) < ($1.id, $1.path) }
    // The identity every decision under each set carries.
    self.init(
      checked: scenarios.count, changed: impacts, asOf: day,
      baseline: baseline.decide(Report(), asOf: day, explain: false).ruleset,
      proposed: proposed.decide(Report(), asOf: day, explain: false).ruleset)
  }

  /// The best a trainee can learn in a scenario: its `known` facts, then every `reveals` of
  /// every answer, event and choice option applied in the order they are written in the file
  /// (a later correction wins, as when it is heard last). An unsure reveal ("17 or 18, I
  /// think") is skipped: it teaches nothing, so it never undoes a fact learned elsewhere.
  public static func learnable(_ scenario: Scenario) -> Report {
    var effects: [(position: SourcePosition, order: Int, effect: Effect)] = []
    for topic in scenario.topics {
      for answer in topic.answers {
        effects.append((answer.position, effects.count, answer.effect))
      }
    }
    for event in scenario.events { effects.append((event.position, effects.count, event.effect)) }
    for choice in scenario.choices {
      for option in choice.options {
        effects.append((option.position, effects.count, option.effect))
      }
    }
    effects.sort { ($0.position, $0.order) < ($1.position, $1.order) }
    var report = scenario.knownReport
    for item in effects {
      for fact in item.effect.reveals where !fact.isUncertain { fact.apply(to: &report) }
    }
    return report
  }
}

// MARK: - Output

extension ImpactReport {
  /// `N of M scenarios change`.
  public var summary: String {
    "\(changed.count) of \(checked) scenario\(checked == 1 ? "" : "s") change"
  }

  /// One block per changed scenario, then the summary line. (Skipped files are left to the
  /// caller, which reports them as diagnostics.)
  public var text: String {
    var out = ""
    for impact in changed {
      out += "\(impact.id): \(impact.title) (\(impact.path))\n"
      out += "  on the truth:\(impact.onTruth.text)"
      out += "  on what a trainee can learn:"
      out += impact.onRevealed == impact.onTruth ? " the same\n" : impact.onRevealed.text
      out += "\n"
    }
    func ruleset(_ identity: RulesetIdentity) -> String {
      "\(identity.version) (\(identity.sha256.prefix(12)))"
    }
    out += "\(summary) (ruleset \(ruleset(baseline)) -> \(ruleset(proposed)), as of \(asOf))\n"
    return out
  }

  /// The report as one JSON object, every object's keys sorted.
  public var json: JSONValue {
    func ruleset(_ identity: RulesetIdentity) -> JSONValue {
      .object([("sha256", .string(identity.sha256)), ("version", .string(identity.version))])
    }
    return .object([
      ("as_of", .string(asOf.description)),
      ("baseline", ruleset(baseline)),
      ("changed", .int(changed.count)),
      ("checked", .int(checked)),
      ("proposed", ruleset(proposed)),
      (
        "scenarios",
        .array(
          changed.map { impact in
            .object([
              ("id", .string(impact.id)),
              ("path", .string(impact.path)),
              ("revealed", impact.onRevealed.json),
              ("title", .string(impact.title)),
              ("truth", impact.onTruth.json),
            ])
          })
      ),
      (
        "skipped",
        .array(
          skipped.map {
            .object([("error", .string($0.error)), ("path", .string($0.path))])
          })
      ),
    ])
  }
}

extension ExpectationChange {
  /// ` unchanged` or the changed parts, one indented line each; ends with a newline.
  var text: String {
    guard !isEmpty else { return " unchanged\n" }
    var out = "\n"
    if let escalation {
      out += "    escalation: \(escalation.from.rawValue) -> \(escalation.to.rawValue)\n"
    }
    func line(_ label: String, _ items: [String]) {
      if !items.isEmpty { out += "    \(label): \(items.joined(separator: ", "))\n" }
    }
    line("referrals added", rolesAdded.map(\.rawValue))
    line("referrals removed", rolesRemoved.map(\.rawValue))
    line("protocols added", protocolsAdded)
    line("protocols removed", protocolsRemoved)
    line("key facts added", keyFactsAdded)
    line("key facts removed", keyFactsRemoved)
    line("needs added", needsAdded)
    line("needs removed", needsRemoved)
    return out
  }

  var json: JSONValue {
    func pair(_ added: [String], _ removed: [String]) -> JSONValue {
      .object([
        ("added", .array(added.map(JSONValue.string))),
        ("removed", .array(removed.map(JSONValue.string))),
      ])
    }
    return .object([
      (
        "escalation",
        escalation.map {
          .object([("from", .string($0.from.rawValue)), ("to", .string($0.to.rawValue))])
        } ?? .null
      ),
      ("key_facts", pair(keyFactsAdded, keyFactsRemoved)),
      ("needs", pair(needsAdded, needsRemoved)),
      ("protocols", pair(protocolsAdded, protocolsRemoved)),
      ("referral_roles", pair(rolesAdded.map(\.rawValue), rolesRemoved.map(\.rawValue))),
    ])
  }
}
