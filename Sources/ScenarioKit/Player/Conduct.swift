extension Scenario {
  /// The rules of conduct an attempt has broken so far: the rule, when, the topic asked that
  /// broke it (or the rule's topic) and whether it was asked at all.
  public func brokenRules(in state: PlayerState) -> [(
    rule: ConductRule, at: Int, topic: String, asked: Bool
  )] {
    var broken: [(rule: ConductRule, at: Int, topic: String, asked: Bool)] = []
    for rule in conduct {
      switch rule.kind {
      case .before(let first, let then):
        let firstAt = state.asked.first { $0.value == first }?.at
        let early = state.asked.first { asked in
          then.contains(asked.value) && (firstAt.map { asked.at < $0 } ?? true)
        }
        if let early { broken.append((rule, early.at, early.value, true)) }
      case .never(let topic):
        if let asked = state.asked.first(where: { $0.value == topic }) {
          broken.append((rule, asked.at, topic, true))
        }
      case .within(let topic, let seconds):
        let askedAt = state.asked.first { $0.value == topic }?.at
        if askedAt.map({ $0 > seconds }) ?? true {
          broken.append((rule, askedAt ?? state.clock, topic, askedAt != nil))
        }
      }
    }
    return broken
  }

}
