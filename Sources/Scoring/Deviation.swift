import ProtocolEngine
import ScenarioKit

/// What a deviation is about.
public enum DeviationCategory: String, Sendable, Hashable, CaseIterable {
  case escalation, referral, `protocol`, keyFact = "key_fact", conduct, timeliness, choice
}

/// One way the trainee's handling differed from the engine's decision or the scenario's
/// rules of conduct.
public struct Deviation: Sendable, Hashable {
  public var severity: DeviationSeverity
  public var category: DeviationCategory
  /// Simulated second it happened (or the end of the attempt for omissions).
  public var at: Int
  public var message: String
  /// The engine's reason (its `because`, a near miss) or the rule's message.
  public var because: String
  /// The scenario's conduct rule or choice option behind it, if one is.
  public var rule: String? = nil
}

extension DeviationSeverity {
  /// Points a deviation of this severity takes off the 0-100 score.
  public var penalty: Int {
    switch self {
    case .minor: 3
    case .moderate: 8
    case .major: 20
    case .critical: 40
    }
  }
}
