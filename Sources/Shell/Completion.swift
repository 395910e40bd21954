import ScenarioKit

/// What can be completed at the shell's prompt, taken from the scenario and the directory.
public struct CompletionContext: Sendable, Hashable {
  public var verbs: [String]
  public var topics: [String]
  public var contacts: [String]
  public var referred: [String]
  public var protocols: [String]
  public var levels: [String]
  /// The number of options of the open choice, if any.
  public var choiceCount: Int?

  public init(
    verbs: [String] = Verb.allCases.map(\.rawValue), topics: [String] = [], contacts: [String] = [],
    referred: [String] = [], protocols: [String] = [], levels: [String] = [],
    choiceCount: Int? = nil
  ) {
    self.verbs = verbs
    self.topics = topics
    self.contacts = contacts
    self.referred = referred
    self.protocols = protocols
    self.levels = levels
    self.choiceCount = choiceCount
  }

  /// The context for a player's current state.
  public init(_ player: Player) {
    let scenario = player.scenario
    self.init(
      topics: scenario.topics.map(\.id),
      contacts: player.engine.set.contacts.filter { $0.isActive(on: player.asOf) }.map(\.id),
      referred: player.state.referrals.map(\.value),
      protocols: player.engine.set.protocols.filter { $0.isInForce(on: player.asOf) }.map(\.id),
      levels: [
        "emergency", "mandated_report", "law_enforcement_referral", "services_referral",
        "information",
      ],
      choiceCount: player.state.pendingChoice.flatMap { scenario.choice($0) }?.options.count)
  }
}

/// Completion candidates for the text before the cursor: a pure function, so it is tested
/// without a terminal.
public enum Completion {
  /// The words that can replace the last (partial) word of `line`.
  ///
  /// The first word completes to a verb; after it, `ask` completes topics, `refer` contact
  /// ids, `unrefer` the contacts referred, `escalate` levels, `protocol` protocol ids,
  /// `choose` option numbers and `help` verbs. Matching ignores case; results are sorted.
  public static func candidates(for line: String, in context: CompletionContext) -> [String] {
    let endsWithSpace = line.last == " " || line.last == "\t"
    let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
    let partial = endsWithSpace ? "" : (words.last ?? "")
    let completed = endsWithSpace ? words.count : max(0, words.count - 1)
    let pool: [String]
    if completed == 0 {
      pool = context.verbs
    } else if completed == 1 {
      switch words[0].lowercased() {
      case "ask": pool = context.topics
      case "refer": pool = context.contacts.filter { !context.referred.contains($0) }
      case "unrefer": pool = context.referred
      case "escalate": pool = context.levels
      case "protocol": pool = context.protocols
      case "choose": pool = context.choiceCount.map { (1...max(1, $0)).map(String.init) } ?? []
      case "help": pool = context.verbs
      default: pool = []
      }
    } else {
      pool = []
    }
    let lowered = partial.lowercased()
    return pool.filter { $0.lowercased().hasPrefix(lowered) }.sorted()
  }
}
