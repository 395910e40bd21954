import Shell
import Testing

@Suite("Tab completion")
struct CompletionTests {
  let context = CompletionContext(
    topics: ["location", "age", "safe_now"], contacts: ["tx-travis-911", "tx-travis-so", "us-911"],
    referred: ["tx-travis-so"], protocols: ["US-DANGER-01", "TX-MINOR-01"],
    levels: ["emergency", "mandated_report", "information"], choiceCount: 3)

  @Test(
    arguments: [
      (
        "",
        [
          "ask", "choose", "escalate", "facts", "help", "hint", "lookup", "note", "pause",
          "protocol", "quit", "refer", "submit", "time", "unrefer", "wait",
        ]
      ),
      ("es", ["escalate"]),
      ("ESC", ["escalate"]),
      ("ask ", ["age", "location", "safe_now"]),
      ("ask lo", ["location"]),
      ("refer tx-tr", ["tx-travis-911"]),
      ("unrefer ", ["tx-travis-so"]),
      ("escalate m", ["mandated_report"]),
      ("protocol us", ["US-DANGER-01"]),
      ("choose ", ["1", "2", "3"]),
      ("help re", ["refer"]),
      ("ask location ", []),
      ("note some", []),
      ("frobnicate x", []),
    ])
  func candidates(line: String, expected: [String]) {
    #expect(Completion.candidates(for: line, in: context) == expected)
  }

  @Test func noChoiceMeansNoNumbers() {
    var context = self.context
    context.choiceCount = nil
    #expect(Completion.candidates(for: "choose ", in: context).isEmpty)
  }
}
