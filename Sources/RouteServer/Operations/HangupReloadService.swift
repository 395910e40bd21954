import Dispatch
import Foundation
import Logging
import ServiceLifecycle

/// Reloads the protocol set (and the token file) on each SIGHUP, one reload at a time; a
/// SIGHUP arriving during a reload queues one more. Ends at graceful shutdown.
struct HangupReloadService: Service {
  let state: ServerState

  func run() async throws {
    let (signals, continuation) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
    // SIGHUP would end the process by default; a dispatch source sees it once ignored.
    signal(SIGHUP, SIG_IGN)
    let source = DispatchSource.makeSignalSource(signal: SIGHUP, queue: .global())
    source.setEventHandler { continuation.yield() }
    source.resume()
    defer {
      source.cancel()
      continuation.finish()
    }
    for await _ in signals.cancelOnGracefulShutdown() {
      state.logger.notice("SIGHUP: reloading the protocol set and the token file")
      state.reloadTokens()
      _ = await state.rulesets.reload(trigger: "SIGHUP")
    }
  }
}
