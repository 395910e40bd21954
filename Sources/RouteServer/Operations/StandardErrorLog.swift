import Foundation
import Logging
import Synchronization

/// The service's log on standard error, one line per message:
/// `2026-11-30T14:05:09.123Z info hotline-route: key=value ... [RouteServer] message`.
///
/// Lines at `info` and below (one per request) are buffered and written at least every
/// 100 ms or every 32 KiB, so that a busy service does not spend a write(2) per request; a
/// line at `notice` or above is written at once, after the lines before it. `flush()` writes
/// what is pending (the service calls it when it stops).
public final class StandardErrorLog: Sendable {
  public static let shared = StandardErrorLog()

  private let pending = Mutex<[UInt8]>([])
  private let writing = Mutex(())
  private static let threshold = 32 << 10

  /// Flushes every 100 ms for the life of the process. `nonisolated(unsafe)`: it is set
  /// once here and never touched again (a dispatch source is thread-safe).
  nonisolated(unsafe) private let timer = DispatchSource.makeTimerSource(
    queue: .global(qos: .utility))

  private init() {
    timer.schedule(deadline: .now() + .milliseconds(100), repeating: .milliseconds(100))
    timer.setEventHandler { [weak self] in self?.flush() }
    timer.resume()
  }

  /// A logger writing here.
  public func logger(label: String, level: Logger.Level) -> Logger {
    var logger = Logger(label: label) { [self] label in Handler(label: label, log: self) }
    logger.logLevel = level
    return logger
  }

  /// Writes every pending line.
  public func flush() {
    writing.withLock { _ in
      let bytes = pending.withLock { bytes in
        let taken = bytes
        bytes.removeAll(keepingCapacity: true)
        return taken
      }
      if !bytes.isEmpty { Self.write(bytes) }
    }
  }

  fileprivate func append(_ line: [UInt8], immediately: Bool) {
    let full = pending.withLock { bytes in
      bytes.append(contentsOf: line)
      return bytes.count >= Self.threshold
    }
    // The write happens outside the buffer's lock, so that requests logging meanwhile only
    // wait for an append; `writing` keeps the writes in order.
    if immediately || full { flush() }
  }

  private static func write(_ bytes: [UInt8]) {
    bytes.withUnsafeBytes { buffer in
      var offset = 0
      while offset < buffer.count {
        let written = Foundation.write(
          STDERR_FILENO, buffer.baseAddress.map { $0 + offset }, buffer.count - offset)
        if written < 0, errno == EINTR { continue }
        guard written > 0 else { return }
        offset += written
      }
    }
  }

  struct Handler: LogHandler {
    let label: String
    let log: StandardErrorLog
    var logLevel: Logger.Level = .info
    var metadata: Logger.Metadata = [:]

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
      get { metadata[key] }
      set { metadata[key] = newValue }
    }

    init(label: String, log: StandardErrorLog) {
      self.label = label
      self.log = log
    }

    func log(event: LogEvent) {
      var all = metadata
      if let extra = event.metadata { all.merge(extra) { _, new in new } }
      var line = UTCTime.timestamp() + " \(event.level) \(label):"
      for key in all.keys.sorted() {
        line += " \(key)=\(all[key].map { "\($0)" } ?? "")"
      }
      line += " [\(event.source)] \(event.message)\n"
      log.append(Array(line.utf8), immediately: event.level >= .notice)
    }
  }
}
