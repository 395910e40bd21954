import CReadline
import Foundation

/// What reading one line produced.
public enum ReadResult: Sendable, Hashable {
  /// A line the user entered (without its newline).
  case line(String)
  /// Ctrl-C: the line was cleared; the session goes on.
  case interrupted
  /// Ctrl-D on an empty line, or the end of piped input.
  case endOfInput
  /// Something that happened while the user typed ended the read (the caller hung up); the
  /// half-typed line was dropped.
  case stopped
}

/// Output that happened while a line was being typed (`--real-time`): a voice in the
/// background, a hang-up.
public struct IdleOutput {
  /// Prints the output through the shell's one output function. The reader calls it with
  /// the prompt cleared and the cursor at the start of an empty line.
  public var show: () -> Void
  /// Stop reading once it is shown: the attempt has ended.
  public var endsReading: Bool

  public init(endsReading: Bool, show: @escaping () -> Void) {
    self.show = show
    self.endsReading = endsReading
  }
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
  /// - Parameter idle: called about once a second while waiting, for events that happen
  ///   while the trainee types. A reader that can, shows its output above the line being
  ///   typed and then redraws the prompt (from `prompt()`, the clock may have moved) with
  ///   the half-typed line and the cursor where they were; when the output ends reading,
  ///   it returns ``ReadResult/stopped``. A reader that cannot (no line editing) ignores it.
  mutating func readLine(prompt: () -> String, idle: (() -> IdleOutput?)?) -> ReadResult

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
  public let editsLines: Bool
  /// How many times `idle` is called before each result, as a terminal calls it about once
  /// a second while the trainee types.
  public let idleTicks: Int
  /// The prompts shown, in order.
  public private(set) var prompts: [String] = []
  public private(set) var remembered: [String] = []

  public init(
    _ results: [ReadResult], interactive: Bool = true, editsLines: Bool = false,
    idleTicks: Int = 0
  ) {
    self.results = results
    self.isInteractive = interactive
    self.editsLines = editsLines
    self.idleTicks = idleTicks
  }

  public mutating func readLine(prompt: () -> String, idle: (() -> IdleOutput?)?) -> ReadResult {
    prompts.append(prompt())
    for _ in 0..<idleTicks {
      guard let output = idle?() else { continue }
      output.show()
      if output.endsReading { return .stopped }
    }
    guard !results.isEmpty else { return .endOfInput }
    return results.removeFirst()
  }

  public mutating func remember(_ line: String) { remembered.append(line) }
}

/// Reads lines from standard input without line editing: for pipes, `TERM=dumb` and
/// `--plain` (screen readers). The prompt is printed only when a person is typing; events
/// that happen while they type are shown after their line (nothing is drawn over it).
public struct PlainReader: LineReader {
  public let isInteractive: Bool
  let input: () -> String?
  let write: (String) -> Void

  /// - Parameters:
  ///   - interactive: whether a person is typing at a terminal.
  ///   - input: the next line without its newline, or nil at the end of input.
  ///   - write: where the prompt goes.
  public init(
    interactive: Bool, input: @escaping () -> String? = PlainReader.standardInput,
    write: @escaping (String) -> Void
  ) {
    self.isInteractive = interactive
    self.input = input
    self.write = write
  }

  public mutating func readLine(prompt: () -> String, idle: (() -> IdleOutput?)?) -> ReadResult {
    if isInteractive { write(prompt()) }
    guard let line = input() else {
      // Ctrl-D leaves the cursor after the prompt: what follows starts on its own line.
      if isInteractive { write("\n") }
      return .endOfInput
    }
    return .line(line)
  }

  /// A line of standard input. The end-of-file mark is cleared first: at a terminal Ctrl-D
  /// ends one read, not all of them (the shell asks a question after it), and stdio would
  /// otherwise keep returning end of file.
  public static func standardInput() -> String? {
    hotlinesim_clear_stdin_eof()
    return Swift.readLine(strippingNewline: true)
  }
}
