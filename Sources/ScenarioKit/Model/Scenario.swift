import ProtocolEngine

/// Who a scenario is written for.
public enum Audience: String, Sendable, Hashable, CaseIterable {
  case telecommunicator
  case taskForce = "task_force"
  case advocate
}

public enum Difficulty: String, Sendable, Hashable, CaseIterable, Comparable {
  case introductory, intermediate, advanced

  public static func < (lhs: Difficulty, rhs: Difficulty) -> Bool {
    allCases.firstIndex(of: lhs) ?? 0 < allCases.firstIndex(of: rhs) ?? 0
  }
}

/// How serious a deviation is (dispatch QA's four levels), lowest first.
public enum DeviationSeverity: String, Sendable, Hashable, CaseIterable, Comparable {
  case minor, moderate, major, critical

  public static func < (lhs: DeviationSeverity, rhs: DeviationSeverity) -> Bool {
    allCases.firstIndex(of: lhs) ?? 0 < allCases.firstIndex(of: rhs) ?? 0
  }

  /// `MINOR` ... `CRITICAL`, as printed in debriefs.
  public var label: String { rawValue.uppercased() }
}

/// Dispatch-QA compliance levels, from the worst deviation.
public enum Compliance: String, Sendable, Hashable, CaseIterable {
  case highCompliance = "high_compliance"
  case compliant
  case partial
  case low
  case nonCompliant = "non_compliant"

  public init(worst: DeviationSeverity?) {
    switch worst {
    case nil: self = .highCompliance
    case .minor?: self = .compliant
    case .moderate?: self = .partial
    case .major?: self = .low
    case .critical?: self = .nonCompliant
    }
  }
}

/// Why an attempt ended.
public enum EndReason: String, Sendable, Hashable, CaseIterable {
  case submitted
  case hungUp = "hung_up"
  case disconnected
  case timedOut = "timed_out"
  case abandoned
}

/// A condition in the engine's expression language, over the scenario's current truth,
/// with the scenario functions `asked`, `fired`, `chose`, `escalated` and `referred`.
public struct ScenarioCondition: Sendable, Hashable {
  public static let functions = ["asked", "fired", "chose", "escalated", "referred"]

  public let expression: Expression
  public var text: String { expression.text }
}

/// A reply: one of several wordings, picked by the attempt's seed.
public struct Reply: Sendable, Hashable {
  public var variants: [String]

  public var isEmpty: Bool { variants.isEmpty }
}

/// What happens when an answer, event or option takes effect.
public struct Effect: Sendable, Hashable {
  public var say = Reply(variants: [])
  /// Facts the trainee learns (they may differ from the truth: the caller can be wrong).
  public var reveals: [FactAssignment] = []
  /// Changes to the truth from now on.
  public var sets: [FactAssignment] = []
  /// A choice beat this opens.
  public var offers: String?
  /// Ends the attempt (`hung_up` or `disconnected`).
  public var ends: EndReason?
}

public struct Answer: Sendable, Hashable {
  public var when: ScenarioCondition?
  public var effect: Effect
  /// Where the answer is written (for authoring diagnostics).
  public var position = SourcePosition(line: 1, column: 1)
}

/// Something the trainee can ask about.
public struct Topic: Sendable, Hashable {
  public var id: String
  public var question: String
  public var keywords: [String]
  public var answers: [Answer]
  /// Seconds this question costs, if not the scenario's `ask` cost.
  public var cost: Int?
  public var position = SourcePosition(line: 1, column: 1)
}

/// Something that happens on the clock or after an action.
public struct ScenarioEvent: Sendable, Hashable {
  public var id: String
  /// Seconds from the start.
  public var at: Int?
  public var when: ScenarioCondition?
  public var effect: Effect
  public var position = SourcePosition(line: 1, column: 1)
}

/// An option of a choice beat.
public struct ChoiceOption: Sendable, Hashable {
  public var id: String
  public var text: String
  public var effect: Effect
  public var deviation: (severity: DeviationSeverity, message: String)?
  public var position = SourcePosition(line: 1, column: 1)

  public static func == (lhs: ChoiceOption, rhs: ChoiceOption) -> Bool {
    lhs.id == rhs.id && lhs.text == rhs.text && lhs.effect == rhs.effect
      && lhs.deviation?.severity == rhs.deviation?.severity
      && lhs.deviation?.message == rhs.deviation?.message
  }

  public func hash(into hasher: inout Hasher) { hasher.combine(id) }
}

/// A choice beat: a prompt and numbered options the trainee picks with `choose N`.
public struct Choice: Sendable, Hashable {
  public var id: String
  public var prompt: String
  public var options: [ChoiceOption]
  public var position = SourcePosition(line: 1, column: 1)
}

/// A scenario-specific rule of conduct.
public struct ConductRule: Sendable, Hashable {
  public enum Kind: Sendable, Hashable {
    /// Ask `first` before any of `then`.
    case before(first: String, then: [String])
    /// Never ask this topic.
    case never(topic: String)
    /// Ask this topic within `seconds` of the start.
    case within(topic: String, seconds: Int)
  }

  public var id: String
  public var kind: Kind
  public var severity: DeviationSeverity
  public var message: String
  public var position = SourcePosition(line: 1, column: 1)
}

/// A golden transcript: a run of verbs its author vouches for, with the compliance levels
/// and score range it must get. `hotline-sim playtest` replays it and fails when it does not.
public struct Transcript: Sendable, Hashable {
  public var id: String
  /// What the run stands for ("a strong run by a telecommunicator").
  public var note: String
  /// Whose rubric scores it; the scenario's first audience when nil.
  public var audience: Audience?
  public var mode: PlayMode
  public var seed: UInt64
  /// The compliance levels it may get (one level or a range of adjacent ones).
  public var compliance: [Compliance]
  public var score: ClosedRange<Int>
  /// The verbs, in order, each with the line it is written on.
  public var verbs: [(text: String, line: Int)]
  public var position = SourcePosition(line: 1, column: 1)

  public static func == (lhs: Transcript, rhs: Transcript) -> Bool {
    lhs.id == rhs.id && lhs.note == rhs.note && lhs.audience == rhs.audience
      && lhs.mode == rhs.mode && lhs.seed == rhs.seed && lhs.compliance == rhs.compliance
      && lhs.score == rhs.score && lhs.verbs.map(\.text) == rhs.verbs.map(\.text)
  }

  public func hash(into hasher: inout Hasher) { hasher.combine(id) }
}

/// A scripted trafficking situation.
public struct Scenario: Sendable, Hashable {
  public var id: String
  public var title: String
  public var version: Int
  public var audience: [Audience]
  public var channel: Channel
  public var difficulty: Difficulty
  public var contentWarning: String
  public var summary: String
  /// Seconds of simulated time before the attempt times out.
  public var timeLimit: Int
  /// Seconds within which an emergency must be escalated once the danger is known.
  public var emergencyWithin: Int
  /// How the other party is labelled (`Caller`, `Texter`).
  public var caller: String
  /// Seconds each verb costs.
  public var clock: [Verb: Int]
  /// The hidden truth.
  public var truth: Report
  public var known: [FactAssignment]
  public var opening: String
  public var topics: [Topic]
  public var events: [ScenarioEvent]
  public var choices: [Choice]
  public var conduct: [ConductRule]
  /// The file the scenario came from and the sha256 of its bytes.
  public var path: String
  /// What the other side does with a question that matches no topic (narration), if the
  /// scenario says; else a reply in character for the channel.
  public var unmatchedReply: String?
  public var sha256: String
  /// Golden transcripts the author vouches for.
  public var transcripts: [Transcript] = []
  /// Where the truth is written.
  public var truthPosition = SourcePosition(line: 1, column: 1)
  /// Where the id is written (a duplicate id across files is reported there).
  public var idPosition = SourcePosition(line: 1, column: 1)

  public func topic(_ id: String) -> Topic? { topics.first { $0.id == id } }
  public func choice(_ id: String) -> Choice? { choices.first { $0.id == id } }

  /// The seconds a verb costs in this scenario. Reading your own screen is always free.
  public func cost(of verb: Verb, topic: Topic? = nil) -> Int {
    if verb.isReadingOwnScreen { return 0 }
    if verb == .ask, let cost = topic?.cost { return cost }
    return clock[verb] ?? verb.defaultCost
  }

  /// What a question that matches no topic costs: a moment, not a whole question.
  public var unmatchedCost: Int { min(5, cost(of: .ask)) }

  /// The facts the trainee knows at the start.
  public var knownReport: Report {
    var report = Report()
    for fact in known { fact.apply(to: &report) }
    return report
  }
}

/// `mm:ss` for a number of seconds.
public func clockText(_ seconds: Int) -> String {
  let minutes = seconds / 60
  let rest = seconds % 60
  return (minutes < 10 ? "0" : "") + "\(minutes):" + (rest < 10 ? "0" : "") + "\(rest)"
}
