import Foundation
import ProtocolEngine

/// Where per-user data lives: `$XDG_DATA_HOME/hotline-sim`, else
/// `~/.local/share/hotline-sim`.
public enum DataDirectory {
  public static func root(environment: [String: String] = ProcessInfo.processInfo.environment)
    -> String
  {
    if let xdg = environment["XDG_DATA_HOME"], xdg.hasPrefix("/") { return xdg + "/hotline-sim" }
    let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
    return home + "/.local/share/hotline-sim"
  }

  /// A trainee's name as a file name: letters, digits, '-', '_' and '.'; others become '_'.
  public static func slug(_ name: String) -> String {
    let cleaned = String(
      name.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == "." ? $0 : "_" })
    let trimmed = cleaned.trimming(".")
    return trimmed.isEmpty ? "trainee" : trimmed
  }

  /// The history file of one trainee, so trainees sharing an account do not share history.
  public static func historyFile(
    trainee: String, environment: [String: String] = ProcessInfo.processInfo.environment
  )
    -> String
  {
    root(environment: environment) + "/history/" + slug(trainee)
  }

  /// Writes `text` to `path` atomically (a temporary file, then a rename), creating folders.
  public static func writeAtomically(_ text: String, to path: String) throws {
    let url = URL(fileURLWithPath: path)
    try FileManager.default.createDirectory(
      at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    try Data(text.utf8).write(to: url, options: .atomic)
  }
}
