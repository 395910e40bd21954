import Foundation
import ProtocolEngine
import ScenarioKit
import Shell
import Testing

/// Test text with its control characters spelled out, so the test log shows them: `<ESC>`,
/// `<CSI>` (the one-character CSI), `<BEL>` and `<CR>`.
func raw(_ text: String) -> String {
  text.replacingOccurrences(of: "<ESC>", with: "\u{1B}")
    .replacingOccurrences(of: "<CSI>", with: "\u{9B}")
    .replacingOccurrences(of: "<BEL>", with: "\u{07}")
    .replacingOccurrences(of: "<CR>", with: "\r")
}

@Suite("Terminal control input")
struct TerminalInputTests {
  @Test(
    arguments: [
      ("<ESC>[A", true),
      ("ask where<ESC>[D<ESC>[Dare you", true),
      ("^[[A", true),
      ("^[OB", true),
      ("<CSI>A", true),
      ("note bell<BEL>", true),
      ("ask location", false),
      ("note tab\there", false),
      ("note 2^3 [sic]", false),
      ("note señora", false),
    ])
  func controlInputIsFound(line: String, expected: Bool) {
    #expect(TerminalInput.hasControlInput(raw(line)) == expected)
  }

  @Test(
    arguments: [
      ("<ESC>[A", ""),
      ("ask<ESC>[1;5C location", "ask location"),
      ("^[[A^[[Bask location", "ask location"),
      ("<ESC>OBtime", "time"),
      ("a<ESC>]0;title<BEL>b", "ab"),
      ("a<ESC>]0;title<ESC>\\b", "ab"),
      ("ask<ESC>", "ask"),
      ("note 2^3 [sic]", "note 2^3 [sic]"),
      ("<CSI>2Dtime<CR>", "time"),
    ])
  func stripped(line: String, expected: String) {
    #expect(TerminalInput.stripped(raw(line)) == expected)
  }

  @Test func arrowKeysTypedWithoutLineEditingAreNeverSentAsVerbs() throws {
    let plain = OutputStyle(color: false, plain: true)
    let (player, output, reader) = try ShellFixtures.run(
      ["<ESC>[A", "ask where<ESC>[D<ESC>[Dare you", "^[[A", "time"].map { .line(raw($0)) },
      interactive: true, style: plain)
    // (The end of the script is Ctrl-D twice: quit.)
    #expect(player.state.journal.map(\.value) == ["time", "quit"])
    let rejected = output.components(
      separatedBy: "Error: That line had arrow keys or other special keys in it and was not sent;"
        + " type it again without them.\n")
    #expect(rejected.count == 4)
    #expect(!output.contains("Unknown verb"))
    #expect(reader.remembered == ["time"])
  }

  @Test func anEchoedLineShowsNoEscapes() throws {
    let (player, output, _) = try ShellFixtures.run(
      [.line(raw("<ESC>[Aask location"))], interactive: false)
    #expect(player.state.journal.isEmpty)
    #expect(output.contains("[00:00 call] > ask location\nerror: That line had arrow keys"))
    #expect(!output.contains("\u{1B}"))
  }

  @Test func windowsLineEndingsAreNotControlInput() throws {
    let (player, _, _) = try ShellFixtures.run([.line("ask location\r")], interactive: false)
    #expect(player.state.journal.map(\.value) == ["ask location"])
  }
}

@Suite("Plain output for screen readers")
struct PlainOutputTests {
  let plain = OutputStyle(color: false, plain: true)

  @Test func everyLineOfATextIsLabelled() {
    #expect(
      plain.render(OutputLine(.event, "A door.\n  Steps. ")) == "Event: A door.\nEvent: Steps.\n")
    #expect(plain.render(OutputLine(.error, "No.")) == "Error: No.\n")
  }

  @Test(arguments: ["====", "------------", "  ~~~~~ ", "a\n=====\nb"])
  func rulesAreNotDrawn(text: String) {
    #expect(!plain.render(OutputLine(.system, text)).contains("==="))
    #expect(!plain.render(OutputLine(.system, text)).contains("---"))
    #expect(!plain.render(OutputLine(.system, text)).contains("~~~"))
  }

  @Test func aWholeSessionDrawsNoRulesAndNoEscapes() throws {
    let verbs = [
      "help", "ask where are you", "facts", "lookup travis", "protocol US-DANGER-01", "wait 90",
      "choose 1", "hint", "frobnicate", "time", "submit",
    ]
    let (player, output, _) = try ShellFixtures.run(
      verbs.map { .line($0) }, interactive: false, style: plain)
    #expect(player.state.ended == .submitted)
    let lines = output.split(separator: "\n").map { String($0).trimming(" ") }
    let rules = lines.filter { line in
      line.count >= 3 && line.allSatisfy { "=-_*~#".contains($0) }
    }
    #expect(rules.isEmpty)
    #expect(!output.contains("\u{1B}"))
    #expect(output.contains("Event: (In the background, a man's voice"))
  }

  @Test func plainReaderEndsTheLineAtCtrlD() {
    var lines = ["ask location"]
    var written = ""
    var reader = PlainReader(
      interactive: true, input: { lines.isEmpty ? nil : lines.removeFirst() },
      write: { written += $0 })
    #expect(reader.readLine(prompt: "> ") == .line("ask location"))
    #expect(reader.readLine(prompt: "> ") == .endOfInput)
    #expect(written == "> > \n")
  }
}
