import DecisionLog
import Dispatch
import Logging
import ProtocolEngine
import Synchronization

/// The ruleset in force, and its replacement by a reload.
///
/// A request takes the ruleset once (`current`) and uses it to the end, so a reload never
/// changes the rules under a request. A reload loads and checks the new set on its own
/// thread, away from requests, then swaps it in under a lock held only for the swap; a set
/// with errors is refused and the old one keeps serving. Reloads run one at a time.
public final class RulesetStore: Sendable {
  /// Where the set is read from, at start and on every reload.
  public let directory: String
  private let ruleset: Mutex<LoadedRuleset>
  private let queue = DispatchQueue(label: "hotline-route.ruleset-reload")
  private let metrics: ServerMetrics?
  private let logger: Logger

  /// The result of a reload.
  public enum ReloadOutcome: Sendable {
    /// The new set is in force; `previous` was replaced.
    case loaded(LoadedRuleset, previous: LoadedRuleset)
    /// The set was refused; the one in force is unchanged.
    case refused(RouteServerError, current: LoadedRuleset)
  }

  /// Starts with `initial` in force.
  public init(
    directory: String, initial: LoadedRuleset, metrics: ServerMetrics? = nil, logger: Logger
  ) {
    self.directory = directory
    self.ruleset = Mutex(initial)
    self.metrics = metrics
    self.logger = logger
  }

  /// Loads and checks the set in `directory` as at start.
  ///
  /// - Throws: `RouteServerError.protocolSet`.
  public convenience init(
    directory: String, metrics: ServerMetrics? = nil, logger: Logger
  ) throws(RouteServerError) {
    let initial = try LoadedRuleset.load(
      directory: directory, checkedOn: UTCTime.today(), loadedAt: UTCTime.timestamp())
    self.init(directory: directory, initial: initial, metrics: metrics, logger: logger)
  }

  /// The ruleset in force now.
  public var current: LoadedRuleset { ruleset.withLock { $0 } }

  /// Reads and checks the set again and swaps it in if it has no errors; logs the outcome.
  public func reload(trigger: String) async -> ReloadOutcome {
    let directory = self.directory
    let attempt: Result<LoadedRuleset, RouteServerError> = await withCheckedContinuation {
      continuation in
      queue.async {
        do throws(RouteServerError) {
          continuation.resume(
            returning: .success(
              try LoadedRuleset.load(
                directory: directory, checkedOn: UTCTime.today(), loadedAt: UTCTime.timestamp())))
        } catch {
          continuation.resume(returning: .failure(error))
        }
      }
    }
    // Loading built (and, when refused, dropped) a whole set, and a swap lets the old one go
    // once the requests holding it finish: hand the memory back a moment later.
    queue.asyncAfter(deadline: .now() + .seconds(1)) { ReleaseMemory.toTheSystem() }
    switch attempt {
    case .success(let loaded):
      let previous = ruleset.withLock { current in
        let previous = current
        current = loaded
        return previous
      }
      metrics?.reloaded(ok: true)
      logger.notice(
        "protocol set reloaded",
        metadata: [
          "trigger": .string(trigger), "version": .string(loaded.version),
          "sha256": .string(loaded.sha256), "previous_sha256": .string(previous.sha256),
        ])
      return .loaded(loaded, previous: previous)
    case .failure(let error):
      let current = self.current
      metrics?.reloaded(ok: false)
      logger.error(
        "protocol set refused; the one in force keeps serving\n\(error)",
        metadata: [
          "trigger": .string(trigger), "version": .string(current.version),
          "sha256": .string(current.sha256),
        ])
      return .refused(error, current: current)
    }
  }
}
