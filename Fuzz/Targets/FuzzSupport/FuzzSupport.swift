// What the fuzz targets share: libFuzzer's driver, where the repository is, the shipped
// protocol set. Build and run: see Fuzz/README.md.
import Foundation
import ProtocolEngine

/// libFuzzer's entry point for a program that has its own `main` (LLVM 13 and later).
@_silgen_name("LLVMFuzzerRunDriver")
private func llvmFuzzerRunDriver(
  _ argc: UnsafeMutablePointer<Int32>,
  _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
  _ callback: @convention(c) (UnsafePointer<UInt8>, Int) -> Int32
) -> Int32

/// A C program's `argv`.
public typealias Arguments = UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?

/// One input of a fuzz target (its `LLVMFuzzerTestOneInput`).
public typealias FuzzCallback = @convention(c) (UnsafePointer<UInt8>, Int) -> Int32

/// Runs libFuzzer with the program's arguments.
///
/// SwiftPM links every executable's `main` to `<Module>_main` (`--defsym main=...`, so that
/// tests can link the module), which hides the `main` that `-sanitize=fuzzer` brings. Each
/// target therefore defines `<Module>_main` with `@_cdecl` and hands over to libFuzzer here;
/// should SwiftPM stop renaming, libFuzzer's own `main` runs and calls the same
/// `LLVMFuzzerTestOneInput`.
public func runLibFuzzer(
  _ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>,
  _ callback: FuzzCallback
) -> Int32 {
  var argc = argc
  var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = argv
  return llvmFuzzerRunDriver(&argc, &argv, callback)
}

/// The repository: `HOTLINESIM_ROOT`, else four folders above this file.
public let repositoryRoot: String = {
  if let root = ProcessInfo.processInfo.environment["HOTLINESIM_ROOT"], !root.isEmpty {
    return root
  }
  var url = URL(fileURLWithPath: #filePath)
  for _ in 0..<4 { url.deleteLastPathComponent() }
  return url.path
}()

/// The shipped protocol set's folder (`HOTLINESIM_PROTOCOLS` names another).
public let protocolsDirectory: String = {
  if let directory = ProcessInfo.processInfo.environment["HOTLINESIM_PROTOCOLS"],
    !directory.isEmpty
  {
    return directory
  }
  return repositoryRoot + "/Protocols"
}()

/// The shipped protocol set's files and the loaded set, read once; a set that does not load
/// stops the fuzzer at once (the fuzz run would prove nothing).
public let shippedSet: (source: ProtocolSetSource, set: ProtocolSet) = {
  do {
    let source = try ProtocolSetSource.read(directory: protocolsDirectory)
    let (set, diagnostics) = ProtocolSet.parse(source)
    guard let set else {
      fatalError("fuzz: the protocol set \(protocolsDirectory) has errors: \(diagnostics)")
    }
    return (source, set)
  } catch {
    fatalError("fuzz: cannot read the protocol set \(protocolsDirectory): \(error)")
  }
}()

/// An engine over the shipped set.
public let shippedEngine = Engine(shippedSet.set)

/// A file of the repository as text; a missing file stops the fuzzer.
public func repositoryFile(_ path: String) -> String {
  let full = path.hasPrefix("/") ? path : repositoryRoot + "/" + path
  guard let data = FileManager.default.contents(atPath: full) else {
    fatalError("fuzz: cannot read \(full)")
  }
  return String(decoding: data, as: UTF8.self)
}

/// The input as text, as the tools read a file: its bytes decoded as UTF-8 (invalid
/// sequences become U+FFFD).
public func inputText(_ data: UnsafePointer<UInt8>, _ size: Int) -> String {
  String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
}

/// The as-of day for everything (the tools use today; a fixed day keeps runs reproducible).
public let fuzzDay: Day = {
  guard let day = Day(year: 2026, month: 11, day: 29) else { fatalError("fuzz: bad day") }
  return day
}()

/// Whether the targets' oracles (checks beyond "does not crash or hang") are on;
/// `HOTLINESIM_FUZZ_ORACLES=0` turns them off.
public let oraclesEnabled = ProcessInfo.processInfo.environment["HOTLINESIM_FUZZ_ORACLES"] != "0"

/// A control character that must not reach a terminal raw: C0 but newline and tab, DEL, C1.
public func isTerminalControl(_ scalar: Unicode.Scalar) -> Bool {
  switch scalar.value {
  case 0x0A, 0x09: false
  case 0x00...0x1F, 0x7F...0x9F: true
  default: false
  }
}

/// `text` with control characters shown as `\u{1b}`, for a crash message.
public func showingControls(_ text: String) -> String {
  text.unicodeScalars.map {
    isTerminalControl($0) ? "\\u{\(String($0.value, radix: 16))}" : String($0)
  }.joined()
}

/// Checks that a diagnostic about the fuzzed file points into it: line 1 to one past its
/// last line, column 1 or more (every diagnostic has a `file:line:col`).
public func checkLocation(
  _ location: SourceLocation, file: String, text: String, in target: String
) {
  guard oraclesEnabled, location.file == file else { return }
  let lines = text.reduce(into: 1) { count, character in if character.isNewline { count += 1 } }
  let position = location.position
  guard (1...lines + 1).contains(position.line), position.column >= 1 else {
    fatalError("\(target): a diagnostic points outside the file (\(lines) lines): \(location)")
  }
}
