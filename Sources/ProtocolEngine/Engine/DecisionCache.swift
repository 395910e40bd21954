import Foundation

/// Decisions already made, by report, for one engine and day: scoring many attempts of one
/// scenario (a playtest) asks the engine the same questions again and again.
public final class DecisionCache: @unchecked Sendable {
  public let engine: Engine
  public let asOf: Day
  private let lock = NSLock()
  private var decisions: [Report: Decision] = [:]

  public init(engine: Engine, asOf: Day) {
    self.engine = engine
    self.asOf = asOf
  }

  /// The engine's decision, with its explanation, on `report`.
  public func decide(_ report: Report) -> Decision {
    lock.lock()
    let known = decisions[report]
    lock.unlock()
    if let known { return known }
    let decision = engine.decide(report, asOf: asOf)
    lock.lock()
    decisions[report] = decision
    lock.unlock()
    return decision
  }
}
