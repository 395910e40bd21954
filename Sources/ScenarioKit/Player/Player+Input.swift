import ProtocolEngine

/// One input to an attempt, as a journal keeps it: a line handed to the player, or an end
/// made from outside the verbs (end of piped input submits; Ctrl-D at the end question
/// abandons). Replaying an attempt's inputs in order, with its seed, reproduces it exactly.
public enum PlayerInput: Sendable, Hashable {
  case verb(String)
  case end(EndReason)
}

extension Player {
  /// Carries out one input and returns what the trainee sees.
  public mutating func apply(_ input: PlayerInput) -> [OutputLine] {
    switch input {
    case .verb(let line): return handle(line)
    case .end(let reason):
      end(reason)
      return []
    }
  }

  /// A new attempt of `scenario` with `inputs` replayed (what `resume` and the stored score's
  /// check do); the opening is played first, as at a terminal.
  ///
  /// - Returns: the player after the inputs, or the index of the first input whose recorded
  ///   clock differs from the replay's (the scenario or protocol set changed underneath).
  public static func replaying(
    _ inputs: [(input: PlayerInput, clock: Int)], scenario: Scenario, engine: Engine,
    mode: PlayMode, seed: UInt64, asOf: Day
  ) -> Result<Player, ReplayMismatch> {
    var player = Player(scenario: scenario, engine: engine, mode: mode, seed: seed, asOf: asOf)
    _ = player.start()
    for (index, entry) in inputs.enumerated() {
      guard player.state.clock == entry.clock else {
        return .failure(
          ReplayMismatch(index: index, recorded: entry.clock, replayed: player.state.clock))
      }
      _ = player.apply(entry.input)
    }
    return .success(player)
  }
}

/// A journal that no longer replays: the input at `index` was given at `recorded` seconds,
/// but the replay reached it at `replayed`.
public struct ReplayMismatch: Error, Sendable, Hashable {
  public var index: Int
  public var recorded: Int
  public var replayed: Int
}
