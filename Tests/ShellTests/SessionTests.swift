import Foundation
import ProtocolEngine
import ScenarioKit
import Shell
import Testing

enum ShellFixtures {
  static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent()
    .deletingLastPathComponent()
  static let day = Day("2026-11-29") ?? Day.today()

  static func player() throws -> Player {
    let engine = Engine(
      try ProtocolSet.load(directory: root.appendingPathComponent("Protocols").path))
    let catalog = ScenarioCatalog(root: root.appendingPathComponent("Scenarios").path)
    let scenario = try catalog.find("tx-motel-whisper", geography: engine.set.geography)
    return Player(scenario: scenario, engine: engine, mode: .practice, seed: 1, asOf: day)
  }

  /// Runs a session on scripted input; returns the player and everything written.
  static func run(
    _ results: [ReadResult], interactive: Bool,
    style: OutputStyle = OutputStyle(color: false, plain: false)
  )
    throws -> (Player, String, ScriptedReader)
  {
    var output = ""
    var session = ShellSession(player: try player(), style: style, echo: !interactive) {
      output += $0
    }
    var reader = ScriptedReader(results, interactive: interactive)
    let player = session.run(reader: &reader)
    return (player, output, reader)
  }
}

@Suite("Shell session")
struct SessionTests {
  @Test func pipedInputIsEchoedAndSubmittedAtTheEnd() throws {
    let (player, output, _) = try ShellFixtures.run(
      [.line("ask location"), .line("time")], interactive: false)
    #expect(output.contains("[00:00 call] > ask location\nCaller: "))
    #expect(output.contains("[00:20 call] > time\nClock 00:20 of 06:30 (06:10 left).\n"))
    #expect(output.hasSuffix("(end of input: the attempt is submitted)\n"))
    #expect(player.state.ended == .submitted)
  }

  @Test func ctrlCKeepsTheSessionAndCtrlDAsks() throws {
    let (player, output, reader) = try ShellFixtures.run(
      [.line("ask location"), .interrupted, .endOfInput, .line("c"), .line("quit"), .line("a")],
      interactive: true)
    #expect(player.state.ended == .abandoned)
    #expect(output.contains("Back to the call."))
    #expect(reader.prompts.filter { $0.hasPrefix("End the attempt?") }.count == 2)
    #expect(reader.prompts.first == "[00:00 call] > ")
    #expect(reader.remembered == ["ask location", "quit"])
    #expect(player.state.journal.map(\.value) == ["ask location", "quit"])
  }

  @Test func submittingFromTheQuestion() throws {
    let (player, _, _) = try ShellFixtures.run([.endOfInput, .line("submit")], interactive: true)
    #expect(player.state.ended == .submitted)
  }

  @Test(
    arguments: [
      ("s", EndAnswer.submit), ("S", .submit), ("  Submit\t", .submit), ("SUBMIT", .submit),
      ("a", .abandon), (" A ", .abandon), ("Abandon", .abandon),
      ("c", .continue), ("continue ", .continue), ("C", .continue),
    ])
  func endAnswers(text: String, expected: EndAnswer) {
    #expect(EndAnswer(parsing: text) == expected)
  }

  @Test(arguments: ["", " ", "sub", "yes", "no", "q", "quit", "s a", "cont", "submitted", "<ESC>"])
  func notAnEndAnswer(text: String) {
    #expect(EndAnswer(parsing: raw(text)) == nil)
  }

  @Test func theEndQuestionIsAskedAgainUntilItIsAnswered() throws {
    let (player, output, reader) = try ShellFixtures.run(
      [.endOfInput, .line("maybe"), .line(""), .line("yes"), .line("  Submit ")],
      interactive: true)
    #expect(player.state.ended == .submitted)
    #expect(reader.prompts.filter { $0.hasPrefix("End the attempt?") }.count == 4)
    #expect(
      output.components(
        separatedBy: "error: Please answer s (submit), a (abandon) or c (continue).\n"
      )
      .count == 4)
    #expect(!output.contains("Back to the call."))
  }

  @Test func endOfInputAtTheQuestionAbandons() throws {
    let (player, output, _) = try ShellFixtures.run(
      [.line("ask location"), .endOfInput, .line("x"), .endOfInput], interactive: true)
    #expect(player.state.ended == .abandoned)
    #expect(output.contains("the attempt is recorded as abandoned"))
  }

  @Test func ctrlCAtTheQuestionGoesBackToTheCall() throws {
    let (player, output, _) = try ShellFixtures.run(
      [.line("quit"), .interrupted, .line("time")], interactive: true)
    #expect(output.contains("Back to the call.\n"))
    #expect(player.state.journal.map(\.value).first == "time")
  }

  @Test func aHangUpIsShownWithTheVerbThatCausedIt() throws {
    let (player, output, _) = try ShellFixtures.run(
      [.line("ask why don't you just leave"), .line("time")], interactive: false)
    #expect(player.state.journal.first?.value == "ask why don't you just leave")
    #expect(output.contains("* The caller has hung up.\n"))
    let hangUp = try #require(output.range(of: "* The caller has hung up."))
    #expect(!output[..<hangUp.lowerBound].contains("] > time"))
  }

  @Test func plainStyleLabelsEveryLineAndNeverColours() throws {
    let plain = OutputStyle.decide(isTerminal: true, environment: [:], noColor: false, plain: true)
    #expect(!plain.color)
    let (_, output, _) = try ShellFixtures.run([.line("refr x")], interactive: false, style: plain)
    #expect(output.contains("Error: Unknown verb 'refr'. Did you mean `refer`?"))
    #expect(!output.contains("\u{1B}["))
  }

  @Test func colourOnlyOnATerminalAndNeverUnderNoColor() {
    #expect(
      OutputStyle.decide(isTerminal: true, environment: [:], noColor: false, plain: false).color)
    #expect(
      !OutputStyle.decide(isTerminal: false, environment: [:], noColor: false, plain: false).color)
    #expect(
      !OutputStyle.decide(
        isTerminal: true, environment: ["NO_COLOR": "1"], noColor: false, plain: false
      ).color)
    #expect(
      !OutputStyle.decide(
        isTerminal: true, environment: ["TERM": "dumb"], noColor: false, plain: false
      ).color)
    #expect(
      !OutputStyle.decide(isTerminal: true, environment: [:], noColor: true, plain: false).color)
    let style = OutputStyle(color: true, plain: false)
    #expect(
      style.prompt(clock: 42, channel: "call", forReadline: true)
        == "\u{01}\u{1B}[1;32m\u{02}[00:42 call]\u{01}\u{1B}[0m\u{02} > ")
    #expect(
      OutputStyle(color: false, plain: false).prompt(clock: 42, channel: "text", forReadline: true)
        == "[00:42 text] > ")
  }

  @Test func historyIsKeptPerTrainee() {
    let environment = ["XDG_DATA_HOME": "/data", "HOME": "/home/x"]
    #expect(
      DataDirectory.historyFile(trainee: "Alice Smith", environment: environment)
        == "/data/hotline-sim/history/Alice_Smith-8ae10dfc9a69")
    #expect(
      DataDirectory.historyFile(trainee: "../bob", environment: environment)
        == "/data/hotline-sim/history/_bob-548201c683a5")
    // A plain login name keeps the file earlier versions wrote.
    #expect(
      DataDirectory.historyFile(trainee: "alice", environment: environment)
        == "/data/hotline-sim/history/alice")
    #expect(
      DataDirectory.root(environment: ["HOME": "/home/x"]) == "/home/x/.local/share/hotline-sim")
  }
}

/// A wall clock the test moves by hand.
final class ManualClock: @unchecked Sendable {
  // Only the test's one thread uses it.
  var now = Date(timeIntervalSince1970: 0)
  var step: TimeInterval

  init(step: TimeInterval) { self.step = step }

  func read() -> Date {
    defer { now += step }
    return now
  }
}

@Suite("Shell session in real time")
struct RealTimeTests {
  @Test func timeSpentTypingRunsTheClockAndEventsShowBeforeTheNextPrompt() throws {
    let clock = ManualClock(step: 200)
    var output = ""
    var session = ShellSession(
      player: try ShellFixtures.player(), style: OutputStyle(color: false, plain: false),
      echo: false,
      realTime: true, now: clock.read
    ) { output += $0 }
    var reader = ScriptedReader([.line("time"), .line("time"), .line("time")], interactive: true)
    let player = session.run(reader: &reader)
    // Each line arrives 200 s after the last: the waits are journalled, so a replay of
    // the journal gives the same attempt. All 200 s count, even when a wait stops early at
    // the voice in the background (01:30); the caller hangs up at 05:30 on the clock.
    #expect(player.state.journal.first?.value == "wait 200")
    #expect(output.contains("* (In the background, a man's voice"))
    #expect(output.contains("Clock 03:20 of 06:30"))
    #expect(output.contains("* The caller has hung up.\n"))
    #expect(player.isOver)
    #expect(reader.prompts.count <= 3)
  }

  @Test func eventsWhileTypingAreShownAndTheEndOfTheAttemptStopsTheRead() throws {
    // The reader asks for idle output six times before each line, 100 s apart: the voice
    // in the background (01:30), the hang-up (05:30) and the end of the attempt (at the
    // hang-up, or at the time limit, 06:30) all come while the line is being typed.
    let clock = ManualClock(step: 100)
    var output = ""
    var session = ShellSession(
      player: try ShellFixtures.player(), style: OutputStyle(color: false, plain: false),
      echo: false, realTime: true, now: clock.read
    ) { output += $0 }
    var reader = ScriptedReader([.line("time")], interactive: true, idleTicks: 6)
    let player = session.run(reader: &reader)
    #expect(player.isOver)
    // The line being typed is never read.
    #expect(reader.results == [.line("time")])
    #expect(!player.state.journal.contains { $0.value == "time" })
    #expect(output.contains("* (In the background, a man's voice"))
    #expect(output.contains("* The caller has hung up.\n"))
    #expect(!output.contains("The attempt has ended"))
  }

  @Test func theTimeBeforeCtrlDCountsAndTheTimeOnTheQuestionDoesNot() throws {
    let clock = ManualClock(step: 50)
    var output = ""
    var session = ShellSession(
      player: try ShellFixtures.player(), style: OutputStyle(color: false, plain: false),
      echo: false, realTime: true, now: clock.read
    ) { output += $0 }
    var reader = ScriptedReader([.endOfInput, .line("c"), .line("time")], interactive: true)
    let player = session.run(reader: &reader)
    // 50 s before Ctrl-D, 50 s on the question (not counted), 50 s before `time`.
    #expect(player.state.journal.first?.value == "wait 50")
    #expect(output.contains("Back to the call."))
    #expect(output.contains("Clock 01:40 of 06:30"))
  }

  @Test func aLineTypedAsTheAttemptEndsIsNotRead() throws {
    let clock = ManualClock(step: 200)
    var output = ""
    var session = ShellSession(
      player: try ShellFixtures.player(), style: OutputStyle(color: false, plain: false),
      echo: false, realTime: true, now: clock.read
    ) { output += $0 }
    var reader = ScriptedReader([.line("time"), .line("time")], interactive: true)
    let player = session.run(reader: &reader)
    #expect(player.isOver)
    #expect(player.state.journal.filter { $0.value == "time" }.count == 1)
    #expect(!output.contains("The attempt has ended"))
  }
}
