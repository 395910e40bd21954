import ProtocolEngine

/// Plays a scenario: a pure, deterministic state machine. Given the same scenario, protocol
/// set, seed, as-of day and inputs, it produces the same outputs and the same final state.
public struct Player: Sendable {
  public let scenario: Scenario
  public let engine: Engine
  public let mode: PlayMode
  public let seed: UInt64
  /// The day protocols and contacts are taken as in force.
  public let asOf: Day
  public private(set) var state: PlayerState

  public init(scenario: Scenario, engine: Engine, mode: PlayMode, seed: UInt64, asOf: Day) {
    self.scenario = scenario
    self.engine = engine
    self.mode = mode
    self.seed = seed
    self.asOf = asOf
    var state = PlayerState(truth: scenario.truth, revealed: scenario.knownReport, seed: seed)
    for fact in scenario.known { state.revealedAt[fact.path] = 0 }
    self.state = state
  }

  public var isOver: Bool { state.ended != nil }

  /// The content warning and the opening, then anything that happens at 00:00.
  public mutating func start() -> [OutputLine] {
    var lines = [
      OutputLine(
        .system, "\(scenario.title) (\(scenario.channel.rawValue), \(mode.rawValue) mode)"),
      OutputLine(.system, "Content warning: \(scenario.contentWarning) Type `pause` at any time."),
    ]
    lines += scenario.opening.split(separator: "\n", omittingEmptySubsequences: false).map {
      OutputLine(.caller, String($0))
    }
    lines += fireEvents()
    return lines
  }

  /// Carries out one line of input and returns what the trainee sees. Every verb advances
  /// the simulated clock; events due by then fire afterwards.
  public mutating func handle(_ input: String) -> [OutputLine] {
    let line = input.trimming(" \t\r\n")
    guard !line.isEmpty else { return [] }
    guard state.ended == nil else {
      return [OutputLine(.error, "The attempt has ended (\(state.ended?.rawValue ?? "")).")]
    }
    let (word, argument) = Player.split(line)
    guard let verb = Verb(rawValue: word.lowercased()) else {
      let hint =
        closestMatch(word, Verb.allCases.map(\.rawValue)).map { " Did you mean `\($0)`?" } ?? ""
      return [OutputLine(.error, "Unknown verb '\(word)'.\(hint) Type `help` for the list.")]
    }
    state.journal.append(Stamped(value: line, at: state.clock))
    let at = state.clock
    var topic: Topic?
    var waited: Int?
    var lines: [OutputLine]
    // After a hang-up the trainee wraps up: no one is left to ask or answer.
    if !state.isConversationLive, verb == .ask || verb == .choose {
      return [
        OutputLine(
          .error,
          "The \(scenario.caller.lowercased()) is gone (\(conversationEndText)). Wrap up: `escalate`, `refer`, `note`, then `submit`."
        )
      ]
    }
    // A caller living through a choice (he is asking who she is talking to) needs the answer
    // before any other question.
    if verb == .ask, let id = state.pendingChoice, let choice = scenario.choice(id) {
      return [
        OutputLine(
          .error,
          "\(scenario.caller) is waiting for your answer first: `choose 1` to `choose \(choice.options.count)`."
        )
      ]
    }
    switch verb {
    case .ask:
      // A topic's own id first (no index, no traps to gather); else the trainee's words.
      topic =
        argument.isEmpty
        ? nil
        : TopicMatcher.byID(argument, in: scenario.topics)
          ?? TopicMatcher.match(argument, in: scenario.topics, traps: scenario.trapTopics)
      lines = ask(argument, topic: topic, at: at)
    case .choose: lines = choose(argument, at: at)
    case .facts: lines = facts()
    case .lookup: lines = lookup(argument)
    case .protocol: lines = readProtocol(argument)
    case .refer: lines = refer(argument, at: at)
    case .unrefer: lines = unrefer(argument)
    case .escalate: lines = escalate(argument, at: at)
    case .note:
      if argument.isEmpty {
        lines = [OutputLine(.error, "Usage: note <text>")]
      } else {
        state.notes.append(Stamped(value: argument, at: at))
        lines = [OutputLine(.system, "Noted at \(clockText(at)).")]
      }
    case .time: lines = [OutputLine(.system, timeText(at))]
    case .hint: lines = hint()
    case .pause:
      lines = [
        OutputLine(
          .system,
          "Paused; the simulated clock is stopped. Take the time you need. Content warning: \(scenario.contentWarning) Type any verb to go on."
        )
      ]
    case .help: lines = help(argument)
    case .wait:
      guard let seconds = argument.isEmpty ? scenario.cost(of: .wait) : Int(argument),
        (1...600).contains(seconds)
      else {
        state.journal.removeLast()
        return [OutputLine(.error, "Usage: wait [seconds], 1 to 600.")]
      }
      // Waiting stops when something happens: the next timed event that is due by then.
      let next = scenario.events.compactMap { event -> Int? in
        guard !state.hasFired(event.id), let time = event.at, time > at, time <= at + seconds
        else { return nil }
        return time
      }.min()
      waited = (next ?? at + seconds) - at
      lines = []
    case .submit:
      state.ended = .submitted
      return [OutputLine(.system, "Submitted at \(clockText(at)).")]
    case .quit:
      state.ended = .abandoned
      return [
        OutputLine(
          .system, "Left the scenario at \(clockText(at)); the attempt is recorded as abandoned.")
      ]
    }
    // One rule for time: reading your own screen (help, time, facts) and a line the verb
    // could not carry out cost nothing; questions and actions cost what the scenario says.
    let failed = !lines.isEmpty && lines.allSatisfy { $0.kind == .error }
    let unmatched = verb == .ask && topic == nil && !failed
    if failed {
      state.journal.removeLast()
      return lines
    }
    // The clock stops at the time limit: nothing that would happen later happens.
    state.clock = min(
      scenario.timeLimit,
      state.clock
        + (waited ?? (unmatched ? scenario.unmatchedCost : scenario.cost(of: verb, topic: topic))))
    if state.ended == nil { lines += fireEvents() }
    if state.ended == nil, state.clock >= scenario.timeLimit {
      state.ended = .timedOut
      lines.append(OutputLine(.event, "Time is up (\(clockText(scenario.timeLimit)))."))
    }
    return lines
  }

  /// Ends the attempt from outside (the shell's "abandon" at Ctrl-D).
  public mutating func end(_ reason: EndReason) {
    if state.ended == nil { state.ended = reason }
  }

  static func split(_ line: String) -> (String, String) {
    guard let space = line.firstIndex(where: { $0 == " " || $0 == "\t" }) else { return (line, "") }
    return (String(line[..<space]), String(line[space...]).trimming(" \t"))
  }

  // MARK: - Verbs

  private mutating func ask(_ question: String, topic: Topic?, at: Int) -> [OutputLine] {
    guard !question.isEmpty else {
      return [
        OutputLine(
          .error, "Usage: ask <topic> or ask <your question>. `help ask` lists the topics.")
      ]
    }
    guard let topic else {
      var lines = [unmatchedReply]
      if mode == .practice {
        // Never suggest a harmful question.
        let traps = scenario.trapTopics
        let close = TopicMatcher.ranked(question, in: scenario.topics, traps: traps)
          .filter { !traps.contains($0.topic.id) }.prefix(3).map { "`ask \($0.topic.id)`" }
        lines.append(
          OutputLine(
            .system,
            close.isEmpty
              ? "No topic matches that question; try other words, or `help ask` for the topics."
              : "No topic matches that question. Close ones: \(close.joined(separator: ", "))."))
      } else {
        lines.append(OutputLine(.system, "No topic matches that question; try other words."))
      }
      return lines
    }
    var lines: [OutputLine] = []
    if topic.id != question,
      topic.id != question.lowercased().replacingOccurrences(of: " ", with: "_")
    {
      lines.append(OutputLine(.system, "(asking about: \(topic.question))"))
    }
    state.asked.append(Stamped(value: topic.id, at: at))
    let host = hostFunction()
    guard
      let index = topic.answers.firstIndex(where: {
        $0.when.map { $0.expression.evaluate(state.truth, host: host) == .true } ?? true
      })
    else {
      lines.append(OutputLine(.caller, "\(scenario.caller): (no answer)"))
      return lines
    }
    state.answered.append(Stamped(value: AnswerRef(topic: topic.id, index: index), at: at))
    lines += apply(topic.answers[index].effect, at: at)
    return lines
  }

  private mutating func choose(_ argument: String, at: Int) -> [OutputLine] {
    guard let id = state.pendingChoice, let choice = scenario.choice(id) else {
      return [OutputLine(.error, "There is no choice to make right now.")]
    }
    guard let number = Int(argument), (1...choice.options.count).contains(number) else {
      return [OutputLine(.error, "Choose a number from 1 to \(choice.options.count): `choose N`.")]
    }
    let option = choice.options[number - 1]
    state.pendingChoice = nil
    state.chosen.append(Stamped(value: option.id, at: at))
    return [OutputLine(.system, "You: \(option.text)")] + apply(option.effect, at: at)
  }

  private func facts() -> [OutputLine] {
    let known = state.revealed.knownFacts
    guard !known.isEmpty else {
      return [OutputLine(.system, "You have not learned any facts yet.")]
    }
    return [OutputLine(.system, "Facts gathered so far:")]
      + known.map { OutputLine(.system, "  \($0.path): \($0.value)") }
  }

  private func lookup(_ query: String) -> [OutputLine] {
    let words = TopicMatcher.tokens(query)
    guard !words.isEmpty else {
      return [OutputLine(.error, "Usage: lookup <words>, e.g. lookup shelter Austin")]
    }
    let here = (state.revealed.location ?? Location()).jurisdiction
    // Word stems, so that "case manager" finds case management and "shelters" a shelter.
    let stems = words.map(Player.lookupStem)
    func matches(_ haystack: String) -> Bool {
      let hay = TopicMatcher.tokens(haystack).map(Player.lookupStem)
      return stems.allSatisfy { word in
        hay.contains { $0.hasPrefix(word) || word.hasPrefix($0) && $0.count >= 4 }
      }
    }
    let contacts = engine.set.contacts.filter { contact in
      contact.isActive(on: asOf)
        && matches(
          "\(contact.id) \(contact.name) \(contact.role.rawValue) \(contact.jurisdiction) \(contact.topics.joined(separator: " "))"
        )
    }.sorted { lhs, rhs in
      let left =
        lhs.jurisdiction.contains(here) || here.contains(lhs.jurisdiction)
        ? lhs.jurisdiction.depth : -1
      let right =
        rhs.jurisdiction.contains(here) || here.contains(rhs.jurisdiction)
        ? rhs.jurisdiction.depth : -1
      return (left, rhs.id) > (right, lhs.id)
    }
    let protocols = engine.set.protocols.filter {
      $0.isInForce(on: asOf) && matches("\($0.id) \($0.title) \($0.scope)")
    }
    guard !contacts.isEmpty || !protocols.isEmpty else {
      return [OutputLine(.system, "Nothing in the directory or the protocols matches '\(query)'.")]
    }
    var lines: [OutputLine] = []
    if !contacts.isEmpty {
      lines.append(OutputLine(.system, "Contacts (\(contacts.count)):"))
      for contact in contacts.prefix(10) {
        lines.append(
          OutputLine(
            .system,
            "  \(contact.id)  \(contact.name) (\(contact.role.rawValue), \(contact.jurisdiction)) \(contact.phone), \(contact.hours)"
          ))
      }
      if contacts.count > 10 {
        lines.append(OutputLine(.system, "  ... \(contacts.count - 10) more; add words to narrow."))
      }
    }
    if !protocols.isEmpty {
      lines.append(OutputLine(.system, "Protocols (\(protocols.count)):"))
      for item in protocols.prefix(8) {
        lines.append(OutputLine(.system, "  \(item.id)  \(item.title) (\(item.scope))"))
      }
      if protocols.count > 8 {
        lines.append(OutputLine(.system, "  ... \(protocols.count - 8) more; add words to narrow."))
      }
    }
    return lines
  }

  /// A word without its common ending (manager, management -> manag...), for `lookup`.
  static func lookupStem(_ word: String) -> String {
    for suffix in [
      "ments", "ment", "ers", "er", "ings", "ing", "ions", "ion", "ed", "es", "s", "e",
    ]
    where word.count - suffix.count >= 4 && word.hasSuffix(suffix) {
      return String(word.dropLast(suffix.count))
    }
    return word
  }

  private mutating func readProtocol(_ id: String) -> [OutputLine] {
    let wanted = id.uppercased()
    guard let item = engine.set.protocols.first(where: { $0.id == wanted }) else {
      let hint =
        closestMatch(wanted, engine.set.protocols.map(\.id)).map { " Did you mean \($0)?" } ?? ""
      return [OutputLine(.error, "No protocol '\(id)'.\(hint) Try `lookup <words>`.")]
    }
    if !state.protocolsNamed.contains(item.id) { state.protocolsNamed.append(item.id) }
    var lines = [
      OutputLine(.system, "\(item.id) v\(item.version): \(item.title)"),
      OutputLine(
        .system,
        "  Scope \(item.scope); escalation \(item.escalation.rawValue); in force from \(item.effective)."
      ),
      OutputLine(.system, "  \(item.because)"),
    ]
    if !item.referrals.isEmpty {
      lines.append(
        OutputLine(
          .system,
          "  Refers: "
            + item.referrals.map { "\($0.role.rawValue) (consent: \($0.consent.rawValue))" }.joined(
              separator: ", ")))
    }
    lines.append(OutputLine(.system, "  Cites: \(item.cite.joined(separator: "; "))"))
    return lines
  }

  private mutating func refer(_ id: String, at: Int) -> [OutputLine] {
    guard !id.isEmpty else {
      return [OutputLine(.error, "Usage: refer <contact-id>; `lookup <words>` finds ids.")]
    }
    let wanted = id.lowercased()
    guard let contact = engine.contact(wanted) else {
      let hint =
        closestMatch(wanted, engine.set.contacts.map(\.id)).map { " Did you mean \($0)?" } ?? ""
      return [OutputLine(.error, "No contact '\(id)'.\(hint) Try `lookup <words>`.")]
    }
    guard contact.isActive(on: asOf) else {
      return [
        OutputLine(
          .error, "\(contact.id) is not active on \(asOf); find its replacement with `lookup`.")
      ]
    }
    guard !state.referrals.contains(where: { $0.value == contact.id }) else {
      return [OutputLine(.system, "Already referred to \(contact.id).")]
    }
    state.referrals.append(Stamped(value: contact.id, at: at))
    return [
      OutputLine(
        .system,
        "Referred to \(contact.name) (\(contact.role.rawValue), \(contact.jurisdiction)); \(contact.phone)."
      )
    ]
  }

  private mutating func unrefer(_ id: String) -> [OutputLine] {
    let wanted = id.lowercased()
    guard let index = state.referrals.firstIndex(where: { $0.value == wanted }) else {
      return [OutputLine(.error, "You have not referred '\(id)'.")]
    }
    state.referrals.remove(at: index)
    return [OutputLine(.system, "Referral to \(wanted) withdrawn.")]
  }

  private mutating func escalate(_ text: String, at: Int) -> [OutputLine] {
    guard let level = Player.escalation(text) else {
      let names = Escalation.allCases.map(\.rawValue)
      let hint =
        closestMatch(text.replacingOccurrences(of: " ", with: "_"), names).map {
          " Did you mean \($0)?"
        } ?? ""
      return [
        OutputLine(
          .error, "'\(text)' is not a level.\(hint) Levels: \(names.joined(separator: ", ")).")
      ]
    }
    state.escalation = level
    state.escalations.append(Stamped(value: level, at: at))
    return [OutputLine(.system, "Escalation set to \(level.label) at \(clockText(at)).")]
  }

  /// A level from `mandated_report`, `mandated report` or `MANDATED-REPORT`.
  public static func escalation(_ text: String) -> Escalation? {
    let normalized = text.lowercased().trimming(" \t")
      .replacingOccurrences(of: " ", with: "_").replacingOccurrences(of: "-", with: "_")
    return Escalation(rawValue: normalized)
  }

  private func timeText(_ at: Int) -> String {
    let left = max(0, scenario.timeLimit - at)
    return "Clock \(clockText(at)) of \(clockText(scenario.timeLimit)) (\(clockText(left)) left)."
  }

  private func hint() -> [OutputLine] {
    guard mode == .practice else {
      return [OutputLine(.error, "Hints are off in assessment mode.")]
    }
    let decision = engine.decide(state.revealed, asOf: asOf)
    for need in decision.needs {
      if let topic = scenario.topics.first(where: { topic in
        !state.hasAsked(topic.id)
          && topic.answers.contains { $0.effect.reveals.contains { $0.path == need.fact } }
      }) {
        return [OutputLine(.system, "Hint: ask about this: \(topic.question) (`ask \(topic.id)`)")]
      }
    }
    if let need = decision.needs.first {
      // Asked already: the answer was unsure or incomplete, so it needs confirming.
      if let topic = scenario.topics.first(where: { topic in
        topic.answers.contains { $0.effect.reveals.contains { $0.path == need.fact } }
      }) {
        return [
          OutputLine(
            .system,
            "Hint: confirm it. The answer to \"\(topic.question)\" was not certain, and the protocols turn on it; ask again or ask what would pin it down."
          )
        ]
      }
      return [OutputLine(.system, "Hint: the protocols still need to know \(need.fact).")]
    }
    if state.escalation != decision.escalation {
      return [
        OutputLine(
          .system, "Hint: with what you know, the protocols call for \(decision.escalation.label).")
      ]
    }
    let referredRoles = Set(
      state.referrals.compactMap { id in engine.contact(id.value)?.role })
    if let role = decision.roles.first(where: { !referredRoles.contains($0) }) {
      return [
        OutputLine(
          .system, "Hint: a \(role.rawValue) referral is still open; try `lookup \(role.rawValue)`."
        )
      ]
    }
    if let item = decision.protocols.first(where: { !state.protocolsNamed.contains($0.id) }) {
      return [
        OutputLine(.system, "Hint: read the protocol you are following: `protocol \(item.id)`.")
      ]
    }
    return [OutputLine(.system, "Hint: you have what you need; `submit` when you are done.")]
  }

  private func help(_ argument: String) -> [OutputLine] {
    if argument.isEmpty {
      return [
        OutputLine(
          .system,
          "Verbs. Questions and actions cost simulated time; help, time and facts are free."),
        OutputLine(
          .system,
          "Scored: your escalation, the referrals your role answers for, the key questions, timing and the scenario's rules of conduct. Naming protocols earns credit only."
        ),
      ]
        + Verb.allCases.map { verb in
          let padded = verb.usage + String(repeating: " ", count: max(1, 36 - verb.usage.count))
          return OutputLine(.system, "  \(padded)\(verb.summary)")
        }
    }
    guard let verb = Verb(rawValue: argument.lowercased()) else {
      let hint =
        closestMatch(argument, Verb.allCases.map(\.rawValue)).map { " Did you mean `\($0)`?" } ?? ""
      return [OutputLine(.error, "No verb '\(argument)'.\(hint)")]
    }
    var lines = [
      OutputLine(
        .system,
        "\(verb.usage): \(verb.summary) \(scenario.cost(of: verb) == 0 ? "Free." : "Costs \(scenario.cost(of: verb)) s.")"
      )
    ]
    if verb == .ask {
      lines.append(OutputLine(.system, "Topics:"))
      lines += scenario.topics.map { OutputLine(.system, "  \($0.id): \($0.question)") }
    }
    if verb == .escalate {
      lines += Escalation.allCases.map { OutputLine(.system, "  \($0.rawValue)") }
    }
    return lines
  }

  // MARK: - Effects and events

  private mutating func apply(_ effect: Effect, at: Int) -> [OutputLine] {
    var lines: [OutputLine] = []
    if !effect.say.isEmpty {
      let index =
        effect.say.variants.count == 1
        ? 0 : Int(state.random.next() % UInt64(effect.say.variants.count))
      let text = effect.say.variants[index]
      if text.hasPrefix("("), text.hasSuffix(")") {
        // Narration ("(A man's voice in the background)"), not speech.
        lines.append(OutputLine(.event, text))
      } else {
        for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false)
          .enumerated()
        {
          lines.append(
            OutputLine(.caller, number == 0 ? "\(scenario.caller): \(line)" : String(line)))
        }
      }
    }
    for fact in effect.reveals {
      let before = state.revealed
      fact.apply(to: &state.revealed)
      if state.revealed != before { state.revealedAt[fact.path] = at }
    }
    for fact in effect.sets {
      let before = state.truth
      fact.apply(to: &state.truth)
      if state.truth != before { state.truthChangedAt[fact.path] = at }
    }
    if let id = effect.offers, let choice = scenario.choice(id) {
      state.pendingChoice = id
      lines.append(OutputLine(.choice, choice.prompt))
      for (number, option) in choice.options.enumerated() {
        lines.append(OutputLine(.choice, "  \(number + 1). \(option.text)"))
      }
      lines.append(OutputLine(.choice, "Type `choose N`."))
    }
    if let reason = effect.ends, state.conversationEnded == nil {
      state.conversationEnded = Stamped(value: reason, at: at)
      state.pendingChoice = nil
      let ended: String
      switch (reason, scenario.channel) {
      case (.hungUp, .call): ended = "The caller has hung up."
      case (.hungUp, _):
        ended =
          "The \(scenario.caller.lowercased()) has stopped responding; the conversation is over."
      default: ended = "The connection is lost."
      }
      lines.append(OutputLine(.event, ended))
      lines.append(
        OutputLine(
          .system,
          "Wrap up on the same clock: `escalate`, `refer`, `note` what you know, then `submit`."))
    }
    return lines
  }

  /// How the conversation ended, in words.
  private var conversationEndText: String {
    switch state.conversationEnded?.value {
    case .hungUp?: scenario.channel == .call ? "the line is dead" : "no more replies"
    case .disconnected?: "the connection was lost"
    default: "the conversation is over"
    }
  }

  /// What the other side does with a question that makes no sense to them, in character for
  /// the channel: a whispering caller does not ask "what do you mean?" out loud.
  private var unmatchedReply: OutputLine {
    if let reply = scenario.unmatchedReply { return OutputLine(.event, reply) }
    switch scenario.channel {
    case .call: return OutputLine(.event, "(No answer; the question doesn't seem to land.)")
    case .text, .chat: return OutputLine(.caller, "\(scenario.caller): ?")
    case .webform, .email:
      return OutputLine(.event, "(The form has no answer to that; ask about what it covers.)")
    }
  }

  /// Fires every event that is due, in the order written, until none is.
  private mutating func fireEvents() -> [OutputLine] {
    var lines: [OutputLine] = []
    var fired = true
    while fired, state.ended == nil, state.conversationEnded == nil {
      fired = false
      // The scenario functions read the state, which changes only when an event fires.
      var host: (@Sendable (String, String) -> Bool)?
      for event in scenario.events where !state.hasFired(event.id) {
        if let at = event.at, state.clock < at { continue }
        if let condition = event.when {
          let current = host ?? hostFunction()
          host = current
          guard condition.expression.evaluate(state.truth, host: current) == .true else {
            continue
          }
        }
        // A timed event happened at its time, even if the verb that reached it ran past it.
        let when = event.at.map { min($0, state.clock) } ?? state.clock
        state.fired.append(Stamped(value: event.id, at: when))
        lines += apply(event.effect, at: when)
        host = nil
        fired = true
        if state.ended != nil || state.conversationEnded != nil { break }
      }
    }
    return lines
  }

  /// Answers the scenario functions from the current state.
  private func hostFunction() -> @Sendable (String, String) -> Bool {
    let asked = Set(state.asked.map(\.value))
    let fired = Set(state.fired.map(\.value))
    let chosen = Set(state.chosen.map(\.value))
    let escalation = state.escalation
    let roles = Set(
      state.referrals.compactMap { id in
        engine.contact(id.value)?.role.rawValue
      })
    return { name, argument in
      switch name {
      case "asked": asked.contains(argument)
      case "fired": fired.contains(argument)
      case "chose": chosen.contains(argument)
      case "escalated":
        Escalation(rawValue: argument).map { level in escalation.map { $0 >= level } ?? false }
          ?? false
      case "referred": roles.contains(argument)
      default: false
      }
    }
  }
}
