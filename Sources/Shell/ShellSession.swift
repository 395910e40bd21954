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
  /// asks whether to submit or abandon; Ctrl-C clears the line and carries on.
  public mutating func run<Reader: LineReader>(reader: inout Reader) -> Player {
    show(player.start())
    onUpdate?(player)
    var lastInput = now()
    let forReadline = reader.editsLines
    let channel = player.scenario.channel.rawValue
    while !player.isOver {
      let prompt = style.prompt(
        clock: player.state.clock, channel: channel, forReadline: forReadline)
      var session = self
      let idle: (() -> String?)? =
        realTime
        ? {
          let elapsed = Int(session.now().timeIntervalSince(lastInput))
          guard elapsed >= 1, let lines = session.peekWait(elapsed) else { return nil }
          lastInput = session.now()
          return lines
        } : nil
      let result = reader.readLine(
        prompt: {
          session.style.prompt(
            clock: session.player.state.clock, channel: channel, forReadline: forReadline)
        },
        idle: idle)
      player = session.player
      switch result {
      case .interrupted:
        continue
      case .endOfInput:
        guard reader.isInteractive else {
          player.end(.submitted)
          write("(end of input: the attempt is submitted)\n")
          break
        }
        confirmEnd(reader: &reader)
      case .line(let text):
        let line = text.trimming(" \t")
        if echo { write(prompt + line + "\n") }
        guard !line.isEmpty, !line.hasPrefix("#") else { continue }
        reader.remember(line)
        if realTime {
          let elapsed = Int(now().timeIntervalSince(lastInput))
          if elapsed >= 1 { show(player.handle("wait \(min(elapsed, 600))")) }
        }
        if reader.isInteractive, line.lowercased() == "quit" {
          confirmEnd(reader: &reader)
        } else {
          let output = player.handle(line)
          show(output)
          if line.lowercased() == "pause", reader.isInteractive, !player.isOver {
            _ = reader.readLine(prompt: "(paused: press Enter to go on) ")
          }
        }
        lastInput = now()
      }
      onUpdate?(player)
    }
    return player
  }

  /// Advances the clock by `seconds` if that makes something happen; returns what to show.
  mutating func peekWait(_ seconds: Int) -> String? {
    var copy = player
    let lines = copy.handle("wait \(min(seconds, 600))")
    guard !lines.isEmpty || copy.isOver else { return nil }
    player = copy
    return lines.map(style.render).joined()
  }

  /// Asks whether to submit or abandon; anything else goes back to the call.
  mutating func confirmEnd<Reader: LineReader>(reader: inout Reader) {
    let question = "End the attempt? [s]ubmit for scoring, [a]bandon, or [c]ontinue: "
    switch reader.readLine(prompt: question) {
    case .line(let answer):
      switch answer.trimming(" \t").lowercased() {
      case "s", "submit":
        show(player.handle("submit"))
      case "a", "abandon":
        show(player.handle("quit"))
      default:
        write("Back to the call.\n")
      }
    case .endOfInput:
      show(player.handle("quit"))
    case .interrupted:
      write("Back to the call.\n")
    }
  }

  func show(_ lines: [OutputLine]) {
    guard !lines.isEmpty else { return }
    write(lines.map(style.render).joined())
  }
}
