import Foundation
import ResultsStore
import Testing

/// An attempt killed mid-call (SIGKILL: no handler runs, nothing is flushed) and carried on
/// with `resume`, on a real terminal.
@Suite("Kill and resume on a real terminal", .enabled(if: TerminalHarness.available), .serialized)
struct ResumeTerminalTests {
  @Test(.timeLimit(.minutes(5)))
  func aKilledTrainingAttemptResumesWithEveryVerbKept() throws {
    let harness = try TerminalHarness(
      command:
        "train texas-911-dispatch --trainee k1 --curricula \(TerminalHarness.root.path)/Curricula"
    )
    defer { harness.stop() }
    try harness.waitFor { $0.lastLine == "[00:00 text] >" }
    let typed = ["ask are you safe", "ask where are you", "note she is in dallas"]
    for (verb, clock) in zip(typed, ["00:45", "01:30", "01:40"]) {
      harness.keys(verb, "Enter")
      try harness.waitFor { $0.lastLine == "[\(clock) text] >" }
    }
    let before = harness.screen.lines
    let pid = try #require(harness.panePID)
    #expect(kill(pid, SIGKILL) == 0)
    // Ended: gone, or a zombie tmux has not reaped yet (it can take a while).
    try harness.waitFor { _ in !Self.isRunning(pid) }

    // Every verb was in the journal before its answer was shown; the session is active.
    let store = try ResultsStore(path: harness.store)
    let interrupted = try #require(try store.sessions(SessionFilter(trainee: "k1")).first)
    #expect(interrupted.session.status == .active)
    #expect(try store.journal(of: interrupted.session.id).map(\.text) == typed)
    #expect(try store.journal(of: interrupted.session.id).map(\.simulatedSeconds) == [0, 45, 90])

    // `train` will not start another attempt while this one is interrupted.
    harness.respawn(
      "train texas-911-dispatch --trainee k1 --curricula \(TerminalHarness.root.path)/Curricula")
    try harness.waitFor { $0.contains("has an interrupted attempt in texas-911-dispatch") }

    // Resume: the transcript so far and the same clock, then the call goes on.
    harness.respawn("resume --trainee k1")
    try harness.waitFor { $0.lastLine == "[01:40 text] >" }
    let resumed = harness.screen.lines
    #expect(
      resumed.first?.hasPrefix("Resuming session \(interrupted.session.id.prefix(8))") == true)
    for line in before where line.hasPrefix("[") || line.hasPrefix("Texter:") {
      #expect(resumed.contains(line), "the resumed transcript lacks: \(line)")
    }
    harness.keys("escalate services_referral", "Enter")
    try harness.waitFor { $0.contains("Escalation set") || $0.lastLine.hasSuffix("text] >") }
    harness.keys("submit", "Enter")
    try harness.waitFor { $0.contains("Debrief") && $0.contains("Trainee: k1") }

    let finished = try store.session(interrupted.session.id)
    #expect(finished.status == .submitted)
    let journal = try store.journal(of: finished.id).map(\.text)
    #expect(journal == typed + ["escalate services_referral", "submit"])
    #expect(try store.score(of: finished.id) != nil)
  }

  /// The terminal closed (SIGHUP: the window shut, ssh dropped) or the process was asked to
  /// stop (SIGTERM) mid-call: every verb typed so far is kept and the attempt is resumable.
  @Test(.timeLimit(.minutes(5)), arguments: [SIGHUP, SIGTERM])
  func aHangUpOrTerminationKeepsEveryVerb(signal: Int32) throws {
    let trainee = "sig\(signal)"
    let harness = try TerminalHarness(command: "play adult-text-no-consent --trainee \(trainee)")
    defer { harness.stop() }
    try harness.waitFor { $0.lastLine.hasSuffix("text] >") }
    let typed = ["ask are you safe", "ask where are you"]
    // Each verb is in the journal before its answer is shown; wait for the journal (the
    // screen's pace depends on the machine's load).
    for (count, verb) in typed.enumerated() {
      harness.keys(verb, "Enter")
      try Self.waitForJournal(of: trainee, in: harness.store, count: count + 1)
    }
    let pid = try #require(harness.panePID)
    #expect(kill(pid, signal) == 0)
    // Readline takes the signal when control is back in its loop, after the verb being
    // answered; on a loaded machine that answer can take a while.
    let deadline = Date().addingTimeInterval(60)
    while Self.isRunning(pid), Date() < deadline { Thread.sleep(forTimeInterval: 0.1) }
    #expect(!Self.isRunning(pid), "hotline-sim did not end within 60 s of signal \(signal)")

    let store = try ResultsStore(path: harness.store)
    let session = try #require(try store.sessions(SessionFilter(trainee: trainee)).first)
    #expect(session.session.status == .active)
    #expect(try store.journal(of: session.session.id).map(\.text) == typed)
  }

  /// Whether the process still runs: it exists and is not a zombie (tmux may be slow to reap
  /// a pane's process that ended on a signal).
  static func isRunning(_ pid: pid_t) -> Bool {
    guard kill(pid, 0) == 0 else { return false }
    guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
      let close = stat.lastIndex(of: ")")
    else { return true }
    // `pid (comm) S ...`: the state follows the command name.
    return stat[stat.index(after: close)...].trimmingPrefix(" ").first != "Z"
  }

  /// Waits (up to 60 s) until the trainee's latest session has `count` journal entries.
  static func waitForJournal(of trainee: String, in path: String, count: Int) throws {
    let deadline = Date().addingTimeInterval(60)
    while Date() < deadline {
      if FileManager.default.fileExists(atPath: path),
        let store = try? ResultsStore(path: path),
        let session = try? store.sessions(SessionFilter(trainee: trainee)).first,
        let journal = try? store.journal(of: session.session.id), journal.count >= count
      {
        return
      }
      Thread.sleep(forTimeInterval: 0.1)
    }
    Issue.record("the journal of \(trainee) never reached \(count) entries")
    throw CancellationError()
  }
}
