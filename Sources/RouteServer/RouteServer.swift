// `hotline-route serve`: the protocol engine as an HTTP JSON service (issue 14, docs/serve.md).
import DecisionLog
import Hummingbird
import Logging
import NIOPosix
import ProtocolEngine
import ServiceLifecycle
import Synchronization

/// What `hotline-route serve` is asked to do.
public struct RouteServerConfiguration: Sendable {
  public var host = "127.0.0.1"
  /// 0 picks a free port (the log line `listening on http://host:port` says which).
  public var port = 8080
  /// The protocol set directory, read at start and on every reload.
  public var protocols: String
  /// The bearer tokens, one per line.
  public var tokenFile: String
  /// A JSON lines file or a `postgres://` URL, handed to `DecisionLogs.open`.
  public var decisionLog: String?
  /// The log's level (`trace` ... `critical`); at `info`, one line per request.
  public var logLevel: String
  /// Threads that read and write the connections (SwiftNIO event loops). Decisions run on
  /// Swift's cooperative pool beside them, so on a small machine one I/O thread leaves the
  /// other cores to the decisions (docs/serve.md, "Tuning").
  public var ioThreads: Int
  /// The most memory the decision log's buffer holds before it drops records (counted).
  public var decisionLogBufferBytes: Int

  public init(
    host: String = "127.0.0.1", port: Int = 8080, protocols: String, tokenFile: String,
    decisionLog: String? = nil, logLevel: String = "info", ioThreads: Int = 1,
    decisionLogBufferBytes: Int = DecisionLogs.defaultBufferBytes
  ) {
    self.ioThreads = ioThreads
    self.decisionLogBufferBytes = decisionLogBufferBytes
    self.host = host
    self.port = port
    self.protocols = protocols
    self.tokenFile = tokenFile
    self.decisionLog = decisionLog
    self.logLevel = logLevel
  }
}

/// Builds and runs the service: a Hummingbird 2 router behind two middlewares (access:
/// request ids, problems, metrics, logs; auth: bearer tokens under `/v1`), run under
/// ServiceLifecycle so that SIGTERM and SIGINT finish the requests in flight, then flush and
/// close the decision log.
public enum RouteServer {
  /// The routes (docs/serve.md lists them).
  public static func router(state: ServerState) -> Router<RouteRequestContext> {
    // HEAD is answered for every GET route, without a body.
    let router = Router(context: RouteRequestContext.self, options: .autoGenerateHeadEndpoints)
    // Middlewares first: they then wrap every route and the router's 404 too.
    router.add(middleware: AccessMiddleware(state: state))
    router.add(middleware: BearerAuthMiddleware(state: state))
    let decisions = DecisionHandlers(state: state)
    let ruleset = RulesetHandlers(state: state)
    let operations = OperationsHandlers(state: state)
    router.post("/v1/decisions", use: decisions.decide)
    router.post("/v1/decisions:batch", use: decisions.batch)
    router.get("/v1/ruleset", use: ruleset.show)
    router.post("/v1/ruleset:reload", use: ruleset.reload)
    router.get("/healthz", use: operations.health)
    router.get("/metrics", use: operations.metrics)
    return router
  }

  /// The application, with the decision log's writer and the SIGHUP reloader as services.
  ///
  /// - Parameter onListening: called with the address once the server listens.
  public static func application(
    state: ServerState, host: String, port: Int, handleHangup: Bool = true,
    ioThreads: Int? = nil,
    onListening: @escaping @Sendable (String) async -> Void = { _ in }
  ) -> some ApplicationProtocol {
    var services: [any Service] = []
    if let sink = state.sink {
      services.append(DecisionLogService(sink: sink, logger: state.logger))
    }
    if handleHangup { services.append(HangupReloadService(state: state)) }
    let logger = state.logger
    let loops: EventLoopGroupProvider =
      ioThreads.map { .shared(MultiThreadedEventLoopGroup(numberOfThreads: max(1, $0))) }
      ?? .singleton
    return Application(
      router: router(state: state),
      configuration: ApplicationConfiguration(
        address: .hostname(host, port: port), serverName: nil),
      services: services,
      onServerRunning: { channel in
        let bound = channel.localAddress?.port ?? port
        let address = "http://\(host.contains(":") ? "[\(host)]" : host):\(bound)"
        logger.notice("listening on \(address)")
        await onListening(address)
      },
      // The group lives as long as the process: the service runs until it exits.
      eventLoopGroupProvider: loops,
      logger: logger)
  }

  /// Reads the tokens, loads and checks the protocol set and opens the decision log.
  ///
  /// - Parameter logger: where to log; by default standard error at the configured level.
  /// - Throws: `RouteServerError` saying which of them failed and why.
  public static func prepare(_ configuration: RouteServerConfiguration, logger: Logger? = nil)
    throws(RouteServerError) -> ServerState
  {
    guard let level = Logger.Level(rawValue: configuration.logLevel) else {
      throw .logLevel(configuration.logLevel)
    }
    let logger = logger ?? StandardErrorLog.shared.logger(label: "hotline-route", level: level)
    let tokens = try BearerTokens.read(path: configuration.tokenFile)
    let metrics = ServerMetrics()
    let rulesets = try RulesetStore(
      directory: configuration.protocols, metrics: metrics, logger: logger)
    var sink: (any DecisionSink)?
    if let destination = configuration.decisionLog {
      do {
        sink = try DecisionLogs.open(
          destination, bufferBytes: configuration.decisionLogBufferBytes, logger: logger)
      } catch {
        throw .decisionLog(destination: destination, reason: "\(error)")
      }
    }
    let ruleset = rulesets.current
    logger.notice(
      "protocol set loaded",
      metadata: [
        "directory": .string(configuration.protocols), "version": .string(ruleset.version),
        "sha256": .string(ruleset.sha256),
        "protocols": .stringConvertible(ruleset.engine.set.protocols.count),
        "contacts": .stringConvertible(ruleset.engine.set.contacts.count),
        "tokens": .stringConvertible(tokens.count),
        "decision_log": .string(configuration.decisionLog.map(DecisionLogNames.redacted) ?? "none"),
      ])
    return ServerState(
      rulesets: rulesets, tokens: tokens, tokenFile: configuration.tokenFile, metrics: metrics,
      sink: sink, logger: logger)
  }

  /// Runs the service until SIGTERM or SIGINT, then shuts it down gracefully.
  ///
  /// - Throws: `RouteServerError.listen` when the address cannot be listened on.
  public static func run(_ configuration: RouteServerConfiguration, state: ServerState)
    async throws
  {
    let listening = ListeningFlag()
    let app = application(
      state: state, host: configuration.host, port: configuration.port,
      ioThreads: configuration.ioThreads, onListening: { _ in listening.set() })
    do {
      try await app.runService()
    } catch {
      StandardErrorLog.shared.flush()
      // Before the server listens, the only thing that fails is binding the address.
      guard listening.isSet else {
        throw RouteServerError.listen(
          address: "\(configuration.host):\(configuration.port)", reason: "\(error)")
      }
      throw error
    }
    state.logger.notice("stopped")
    StandardErrorLog.shared.flush()
  }
}

/// Whether the server got as far as listening.
private final class ListeningFlag: Sendable {
  private let value = Atomic<Bool>(false)
  func set() { value.store(true, ordering: .releasing) }
  var isSet: Bool { value.load(ordering: .acquiring) }
}

/// A decision log destination as it may be logged: a `postgres://` URL without its password.
enum DecisionLogNames {
  static func redacted(_ destination: String) -> String {
    guard let scheme = destination.range(of: "://"),
      let at = destination[scheme.upperBound...].firstIndex(of: "@")
    else { return destination }
    let credentials = destination[scheme.upperBound..<at]
    guard let colon = credentials.firstIndex(of: ":") else { return destination }
    return destination[..<colon] + ":***" + destination[at...]
  }
}
