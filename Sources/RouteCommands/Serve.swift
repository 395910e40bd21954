import ArgumentParser
import DecisionLog
import Foundation
import ProtocolEngine
import RouteServer

extension HotlineRoute {
  /// `hotline-route serve`: the engine as an HTTP JSON service (docs/serve.md).
  public struct Serve: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
      abstract: "Serve decisions over HTTP: POST /v1/decisions with a report (JSON).",
      discussion: """
        Every /v1 route needs Authorization: Bearer <token>, a token from --token-file (one \
        per line; blank lines and # comments ignored). /healthz and /metrics (Prometheus) \
        need none. The protocol set is checked as `hotline-route check` does at start, on \
        SIGHUP and on POST /v1/ruleset:reload; a set with errors is refused and the one in \
        force keeps serving. SIGTERM or SIGINT finishes the requests in flight, flushes the \
        decision log and exits 0. Logs go to standard error, one line per request. Exits 64 \
        on bad usage (a missing or empty token file), 1 when the protocol set has errors, \
        the decision log cannot be opened or the address cannot be listened on.
        """
    )

    @Option(help: "The address to listen on.")
    var host = "127.0.0.1"

    @Option(help: "The port to listen on (0: any free port; the log says which).")
    var port = 8080

    @Option(help: "The protocol set directory (default: the shipped Protocols/).")
    var protocols: String?

    @Option(
      name: .customLong("decision-log"),
      help: "Log every decision (report masked) to a JSON lines file or a postgres:// URL.")
    var decisionLog: String?

    @Option(
      name: .customLong("decision-log-buffer-mib"),
      help: ArgumentHelp(
        "Memory for decisions not yet logged, in MiB; past it they are dropped and counted.",
        valueName: "MiB"))
    var decisionLogBufferMiB = DecisionLogs.defaultBufferBytes / 1_048_576

    @Option(
      name: .customLong("token-file"),
      help: "The file of accepted bearer tokens, one per line (required).")
    var tokenFile: String?

    @Option(
      name: .customLong("log-level"),
      help: "trace, debug, info (one line per request), notice, warning, error or critical.")
    var logLevel = "info"

    @Option(
      name: .customLong("io-threads"),
      help: "Threads for connections (SwiftNIO event loops); decisions run beside them.")
    var ioThreads = 1

    public init() {}

    public func run() async throws {
      // SIGHUP means "reload" here, never "exit": ignored until the reloader listens for it
      // (loading the set at start takes a moment).
      signal(SIGHUP, SIG_IGN)
      guard (0...65_535).contains(port) else {
        try fail("--port: \(port) is not a port (0 to 65535; 0 picks a free one)", code: 64)
        return
      }
      guard (1...256).contains(ioThreads) else {
        try fail("--io-threads: \(ioThreads) is not between 1 and 256", code: 64)
        return
      }
      guard (1...65_536).contains(decisionLogBufferMiB) else {
        try fail(
          "--decision-log-buffer-mib: \(decisionLogBufferMiB) is not between 1 and 65536",
          code: 64)
        return
      }
      guard let tokenFile else {
        try fail(
          "--token-file is required: every /v1 route needs a bearer token (a file with one "
            + "token per line)", code: 64)
        return
      }
      let configuration = RouteServerConfiguration(
        host: host, port: port, protocols: protocols ?? ProtocolSet.defaultDirectory(),
        tokenFile: tokenFile, decisionLog: decisionLog, logLevel: logLevel, ioThreads: ioThreads,
        decisionLogBufferBytes: decisionLogBufferMiB * 1_048_576)
      let state: ServerState
      do throws(RouteServerError) {
        state = try RouteServer.prepare(configuration)
      } catch {
        try fail("\(error)", code: error.isUsage ? 64 : 1)
        return
      }
      do {
        try await RouteServer.run(configuration, state: state)
      } catch {
        try fail("\(error)", code: 1)
      }
    }

    /// Prints `hotline-route: message` on standard error (sanitised) and exits with `code`.
    private func fail(_ message: String, code: Int32) throws {
      StandardErrorLog.shared.flush()
      FileHandle.standardError.write(
        Data((TerminalText.sanitized("hotline-route: \(message)") + "\n").utf8))
      throw ExitCode(code)
    }
  }
}
