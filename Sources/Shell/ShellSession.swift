import Foundation
import ProtocolEngine
import ScenarioKit

/// The command loop: shows the scenario, reads verbs, hands them to the player and shows
/// what happens, until the attempt ends.
public struct ShellSession {
  public private(set) var player: Player
  public let style: OutputStyle
  /// Echo each input line after its prompt (when input is not typed at a terminal).
  public let echo: Bool
  /// Let the simulated clock run with the wall clock while the trainee types.
  public let realTime: Bool
  let write: (String) -> Void
  let now: () -> Date
  /// Told about every change of the player (the readline completer reads from it).
  public var onUpdate: ((Player) -> Void)?
  /// Keeps each input, with the simulated clock it was given at, **before** the player carries
  /// it out and its response is shown (the results store's journal). When it throws, the
  /// session stops at once: nothing is shown that is not recorded (see ``journalFailure``).
  public var journal: ((PlayerInput, Int) throws -> Void)?
  /// Why the journal could not keep an input, if it could not; the session stopped there.
  public private(set) var journalFailure: String?
  /// Whether the scenario's opening has been shown (by ``replay(_:)`` or ``run(reader:)``).
  private var begun = false

  public init(
    player: Player, style: OutputStyle, echo: Bool, realTime: Bool = false,
    now: @escaping () -> Date = Date.init, write: @escaping (String) -> Void
  ) {
    self.player = player
    self.style = style
    self.echo = echo
    self.realTime = realTime
    self.now = now
    self.write = write
  }

  /// Runs until the attempt ends; returns the finished player.
  ///
  /// At the end of piped input the attempt is submitted. At a terminal, Ctrl-D or `quit`
  /// asks whether to submit or abandon (see ``confirmEnd(reader:)``); Ctrl-C clears the line
  /// and carries on. A line holding terminal control input (arrow keys typed where nothing
  /// edits the line) is not sent; the user is told to type it again.
  public mutating func run<Reader: LineReader>(reader: inout Reader) -> Player {
    begin()
    onUpdate?(player)
    var lastInput = now()
    let forReadline = reader.editsLines
    let channel = player.scenario.channel.rawValue
    while !player.isOver, journalFailure == nil {
      let prompt = style.prompt(
        clock: player.state.clock, channel: channel, forReadline: forReadline)
      var session = self
      let idle: (() -> IdleOutput?)? =
        realTime
        ? {
          let elapsed = Int(session.now().timeIntervalSince(lastInput))
          guard elapsed >= 1, let (lines, used) = session.peekWait(elapsed) else { return nil }
          // A wait can stop early, at a timed event: the rest counts towards the next one.
          lastInput += TimeInterval(used)
          let shown = session
          return IdleOutput(endsReading: shown.player.isOver || shown.journalFailure != nil) {
            shown.show(lines)
          }
        } : nil
      let result = reader.readLine(
        prompt: {
          session.style.prompt(
            clock: session.player.state.clock, channel: channel, forReadline: forReadline)
        },
        idle: idle)
      player = session.player
      journalFailure = journalFailure ?? session.journalFailure
      guard journalFailure == nil else { break }
      switch result {
      case .interrupted, .stopped:
        break
      case .endOfInput:
        guard reader.isInteractive else {
          guard apply(.end(.submitted)) != nil else { break }
          show([OutputLine(.system, "(end of input: the attempt is submitted)")])
          break
        }
        // As with `quit`: the time until Ctrl-D counts, the time spent on the question not.
        if realTime { pass(Int(now().timeIntervalSince(lastInput))) }
        if !player.isOver { confirmEnd(reader: &reader) }
        lastInput = now()
      case .line(let text):
        let line = text.trimming(" \t\r")
        if handle(line, prompt: prompt, reader: &reader, lastInput: lastInput) {
          lastInput = now()
        }
      }
      onUpdate?(player)
    }
    return player
  }

  /// Handles one line typed at `prompt`; returns whether it was taken as input (so the
  /// real-time clock starts again from now).
  private mutating func handle<Reader: LineReader>(
    _ line: String, prompt: String, reader: inout Reader, lastInput: Date
  ) -> Bool {
    guard !TerminalInput.hasControlInput(line) else {
      if echo { output(prompt + TerminalText.sanitized(TerminalInput.stripped(line)) + "\n") }
      show([OutputLine(.error, Self.controlInputMessage)])
      return false
    }
    if echo { output(prompt + TerminalText.sanitized(line) + "\n") }
    guard !line.isEmpty, !line.hasPrefix("#") else { return false }
    reader.remember(line)
    if realTime {
      pass(Int(now().timeIntervalSince(lastInput)))
      // The attempt ended (time ran out) while the line was typed: it is not read.
      guard !player.isOver else { return true }
    }
    if reader.isInteractive, line.lowercased() == "quit" {
      confirmEnd(reader: &reader)
    } else {
      guard let lines = apply(.verb(line)) else { return true }
      show(lines)
      if line.lowercased() == "pause", reader.isInteractive, !player.isOver {
        _ = reader.readLine(prompt: "(paused: press Enter to go on) ")
      }
    }
    return true
  }

  /// Said when a line holds arrow keys or other terminal control input.
  static let controlInputMessage =
    "That line had arrow keys or other special keys in it and was not sent; type it again "
    + "without them."

  /// Lets `seconds` of real time pass on the simulated clock, showing what happens. It takes
  /// more than one wait when a wait stops early at a timed event or is longer than 600 s.
  mutating func pass(_ seconds: Int) {
    var left = seconds
    while left >= 1, !player.isOver {
      let before = player.state.clock
      guard let lines = apply(.verb("wait \(min(left, 600))")) else { return }
      show(lines)
      let used = player.state.clock - before
      guard used > 0 else { return }
      left -= used
    }
  }

  /// Waits up to `seconds` if that makes something happen; returns what to show and the
  /// seconds the wait took (it stops early at a timed event), or nil when nothing would
  /// happen (and nothing changes).
  mutating func peekWait(_ seconds: Int) -> (lines: [OutputLine], used: Int)? {
    guard !player.isOver, journalFailure == nil else { return nil }
    let wait = "wait \(min(seconds, 600))"
    var copy = player
    let lines = copy.handle(wait)
    guard copy.isOver || lines.contains(where: { $0.kind != .error }) else { return nil }
    let before = player.state.clock
    // The wait happens: it is journalled before it is shown, as typed verbs are.
    guard let kept = apply(.verb(wait)) else { return ([], 0) }
    return (kept, player.state.clock - before)
  }

  /// Asks whether to submit, abandon or continue, until one of the three is answered (see
  /// ``EndAnswer``); anything else is asked again.
  ///
  /// Ctrl-D (end of input) at the question abandons the attempt: pressed twice, Ctrl-D means
  /// "leave", and nothing is scored that the trainee did not choose to submit (an attempt
  /// played at a terminal is saved either way). Ctrl-C goes back to the call.
  mutating func confirmEnd<Reader: LineReader>(reader: inout Reader) {
    while true {
      switch reader.readLine(prompt: EndAnswer.question) {
      case .line(let text):
        switch EndAnswer(parsing: text) {
        case .submit: apply(.verb("submit")).map(show)
        case .abandon: apply(.verb("quit")).map(show)
        case .continue: show([OutputLine(.system, "Back to the call.")])
        case nil:
          show([OutputLine(.error, EndAnswer.reminder)])
          continue
        }
      case .endOfInput:
        apply(.verb("quit")).map(show)
      case .interrupted, .stopped:
        show([OutputLine(.system, "Back to the call.")])
      }
      return
    }
  }

  /// Journals an input, then hands it to the player; nil (and the session stops) when the
  /// journal could not keep it, so the trainee never sees a response that was not recorded.
  mutating func apply(_ input: PlayerInput) -> [OutputLine]? {
    guard journalFailure == nil else { return nil }
    if let journal {
      do {
        try journal(input, player.state.clock)
      } catch {
        journalFailure = "\(error)"
        show([OutputLine(.error, "The attempt could not be recorded: \(error)")])
        return nil
      }
    }
    return player.apply(input)
  }

  /// Shows the scenario's opening, once.
  private mutating func begin() {
    guard !begun else { return }
    begun = true
    show(player.start())
  }

  /// Shows the opening and replays inputs already journalled (an interrupted attempt being
  /// resumed): the trainee sees the transcript so far, each input after its prompt, and the
  /// clock where it stood. Nothing is journalled again.
  public mutating func replay(_ inputs: [PlayerInput]) {
    begin()
    let channel = player.scenario.channel.rawValue
    for input in inputs {
      switch input {
      case .verb(let line):
        let prompt = style.prompt(
          clock: player.state.clock, channel: channel, forReadline: false)
        output(prompt + TerminalText.sanitized(line) + "\n")
      case .end: break
      }
      show(player.apply(input))
    }
  }

  /// Shows output lines, rendered in the session's style.
  func show(_ lines: [OutputLine]) {
    guard !lines.isEmpty else { return }
    output(lines.map(style.render).joined())
  }

  /// The one way the session's text reaches the terminal: scenario content, echoed input and
  /// the shell's own messages all pass here (events shown while the trainee types too, through
  /// ``show(_:)``). Readers print only prompts and the `^C` of Ctrl-C. What comes from content
  /// or input has passed the terminal sanitiser before: output lines in
  /// ``OutputStyle/render(_:)``, echoed lines where they are echoed; only the style's colour
  /// escapes are written raw.
  func output(_ text: String) {
    write(text)
  }
}

/// The answers to "End the attempt?", asked on Ctrl-D and `quit` at a terminal.
public enum EndAnswer: String, Sendable, CaseIterable {
  case submit
  case abandon
  case `continue`

  static let question = "End the attempt? [s]ubmit for scoring, [a]bandon, or [c]ontinue: "
  static let reminder = "Please answer s (submit), a (abandon) or c (continue)."

  /// Reads an answer: `s`, `a`, `c` or the whole word, in any case, with spaces around it;
  /// nil for anything else.
  public init?(parsing text: String) {
    let word = text.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
    guard
      let answer = Self.allCases.first(where: {
        $0.rawValue == word || $0.rawValue.first.map(String.init) == word
      })
    else { return nil }
    self = answer
  }
}
