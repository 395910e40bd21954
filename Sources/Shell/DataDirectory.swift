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

  /// The longest readable part of a file name made from a name (see ``fileName(for:)``).
  public static let maximumSlugLength = 60

  /// A name as a readable file name: letters, digits, '-', '_' and '.'; others become '_';
  /// no leading or trailing dots; at most ``maximumSlugLength`` characters. Different names
  /// can share a slug (`a/b` and `a_b`): where that matters, use ``fileName(for:)``.
  public static func slug(_ name: String) -> String {
    let cleaned = String(
      name.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == "." ? $0 : "_" })
    let trimmed = String(cleaned.trimming(".").prefix(maximumSlugLength)).trimming(".")
    return trimmed.isEmpty ? "trainee" : trimmed
  }

  /// A file name that belongs to `name` alone, at most 73 bytes whatever the name.
  ///
  /// A name that is already a plain file name (its own ``slug(_:)``: letters, digits, '-',
  /// '_', '.', at most 60 characters) is used as it is, so the files of earlier versions
  /// (`alice`, `jdoe`) stay where they are. Any other name gets its slug and the first 12
  /// hexadecimal digits of the SHA-256 of its UTF-8 bytes: `a/b` is `a_b-9d2f0c...`, apart
  /// from `a_b`. A plain name that itself ends like that (`-` and 12 hexadecimal digits) is
  /// hashed too, so no name can take another's file.
  public static func fileName(for name: String) -> String {
    let readable = slug(name)
    if readable == name, !looksHashed(name) { return name }
    return readable + "-" + sha256Hex(Array(name.utf8)).prefix(12)
  }

  /// Whether `name` ends as a hashed file name does: `-` and 12 lower-case hex digits.
  static func looksHashed(_ name: String) -> Bool {
    let scalars = Array(name.unicodeScalars.suffix(13))
    guard scalars.count == 13, scalars[0] == "-" else { return false }
    return scalars.dropFirst().allSatisfy { ("0"..."9").contains($0) || ("a"..."f").contains($0) }
  }

  /// The history file of one trainee, so trainees sharing an account do not share history:
  /// `history/<fileName(for: trainee)>`.
  public static func historyFile(
    trainee: String, environment: [String: String] = ProcessInfo.processInfo.environment
  )
    -> String
  {
    root(environment: environment) + "/history/" + fileName(for: trainee)
  }

  /// Writes `text` to `path` atomically (a temporary file, then a rename), creating folders.
  public static func writeAtomically(_ text: String, to path: String) throws {
    let url = URL(fileURLWithPath: path)
    try FileManager.default.createDirectory(
      at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    try Data(text.utf8).write(to: url, options: .atomic)
  }
}
