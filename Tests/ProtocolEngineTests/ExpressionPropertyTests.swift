import Foundation
import PropertyBased
import ProtocolEngine
import Testing

/// Property-based tests of the expression language (issue 13): over random well-typed
/// expressions and random reports, the canonical rendering parses back to itself,
/// evaluation is total and agrees with a reference Kleene evaluator, and the three-valued
/// laws hold.
@Suite("Expression language: properties")
struct ExpressionPropertyTests {
  // MARK: - Model

  /// A well-typed expression over the facts schema, as the test understands it.
  indirect enum Model: Sendable, CustomStringConvertible {
    case constant(Bool)
    /// A boolean fact of the report (`imminent_danger`).
    case fact(String)
    /// `victims[i].age op n` (or `v.age` when `victim` is nil), or `n op ...` when flipped.
    case age(victim: Int?, op: String, value: Int, flipped: Bool)
    /// A boolean fact of a victim: `victims[i].foreign_national` or `v.foreign_national`.
    case victimFact(victim: Int?, name: String)
    /// `path == "value"` or `path != "value"` for an enumerated fact.
    case enumeration(path: String, value: String, equal: Bool)
    case stateIn([String])
    case indicator(String)
    case known(String)
    case not(Model)
    case and(Model, Model)
    case or(Model, Model)
    case any(Model)
    case all(Model)

    /// The canonical rendering the engine is expected to give.
    var description: String {
      func quoted(_ text: String) -> String { "\"\(text)\"" }
      switch self {
      case .constant(let value): return value ? "true" : "false"
      case .fact(let path): return path
      case .age(let victim, let op, let value, let flipped):
        let fact = victim.map { "victims[\($0)].age" } ?? "v.age"
        return flipped ? "(\(value) \(op) \(fact))" : "(\(fact) \(op) \(value))"
      case .victimFact(let victim, let name):
        return (victim.map { "victims[\($0)]" } ?? "v") + "." + name
      case .enumeration(let path, let value, let equal):
        return "(\(path) \(equal ? "==" : "!=") \(quoted(value)))"
      case .stateIn(let states):
        return "(location.state in [\(states.map(quoted).joined(separator: ", "))])"
      case .indicator(let name): return "(\(quoted(name)) in indicators)"
      case .known(let path): return "known(\(path))"
      case .not(let inner): return "!" + inner.description
      case .and(let lhs, let rhs): return "(\(lhs) && \(rhs))"
      case .or(let lhs, let rhs): return "(\(lhs) || \(rhs))"
      case .any(let inner): return "any(victims, \(inner))"
      case .all(let inner): return "all(victims, \(inner))"
      }
    }

    /// Smaller expressions for shrinking: the operands.
    var parts: [Model] {
      switch self {
      case .not(let inner), .any(let inner), .all(let inner): [inner]
      case .and(let lhs, let rhs), .or(let lhs, let rhs): [lhs, rhs]
      default: []
      }
    }

    var usesBoundVictim: Bool {
      switch self {
      case .age(let victim, _, _, _), .victimFact(let victim, _): victim == nil
      case .not(let inner): inner.usesBoundVictim
      case .and(let lhs, let rhs), .or(let lhs, let rhs):
        lhs.usesBoundVictim || rhs.usesBoundVictim
      default: false
      }
    }
  }

  struct VictimModel: Sendable {
    var age: Int?
    var foreignNational: Bool?
    var consents: Bool?
  }

  /// A report as the test understands it, and its JSON.
  struct ReportModel: Sendable, CustomStringConvertible {
    var bools: [String: Bool] = [:]
    var traffickingType: String?
    var channel: String?
    var state: String?
    var indicators: [String]?
    var victims: [VictimModel]?

    var description: String { json }

    var json: String {
      var top: [String] = []
      func add(_ key: String, _ value: String) { top.append("\"\(key)\": \(value)") }
      for key in ["imminent_danger", "forced_marriage", "online_exploitation"] {
        if let value = bools[key] { add(key, String(value)) }
      }
      var reporter: [String] = []
      for key in ["mandated_reporter", "consents_to_share"] {
        if let value = bools["reporter." + key] { reporter.append("\"\(key)\": \(value)") }
      }
      if !reporter.isEmpty { add("reporter", "{" + reporter.joined(separator: ", ") + "}") }
      if let value = bools["perpetrator.caregiver"] {
        add("perpetrator", "{\"caregiver\": \(value)}")
      }
      if let traffickingType { add("trafficking_type", "\"\(traffickingType)\"") }
      if let channel { add("channel", "\"\(channel)\"") }
      if let state { add("location", "{\"country\": \"US\", \"state\": \"\(state)\"}") }
      if let indicators {
        add("indicators", "[" + indicators.map { "\"\($0)\"" }.joined(separator: ", ") + "]")
      }
      if let victims {
        let items = victims.map { victim in
          var fields: [String] = []
          if let age = victim.age { fields.append("\"age\": \(age)") }
          if let value = victim.foreignNational { fields.append("\"foreign_national\": \(value)") }
          if let value = victim.consents {
            fields.append("\"consents_to_law_enforcement\": \(value)")
          }
          return "{" + fields.joined(separator: ", ") + "}"
        }
        add("victims", "[" + items.joined(separator: ", ") + "]")
      }
      return "{" + top.joined(separator: ", ") + "}"
    }
  }

  static let boolFacts = [
    "imminent_danger", "forced_marriage", "online_exploitation", "perpetrator.caregiver",
    "reporter.mandated_reporter", "reporter.consents_to_share",
  ]
  static let traffickingTypes = ["sex", "labor", "both", "none", "unknown"]
  static let channels = ["call", "text", "chat", "webform", "email"]
  static let states = ["TX", "CA", "FL", "NY"]
  static let indicatorNames = [
    "force", "fraud", "coercion", "debt_bondage", "document_confiscation", "commercial_sex",
    "restricted_movement", "threats_immigration", "wage_theft",
  ]
  static let operators = ["==", "!=", "<", "<=", ">", ">="]
  static let numbers = [Int.min, -1, 0, 1, 17, 18, 21, 110, 111, Int.max]

  // MARK: - Generators

  static func model(
    _ rng: inout any SeededRandomNumberGenerator, depth: Int, bound: Bool = false
  ) -> Model {
    let leaf = depth <= 0 || Int.random(in: 0..<3, using: &rng) == 0
    if leaf {
      let victim: Int? =
        bound && Bool.random(using: &rng) ? nil : Int.random(in: 0...3, using: &rng)
      switch Int.random(in: 0..<9, using: &rng) {
      case 0: return .constant(Bool.random(using: &rng))
      case 1: return .fact(boolFacts.randomElement(using: &rng) ?? "imminent_danger")
      case 2:
        return .age(
          victim: victim, op: operators.randomElement(using: &rng) ?? "<",
          value: numbers.randomElement(using: &rng) ?? 18, flipped: Bool.random(using: &rng))
      case 3:
        let name = Bool.random(using: &rng) ? "foreign_national" : "consents_to_law_enforcement"
        return .victimFact(victim: victim, name: name)
      case 4:
        let trafficking = Bool.random(using: &rng)
        let values = trafficking ? traffickingTypes : channels
        return .enumeration(
          path: trafficking ? "trafficking_type" : "channel",
          value: values.randomElement(using: &rng) ?? "sex", equal: Bool.random(using: &rng))
      case 5:
        let count = Int.random(in: 0...3, using: &rng)
        return .stateIn((0..<count).compactMap { _ in states.randomElement(using: &rng) })
      case 6: return .indicator(indicatorNames.randomElement(using: &rng) ?? "force")
      case 7:
        let paths =
          boolFacts + ["trafficking_type", "channel", "location.state", "victims", "indicators"]
          + ["victims[\(Int.random(in: 0...3, using: &rng))].age"]
        return .known(paths.randomElement(using: &rng) ?? "victims")
      default:
        return .fact(boolFacts.randomElement(using: &rng) ?? "forced_marriage")
      }
    }
    switch Int.random(in: 0..<(bound ? 3 : 5), using: &rng) {
    case 0: return .not(model(&rng, depth: depth - 1, bound: bound))
    case 1:
      return .and(
        model(&rng, depth: depth - 1, bound: bound), model(&rng, depth: depth - 1, bound: bound))
    case 2:
      return .or(
        model(&rng, depth: depth - 1, bound: bound), model(&rng, depth: depth - 1, bound: bound))
    case 3: return .any(model(&rng, depth: depth - 1, bound: true))
    default: return .all(model(&rng, depth: depth - 1, bound: true))
    }
  }

  /// Expressions up to `depth` operators deep (depth 4 keeps two of them, joined, well under
  /// the length limit).
  static func models(depth: Int) -> Generator<Model, [Model]> {
    Generator(run: { rng in model(&rng, depth: depth) }, shrink: { $0.parts })
  }

  static let reports = Generator<ReportModel, Shrink.None<ReportModel>>(run: { rng in
    var report = ReportModel()
    for key in boolFacts where Bool.random(using: &rng) {
      report.bools[key] = Bool.random(using: &rng)
    }
    if Bool.random(using: &rng) {
      report.traffickingType = traffickingTypes.randomElement(using: &rng)
    }
    if Bool.random(using: &rng) { report.channel = channels.randomElement(using: &rng) }
    if Bool.random(using: &rng) { report.state = states.randomElement(using: &rng) }
    if Bool.random(using: &rng) {
      report.indicators = indicatorNames.filter { _ in Int.random(in: 0..<4, using: &rng) == 0 }
    }
    if Bool.random(using: &rng) {
      report.victims = (0..<Int.random(in: 1...3, using: &rng)).map { _ in
        VictimModel(
          age: Bool.random(using: &rng) ? Int.random(in: 0...110, using: &rng) : nil,
          foreignNational: Bool.random(using: &rng) ? Bool.random(using: &rng) : nil,
          consents: Bool.random(using: &rng) ? Bool.random(using: &rng) : nil)
      }
    }
    return report
  })

  // MARK: - Reference semantics

  static func and(_ lhs: Truth, _ rhs: Truth) -> Truth {
    if lhs == .false || rhs == .false { return .false }
    return lhs == .true && rhs == .true ? .true : .unknown
  }

  static func or(_ lhs: Truth, _ rhs: Truth) -> Truth {
    if lhs == .true || rhs == .true { return .true }
    return lhs == .false && rhs == .false ? .false : .unknown
  }

  static func not(_ value: Truth) -> Truth {
    switch value {
    case .true: .false
    case .false: .true
    case .unknown: .unknown
    }
  }

  static func truth(_ value: Bool?) -> Truth { value.map { $0 ? .true : .false } ?? .unknown }

  static func compare(_ lhs: Int, _ op: String, _ rhs: Int) -> Bool {
    switch op {
    case "==": lhs == rhs
    case "!=": lhs != rhs
    case "<": lhs < rhs
    case "<=": lhs <= rhs
    case ">": lhs > rhs
    default: lhs >= rhs
    }
  }

  /// Kleene's logic as the README states it, written independently of the engine.
  static func evaluate(_ model: Model, _ report: ReportModel, victim: VictimModel? = nil) -> Truth {
    func victimAt(_ index: Int?) -> VictimModel? {
      guard let index else { return victim }
      guard let victims = report.victims, index < victims.count else { return nil }
      return victims[index]
    }
    let traffickingType = report.traffickingType == "unknown" ? nil : report.traffickingType
    switch model {
    case .constant(let value): return value ? .true : .false
    case .fact(let path): return truth(report.bools[path])
    case .age(let index, let op, let value, let flipped):
      guard let age = victimAt(index)?.age else { return .unknown }
      return truth(flipped ? compare(value, op, age) : compare(age, op, value))
    case .victimFact(let index, let name):
      let found = victimAt(index)
      return truth(name == "foreign_national" ? found?.foreignNational : found?.consents)
    case .enumeration(let path, let value, let equal):
      guard let actual = path == "trafficking_type" ? traffickingType : report.channel else {
        return .unknown
      }
      return truth((actual == value) == equal)
    case .stateIn(let states): return truth(report.state.map { states.contains($0) })
    case .indicator(let name): return truth(report.indicators.map { $0.contains(name) })
    case .known(let path):
      switch path {
      case "trafficking_type": return truth(traffickingType != nil)
      case "channel": return truth(report.channel != nil)
      case "location.state": return truth(report.state != nil)
      case "victims": return truth(report.victims != nil)
      case "indicators": return truth(report.indicators != nil)
      case let path where path.hasPrefix("victims["):
        let index = Int(path.dropFirst(8).prefix { $0 != "]" }) ?? 0
        return truth(victimAt(index)?.age != nil)
      default: return truth(report.bools[path] != nil)
      }
    case .not(let inner): return not(evaluate(inner, report, victim: victim))
    case .and(let lhs, let rhs):
      return and(evaluate(lhs, report, victim: victim), evaluate(rhs, report, victim: victim))
    case .or(let lhs, let rhs):
      return or(evaluate(lhs, report, victim: victim), evaluate(rhs, report, victim: victim))
    case .any(let inner):
      guard let victims = report.victims else { return .unknown }
      return victims.reduce(Truth.false) { or($0, evaluate(inner, report, victim: $1)) }
    case .all(let inner):
      guard let victims = report.victims else { return .unknown }
      return victims.reduce(Truth.true) { and($0, evaluate(inner, report, victim: $1)) }
    }
  }

  // MARK: - Properties

  @Test func theCanonicalRenderingParsesBackToItself() async {
    await propertyCheck(count: 300, input: Self.models(depth: 6), Gen.int(in: 0...3)) {
      model, spacing in
      let canonical = model.description
      let expression = try Expression(canonical)
      #expect(expression.canonical == canonical)
      #expect(try Expression(expression.canonical) == expression)
      // Other spacing, the same expression (no generated string literal holds a space).
      let spaced = canonical.replacingOccurrences(
        of: " ", with: ["  ", "\n", "\t ", " \r\n "][spacing])
      #expect(try Expression(spaced).canonical == canonical)
    }
  }

  @Test func evaluationIsTotalAndAgreesWithKleenesLogic() async {
    await propertyCheck(count: 500, input: Self.models(depth: 6), Self.reports) {
      model, reportModel in
      let expression = try Expression(model.description)
      let report = try TestSupport.report(reportModel.json)
      let result = expression.evaluate(report)
      #expect(result == Self.evaluate(model, reportModel))
      let unknowns = expression.unknownFacts(in: report)
      if result != .unknown { #expect(unknowns.isEmpty) }
    }
  }

  @Test func threeValuedLawsHold() async {
    await propertyCheck(
      count: 300, input: Self.models(depth: 4), Self.models(depth: 4), Self.reports
    ) {
      a, b, reportModel in
      let report = try TestSupport.report(reportModel.json)
      func value(_ text: String) throws -> Truth { try Expression(text).evaluate(report) }
      let (a, b) = (a.description, b.description)
      let valueA = try value(a)
      #expect(try value("!!\(a)") == valueA)
      #expect(try value("!(\(a) && \(b))") == value("!\(a) || !\(b)"))
      #expect(try value("!(\(a) || \(b))") == value("!\(a) && !\(b)"))
      #expect(try value("\(a) && false") == .false)
      #expect(try value("false && \(a)") == .false)
      #expect(try value("\(a) || true") == .true)
      #expect(try value("\(a) && true") == valueA)
      #expect(try value("\(a) || false") == valueA)
      #expect(try value("\(a) && \(b)") == value("\(b) && \(a)"))
      #expect(try value("\(a) || \(b)") == value("\(b) || \(a)"))
      // No victim has index 7, so this is unknown in every report.
      let unknown = "victims[7].age > 0"
      #expect(try value(unknown) == .unknown)
      #expect(try value("\(unknown) && true") == .unknown)
      #expect(try value("\(unknown) || false") == .unknown)
      #expect(try value("!(\(unknown))") == .unknown)
    }
  }

  static let openers = ["(", "!", "!(", "known(", "["]

  /// An expression nested `depth` deep with the opener `openers[kind]` parses, or fails with
  /// the limit error exactly when it is over a limit (never a crash).
  static func checkNesting(depth: Int, kind: Int) {
    let opener = openers[kind]
    let closer = String(repeating: ")", count: opener.filter { $0 == "(" }.count)
    let text: String
    if opener == "[" {
      text =
        "location.state in " + String(repeating: "[", count: depth) + "\"TX\""
        + String(repeating: "]", count: depth)
    } else {
      text =
        String(repeating: opener, count: depth) + "imminent_danger"
        + String(repeating: closer, count: depth)
    }
    // Nesting as written: each opener is a level ("!(" is two).
    let levels = opener == "!(" ? 2 * depth : depth
    // Depth once compiled: each `!` and the test at the bottom is a level; parentheses
    // are not (so 64 `!` parse, but compile 65 deep: over `maximumDepth`).
    let compiled = opener.hasPrefix("!") ? depth + 1 : 1
    let over =
      levels > ExpressionLimits.maximumNesting || compiled > ExpressionLimits.maximumDepth
    do throws(ExpressionError) {
      _ = try Expression(text)
      #expect(!over, "\(depth) x \(opener)")
    } catch {
      if over {
        #expect(error.code == .expressionLimit, "\(depth) x \(opener)")
      } else {
        // Within the limits, only ordinary type errors (a nested list, known(known(...))).
        #expect(error.code != .expressionLimit, "\(depth) x \(opener)")
      }
    }
  }

  @Test func anyNestingEitherParsesOrIsTheLimitErrorNeverACrash() async {
    await propertyCheck(
      count: 200, input: Gen.int(in: 0...300), Gen.int(in: 0..<Self.openers.count)
    ) { depth, kind in
      Self.checkNesting(depth: depth, kind: kind)
    }
  }

  /// The boundaries, every run (the property above samples them only now and then).
  @Test(arguments: [0, 1, 31, 32, 33, 63, 64, 65, 66, 128])
  func nestingAtTheLimitsIsDecidedTheSameEveryTime(depth: Int) {
    for kind in Self.openers.indices { Self.checkNesting(depth: depth, kind: kind) }
  }
}
