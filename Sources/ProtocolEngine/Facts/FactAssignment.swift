import Yams

/// A change to one fact of a report, written `path: value` (`victims[0].age: 16`,
/// `location.city: Austin`, `indicators: [force]`). Scenarios use these for what the
/// trainee starts knowing, what an answer reveals and what an event changes.
public struct FactAssignment: Sendable, Hashable, CustomStringConvertible {
  enum Target: Sendable, Hashable {
    case report(ReportFact)
    case victim(Int, VictimFact)
    case indicators
  }

  enum Value: Sendable, Hashable {
    case scalar(Scalar)
    case indicators(IndicatorSet)
    /// The speaker is not sure ("seventeen, I think, or she just turned eighteen"): the fact
    /// stays (or becomes) unknown until someone confirms it. The text is what was said.
    case uncertain(String)
  }

  /// Whether this assignment leaves the fact unknown (the speaker was unsure).
  public var isUncertain: Bool { if case .uncertain = value { true } else { false } }

  /// The fact's path as written.
  public let path: String
  let target: Target
  let value: Value

  /// Parses `path: value`, checking the path against the facts schema and the value
  /// against the fact's type (`victims[0].age: -3` is an error, as in a report), and both
  /// against `Report.Limits` (a victim index below `Report.Limits.victims`, text no longer
  /// than `Report.Limits.textLength`).
  ///
  /// - Throws: `FieldIssue` at the value (or at `pathPosition` for a bad path).
  public static func parse(
    path: String, value node: Node, field: String, pathPosition: SourcePosition,
    geography: Geography? = nil
  ) throws(FieldIssue) -> FactAssignment {
    let target: Target
    do {
      let syntax = try ExpressionParser.parse(path)
      guard case .path = syntax.kind else {
        throw ExpressionError(offset: 0, code: .unknownFact, message: "")
      }
      switch try TypeChecker.check(
        SyntaxNode(kind: .binary(.equal, syntax, syntax), range: syntax.range))
      {
      case .compare(.fact(.report(let fact)), _, _) where fact != .thirdPartyAdultTips:
        target = .report(fact)
      case .compare(.fact(.victim(let index, let fact)), _, _): target = .victim(index, fact)
      default: throw ExpressionError(offset: 0, code: .unknownFact, message: "")
      }
    } catch {
      if path == "indicators" {
        target = .indicators
      } else {
        let facts =
          ReportFact.allCases.filter { $0 != .thirdPartyAdultTips }.map(\.rawValue)
          + ["indicators"] + VictimFact.allCases.map { "victims[0].\($0.rawValue)" }
        throw FieldIssue(
          .unknownFact, at: pathPosition, field: field,
          "'\(path)' is not a fact that can be set\(suggestion(path, facts))")
      }
    }
    if case .victim(let index, _) = target {
      // `victims[100000000].language` would otherwise build 10^8 victims when applied.
      try Report.checkVictimIndex(index, at: pathPosition, field: field)
    }
    let value: Value
    if let uncertain = try uncertainValue(node, target: target, field: field) {
      return FactAssignment(path: path, target: target, value: .uncertain(uncertain))
    }
    switch target {
    case .indicators:
      var set = IndicatorSet()
      let items: [Node]
      if case .sequence = node {
        items = try YAMLValue.sequence(node, field: field)
      } else {
        items = [node]
      }
      for (index, item) in items.enumerated() {
        set.insert(try YAMLValue.choice(item, field: "\(field)[\(index)]", as: Indicator.self))
      }
      value = .indicators(set)
    case .report(let fact):
      value = .scalar(
        try scalar(node, type: fact.type, fact: fact, field: field, geography: geography))
    case .victim(_, let fact):
      switch fact {
      case .age:
        let age = try YAMLValue.int(node, field: field)
        guard (0...Victim.maximumAge).contains(age) else {
          throw FieldIssue(.invalidValue, at: node.position, field: field, "\(age) is not an age")
        }
        value = .scalar(.int(age))
      case .language:
        let text = try checkedText(node, field: field).trimmingSpaces
        guard (2...3).contains(text.count), text.allSatisfy({ $0.isASCII && $0.isLetter }) else {
          throw FieldIssue(
            .invalidValue, at: node.position, field: field,
            "'\(text)' is not an ISO 639 language code (e.g. en, es, vi)")
        }
        value = .scalar(.string(text.lowercased()))
      case .foreignNational, .consentsToLawEnforcement:
        value = .scalar(.bool(try YAMLValue.bool(node, field: field)))
      }
    }
    return FactAssignment(path: path, target: target, value: value)
  }

  /// `unsure`, or for an age a range (`17-18`, `17 or 18`): what the speaker said when they
  /// are not sure. Returns the words shown to the trainee, or nil for an ordinary value.
  private static func uncertainValue(_ node: Node, target: Target, field: String)
    throws(FieldIssue) -> String?
  {
    guard case .scalar(let scalar) = node,
      scalar.style == .plain || scalar.style == .singleQuoted
        || scalar.style == .doubleQuoted
    else { return nil }
    let text = scalar.string.trimmingSpaces.lowercased()
    if text == "unsure" { return "unsure" }
    guard case .victim(_, .age) = target else { return nil }
    let parts = text.split(whereSeparator: { $0 == "-" || $0 == " " }).filter {
      $0 != "or" && $0 != "to"
    }
    guard parts.count == 2, let low = Int(parts[0]), let high = Int(parts[1]) else { return nil }
    guard low < high, low >= 0, high <= Victim.maximumAge else {
      throw FieldIssue(
        .invalidValue, at: node.position, field: field,
        "'\(scalar.string)' is not a range of ages (e.g. 17-18, lowest first)")
    }
    return "\(low) or \(high) (unsure)"
  }

  private static func scalar(
    _ node: Node, type: FactType, fact: ReportFact, field: String, geography: Geography?
  ) throws(FieldIssue) -> Scalar {
    switch type {
    case .bool: return .bool(try YAMLValue.bool(node, field: field))
    case .int: return .int(try YAMLValue.int(node, field: field))
    case .enumeration(_, let values):
      let text = try checkedText(node, field: field)
      guard let index = values.firstIndex(of: text) else {
        throw FieldIssue(
          .invalidValue, at: node.position, field: field,
          "'\(text)' is not one of \(values.joined(separator: ", "))\(suggestion(text, values))")
      }
      return .code(index)
    default:
      let text = try checkedText(node, field: field).trimmingSpaces
      switch fact {
      case .state:
        guard let code = USStates.code(for: text) else {
          throw FieldIssue(
            .invalidValue, at: node.position, field: field,
            "'\(text)' is not a U.S. state code\(suggestion(text, USStates.codes.keys.sorted()))")
        }
        return .string(code)
      case .country:
        guard text.count == 2, text.allSatisfy({ $0.isASCII && $0.isLetter }) else {
          throw FieldIssue(
            .invalidValue, at: node.position, field: field,
            "'\(text)' is not an ISO 3166 country code (e.g. US, MX)")
        }
        return .string(text.uppercased())
      default:
        return .string(text)
      }
    }
  }

  /// A text value, checked as a report's text is (`Report.Limits.textLength`, no control
  /// characters).
  private static func checkedText(_ node: Node, field: String) throws(FieldIssue) -> String {
    let text = try YAMLValue.string(node, field: field)
    try Report.checkText(text, at: node.position, field: field)
    return text
  }

  /// Sets the fact (for `indicators`, adds the listed indicators).
  public func apply(to report: inout Report) {
    if case .victim(let index, _) = target, !(0..<Report.Limits.victims).contains(index) {
      return  // `parse` refuses such an index; nothing may grow a report past the limit.
    }
    switch (target, value) {
    case (.indicators, .indicators(let set)):
      var merged = report.indicators ?? IndicatorSet()
      for indicator in set.sorted { merged.insert(indicator) }
      report.indicators = merged
    case (.victim(let index, let fact), .scalar(let scalar)):
      var victims = report.victims ?? []
      while victims.count <= index { victims.append(Victim()) }
      switch (fact, scalar) {
      case (.age, .int(let age)): victims[index].age = age
      case (.language, .string(let language)): victims[index].language = language
      case (.foreignNational, .bool(let flag)): victims[index].foreignNational = flag
      case (.consentsToLawEnforcement, .bool(let flag)):
        victims[index].consentsToLawEnforcement = flag
      default: break
      }
      report.victims = victims
    case (.report(let fact), .scalar(let scalar)):
      FactAssignment.set(fact, scalar, in: &report)
    case (.report(let fact), .uncertain):
      report.clear(fact)
    case (.victim(let index, let fact), .uncertain):
      var victims = report.victims ?? []
      while victims.count <= index { victims.append(Victim()) }
      victims[index].clear(fact)
      report.victims = victims
    default: break
    }
  }

  private static func set(_ fact: ReportFact, _ scalar: Scalar, in report: inout Report) {
    func code<T: CaseIterable>(_ type: T.Type) -> T? {
      guard case .code(let index) = scalar else { return nil }
      let all = Array(T.allCases)
      return index < all.count ? all[index] : nil
    }
    var flag: Bool? { if case .bool(let value) = scalar { value } else { nil } }
    var text: String? { if case .string(let value) = scalar { value } else { nil } }
    switch fact {
    case .id: report.id = text
    case .channel: report.channel = code(Channel.self)
    case .relationship:
      report.reporter = with(report.reporter ?? Reporter()) {
        $0.relationship = code(Relationship.self)
      }
    case .mandatedReporter:
      report.reporter = with(report.reporter ?? Reporter()) { $0.mandatedReporter = flag }
    case .consentsToShare:
      report.reporter = with(report.reporter ?? Reporter()) { $0.consentsToShare = flag }
    case .country: report.location = with(report.location ?? Location()) { $0.country = text }
    case .state: report.location = with(report.location ?? Location()) { $0.state = text }
    case .county: report.location = with(report.location ?? Location()) { $0.county = text }
    case .city: report.location = with(report.location ?? Location()) { $0.city = text }
    case .traffickingType:
      let type = code(TraffickingType.self)
      report.traffickingType = type == .unknown ? nil : type
    case .caregiver: report.perpetrator = Perpetrator(caregiver: flag)
    case .imminentDanger: report.imminentDanger = flag
    case .onlineExploitation: report.onlineExploitation = flag
    case .forcedMarriage: report.forcedMarriage = flag
    case .thirdPartyAdultTips: break
    }
  }

  /// The value as a trainee reads it (`16`, `Austin`, `force, coercion`).
  public var displayValue: String {
    switch value {
    case .uncertain(let words): return words
    case .indicators(let set): return set.sorted.map(\.rawValue).joined(separator: ", ")
    case .scalar(let scalar):
      switch target {
      case .report(let fact):
        return Condition.render(scalar, type: fact.type).replacingAll("\"", with: "")
      case .victim(_, let fact):
        return Condition.render(scalar, type: fact.type).replacingAll("\"", with: "")
      case .indicators: return ""
      }
    }
  }

  public var description: String { "\(path): \(displayValue)" }
}

private func with<T>(_ value: T, _ change: (inout T) -> Void) -> T {
  var copy = value
  change(&copy)
  return copy
}

extension Report {
  /// A copy of this report with one fact (`victims[0].age`, `location.county`,
  /// `indicators`, `victims`) taken from `source`, whether known there or not. Scoring uses
  /// it to ask "would knowing the true value have changed the decision?".
  ///
  /// - Returns: nil when `path` is not a fact path.
  public func replacing(_ path: String, from source: Report) -> Report? {
    var copy = self
    switch path {
    case "victims": copy.victims = source.victims
    case "indicators": copy.indicators = source.indicators
    default:
      guard let syntax = try? ExpressionParser.parse(path), case .path = syntax.kind,
        case .compare(.fact(let ref), _, _)? = try? TypeChecker.check(
          SyntaxNode(kind: .binary(.equal, syntax, syntax), range: syntax.range))
      else { return nil }
      let value = EvaluationContext(report: source, policy: PolicySettings()).value(
        ref, victim: nil)
      switch ref {
      case .report(let fact):
        if let value {
          FactAssignment(path: path, target: .report(fact), value: .scalar(value)).apply(to: &copy)
        } else {
          copy.clear(fact)
        }
      case .victim(let index, let fact):
        if let value {
          FactAssignment(path: path, target: .victim(index, fact), value: .scalar(value)).apply(
            to: &copy)
        } else if var victims = copy.victims, index < victims.count {
          victims[index].clear(fact)
          copy.victims = victims
        }
      default: return nil
      }
    }
    return copy
  }

  fileprivate mutating func clear(_ fact: ReportFact) {
    switch fact {
    case .id: id = nil
    case .channel: channel = nil
    case .relationship: reporter?.relationship = nil
    case .mandatedReporter: reporter?.mandatedReporter = nil
    case .consentsToShare: reporter?.consentsToShare = nil
    case .country: location?.country = nil
    case .state: location?.state = nil
    case .county: location?.county = nil
    case .city: location?.city = nil
    case .traffickingType: traffickingType = nil
    case .caregiver: perpetrator?.caregiver = nil
    case .imminentDanger: imminentDanger = nil
    case .onlineExploitation: onlineExploitation = nil
    case .forcedMarriage: forcedMarriage = nil
    case .thirdPartyAdultTips: break
    }
  }
}

extension Victim {
  fileprivate mutating func clear(_ fact: VictimFact) {
    switch fact {
    case .age: age = nil
    case .language: language = nil
    case .foreignNational: foreignNational = nil
    case .consentsToLawEnforcement: consentsToLawEnforcement = nil
    }
  }
}
