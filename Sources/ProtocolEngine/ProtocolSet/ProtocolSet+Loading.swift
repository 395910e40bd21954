import Foundation

extension ProtocolSetSource {
  /// Reads a protocol set directory: `policy.yaml`, `protocols/**/*.yaml`,
  /// `directory/*.csv` and `geography.csv`. Files are read in sorted order.
  ///
  /// - Throws: `ProtocolEngineError.unreadable` if the directory or a file cannot be read.
  public static func read(directory root: String) throws(ProtocolEngineError) -> ProtocolSetSource {
    let manager = FileManager.default
    var isDirectory: ObjCBool = false
    guard manager.fileExists(atPath: root, isDirectory: &isDirectory), isDirectory.boolValue else {
      throw .unreadable(file: root, reason: "no such protocol set directory")
    }
    func join(_ parts: String...) -> String {
      parts.reduce(root) { $0.hasSuffix("/") ? $0 + $1 : $0 + "/" + $1 }
    }
    func read(_ path: String) throws(ProtocolEngineError) -> File {
      do {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        guard let text = String(data: data, encoding: .utf8) else {
          throw ProtocolEngineError.unreadable(file: path, reason: "not UTF-8 text")
        }
        return File(path: path, text: text)
      } catch let error as ProtocolEngineError {
        throw error
      } catch {
        throw .unreadable(file: path, reason: error.localizedDescription)
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
    guard manager.fileExists(atPath: policyPath) else {
      throw .unreadable(file: policyPath, reason: "a protocol set needs policy.yaml")
    }
    let geographyPath = join("geography.csv")
    var protocols: [File] = []
    for path in files(under: join("protocols"), suffixes: [".yaml", ".yml"]) {
      protocols.append(try read(path))
    }
    var directory: [File] = []
    for path in files(under: join("directory"), suffixes: [".csv"]) {
      directory.append(try read(path))
    }
    return ProtocolSetSource(
      policy: try read(policyPath), protocols: protocols, directory: directory,
      geography: manager.fileExists(atPath: geographyPath) ? try read(geographyPath) : nil)
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
