import Dispatch
import Foundation
import Logging
import ProtocolEngine
import Synchronization

/// A decision log in a JSON lines file: one record per line (``DecisionRecord/jsonLine``),
/// appended (`O_APPEND`, created `0600`), each batch written and then `fsync`ed.
///
/// Only one sink writes a file at a time (it holds an exclusive `flock`). When it opens a file
/// whose last line was cut short (a writer killed mid-write), it removes the partial line and
/// logs a warning, so the next record starts on a line of its own.
public final class JSONLinesSink: DecisionSink {
  /// Records held in memory before `submit` starts dropping.
  public static let defaultCapacity = 65_536
  /// Records written (and `fsync`ed) together.
  public static let defaultBatchSize = 1_024

  /// The log file.
  public let path: String
  let queue: RecordQueue
  private let file: LogFile

  /// Opens (or creates) the log file.
  ///
  /// - Parameters:
  ///   - path: the file; its folder must exist.
  ///   - capacity: records buffered before `submit` refuses and counts drops.
  ///   - bufferBytes: the most memory the buffered records hold; past it `submit` drops too.
  ///   - batchSize: records written per `write` and `fsync`.
  ///   - logger: where warnings (drops, failed writes, a repaired last line) go.
  /// - Throws: `DecisionLogError.isAFolder` or `.cannotOpen` saying why.
  public init(
    path: String, capacity: Int = JSONLinesSink.defaultCapacity,
    bufferBytes: Int = DecisionLogs.defaultBufferBytes,
    batchSize: Int = JSONLinesSink.defaultBatchSize, logger: Logger
  ) throws(DecisionLogError) {
    self.path = path
    file = try LogFile(path: path, logger: logger)
    queue = RecordQueue(
      options: RecordQueue.Options(
        capacity: capacity, maximumBytes: bufferBytes, batchSize: batchSize),
      destination: path, logger: logger)
  }

  public func submit(_ record: DecisionRecord) -> Bool { queue.submit(record) }
  public func run() async throws { try await queue.run(writer: file) }
  public func flush() async throws { try await queue.flush() }
  public func close() async throws { try await queue.close() }
  public var statistics: DecisionLogStatistics { queue.statistics }
}

/// The open log file. Writes happen on a dispatch queue of their own, so that `write` and
/// `fsync` never hold one of the few threads that Swift concurrency runs requests on.
final class LogFile: BatchWriter {
  let path: String
  private let descriptor: Int32
  private let io = DispatchQueue(label: "hotlinesim.decision-log.file")
  /// The bytes of a batch whose write failed part way, and how many of them are out: the
  /// retry finishes them instead of writing the first records twice.
  private let unfinished = Mutex<(bytes: [UInt8], offset: Int)?>(nil)
  private let closed = Mutex(false)

  init(path: String, logger: Logger) throws(DecisionLogError) {
    self.path = path
    var status = stat()
    if stat(path, &status) == 0, status.st_mode & S_IFMT == S_IFDIR {
      throw .isAFolder(path: path)
    }
    let existed = access(path, F_OK) == 0
    // Non-blocking open, so that a FIFO cannot hang us; the type is checked on the descriptor.
    let descriptor = open(path, O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC | O_NONBLOCK, 0o600)
    guard descriptor >= 0 else {
      throw .cannotOpen(path: path, reason: LogFile.describe(errno: errno, path: path))
    }
    guard fstat(descriptor, &status) == 0, status.st_mode & S_IFMT == S_IFREG else {
      close(descriptor)
      let fifo = status.st_mode & S_IFMT == S_IFIFO
      throw .cannotOpen(
        path: path,
        reason: fifo ? "it is a FIFO (named pipe), not a regular file" : "it is not a regular file")
    }
    guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
      close(descriptor)
      throw .cannotOpen(path: path, reason: "another process is writing this log (it is locked)")
    }
    _ = fcntl(descriptor, F_SETFL, O_APPEND)
    self.descriptor = descriptor
    do throws(DecisionLogError) {
      try repairLastLine(logger: logger)
      if !existed { LogFile.syncFolder(of: path) }
    } catch {
      close(descriptor)
      throw error
    }
  }

  deinit {
    if !closed.withLock({ $0 }) { close(descriptor) }
  }

  func write(_ batch: [QueuedRecord]) async throws {
    let pending =
      unfinished.withLock { $0 }
      ?? (bytes: LogFile.lines(of: batch), offset: 0)
    try await withCheckedThrowingContinuation {
      (continuation: CheckedContinuation<Void, any Error>) in
      io.async { [self] in
        continuation.resume(with: Result { try writeDurably(pending) })
      }
    }
  }

  /// The batch's log lines, one buffer.
  static func lines(of batch: [QueuedRecord]) -> [UInt8] {
    var bytes: [UInt8] = []
    bytes.reserveCapacity(batch.reduce(0) { $0 + $1.report.count + $1.decision.count + 256 })
    for record in batch { record.appendLine(to: &bytes) }
    return bytes
  }

  /// Writes the rest of `pending` and `fsync`s; on failure remembers how far it got.
  private func writeDurably(_ pending: (bytes: [UInt8], offset: Int)) throws {
    var offset = pending.offset
    while offset < pending.bytes.count {
      let count = pending.bytes.withUnsafeBytes {
        writeBytes(descriptor, $0.baseAddress.map { $0 + offset }, $0.count - offset)
      }
      if count < 0 {
        let error = errno
        if error == EINTR || error == EAGAIN { continue }
        unfinished.withLock { $0 = (pending.bytes, offset) }
        throw DecisionLogError.cannotWrite(path: path, reason: String(cString: strerror(error)))
      }
      offset += count
    }
    unfinished.withLock { $0 = (pending.bytes, offset) }
    guard fsync(descriptor) == 0 else {
      throw DecisionLogError.cannotWrite(
        path: path, reason: "fsync: " + String(cString: strerror(errno)))
    }
    unfinished.withLock { $0 = nil }
  }

  func shutdown() async {
    let wasClosed = closed.withLock { state -> Bool in
      defer { state = true }
      return state
    }
    if !wasClosed { close(descriptor) }
  }

  /// A log whose last line has no newline was being written when its writer died. A complete
  /// record just missing its newline gets one; anything else is cut off, with a warning.
  private func repairLastLine(logger: Logger) throws(DecisionLogError) {
    let size = Int(lseek(descriptor, 0, SEEK_END))
    guard size > 0 else { return }
    var last: UInt8 = 0
    guard pread(descriptor, &last, 1, off_t(size - 1)) == 1 else {
      throw .cannotOpen(path: path, reason: String(cString: strerror(errno)))
    }
    guard last != UInt8(ascii: "\n") else { return }
    // Find the start of the last line, reading backwards in chunks.
    var tail: [UInt8] = []
    var position = size
    var start = 0
    search: while position > 0 {
      let length = min(1 << 16, position)
      position -= length
      var chunk = [UInt8](repeating: 0, count: length)
      let count = chunk.withUnsafeMutableBytes {
        pread(descriptor, $0.baseAddress, length, off_t(position))
      }
      guard count == length else {
        throw .cannotOpen(path: path, reason: String(cString: strerror(errno)))
      }
      if let newline = chunk.lastIndex(of: UInt8(ascii: "\n")) {
        start = position + newline + 1
        tail = Array(chunk[(newline + 1)...]) + tail
        break search
      }
      tail = chunk + tail
      guard tail.count <= DecisionLogReader.maximumLineLength else {
        start = position
        break search
      }
    }
    let lineNumber = countLines(before: start) + 1
    if tail.count <= DecisionLogReader.maximumLineLength,
      (try? RecordDecoder.decode(line: tail, location: path, line: lineNumber)) != nil
    {
      let newline: [UInt8] = [UInt8(ascii: "\n")]
      guard writeBytes(descriptor, newline, 1) == 1 else {
        throw .cannotOpen(path: path, reason: String(cString: strerror(errno)))
      }
      return
    }
    guard ftruncate(descriptor, off_t(start)) == 0, fsync(descriptor) == 0 else {
      throw .cannotOpen(path: path, reason: String(cString: strerror(errno)))
    }
    logger.warning(
      "decision log: removed a partial last line (its writer was stopped mid-write)",
      metadata: ["file": "\(path)", "line": "\(lineNumber)", "bytes": "\(size - start)"])
  }

  /// The newlines in the first `length` bytes of the file.
  private func countLines(before length: Int) -> Int {
    var lines = 0
    var position = 0
    var chunk = [UInt8](repeating: 0, count: 1 << 16)
    while position < length {
      let wanted = min(chunk.count, length - position)
      let count = chunk.withUnsafeMutableBytes {
        pread(descriptor, $0.baseAddress, wanted, off_t(position))
      }
      guard count > 0 else { break }
      lines += chunk[0..<count].reduce(0) { $0 + ($1 == UInt8(ascii: "\n") ? 1 : 0) }
      position += count
    }
    return lines
  }

  /// Makes a new file's name durable too.
  private static func syncFolder(of path: String) {
    let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
    let descriptor = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
    guard descriptor >= 0 else { return }
    _ = fsync(descriptor)
    close(descriptor)
  }

  static func describe(errno error: Int32, path: String) -> String {
    switch error {
    case ENOENT:
      let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
      return "the folder \(folder) does not exist"
    case EACCES, EPERM: return "permission denied"
    case EROFS: return "the file system is read-only"
    case ENOTDIR: return "a part of the path is not a folder"
    case EISDIR: return "is a folder; give a file name for the decision log"
    case ENXIO: return "it is a FIFO with no reader, not a regular file"
    default: return String(cString: strerror(error))
    }
  }
}

/// `write(2)`, named apart from `LogFile.write`.
private func writeBytes(_ descriptor: Int32, _ buffer: UnsafeRawPointer?, _ count: Int) -> Int {
  write(descriptor, buffer, count)
}
