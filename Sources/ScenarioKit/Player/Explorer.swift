import ProtocolEngine

/// A play found by exploration: the verbs that reach it from the start.
public struct PlayPath: Sendable, Hashable, CustomStringConvertible {
  public var verbs: [String]

  public var description: String {
    verbs.isEmpty ? "at the start" : verbs.joined(separator: "; ")
  }
}

/// A state where what the trainee learned leads the engine somewhere the truth does not.
public struct MisleadingState: Sendable, Hashable {
  public var path: PlayPath
  /// What differs, in words ("emergency instead of mandated_report; adds ..., misses ...").
  public var difference: String
}

/// What exhaustive exploration found (see ``Explorer``).
public struct Exploration: Sendable {
  /// Distinct player states visited.
  public var states = 0
  /// The bound on states; when hit, coverage and reachability are incomplete.
  public var bound: Int
  public var boundHit = false
  public var reachedAnswers: Set<AnswerRef> = []
  public var reachedEvents: Set<String> = []
  public var reachedOptions: Set<String> = []
  /// The first play that reaches each answer, event and option (for the author to try).
  public var firstPath: [String: PlayPath] = [:]
  /// Complete plays (nothing left to ask, wait for or choose), by how they end.
  public var endings: [String: Int] = [:]
  /// The scores of complete plays wrapped up by the book on what was learned.
  public var scores: ClosedRange<Int>?
  /// The lowest-scoring complete play, for the author to look at.
  public var lowestPlay: PlayPath?
  /// Fact paths some reachable state reveals (a value the engine can use), and those revealed
  /// with the value the truth has at that moment.
  public var revealedFacts: Set<String> = []
  public var revealedTrue: Set<String> = []
  /// Whether some reachable state's revealed facts give the truth's escalation and roles.
  public var truthDecisionReachable = false
  /// Conduct rules and deviating options some complete play breaks or chooses.
  public var rulesTriggered: Set<String> = []
  /// States where the revealed facts leave the engine nothing to ask (no needs) and still
  /// decide otherwise than the truth: a trainee can be misled there.
  public var misleadingCount = 0
  public var misleading: [MisleadingState] = []
  /// States with a choice open from which no play ever gets back to asking (or ends).
  public var deadEnds: [(choice: String, path: PlayPath)] = []
}

extension Exploration {
  /// The effects of every answer, event and option the exploration reached, in file order
  /// (answers, then events, then options).
  public func reachedEffects(of scenario: Scenario) -> [Effect] {
    var effects: [Effect] = []
    for topic in scenario.topics {
      for (index, answer) in topic.answers.enumerated()
      where reachedAnswers.contains(AnswerRef(topic: topic.id, index: index)) {
        effects.append(answer.effect)
      }
    }
    effects += scenario.events.filter { reachedEvents.contains($0.id) }.map(\.effect)
    effects += scenario.choices.flatMap(\.options).filter { reachedOptions.contains($0.id) }
      .map(\.effect)
    return effects
  }
}

/// Explores every distinct state of the player on a scenario, breadth first, through the
/// player's own `handle` (never a second model of it).
///
/// The trainee's moves at each state: ask each topic (again only when it would now get a
/// different answer), answer an open choice each way, wait for the next timed event, escalate
/// to what the revealed facts call for, and the escalations and referrals the scenario's
/// conditions test. States are memoised on what can change what happens next: the clock, the
/// truth, the revealed facts, the topics asked and the answer each got last, the events fired,
/// the options chosen, the open choice, the escalation, the roles referred, and the conduct
/// rules broken so far. A complete play is wrapped up by the book on what was learned (the
/// referrals and protocols the engine names on the revealed facts) and scored by `score`
/// (the scoring layer provides it; see `Explorer(scenario:engine:asOf:rubric:bound:)`).
public struct Explorer: Sendable {
  public let scenario: Scenario
  public let engine: Engine
  public let asOf: Day
  public let bound: Int
  /// The engine's decisions, shared with whoever scores the plays.
  public let decisions: DecisionCache
  /// Scores a complete play wrapped up by the book: its 0-100 score and the rules of conduct
  /// and deviating options behind its deviations. Nil: no scores (reachability and endings).
  public var score: (@Sendable (Player) -> (score: Int, rules: [String]))?
  /// Whether the wrap-up names the protocols followed (only worth it where it is scored).
  public var namesProtocols = true
  /// How many misleading states to keep as examples.
  public var examples = 5
  /// Reachability only (lint): states that differ only in what the trainee has learned and in
  /// which topics nothing depends on were asked are one state. What an answer, event or option
  /// does next depends only on the truth and the scenario functions, so every answer, event,
  /// option, dead end and broken rule is still found; the facts revealed are collected over
  /// every move. No misleading states and no scores in this mode.
  public var reachabilityOnly = false

  public init(
    scenario: Scenario, engine: Engine, asOf: Day, bound: Int = 200_000,
    decisions: DecisionCache? = nil
  ) {
    self.scenario = scenario
    self.engine = engine
    self.asOf = asOf
    self.bound = bound
    self.decisions = decisions ?? DecisionCache(engine: engine, asOf: asOf)
  }

  struct Key: Hashable {
    var clock: Int
    var truth: Report
    var revealed: Report
    var lastAnswers: [Int8]
    var fired: [Bool]
    var chosen: [String]
    var pending: String?
    var conversationEnded: EndReason?
    var ended: EndReason?
    var escalation: Escalation?
    var roles: [Role]
    var conduct: [String]
  }

  struct Node {
    var player: Player
    var parent: Int
    var verbs: [String]
  }

  public func explore() -> Exploration {
    var result = Exploration(bound: bound)
    let topicIndex = Dictionary(
      scenario.topics.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { first, _ in first })
    let eventIndex = Dictionary(
      scenario.events.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { first, _ in first })
    let conditions =
      scenario.topics.flatMap { $0.answers.compactMap(\.when) } + scenario.events.compactMap(\.when)
    let calls = conditions.flatMap(\.expression.hostCalls)
    let testedLevels = Set(
      calls.filter { $0.name == "escalated" }.compactMap { Escalation(rawValue: $0.argument) })
    let testedRoles = Set(
      calls.filter { $0.name == "referred" }.compactMap { Role(rawValue: $0.argument) })
    let contactFor: [Role: String] = Dictionary(
      testedRoles.compactMap { role in
        engine.set.contacts.filter { $0.role == role && $0.isActive(on: asOf) }.map(\.id).min().map
        { (role, $0) }
      }, uniquingKeysWith: { first, _ in first })

    // The moments the clock matters for what happens next: timed events, the time limit and
    // the deadlines of `within` rules. Two states alike in all else whose clocks fall between
    // the same two moments are one state: the earlier can wait to be the later.
    var moments = Set(scenario.events.compactMap(\.at))
    moments.insert(scenario.timeLimit)
    for rule in scenario.conduct {
      if case .within(_, let seconds) = rule.kind { moments.insert(seconds + 1) }
    }
    let thresholds = moments.sorted()
    func band(_ clock: Int) -> Int {
      var band = 0
      while band < thresholds.count, thresholds[band] <= clock { band += 1 }
      return band
    }

    // The topics something depends on: asked() in a condition or a rule of conduct. (Which
    // answer a topic gives depends only on the truth and the scenario functions, all in the
    // key.)
    var observed = Set(calls.filter { $0.name == "asked" }.map(\.argument))
    for rule in scenario.conduct {
      switch rule.kind {
      case .before(let first, let then): observed.formUnion([first] + then)
      case .never(let topic), .within(let topic, _): observed.insert(topic)
      }
    }
    let tracked = scenario.topics.map { !reachabilityOnly || observed.contains($0.id) }

    func key(_ state: PlayerState) -> Key {
      var last = [Int8](repeating: -1, count: scenario.topics.count)
      for answer in state.answered {
        if let index = topicIndex[answer.value.topic] { last[index] = Int8(answer.value.index) }
      }
      for asked in state.asked where last[topicIndex[asked.value] ?? 0] == -1 {
        last[topicIndex[asked.value] ?? 0] = -2
      }
      for index in last.indices where !tracked[index] { last[index] = -1 }
      var fired = [Bool](repeating: false, count: scenario.events.count)
      for event in state.fired { fired[eventIndex[event.value] ?? 0] = true }
      let roles = Set(state.referrals.compactMap { engine.contact($0.value)?.role })
      return Key(
        clock: band(state.clock), truth: state.truth,
        revealed: reachabilityOnly ? Report() : state.revealed, lastAnswers: last,
        fired: fired, chosen: state.chosen.map(\.value).sorted(), pending: state.pendingChoice,
        conversationEnded: state.conversationEnded?.value, ended: state.ended,
        escalation: state.escalation, roles: Role.allCases.filter(roles.contains),
        conduct: reachabilityOnly ? [] : scenario.brokenRules(in: state).map(\.rule.id))
    }

    let decisions = self.decisions
    func decide(_ report: Report) -> Decision { decisions.decide(report) }

    var start = Player(scenario: scenario, engine: engine, mode: .assessment, seed: 1, asOf: asOf)
    _ = start.start()
    var nodes = [Node(player: start, parent: -1, verbs: [])]
    var seen: [Key: Int] = [key(start.state): 0]
    var successors: [Int: [Int]] = [:]
    var pendingLive: Set<Int> = []
    var lowest: Int?
    var head = 0

    func path(_ index: Int) -> PlayPath {
      var verbs: [String] = []
      var at = index
      while at > 0 {
        verbs.append(contentsOf: nodes[at].verbs.reversed())
        at = nodes[at].parent
      }
      return PlayPath(verbs: verbs.reversed())
    }

    /// Notes what a move reached; `index` and `verbs` are the state it was made from and
    /// the move.
    func record(_ before: PlayerState, _ after: PlayerState, from index: Int, _ verbs: [String]) {
      func here() -> PlayPath { PlayPath(verbs: path(index).verbs + verbs) }
      for answer in after.answered.dropFirst(before.answered.count)
      where result.reachedAnswers.insert(answer.value).inserted {
        result.firstPath["answer:\(answer.value)"] = here()
      }
      for event in after.fired.dropFirst(before.fired.count)
      where result.reachedEvents.insert(event.value).inserted {
        result.firstPath["event:\(event.value)"] = here()
      }
      for option in after.chosen.dropFirst(before.chosen.count)
      where result.reachedOptions.insert(option.value).inserted {
        result.firstPath["option:\(option.value)"] = here()
      }
    }

    for event in start.state.fired where result.reachedEvents.insert(event.value).inserted {
      result.firstPath["event:\(event.value)"] = PlayPath(verbs: [])
    }

    var learnedFrom: Set<Report> = []
    func learned(_ state: PlayerState) {
      guard learnedFrom.insert(state.revealed).inserted || state.truth != scenario.truth else {
        return
      }
      for fact in state.revealed.knownFacts {
        result.revealedFacts.insert(fact.path)
        if state.truth.knownFacts.contains(where: { $0.path == fact.path && $0.value == fact.value }
        ) {
          result.revealedTrue.insert(fact.path)
        }
      }
    }

    func inspect(_ state: PlayerState, at index: Int) {
      guard !reachabilityOnly else { return }
      learned(state)
      let onTruth = decide(state.truth)
      let onRevealed = decide(state.revealed)
      let same =
        onRevealed.escalation == onTruth.escalation && Set(onRevealed.roles) == Set(onTruth.roles)
      if same { result.truthDecisionReachable = true }
      if !same, onRevealed.needs.isEmpty {
        result.misleadingCount += 1
        if result.misleading.count < examples {
          result.misleading.append(
            MisleadingState(
              path: path(index), difference: Explorer.difference(onRevealed, onTruth)))
        }
      }
    }

    func complete(_ player: Player, at index: Int, stoppedEarly: Bool = false) {
      var wrapped = player
      if wrapped.state.ended == nil {
        let decision = decide(wrapped.state.revealed)
        if wrapped.state.escalation != decision.escalation {
          _ = wrapped.handle("escalate \(decision.escalation.rawValue)")
        }
        var roles = Set(wrapped.state.referrals.compactMap { engine.contact($0.value)?.role })
        for referral in decision.referrals where roles.insert(referral.role).inserted {
          _ = wrapped.handle("refer \(referral.contact)")
        }
        if namesProtocols {
          for item in decision.protocols { _ = wrapped.handle("protocol \(item.id)") }
        }
        _ = wrapped.handle("submit")
      }
      let ending =
        stoppedEarly ? "submitted as soon as the facts sufficed" : Explorer.ending(player.state)
      guard let score = self.score.map({ $0(wrapped) }) else {
        result.endings[ending, default: 0] += 1
        result.rulesTriggered.formUnion(scenario.brokenRules(in: player.state).map(\.rule.id))
        return
      }
      result.rulesTriggered.formUnion(score.rules)
      result.endings[ending, default: 0] += 1
      if let range = result.scores {
        if score.score < range.lowerBound { lowest = index }
        result.scores =
          min(range.lowerBound, score.score)...max(range.upperBound, score.score)
      } else {
        result.scores = score.score...score.score
        lowest = index
      }
    }

    while head < nodes.count {
      let index = head
      head += 1
      let player = nodes[index].player
      let state = player.state
      inspect(state, at: index)
      // A trainee may stop as soon as the facts suffice (the engine needs nothing more): a
      // play that ends there too, unless nothing is left to do anyway.
      let stopsHere =
        !reachabilityOnly && state.ended == nil && state.isConversationLive
        && decide(state.revealed).needs.isEmpty
        && !(index > 0 && decide(nodes[nodes[index].parent].player.state.revealed).needs.isEmpty)

      // The moves from here.
      var verbs: [String] = []
      let live = state.isConversationLive
      if live, let id = state.pendingChoice, let choice = scenario.choice(id) {
        verbs += (1...max(1, choice.options.count)).map { "choose \($0)" }
      } else if live {
        // A topic with one answer and no condition answers the same again: asking it twice
        // only passes time (a wait), so it is not a move of its own.
        verbs += scenario.topics.filter { topic in
          !(topic.answers.count == 1 && topic.answers[0].when == nil && state.hasAsked(topic.id))
        }.map { "ask \($0.id)" }
      }
      if live,
        let next = scenario.events.compactMap({ event -> Int? in
          guard let time = event.at, time > state.clock, !state.hasFired(event.id) else {
            return nil
          }
          return time
        }).min()
      {
        // One move, however long: a wait is at most 600 s, so a far event takes several.
        verbs.append("wait \(next - state.clock)")
      }
      // Once the conversation is over nothing in the script can change: a complete play.
      if live {
        let current = state.escalation
        let levels = testedLevels.filter { level in current.map { $0 < level } ?? true }
        verbs += levels.sorted().map { "escalate \($0.rawValue)" }
        let referred = Set(state.referrals.compactMap { engine.contact($0.value)?.role })
        verbs += testedRoles.subtracting(referred).sorted { $0.rawValue < $1.rawValue }
          .compactMap { contactFor[$0].map { "refer \($0)" } }
      }

      var made: [Int] = []
      for verb in verbs {
        var next = player
        var said: [String] = []
        if verb.hasPrefix("wait "), let total = Int(verb.dropFirst(5)) {
          // Wait in steps of at most 600 s until the moment, unless something happens first.
          let until = state.clock + total
          while next.state.ended == nil, next.state.clock < until,
            next.state.fired.count == state.fired.count
          {
            let step = "wait \(min(600, until - next.state.clock))"
            _ = next.handle(step)
            said.append(step)
          }
        } else {
          let done = next.handle(verb)
          if done.allSatisfy({ $0.kind == .error }), !done.isEmpty { continue }
          said = [verb]
        }
        // The explorer's trainee acts on what they know at once: when the revealed facts call
        // for a higher escalation, they escalate in the same move.
        // (Not when only reachability is asked for: escalations that matter to the script
        // are moves of their own.)
        if !reachabilityOnly, next.state.ended == nil, !verb.hasPrefix("escalate") {
          let called = decide(next.state.revealed).escalation
          if next.state.escalation.map({ $0 < called }) ?? true {
            _ = next.handle("escalate \(called.rawValue)")
            said.append("escalate \(called.rawValue)")
          }
        }
        // Asking again only counts when the answer is a different one.
        if verb.hasPrefix("ask "), state.hasAsked(String(verb.dropFirst(4))) {
          let topic = String(verb.dropFirst(4))
          let before = state.answered.last { $0.value.topic == topic }?.value
          guard next.state.answered.count > state.answered.count,
            next.state.answered.last?.value != before
          else { continue }
        }
        let nextKey = key(next.state)
        record(state, next.state, from: index, said)
        if reachabilityOnly {
          result.rulesTriggered.formUnion(
            scenario.brokenRules(in: next.state).map(\.rule.id))
        }
        if let known = seen[nextKey] {
          made.append(known)
          continue
        }
        guard nodes.count < bound else {
          result.boundHit = true
          continue
        }
        seen[nextKey] = nodes.count
        made.append(nodes.count)
        nodes.append(Node(player: next, parent: index, verbs: said))
      }
      if live, state.pendingChoice != nil {
        pendingLive.insert(index)
        successors[index] = made
      }
      if result.boundHit { break }
      if made.isEmpty || state.ended != nil || !live {
        complete(player, at: index)
      } else if stopsHere {
        complete(player, at: index, stoppedEarly: true)
      }
    }
    result.states = nodes.count

    // Dead ends: an open choice from which no play gets back to a state without one.
    if result.boundHit { pendingLive = [] }
    // Good: the trainee can ask again, or the conversation ended on the other side; running
    // out the clock with a choice open is no way out.
    var good = Set(
      (0..<nodes.count).filter { nodes[$0].player.state.ended != .timedOut }
    ).subtracting(pendingLive)
    var changed = true
    while changed {
      changed = false
      for index in pendingLive.subtracting(good).sorted()
      where successors[index, default: []].contains(where: good.contains) {
        good.insert(index)
        changed = true
      }
    }
    // One per choice: the first found (breadth first, so the shortest way there).
    var reported: Set<String> = []
    for index in pendingLive.subtracting(good).sorted() {
      let choice = nodes[index].player.state.pendingChoice ?? ""
      if reported.insert(choice).inserted { result.deadEnds.append((choice, path(index))) }
    }
    if let lowest { result.lowestPlay = path(lowest) }
    if reachabilityOnly { learnedFromReached(&result) }
    return result
  }

  /// The facts revealed, from what was reached (reachability mode keeps no revealed facts in
  /// its states): every fact a reached `known`, answer, event or option reveals for sure, and
  /// those whose value is the truth's, before or after the scenario's changes to it.
  func learnedFromReached(_ result: inout Exploration) {
    let effects = result.reachedEffects(of: scenario)
    var changed = scenario.truth
    for fact in effects.flatMap(\.sets) { fact.apply(to: &changed) }
    let truths = [scenario.truth, changed]
    for fact in scenario.known + effects.flatMap(\.reveals) where !fact.isUncertain {
      result.revealedFacts.insert(fact.path)
      // True when revealing it changes neither truth.
      if truths.contains(where: { truth in
        var revealed = truth
        fact.apply(to: &revealed)
        return revealed == truth
      }) {
        result.revealedTrue.insert(fact.path)
      }
    }
  }

  /// How a play ended, for the endings table.
  public static func ending(_ state: PlayerState) -> String {
    switch (state.ended, state.conversationEnded?.value) {
    case (.timedOut?, _): "timed out"
    case (_, .hungUp?): "hung up, then submitted"
    case (_, .disconnected?): "disconnected, then submitted"
    default: "submitted on a live line"
    }
  }

  /// "escalation information instead of mandated_report; roles: missing child_protective_services".
  public static func difference(_ revealed: Decision, _ truth: Decision) -> String {
    var parts: [String] = []
    if revealed.escalation != truth.escalation {
      parts.append(
        "escalation \(revealed.escalation.rawValue) instead of \(truth.escalation.rawValue)")
    }
    let have = Set(revealed.roles)
    let want = Set(truth.roles)
    let missing = truth.roles.filter { !have.contains($0) }.map(\.rawValue)
    let extra = revealed.roles.filter { !want.contains($0) }.map(\.rawValue)
    if !missing.isEmpty { parts.append("misses \(missing.joined(separator: ", "))") }
    if !extra.isEmpty { parts.append("adds \(extra.joined(separator: ", "))") }
    return parts.joined(separator: "; ")
  }
}
