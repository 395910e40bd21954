import Foundation
import ProtocolEngine

/// Reads a report's bytes from a file or standard input, refusing what is not a report file
/// before it can hang or fill memory: a FIFO (opening one waits for a writer forever), a
/// directory, a device, a dangling symbolic link, and anything longer than
/// `Report.Limits.bytes`.
public enum ReportInput {
  /// The bytes of the regular file at `path`.
  ///
  /// - Throws: `RouteError.unreadableReport` saying why the file cannot be read, or
  ///   `RouteError.reportTooLarge`.
  public static func read(path: String) throws(RouteError) -> [UInt8] {
    // Non-blocking, so that opening a FIFO returns at once instead of waiting for a writer;
    // the file type is then checked on the open descriptor, not on the name.
    let descriptor = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
    guard descriptor >= 0 else {
      throw .unreadableReport(file: path, reason: openFailure(path: path, errno: errno))
    }
    defer { close(descriptor) }
    var status = stat()
    guard fstat(descriptor, &status) == 0 else {
      throw .unreadableReport(file: path, reason: describe(errno: errno))
    }
    let kind = status.st_mode & S_IFMT
    guard kind == S_IFREG else {
      throw .unreadableReport(file: path, reason: notARegularFile(kind))
    }
    if Int(status.st_size) > Report.Limits.bytes { throw .reportTooLarge(file: path) }
    return try read(descriptor: descriptor, file: path)
  }

  /// Everything on standard input, up to `Report.Limits.bytes`.
  ///
  /// - Throws: `RouteError.unreadableReport` or `RouteError.reportTooLarge`, naming `file`.
  public static func readStandardInput(file: String) throws(RouteError) -> [UInt8] {
    try read(descriptor: STDIN_FILENO, file: file)
  }

  /// Reads to the end, or one byte past the limit.
  private static func read(descriptor: Int32, file: String) throws(RouteError) -> [UInt8] {
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 1 << 16)
    while bytes.count <= Report.Limits.bytes {
      let wanted = min(chunk.count, Report.Limits.bytes + 1 - bytes.count)
      let count = chunk.withUnsafeMutableBytes { readBytes(descriptor, $0.baseAddress, wanted) }
      if count == 0 { break }
      if count < 0 {
        let error = errno
        if error == EINTR { continue }
        throw .unreadableReport(file: file, reason: describe(errno: error))
      }
      bytes.append(contentsOf: chunk[0..<count])
    }
    guard bytes.count <= Report.Limits.bytes else { throw .reportTooLarge(file: file) }
    return bytes
  }

  /// Why `open` failed, in words; a dangling symbolic link says where it points.
  private static func openFailure(path: String, errno error: Int32) -> String {
    var status = stat()
    if error == ENOENT, lstat(path, &status) == 0, status.st_mode & S_IFMT == S_IFLNK {
      var target = [CChar](repeating: 0, count: 4096)
      let length = readlink(path, &target, target.count - 1)
      let name =
        length > 0
        ? String(decoding: target[0..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        : "?"
      return "it is a symbolic link to '\(name)', which does not exist"
    }
    return describe(errno: error)
  }

  private static func notARegularFile(_ kind: mode_t) -> String {
    switch kind {
    case S_IFDIR: "it is a directory, not a file"
    case S_IFIFO:
      "it is a FIFO (named pipe), not a regular file; to stream a report, give - and write "
        + "it to standard input"
    case S_IFSOCK: "it is a socket, not a regular file"
    case S_IFCHR, S_IFBLK: "it is a device, not a regular file"
    default: "it is not a regular file"
    }
  }

  private static func describe(errno error: Int32) -> String {
    switch error {
    case ENOENT: "no such file"
    case EACCES, EPERM: "permission denied"
    case ENOTDIR: "a part of the path is not a directory"
    case ELOOP: "too many levels of symbolic links"
    case ENAMETOOLONG: "the path is too long"
    case EISDIR: "it is a directory, not a file"
    default: String(cString: strerror(error))
    }
  }
}

/// `read(2)`, named apart from `ReportInput.read`, which hides it inside the enum.
private func readBytes(_ descriptor: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int)
  -> Int
{
  read(descriptor, buffer, count)
}
