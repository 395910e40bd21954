import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

extension ProtocolSetSource {
  /// Reads a protocol set directory: `policy.yaml`, `protocols/**/*.yaml`,
  /// `directory/*.csv` and `geography.csv`. Files are read in sorted order.
  ///
  /// A file of the set that cannot be read (not UTF-8 text, not a regular file, a broken
  /// link) does not stop the reading: it becomes an `HR0001` error in `unreadable`, at the
  /// first bad byte for text that is not UTF-8, so `check` reports it with everything else.
  /// A FIFO or device is never opened.
  ///
  /// - Throws: `ProtocolEngineError.unreadable` if the directory does not exist or has no
  ///   `policy.yaml`.
  public static func read(directory root: String) throws(ProtocolEngineError) -> ProtocolSetSource {
    let manager = FileManager.default
    var isDirectory: ObjCBool = false
    guard manager.fileExists(atPath: root, isDirectory: &isDirectory), isDirectory.boolValue else {
      throw .unreadable(file: root, reason: "no such protocol set directory")
    }
    func join(_ parts: String...) -> String {
      parts.reduce(root) { $0.hasSuffix("/") ? $0 + $1 : $0 + "/" + $1 }
    }
    var unreadable: [Diagnostic] = []
    /// The file's text, or nil after recording why it cannot be read.
    func read(_ path: String) -> File? {
      switch readText(path) {
      case .success(let text): return File(path: path, text: text)
      case .failure(let problem):
        unreadable.append(
          Diagnostic(
            .error, .syntax, at: SourceLocation(file: path, position: problem.position),
            "cannot read: \(problem.reason)"))
        return nil
      }
    }
    func files(under folder: String, suffixes: [String]) -> [String] {
      guard let enumerator = manager.enumerator(atPath: folder) else { return [] }
      var found: [String] = []
      while let relative = enumerator.nextObject() as? String {
        if suffixes.contains(where: { relative.hasSuffix($0) }) {
          found.append(folder + "/" + relative)
        }
      }
      return found.sorted()
    }
    let policyPath = join("policy.yaml")
    guard fileType(policyPath) != nil else {
      throw .unreadable(file: policyPath, reason: "a protocol set needs policy.yaml")
    }
    let geographyPath = join("geography.csv")
    let policy = read(policyPath) ?? File(path: policyPath, text: "")
    let protocols = files(under: join("protocols"), suffixes: [".yaml", ".yml"]).compactMap(read)
    let directory = files(under: join("directory"), suffixes: [".csv"]).compactMap(read)
    let geography = fileType(geographyPath) != nil ? read(geographyPath) : nil
    return ProtocolSetSource(
      policy: policy, protocols: protocols, directory: directory, geography: geography,
      unreadable: unreadable)
  }

  /// Why a file cannot be read, and where (1:1, or the first byte that is not UTF-8).
  private struct ReadProblem: Error {
    var reason: String
    var position = SourcePosition(line: 1, column: 1)
  }

  /// The kind of file at `path` without following a link (`S_IFMT` bits), nil if absent.
  private static func fileType(_ path: String) -> mode_t? {
    var info = stat()
    guard lstat(path, &info) == 0 else { return nil }
    return info.st_mode & S_IFMT
  }

  /// The largest file a protocol set may hold (16 MiB): the shipped set's largest file is
  /// under 0.5 MiB.
  public static let maximumFileSize = 16 << 20

  /// Reads a regular file as UTF-8 text, checking its type and size first so a FIFO or a
  /// device never blocks the reader and a huge file is not read.
  private static func readText(_ path: String) -> Result<String, ReadProblem> {
    var info = stat()
    guard stat(path, &info) == 0 else {
      let error = errno
      if fileType(path) == S_IFLNK {
        return .failure(
          ReadProblem(reason: error == ELOOP ? "a link that leads back to itself" : "a broken link")
        )
      }
      if error == EACCES { return .failure(ReadProblem(reason: "permission denied")) }
      return .failure(ReadProblem(reason: String(cString: strerror(error))))
    }
    switch info.st_mode & S_IFMT {
    case S_IFREG: break
    case S_IFDIR: return .failure(ReadProblem(reason: "not a regular file (a directory)"))
    case S_IFIFO: return .failure(ReadProblem(reason: "not a regular file (a FIFO)"))
    case S_IFSOCK: return .failure(ReadProblem(reason: "not a regular file (a socket)"))
    case S_IFCHR, S_IFBLK: return .failure(ReadProblem(reason: "not a regular file (a device)"))
    default: return .failure(ReadProblem(reason: "not a regular file"))
    }
    guard Int(info.st_size) <= maximumFileSize else {
      return .failure(
        ReadProblem(
          reason: "\(Int(info.st_size)) bytes, over the limit of \(maximumFileSize) (16 MiB)"))
    }
    let data: Data
    do {
      data = try Data(contentsOf: URL(fileURLWithPath: path))
    } catch CocoaError.fileReadNoPermission {
      return .failure(ReadProblem(reason: "permission denied"))
    } catch {
      return .failure(ReadProblem(reason: "an I/O error"))
    }
    guard let text = String(validating: data, as: UTF8.self) else {
      return .failure(firstInvalidUTF8(Array(data)))
    }
    return .success(text)
  }

  /// Where the first byte that is not part of valid UTF-8 is, by line and column (columns
  /// count Unicode scalars, as YAML marks do).
  private static func firstInvalidUTF8(_ bytes: [UInt8]) -> ReadProblem {
    var line = 1
    var column = 1
    var iterator = bytes.makeIterator()
    var decoder = UTF8()
    var offset = 0
    while true {
      switch decoder.decode(&iterator) {
      case .scalarValue(let scalar):
        offset += UTF8.width(scalar)
        if scalar == "\n" {
          line += 1
          column = 1
        } else {
          column += 1
        }
      case .emptyInput:
        return ReadProblem(reason: "not UTF-8 text")
      case .error:
        let byte = offset < bytes.count ? bytes[offset] : 0
        let hex = String(byte, radix: 16, uppercase: true)
        return ReadProblem(
          reason: "not UTF-8 text (byte 0x\(hex.count < 2 ? "0" + hex : hex))",
          position: SourcePosition(line: line, column: column))
      }
    }
  }
}

extension ProtocolSet {
  /// Reads and parses a protocol set directory.
  ///
  /// - Throws: `ProtocolEngineError.unreadable`, or `.invalidProtocolSet` with every
  ///   diagnostic when the set has errors.
  public static func load(directory: String) throws(ProtocolEngineError) -> ProtocolSet {
    let (set, diagnostics) = parse(try ProtocolSetSource.read(directory: directory))
    guard let set else { throw .invalidProtocolSet(diagnostics) }
    return set
  }

  /// Where the shipped set is: `$HOTLINESIM_PROTOCOLS`, else `./Protocols`, else a
  /// `Protocols` folder beside or above the running executable (as `swift run` places it).
  public static func defaultDirectory(executable: String = CommandLine.arguments.first ?? "")
    -> String
  {
    if let fromEnvironment = ProcessInfo.processInfo.environment["HOTLINESIM_PROTOCOLS"],
      !fromEnvironment.isEmpty
    {
      return fromEnvironment
    }
    let manager = FileManager.default
    if manager.fileExists(atPath: "Protocols/policy.yaml") { return "Protocols" }
    var folder = URL(fileURLWithPath: executable).resolvingSymlinksInPath()
      .deletingLastPathComponent()
    for _ in 0..<8 {
      let candidate = folder.appendingPathComponent("Protocols")
      if manager.fileExists(atPath: candidate.appendingPathComponent("policy.yaml").path) {
        return candidate.path
      }
      folder.deleteLastPathComponent()
    }
    return "Protocols"
  }
}
