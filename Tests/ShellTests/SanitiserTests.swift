import Foundation
import ProtocolEngine
import ScenarioKit
import Shell
import Testing

/// Text from a scenario or from the trainee never drives the terminal (issue 13): every
/// string the shell shows passes `TerminalText.sanitized`, and only the output style's own
/// colour escapes reach the terminal raw.
@Suite("Shell: the terminal sanitiser")
struct SanitiserTests {
  /// Retitles the terminal (OSC 0 ... BEL), clears it (CSI 2J), and the 8-bit CSI.
  static let hostile = "\u{1B}]0;pwned\u{07} \u{1B}[2J \u{9B}2J \u{202E}"
  static let raw: [Unicode.Scalar] = ["\u{1B}", "\u{07}", "\u{9B}", "\u{202E}"]

  static func isClean(_ text: String) -> Bool {
    !text.unicodeScalars.contains { raw.contains($0) }
  }

  /// A scenario whose title, opening, a caller reply, an event and a choice all carry
  /// escape sequences (written in YAML as `\e` and `\a`).
  static func hostilePlayer() throws -> Player {
    let engine = Engine(
      try ProtocolSet.load(
        directory: ShellFixtures.root.appendingPathComponent("Protocols").path))
    let path = ShellFixtures.root.appendingPathComponent(
      "Tests/ScenarioKitTests/Fixtures/hardening/hostile-text.yaml.txt"
    ).path
    let (scenario, diagnostics) = ScenarioCatalog.load(
      path: path, geography: engine.set.geography)
    guard let scenario else { throw ScenarioError.invalid(diagnostics) }
    #expect(scenario.title.contains("\u{1B}]0;pwned\u{07}"))
    return Player(
      scenario: scenario, engine: engine, mode: .practice, seed: 1, asOf: ShellFixtures.day)
  }

  @Test(arguments: [OutputLine.Kind.caller, .event, .system, .choice, .error])
  func everyKindOfLineIsSanitised(kind: OutputLine.Kind) {
    let line = OutputLine(kind, "say \(Self.hostile)")
    for style in [
      OutputStyle(color: false, plain: false), OutputStyle(color: false, plain: true),
    ] {
      let shown = style.render(line)
      #expect(Self.isClean(shown), "\(shown.debugDescription)")
      #expect(shown.contains("\\u{1B}]0;pwned\\u{07}"))
      #expect(shown.contains("\\u{1B}[2J"))
    }
    // In colour only the style's own escapes are raw: removing them leaves clean text.
    let coloured = OutputStyle(color: true, plain: false).render(line)
    let withoutStyle = coloured.replacingOccurrences(
      of: "\u{1B}\\[[0-9;]*m", with: "", options: .regularExpression)
    #expect(Self.isClean(withoutStyle), "\(coloured.debugDescription)")
  }

  @Test func aHostileScenarioAndHostileVerbsNeverReachTheTerminalRaw() throws {
    var output = ""
    var session = ShellSession(
      player: try Self.hostilePlayer(), style: OutputStyle(color: false, plain: false),
      echo: true
    ) { output += $0 }
    var reader = ScriptedReader(
      [
        // A verb that is all escapes (control input: refused, echoed stripped).
        .line("\u{1B}]0;pwned\u{07}ask location\u{1B}[2J"),
        // The 8-bit CSI is control input too; a right-to-left override is not, and the
        // unknown verb's message quotes it.
        .line("\u{9B}2Jpwn"), .line("pwn\u{202E}ed"),
        // The caller's reply, then the event and the choice it offers.
        .line("ask where are you"), .line("wait 120"), .line("note \u{202E}backwards"),
        .line("submit"),
      ], interactive: false)
    let player = session.run(reader: &reader)
    #expect(player.state.ended == .submitted)
    #expect(Self.isClean(output), "\(output.debugDescription)")
    // What was hostile is shown, escaped: the title, the opening, the reply, the event, the
    // choice, the verbs.
    for shown in [
      "Hostile \\u{1B}]0;pwned\\u{07} title \\u{1B}[2J (test fixture)",
      "I think my daughter is in trouble.\\u{1B}[2J\\u{1B}]0;pwned\\u{07}",
      "Caller: Austin, \\u{1B}]0;pwned\\u{07} in Travis County.\\u{1B}[2J",
      "(A man shouts \\u{1B}[2J in the background.)",
      "Stay on the line \\u{1B}]0;pwned\\u{07} and keep the door locked.",
      "[00:00 call] > pwn\nerror: That line had arrow keys", "Unknown verb 'pwn\\u{202E}ed'",
      "> note \\u{202E}backwards\n",
    ] {
      #expect(output.contains(shown), "missing \(shown.debugDescription) in \(output)")
    }
  }

  @Test func aReplayedJournalIsEchoedSanitised() throws {
    var output = ""
    var session = ShellSession(
      player: try Self.hostilePlayer(), style: OutputStyle(color: false, plain: false),
      echo: false
    ) { output += $0 }
    // A journal written by another version, or edited by hand, holding escapes.
    session.replay([.verb("note \u{1B}]0;pwned\u{07}"), .verb("zap\u{1B}[2J")])
    #expect(Self.isClean(output), "\(output.debugDescription)")
    #expect(output.contains("> note \\u{1B}]0;pwned\\u{07}\n"))
    #expect(output.contains("Unknown verb 'zap\\u{1B}[2J'"))
  }

  @Test func diagnosticsAndScenarioErrorsAreSanitisedForPeople() {
    let diagnostic = ScenarioDiagnostic(
      .error, .invalidValue, at: SourceLocation(file: "x\u{1B}[2J.yaml", line: 2, column: 3),
      "title: '\u{1B}]0;pwned\u{07}' is wrong")
    #expect(
      diagnostic.description
        == "x\\u{1B}[2J.yaml:2:3: error[HS0005]: title: '\\u{1B}]0;pwned\\u{07}' is wrong")
    // The message itself stays as written: JSON output escapes it on its own.
    #expect(diagnostic.message == "title: '\u{1B}]0;pwned\u{07}' is wrong")
    let missing = ScenarioError.notFound("\u{1B}]0;pwned\u{07}", known: ["tx-motel-whisper"])
    #expect(Self.isClean(missing.description))
  }
}
