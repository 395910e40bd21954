import ProtocolEngine

/// How an attempt is played: practice allows hints; assessment does not.
public enum PlayMode: String, Sendable, Hashable, CaseIterable {
  case practice, assessment
}

/// One line of what the trainee sees.
public struct OutputLine: Sendable, Hashable {
  public enum Kind: String, Sendable, Hashable {
    /// What the caller says.
    case caller
    /// Something that happens (a voice in the background, the line goes dead).
    case event
    /// The system's answer to a verb.
    case system
    /// A choice beat and its options.
    case choice
    /// A verb that could not be carried out.
    case error
  }

  public var kind: Kind
  public var text: String

  public init(_ kind: Kind, _ text: String) {
    self.kind = kind
    self.text = text
  }
}

/// Something identified, and the simulated second it happened.
public struct Stamped<Value: Sendable & Hashable>: Sendable, Hashable {
  public var value: Value
  /// Seconds from the start of the attempt.
  public var at: Int
}

/// One answer of one topic (its index in the topic's `answers`).
public struct AnswerRef: Sendable, Hashable, Comparable, CustomStringConvertible {
  public var topic: String
  public var index: Int

  public init(topic: String, index: Int) {
    self.topic = topic
    self.index = index
  }

  public static func < (lhs: AnswerRef, rhs: AnswerRef) -> Bool {
    (lhs.topic, lhs.index) < (rhs.topic, rhs.index)
  }

  /// `age#2`: the topic and the answer's number, counting from 1 as an author reads the file.
  public var description: String { "\(topic)#\(index + 1)" }
}

/// Everything about an attempt so far. The player changes it; scoring reads it.
public struct PlayerState: Sendable, Hashable {
  /// Seconds of simulated time since the start.
  public internal(set) var clock = 0
  /// The truth now (events can change it).
  public internal(set) var truth: Report
  /// What the trainee has learned (it can differ from the truth: callers make mistakes).
  public internal(set) var revealed: Report
  /// When each fact path was last revealed with a new value (when the trainee learned
  /// what they now believe).
  public internal(set) var revealedAt: [String: Int] = [:]
  /// When an event or answer last changed each fact of the truth.
  public internal(set) var truthChangedAt: [String: Int] = [:]
  /// Topics asked, in order (a topic asked twice appears twice).
  public internal(set) var asked: [Stamped<String>] = []
  /// The answer each question got, in order (a question with no answer that holds is left out).
  public internal(set) var answered: [Stamped<AnswerRef>] = []
  /// Contact ids referred now, in the order first referred.
  public internal(set) var referrals: [Stamped<String>] = []
  /// The escalation the trainee set last, if any.
  public internal(set) var escalation: Escalation?
  /// Every escalation the trainee set, in order.
  public internal(set) var escalations: [Stamped<Escalation>] = []
  /// Protocol ids the trainee read (and so named), in order, without repeats.
  public internal(set) var protocolsNamed: [String] = []
  public internal(set) var notes: [Stamped<String>] = []
  public internal(set) var fired: [Stamped<String>] = []
  /// Choice options chosen.
  public internal(set) var chosen: [Stamped<String>] = []
  /// The choice beat waiting for `choose N`.
  public internal(set) var pendingChoice: String?
  /// Why the attempt ended (submitted, abandoned, timed out); `nil` while it goes on.
  public internal(set) var ended: EndReason?
  /// When the conversation ended on the other side (a hang-up, a dropped text), if it did.
  /// The attempt goes on in a wrap-up phase: the trainee can still escalate, refer, note
  /// and submit on the same clock, but no longer ask or choose.
  public internal(set) var conversationEnded: Stamped<EndReason>?
  /// Every input, with the second it was given: replaying it with the seed reproduces
  /// the attempt exactly.
  public internal(set) var journal: [Stamped<String>] = []
  var random: SplitMix64

  init(truth: Report, revealed: Report, seed: UInt64) {
    self.truth = truth
    self.revealed = revealed
    self.random = SplitMix64(seed: seed)
  }

  public func hasAsked(_ topic: String) -> Bool { asked.contains { $0.value == topic } }

  /// Whether the other party can still hear the trainee.
  public var isConversationLive: Bool { conversationEnded == nil && ended == nil }
  public func hasFired(_ event: String) -> Bool { fired.contains { $0.value == event } }
  public func hasChosen(_ option: String) -> Bool { chosen.contains { $0.value == option } }

  /// When the trainee first escalated to at least `level`.
  public func firstEscalation(atLeast level: Escalation) -> Int? {
    escalations.first { $0.value >= level }?.at
  }
}
