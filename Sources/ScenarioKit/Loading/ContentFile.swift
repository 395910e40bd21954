import Foundation
import ProtocolEngine

/// Reads a content file (a scenario, a curriculum, a verb script) without being fooled by what
/// is at the path: the file's type is checked before anything is read, so a named pipe never
/// blocks the reader, and what cannot be read gets a plain reason instead of a system error.
public enum ContentFile {
  /// The largest content file read: 1 MiB (the shipped scenarios are under 20 KB).
  public static let maximumBytes = 1 << 20

  /// Why a file could not be read, and where in it (1:1 unless the problem is inside it).
  public struct Failure: Error, Sendable, Hashable, CustomStringConvertible {
    /// A plain reason that follows "the file is": "not UTF-8 text (byte 0xFF)", "not a
    /// regular file (a named pipe)", "a broken link", "missing".
    public var reason: String
    public var position: SourcePosition

    public init(_ reason: String, at position: SourcePosition = SourcePosition(line: 1, column: 1))
    {
      self.reason = reason
      self.position = position
    }

    public var description: String { reason }

    /// Whether nothing is at the path.
    public var isMissing: Bool { reason == ContentFile.reason(errno: ENOENT) }

    /// The failure as an HS0001 error located in `path`.
    public func diagnostic(path: String) -> ScenarioDiagnostic {
      ScenarioDiagnostic(
        .error, .syntax, at: SourceLocation(file: path, position: position),
        "the file is \(reason)")
    }
  }

  /// Reads the file at `path` as UTF-8 text.
  ///
  /// - Parameters:
  ///   - path: the file.
  ///   - allowPipes: also read a named pipe or a character device to its end (a verb script
  ///     given as `<(...)` or `/dev/stdin`); content files are regular files only.
  ///   - limit: the most bytes read; a larger file is refused.
  /// - Throws: `Failure` when nothing is at the path, the link is broken, the path is not a
  ///   regular file, the file is larger than `limit`, cannot be opened or is not UTF-8.
  public static func read(_ path: String, allowPipes: Bool = false, limit: Int = maximumBytes)
    throws(Failure) -> String
  {
    var info = stat()
    guard stat(path, &info) == 0 else {
      let error = errno
      var link = stat()
      if lstat(path, &link) == 0, link.st_mode & 0o170000 == 0o120000 {
        throw Failure(error == ELOOP ? "a link that loops back on itself" : "a broken link")
      }
      throw Failure(reason(errno: error))
    }
    let kind = info.st_mode & 0o170000
    let isPipe = kind == 0o010000 || kind == 0o020000
    guard kind == 0o100000 || (allowPipes && isPipe) else {
      throw Failure("not a regular file (\(describe(kind)))")
    }
    // Not blocking on open: the path could have been swapped for a pipe since the check.
    let descriptor = open(path, O_RDONLY | O_CLOEXEC | (isPipe ? 0 : O_NONBLOCK))
    guard descriptor >= 0 else { throw Failure(reason(errno: errno)) }
    defer { close(descriptor) }
    var opened = stat()
    guard fstat(descriptor, &opened) == 0 else { throw Failure(reason(errno: errno)) }
    guard opened.st_mode & 0o170000 == kind else {
      throw Failure("not a regular file (\(describe(opened.st_mode & 0o170000)))")
    }
    var bytes: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 64 * 1024)
    while true {
      let count = buffer.withUnsafeMutableBytes {
        systemRead(descriptor, $0.baseAddress, $0.count)
      }
      if count < 0 {
        if errno == EINTR { continue }
        throw Failure(reason(errno: errno))
      }
      if count == 0 { break }
      bytes += buffer[0..<count]
      guard bytes.count <= limit else {
        throw Failure("larger than \(describe(bytes: limit)), the most a content file may be")
      }
    }
    return try text(bytes)
  }

  /// Decodes `bytes` as UTF-8, or throws naming the line and column of the first byte that
  /// is not UTF-8.
  public static func text(_ bytes: [UInt8]) throws(Failure) -> String {
    if let text = String(validating: bytes, as: UTF8.self) { return text }
    var line = 1
    var column = 1
    var parser = Unicode.UTF8.ForwardParser()
    var iterator = bytes.makeIterator()
    var offset = 0
    loop: while true {
      switch parser.parseScalar(from: &iterator) {
      case .valid(let scalar):
        offset += scalar.count
        if scalar.count == 1, scalar.first == UInt8(ascii: "\n") {
          line += 1
          column = 1
        } else {
          column += 1
        }
      case .error:
        let byte = bytes[offset]
        throw Failure(
          "not UTF-8 text (byte 0x\(String(byte, radix: 16, uppercase: true)))",
          at: SourcePosition(line: line, column: column))
      case .emptyInput:
        break loop
      }
    }
    throw Failure("not UTF-8 text")
  }

  static func describe(_ kind: mode_t) -> String {
    switch kind {
    case 0o040000: "a folder"
    case 0o010000: "a named pipe"
    case 0o020000: "a character device"
    case 0o060000: "a block device"
    case 0o140000: "a socket"
    default: "an unknown kind of file"
    }
  }

  static func describe(bytes: Int) -> String {
    bytes % (1 << 20) == 0 ? "\(bytes >> 20) MiB" : "\(bytes) bytes"
  }

  static func reason(errno code: Int32) -> String {
    switch code {
    case ENOENT: "missing"
    case EACCES, EPERM: "not readable (permission denied)"
    case ENOTDIR: "not reachable (a part of its path is a file, not a folder)"
    case ENAMETOOLONG: "not reachable (its path is too long)"
    case ELOOP: "a link that loops back on itself"
    case EISDIR: "not a regular file (a folder)"
    default: "not readable (\(String(cString: strerror(code)).lowercased()))"
    }
  }
}

/// The system's `read(2)`, which `ContentFile.read` hides inside the type.
private func systemRead(_ descriptor: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int)
  -> Int
{
  read(descriptor, buffer, count)
}
