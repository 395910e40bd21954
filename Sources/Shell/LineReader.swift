/// What reading one line produced.
public enum ReadResult: Sendable, Hashable {
  /// A line the user entered (without its newline).
  case line(String)
  /// Ctrl-C: the line was cleared; the session goes on.
  case interrupted
  /// Ctrl-D on an empty line, or the end of piped input.
  case endOfInput
}

/// Where the shell's input comes from: readline on a terminal, plain lines otherwise, a
/// script in tests.
public protocol LineReader {
  /// Whether a person is typing (so the shell asks before ending, and keeps history).
  var isInteractive: Bool { get }

  /// Whether the prompt is drawn by a line editor (so colour escapes must be marked).
  var editsLines: Bool { get }

  /// Reads one line after showing `prompt`.
  ///
  /// - Parameter idle: called about once a second while waiting; text it returns is shown
  ///   above the line being typed, and the prompt is redrawn from `prompt()` (events that
  ///   happen while the trainee types).
  mutating func readLine(prompt: () -> String, idle: (() -> String?)?) -> ReadResult

  /// Remembers a line for history recall.
  mutating func remember(_ line: String)
}

extension LineReader {
  public var editsLines: Bool { false }

  public mutating func readLine(prompt: String) -> ReadResult {
    readLine(prompt: { prompt }, idle: nil)
  }

  public mutating func remember(_ line: String) {}
}

/// Replays prepared results: the shell's tests drive the command loop with this.
public struct ScriptedReader: LineReader {
  public var results: [ReadResult]
  public let isInteractive: Bool
  /// The prompts shown, in order.
  public private(set) var prompts: [String] = []
  public private(set) var remembered: [String] = []

  public init(_ results: [ReadResult], interactive: Bool = true) {
    self.results = results
    self.isInteractive = interactive
  }

  public mutating func readLine(prompt: () -> String, idle: (() -> String?)?) -> ReadResult {
    prompts.append(prompt())
    guard !results.isEmpty else { return .endOfInput }
    return results.removeFirst()
  }

  public mutating func remember(_ line: String) { remembered.append(line) }
}

/// Reads lines from standard input without line editing: for pipes, `TERM=dumb` and
/// `--plain` (screen readers). The prompt is printed only when a person is typing.
public struct PlainReader: LineReader {
  public let isInteractive: Bool
  let write: (String) -> Void

  public init(interactive: Bool, write: @escaping (String) -> Void) {
    self.isInteractive = interactive
    self.write = write
  }

  public mutating func readLine(prompt: () -> String, idle: (() -> String?)?) -> ReadResult {
    if isInteractive { write(prompt()) }
    guard let line = Swift.readLine(strippingNewline: true) else { return .endOfInput }
    return .line(line)
  }
}
