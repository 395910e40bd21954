import Foundation
import ProtocolEngine
import ScenarioKit
import Scoring

/// Whether any play of a scenario can meet a curriculum part's bar (a compliance level, a
/// minimum score, no critical deviation) for an audience: a golden transcript that meets it
/// is proof enough; otherwise every play is explored and scored, as `playtest --exhaustive`
/// does, the explorer's trainee wrapping up by the book.
public enum MasteryFeasibility {
  /// What an attempt must reach to count.
  public struct Bar: Sendable, Hashable {
    public var level: Compliance
    public var minScore: Int
    public var noCritical: Bool

    public init(level: Compliance, minScore: Int, noCritical: Bool) {
      self.level = level
      self.minScore = minScore
      self.noCritical = noCritical
    }

    func isMet(score: Int, compliance: Compliance, critical: Bool) -> Bool {
      compliance.rank <= Compliance.allCases.firstIndex(of: level) ?? 0 && score >= minScore
        && !(noCritical && critical)
    }
  }

  public enum Verdict: Sendable, Hashable {
    /// A golden transcript for the audience meets the bar.
    case shownByTranscript(String)
    /// Some explored play meets it.
    case reachable
    /// No play meets it; the best play's score and compliance.
    case unreachable(bestScore: Int, bestCompliance: Compliance)
    /// The exploration stopped at its bound before finding a play that meets it.
    case unknown
  }

  public static func check(
    _ scenario: Scenario, audience: Audience, bar: Bar, engine: Engine, asOf: Day,
    rubrics: RubricBook, bound: Int = 200_000
  ) -> Verdict {
    for transcript in scenario.transcripts
    where (transcript.audience ?? scenario.audience.first) == audience {
      let meets = transcript.compliance.allSatisfy { compliance in
        bar.isMet(
          score: transcript.score.lowerBound, compliance: compliance,
          critical: compliance == .nonCompliant)
      }
      if meets { return .shownByTranscript(transcript.id) }
    }
    let rubric = rubrics.rubric(for: audience)
    var explorer = Explorer(scenario: scenario, engine: engine, asOf: asOf, bound: bound)
    let memo = ScoreMemo(
      scenario: scenario, engine: engine, rubric: rubric, decisions: explorer.decisions)
    let best = Best(bar: bar)
    explorer.score = { player in
      let all = memo.deviations(player)
      let total = Scorer.total(all, state: player.state)
      best.record(
        score: total, compliance: Compliance(worst: all.map(\.severity).max()),
        critical: all.contains { $0.severity == .critical })
      return (total, all.compactMap(\.rule))
    }
    explorer.namesProtocols = rubric.duty(.protocol) == .answerable
    let exploration = explorer.explore()
    let found = best.result
    if found.met { return .reachable }
    if exploration.boundHit { return .unknown }
    return .unreachable(bestScore: found.score ?? 0, bestCompliance: found.compliance)
  }

  /// The best of the plays scored so far, written from the explorer's threads.
  final class Best: @unchecked Sendable {
    // Every access holds `lock`.
    private let lock = NSLock()
    private let bar: Bar
    private var met = false
    private var score: Int?
    private var compliance = Compliance.nonCompliant

    init(bar: Bar) { self.bar = bar }

    func record(score: Int, compliance: Compliance, critical: Bool) {
      lock.lock()
      defer { lock.unlock() }
      if bar.isMet(score: score, compliance: compliance, critical: critical) { met = true }
      self.score = max(self.score ?? score, score)
      if compliance.rank < self.compliance.rank { self.compliance = compliance }
    }

    var result: (met: Bool, score: Int?, compliance: Compliance) {
      lock.lock()
      defer { lock.unlock() }
      return (met, score, compliance)
    }
  }
}

extension Compliance {
  fileprivate var rank: Int { Compliance.allCases.firstIndex(of: self) ?? 0 }
}
