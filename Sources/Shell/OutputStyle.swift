import ProtocolEngine
import ScenarioKit

/// The one decision about how output looks: colour only on a terminal, never with
/// `NO_COLOR` or `--no-color`; `--plain` for screen readers (no colour, no cursor
/// movement, every line labelled so it reads on its own).
public struct OutputStyle: Sendable, Hashable {
  public var color: Bool
  public var plain: Bool

  public init(color: Bool, plain: Bool) {
    self.color = color && !plain
    self.plain = plain
  }

  /// Decides from the environment and the flags.
  public static func decide(
    isTerminal: Bool, environment: [String: String], noColor: Bool, plain: Bool
  ) -> OutputStyle {
    let banned =
      (environment["NO_COLOR"].map { !$0.isEmpty } ?? false) || environment["TERM"] == "dumb"
    return OutputStyle(color: isTerminal && !banned && !noColor, plain: plain)
  }

  enum Color: String {
    case bold = "1", dim = "2", red = "31", green = "32", yellow = "33", blue = "34", magenta =
      "35", cyan = "36"
  }

  func paint(_ text: String, _ color: Color) -> String {
    self.color ? "\u{1B}[\(color.rawValue)m\(text)\u{1B}[0m" : text
  }

  /// One output line, with a trailing newline. Its text (scenario content, what the trainee
  /// typed, the player's messages quoting it) passes the terminal sanitiser first; only the
  /// style's own colour escapes reach the terminal raw.
  public func render(_ line: OutputLine) -> String {
    let text = TerminalText.sanitized(line.text)
    if plain {
      let label: String
      switch line.kind {
      case .caller: label = ""
      case .event: label = "Event: "
      case .system: label = ""
      case .choice: label = "Choice: "
      case .error: label = "Error: "
      }
      // Every line of the text carries the label, and nothing is drawn: a line that is
      // only a rule (`====`, `----`) would be read out character by character.
      return text.split(separator: "\n", omittingEmptySubsequences: false)
        .map { String($0).trimming(" ") }
        .filter { !Self.isRule($0) }
        .map { label + $0 + "\n" }
        .joined()
    }
    switch line.kind {
    case .caller: return paint(text, .cyan) + "\n"
    case .event: return paint("* " + text, .yellow) + "\n"
    case .system: return text + "\n"
    case .choice: return paint(text, .magenta) + "\n"
    case .error: return paint("error: ", .red) + text + "\n"
    }
  }

  /// Whether `text` is a decorative rule: three or more of one of `=-_*~#` and nothing else.
  static func isRule(_ text: some StringProtocol) -> Bool {
    guard text.count >= 3, let first = text.first, "=-_*~#".contains(first) else { return false }
    return text.allSatisfy { $0 == first }
  }

  /// The prompt: `[00:42 call] > `. For readline, colour escapes are wrapped in \001/\002
  /// so the line editor counts only visible characters.
  public func prompt(clock: Int, channel: String, forReadline: Bool) -> String {
    let text = "[\(clockText(clock)) \(channel)]"
    guard color else { return text + " > " }
    let start = forReadline ? "\u{01}\u{1B}[1;32m\u{02}" : "\u{1B}[1;32m"
    let end = forReadline ? "\u{01}\u{1B}[0m\u{02}" : "\u{1B}[0m"
    return start + text + end + " > "
  }
}
