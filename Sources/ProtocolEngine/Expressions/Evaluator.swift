/// What an expression is evaluated against: the report, the policy and, for stage-2
/// protocols, the referrals the other protocols make.
struct EvaluationContext {
  let report: Report
  let policy: PolicySettings
  /// Roles (as bits) that stage-1 protocols refer now.
  var referred: UInt32 = 0
  /// Roles (as bits) that stage-1 protocols would refer but for a consent still unknown.
  var pending: UInt32 = 0
  /// For pending roles, the consent fact that decides them (only filled when explaining).
  var pendingFacts: [Role: String] = [:]
  /// Answers host functions (`asked("x")`); unknown when absent.
  var host: (@Sendable (String, String) -> Bool)?

  init(report: Report, policy: PolicySettings) {
    self.report = report
    self.policy = policy
  }

  /// Reads a fact; `nil` means unknown.
  @inline(__always)
  func value(_ ref: FactRef, victim: Int?) -> Scalar? {
    switch ref {
    case .report(let fact): return value(fact)
    case .boundVictim(let fact):
      guard let victim, let victims = report.victims, victim < victims.count else { return nil }
      return value(fact, of: victims[victim])
    case .victim(let index, let fact):
      guard let victims = report.victims, index < victims.count else { return nil }
      return value(fact, of: victims[index])
    case .victims, .indicators: return nil
    }
  }

  @inline(__always)
  private func value(_ fact: ReportFact) -> Scalar? {
    // Read through `self.report` each time: binding it to a local would copy the report
    // (and retain every reference it holds) on every read.
    switch fact {
    case .id: return self.report.id.map(Scalar.string)
    case .channel: return self.report.channel.map { .code($0.ordinal) }
    case .relationship: return self.report.reporter?.relationship.map { .code($0.ordinal) }
    case .mandatedReporter: return self.report.reporter?.mandatedReporter.map(Scalar.bool)
    case .consentsToShare: return self.report.reporter?.consentsToShare.map(Scalar.bool)
    case .country:
      return .string(self.report.location?.effectiveCountry ?? Jurisdiction.homeCountry)
    case .state: return self.report.location?.state.map(Scalar.string)
    case .county: return self.report.location?.county.map(Scalar.string)
    case .city: return self.report.location?.city.map(Scalar.string)
    case .traffickingType:
      return self.report.traffickingType.map { .code($0.ordinal) }
    case .caregiver: return self.report.perpetrator?.caregiver.map(Scalar.bool)
    case .imminentDanger: return self.report.imminentDanger.map(Scalar.bool)
    case .onlineExploitation: return self.report.onlineExploitation.map(Scalar.bool)
    case .forcedMarriage: return self.report.forcedMarriage.map(Scalar.bool)
    case .thirdPartyAdultTips: return .code(policy.thirdPartyAdultTips.ordinal)
    }
  }

  @inline(__always)
  private func value(_ fact: VictimFact, of victim: Victim) -> Scalar? {
    switch fact {
    case .age: victim.age.map(Scalar.int)
    case .foreignNational: victim.foreignNational.map(Scalar.bool)
    case .language: victim.language.map(Scalar.string)
    case .consentsToLawEnforcement: victim.consentsToLawEnforcement.map(Scalar.bool)
    }
  }

  func isKnown(_ ref: FactRef, victim: Int?) -> Bool {
    switch ref {
    case .victims: report.victims != nil
    case .indicators: report.indicators != nil
    default: value(ref, victim: victim) != nil
    }
  }
}

extension Condition {
  /// Evaluates with Kleene's three-valued logic.
  func evaluate(_ context: EvaluationContext, victim: Int? = nil) -> Truth {
    switch self {
    case .constant(let value): return Truth(value)
    case .fact(let ref):
      guard case .bool(let value)? = context.value(ref, victim: victim) else { return .unknown }
      return Truth(value)
    case .compare(let lhs, let op, let rhs):
      guard let left = Condition.operand(lhs, context, victim),
        let right = Condition.operand(rhs, context, victim)
      else { return .unknown }
      return Truth(Condition.compare(left, op, right))
    case .member(let operand, let values):
      guard let value = Condition.operand(operand, context, victim) else { return .unknown }
      return Truth(values.contains(value))
    case .indicator(let indicator):
      guard let indicators = context.report.indicators else { return .unknown }
      return Truth(indicators.contains(indicator))
    case .anyIndicator(let mask):
      guard let indicators = context.report.indicators else { return .unknown }
      return Truth(indicators.bits & mask != 0)
    case .not(let inner): return !inner.evaluate(context, victim: victim)
    case .and(let items):
      var result = Truth.true
      // By index: `for item in items` would copy (and retain) every condition.
      for index in items.indices {
        switch items[index].evaluate(context, victim: victim) {
        case .false: return .false
        case .unknown: result = .unknown
        case .true: break
        }
      }
      return result
    case .or(let items):
      var result = Truth.false
      for index in items.indices {
        switch items[index].evaluate(context, victim: victim) {
        case .true: return .true
        case .unknown: result = .unknown
        case .false: break
        }
      }
      return result
    case .known(let ref): return Truth(context.isKnown(ref, victim: victim))
    case .anyVictim(let inner):
      guard let victims = context.report.victims else { return .unknown }
      var result = Truth.false
      for index in victims.indices {
        switch inner.evaluate(context, victim: index) {
        case .true: return .true
        case .unknown: result = .unknown
        case .false: break
        }
      }
      return result
    case .allVictims(let inner):
      guard let victims = context.report.victims else { return .unknown }
      guard !victims.isEmpty else { return .false }
      var result = Truth.true
      for index in victims.indices {
        switch inner.evaluate(context, victim: index) {
        case .false: return .false
        case .unknown: result = .unknown
        case .true: break
        }
      }
      return result
    case .refers(let role):
      if context.referred & role.bit != 0 { return .true }
      return context.pending & role.bit != 0 ? .unknown : .false
    case .host(let name, let argument):
      guard let host = context.host else { return .unknown }
      return Truth(host(name, argument))
    }
  }

  @inline(__always)
  private static func operand(_ operand: Operand, _ context: EvaluationContext, _ victim: Int?)
    -> Scalar?
  {
    switch operand {
    case .literal(let value): value
    case .fact(let ref): context.value(ref, victim: victim)
    }
  }

  @inline(__always)
  private static func compare(_ lhs: Scalar, _ op: ComparisonOperator, _ rhs: Scalar) -> Bool {
    switch op {
    case .equal: return lhs == rhs
    case .notEqual: return lhs != rhs
    default:
      guard case .int(let left) = lhs, case .int(let right) = rhs else { return false }
      switch op {
      case .less: return left < right
      case .lessOrEqual: return left <= right
      case .greater: return left > right
      default: return left >= right
      }
    }
  }

  /// The unknown facts that make this condition unknown: the ones whose value could still
  /// change the result. Call only when `evaluate` returned `.unknown`.
  func unknownFacts(_ context: EvaluationContext, victim: Int? = nil, into facts: inout [String]) {
    switch self {
    case .constant,
      .indicator where context.report.indicators != nil,
      .anyIndicator where context.report.indicators != nil:
      return
    case .indicator, .anyIndicator: facts.append("indicators")
    case .fact(let ref), .known(let ref):
      if !context.isKnown(ref, victim: victim) { facts.append(ref.path(victim: victim)) }
    case .compare(let lhs, _, let rhs):
      for case .fact(let ref) in [lhs, rhs] where !context.isKnown(ref, victim: victim) {
        facts.append(ref.path(victim: victim))
      }
    case .member(let operand, _):
      if case .fact(let ref) = operand, !context.isKnown(ref, victim: victim) {
        facts.append(ref.path(victim: victim))
      }
    case .not(let inner): inner.unknownFacts(context, victim: victim, into: &facts)
    case .and(let items), .or(let items):
      for item in items where item.evaluate(context, victim: victim) == .unknown {
        item.unknownFacts(context, victim: victim, into: &facts)
      }
    case .anyVictim(let inner), .allVictims(let inner):
      guard let victims = context.report.victims else {
        facts.append("victims")
        return
      }
      for index in victims.indices where inner.evaluate(context, victim: index) == .unknown {
        inner.unknownFacts(context, victim: index, into: &facts)
      }
    case .refers(let role):
      if let fact = context.pendingFacts[role] { facts.append(fact) }
    case .host: return
    }
  }
}

extension Condition {
  /// The known facts the condition reads, as `path = value`, in order and without repeats;
  /// used to say why a near miss failed ("victims[0].age = 24").
  func knownFactValues(_ context: EvaluationContext, victim: Int? = nil) -> [String] {
    var values: [String] = []
    collectValues(context, victim: victim, into: &values)
    var seen = Set<String>()
    return values.filter { seen.insert($0).inserted }
  }

  private func collectValues(
    _ context: EvaluationContext, victim: Int?, into values: inout [String]
  ) {
    func add(_ ref: FactRef, victim: Int?) {
      switch ref {
      case .indicators:
        if let indicators = context.report.indicators {
          values.append(
            "indicators = [\(indicators.sorted.map(\.rawValue).joined(separator: ", "))]")
        }
      case .victims:
        if let victims = context.report.victims { values.append("victims: \(victims.count)") }
      default:
        guard let value = context.value(ref, victim: victim) else { return }
        values.append("\(ref.path(victim: victim)) = \(Condition.render(value, type: ref.type))")
      }
    }
    switch self {
    case .constant, .refers, .host: return
    case .indicator, .anyIndicator: add(.indicators, victim: victim)
    case .fact(let ref), .known(let ref): add(ref, victim: victim)
    case .compare(let lhs, _, let rhs):
      for case .fact(let ref) in [lhs, rhs] { add(ref, victim: victim) }
    case .member(let operand, _):
      if case .fact(let ref) = operand { add(ref, victim: victim) }
    case .not(let inner): inner.collectValues(context, victim: victim, into: &values)
    case .and(let items), .or(let items):
      for item in items { item.collectValues(context, victim: victim, into: &values) }
    case .anyVictim(let inner), .allVictims(let inner):
      for index in (context.report.victims ?? []).indices {
        inner.collectValues(context, victim: index, into: &values)
      }
    }
  }

  static func render(_ value: Scalar, type: FactType) -> String {
    switch value {
    case .bool(let flag): return flag ? "true" : "false"
    case .int(let number): return String(number)
    case .string(let text): return "\"\(text)\""
    case .code(let index):
      if case .enumeration(_, let names) = type, index < names.count { return names[index] }
      return String(index)
    }
  }
}
