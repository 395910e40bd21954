import DecisionLog
import Logging
import Synchronization

/// What every request shares: the ruleset in force, the accepted tokens, the metrics and
/// the decision sink. Owned by the running service; handlers only read it.
public final class ServerState: Sendable {
  public let rulesets: RulesetStore
  public let metrics: ServerMetrics
  /// Where decisions are logged, if anywhere. Only `submit` (which never blocks) is called
  /// on a request's path.
  public let sink: (any DecisionSink)?
  /// The token file, read again on SIGHUP.
  public let tokenFile: String?
  private let acceptedTokens: Mutex<BearerTokens>
  private let inFlight = Atomic<Int>(0)
  let logger: Logger

  public init(
    rulesets: RulesetStore, tokens: BearerTokens, tokenFile: String? = nil,
    metrics: ServerMetrics, sink: (any DecisionSink)?, logger: Logger
  ) {
    self.rulesets = rulesets
    self.acceptedTokens = Mutex(tokens)
    self.tokenFile = tokenFile
    self.metrics = metrics
    self.sink = sink
    self.logger = logger
  }

  /// Requests being answered now (also the `hotline_route_http_requests_in_flight` gauge).
  public var requestsInFlight: Int { inFlight.load(ordering: .relaxed) }

  func requestStarted() {
    let now = inFlight.add(1, ordering: .relaxed).newValue
    metrics.inFlight(now)
  }

  func requestFinished() {
    let now = inFlight.subtract(1, ordering: .relaxed).newValue
    metrics.inFlight(now)
  }

  /// The tokens accepted now.
  public var tokens: BearerTokens { acceptedTokens.withLock { $0 } }

  /// Reads the token file again; a file that is now unreadable or empty is refused (logged,
  /// never shown) and the tokens in force stay.
  public func reloadTokens() {
    guard let tokenFile else { return }
    do throws(RouteServerError) {
      let tokens = try BearerTokens.read(path: tokenFile)
      acceptedTokens.withLock { $0 = tokens }
      logger.notice("token file reloaded", metadata: ["tokens": .stringConvertible(tokens.count)])
    } catch {
      logger.error("token file refused; the tokens in force stay: \(error)")
    }
  }
}
