import Foundation
import ProtocolEngine
import ScenarioKit
import Scoring

extension Explorer {
  /// An explorer that scores every complete play with `rubric`, as the scorer would score the
  /// attempt (`playtest --exhaustive`).
  public init(
    scenario: Scenario, engine: Engine, asOf: Day, rubric: Rubric, bound: Int = 200_000
  ) {
    self.init(scenario: scenario, engine: engine, asOf: asOf, bound: bound)
    let memo = ScoreMemo(scenario: scenario, engine: engine, rubric: rubric, decisions: decisions)
    score = { memo.score($0) }
    // Naming protocols only changes the score where the rubric makes it the trainee's.
    namesProtocols = rubric.duty(.protocol) == .answerable
  }
}

/// Scores complete plays of one scenario. The rules of conduct add their deviations to the
/// rest: the rest is scored once per outcome (what it turns on: the truth, the facts learned,
/// the options chosen, how the play ended, the escalation and its timeliness, the roles
/// referred), and each play adds its own conduct deviations, with the scorer's own total.
final class ScoreMemo: @unchecked Sendable {
  struct Key: Hashable {
    var truth: Report
    var revealed: Report
    var chosen: [String]
    var ended: EndReason?
    var conversationEnded: EndReason?
    var escalation: Escalation?
    var timely: Bool
    var referrals: Set<Role>
  }

  let scenario: Scenario
  let engine: Engine
  let rubric: Rubric
  let decisions: DecisionCache
  private let lock = NSLock()
  private var rest: [Key: [Deviation]] = [:]

  init(scenario: Scenario, engine: Engine, rubric: Rubric, decisions: DecisionCache) {
    self.scenario = scenario
    self.engine = engine
    self.rubric = rubric
    self.decisions = decisions
  }

  func score(_ player: Player) -> (score: Int, rules: [String]) {
    let all = deviations(player)
    return (Scorer.total(all, state: player.state), all.compactMap(\.rule))
  }

  /// Every deviation of a complete play, as the scorer would find them.
  func deviations(_ player: Player) -> [Deviation] {
    let state = player.state
    let key = Key(
      truth: state.truth, revealed: state.revealed, chosen: state.chosen.map(\.value).sorted(),
      ended: state.ended, conversationEnded: state.conversationEnded?.value,
      escalation: state.escalation, timely: timely(state),
      referrals: Set(state.referrals.compactMap { engine.contact($0.value)?.role }))
    lock.lock()
    let known = rest[key]
    lock.unlock()
    let others: [Deviation]
    if let known {
      others = known
    } else {
      others = Scorer.score(player, trainee: "playtest", rubric: rubric, decisions: decisions)
        .deviations.filter { $0.category != .conduct }
      lock.lock()
      rest[key] = others
      lock.unlock()
    }
    let conduct =
      rubric.duty(.conduct) == .answerable ? Scorer.conductDeviations(scenario, state) : []
    return others + conduct
  }

  /// Whether an emergency known to the trainee was escalated in time.
  func timely(_ state: PlayerState) -> Bool {
    guard let known = state.revealedAt["imminent_danger"],
      let escalated = state.firstEscalation(atLeast: .emergency)
    else { return true }
    return escalated - known <= scenario.emergencyWithin
  }
}
