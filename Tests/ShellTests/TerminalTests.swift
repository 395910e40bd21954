import Foundation
import ResultsStore
import Testing

/// Drives the real `hotline-sim` binary on a pseudo-terminal (tmux) and reads the screen,
/// as a trainee would see it.
@Suite("Shell on a real terminal", .enabled(if: TerminalHarness.available), .serialized)
struct TerminalTests {
  @Test(.timeLimit(.minutes(5)))
  func completionCtrlCHistoryAndQuit() throws {
    let harness = try TerminalHarness()
    defer { harness.stop() }
    try harness.waitFor { $0.lastLine == "[00:00 call] >" }

    harness.keys("ask loc", "Tab")
    try harness.waitFor { $0.lastLine == "[00:00 call] > ask location" }
    harness.keys("Enter")
    try harness.waitFor { $0.contains("Oak Hollow Inn") && $0.lastLine == "[00:20 call] >" }

    harness.keys("refer tx-travis-9", "Tab")
    try harness.waitFor { $0.lastLine == "[00:20 call] > refer tx-travis-911" }
    harness.keys("C-c")
    try harness.waitFor { $0.contains("refer tx-travis-911 ^C") && $0.lastLine == "[00:20 call] >" }

    harness.keys("Up")
    try harness.waitFor { $0.lastLine == "[00:20 call] > ask location" }
    harness.keys("C-u", "escalat emergency", "Enter")
    try harness.waitFor { $0.contains("Unknown verb 'escalat'. Did you mean `escalate`?") }

    harness.keys("C-d")
    try harness.waitFor {
      $0.lastLine.hasPrefix("End the attempt? [s]ubmit for scoring, [a]bandon, or [c]ontinue:")
    }
    harness.keys("a", "Enter")
    try harness.waitFor {
      $0.contains("the attempt is recorded as abandoned") && $0.contains("Debrief: ")
    }
    // Each prompt and the question are shown once (readline does not draw a prompt again
    // after the line is read, nor add a blank line after Ctrl-D).
    let lines = harness.screen.lines
    let question = try #require(lines.firstIndex { $0.hasPrefix("End the attempt?") })
    #expect(lines.filter { $0.hasPrefix("End the attempt?") }.count == 1)
    #expect(lines[question - 1] == "[00:20 call] >")
    #expect(lines[question - 2].hasPrefix("error: Unknown verb 'escalat'"))
    #expect(lines[question + 1].hasPrefix("Left the scenario at 00:20"))

    let history = try String(
      contentsOfFile: harness.data + "/hotline-sim/history/e2e", encoding: .utf8)
    #expect(history.contains("ask location"))
    // The attempt is in the results store, abandoned, with the verbs it was given.
    let store = try ResultsStore(path: harness.store)
    let sessions = try store.sessions(SessionFilter(trainee: "e2e"))
    #expect(sessions.map(\.session.status) == [.abandoned])
    let journal = try store.journal(of: try #require(sessions.first).session.id)
    #expect(journal.map(\.text) == ["ask location", "escalat emergency", "quit"])
  }
}

extension TerminalTests {
  @Test(.timeLimit(.minutes(5)))
  func eventsWhileTypingArePrintedAboveTheLineBeingTyped() throws {
    let harness = try TerminalHarness(arguments: ["--real-time"])
    defer { harness.stop() }
    try harness.waitFor { $0.lastLine == "[00:00 call] >" }

    // Bring the clock a few seconds short of the voice in the background (01:30).
    let waitLine = try harness.bringClock(to: 84)

    // Half a line, the cursor three characters from its end.
    harness.keys("note where you", "Left", "Left", "Left")
    try harness.waitFor {
      $0.contains("a man's voice, low and close") && $0.lastLine == "[01:30 call] > note where you"
    }
    let screen = harness.screen
    // The event is on its own lines right below the line typed before it, the old prompt
    // is gone, and only the redrawn prompt holds the half-typed line.
    let lines = screen.lines
    let typed = try #require(lines.firstIndex { $0.hasSuffix("] > " + waitLine) })
    #expect(lines[typed + 1].hasPrefix("* (In the background, a man's voice"))
    #expect(lines.filter { $0.contains("note where you") }.count == 1)
    #expect(!lines.contains { $0.contains("] >") && $0.contains("voice") })
    // The cursor is where it was: after "note where ", on the prompt's row.
    let cursor = harness.cursor
    #expect(cursor.column == "[01:30 call] > note where ".count)
    #expect(cursor.row == lines.count - 1)

    // The line is still being edited: type into the middle of it and send it.
    harness.keys("are ", "Enter")
    try harness.waitFor { $0.contains("Noted at 01:3") && $0.lastLine.hasSuffix(" call] >") }
    #expect(harness.screen.contains("[01:30 call] > note where are you"))

    // The hang-up (05:30) comes while a line is half typed.
    let lastWait = try harness.bringClock(to: 325)
    harness.keys("note half typed")
    // Then either the attempt goes on (wrap-up) or the hang-up has ended it.
    let goesOn = "[05:30 call] > note half typed"
    try harness.waitFor {
      $0.contains("The caller has hung up.") && ($0.lastLine == goesOn || $0.contains("Debrief"))
    }
    let hangUp = harness.screen
    let waited = try #require(hangUp.lines.firstIndex { $0.hasSuffix("] > " + lastWait) })
    #expect(hangUp.lines[waited + 1].hasPrefix("* (Rustling. The man's voice"))
    #expect(!hangUp.lines.contains { $0.contains("] >") && $0.contains("Rustling") })
    #expect(!hangUp.contains("The attempt has ended"))
    guard hangUp.lastLine == goesOn else { return }

    // The half-typed line is still there to finish.
    harness.keys(" up", "Enter")
    try harness.waitFor {
      $0.contains("[05:30 call] > note half typed up") && $0.lastLine.hasSuffix(" call] >")
    }

    // Time runs out (06:30) while a line is half typed: the attempt ends at once, without
    // Enter, and the line is never sent.
    try harness.bringClock(to: 386)
    harness.keys("note never sent")
    try harness.waitFor { $0.contains("Time is up") && $0.contains("Debrief") }
    #expect(!harness.screen.contains("note never sent"))
    #expect(!harness.screen.contains("The attempt has ended"))
  }

  @Test(.timeLimit(.minutes(5)))
  func aHistorySearchKeepsItsPromptWhenAnEventArrives() throws {
    let harness = try TerminalHarness(arguments: ["--real-time"])
    defer { harness.stop() }
    try harness.waitFor { $0.lastLine == "[00:00 call] >" }
    let waitLine = try harness.bringClock(to: 84)
    let prompt = try #require(harness.screen.lastLine.split(separator: ">").first) + "> "

    harness.keys("note abc", "C-r", "wai")
    try harness.waitFor {
      $0.contains("a man's voice, low and close")
        && $0.lastLine == "(reverse-i-search)`wai': " + waitLine
    }
    // Leaving the search gives back the line and its prompt (with the clock it had then).
    harness.keys("C-g")
    try harness.waitFor { $0.lastLine == prompt + "note abc" }
    #expect(harness.cursor.column == (prompt + "note abc").count)
    harness.keys(" def", "Enter")
    try harness.waitFor { $0.contains("Noted at 01:3") && $0.lastLine.hasSuffix(" call] >") }
    #expect(harness.screen.contains(prompt + "note abc def"))
  }

  @Test(.timeLimit(.minutes(5)))
  func plainModeDropsArrowKeysAndTheEndQuestionTakesOnlyItsAnswers() throws {
    let harness = try TerminalHarness(arguments: ["--plain"])
    defer { harness.stop() }
    try harness.waitFor { $0.lastLine == "[00:00 call] >" }

    // Without line editing the terminal puts Up's escape sequence in the line (`^[[A`).
    harness.keys("Up", "Enter")
    try harness.waitFor {
      $0.contains(
        "Error: That line had arrow keys or other special keys in it and was not sent; type it"
          + " again without them.") && $0.lastLine == "[00:00 call] >"
    }
    harness.keys("ask where", "Left", "Left", " are you", "Enter")
    try harness.waitFor {
      $0.lines.filter { $0.hasPrefix("Error: That line had arrow keys") }.count == 2
    }
    harness.keys("ask where are you", "Enter")
    try harness.waitFor { $0.contains("Caller: Yeah, it's for delivery") }
    #expect(!harness.screen.contains("Unknown verb"))

    // Ctrl-D asks (and waits for the answer); anything but s, a or c is asked again.
    harness.keys("C-d")
    try harness.waitFor { $0.lastLine.hasPrefix("End the attempt?") }
    harness.keys("maybe", "Enter")
    try harness.waitFor {
      $0.contains("Error: Please answer s (submit), a (abandon) or c (continue).")
        && $0.lastLine.hasPrefix("End the attempt?")
    }
    harness.keys(" C ", "Enter")
    try harness.waitFor { $0.contains("Back to the call.") && $0.lastLine == "[00:20 call] >" }

    // Ctrl-D at the question abandons.
    harness.keys("quit", "Enter")
    try harness.waitFor { $0.lastLine.hasPrefix("End the attempt?") }
    harness.keys("C-d")
    try harness.waitFor { $0.contains("the attempt is recorded as abandoned") }
    let lines = harness.screen.lines
    let shell = lines.prefix { !$0.contains("the attempt is recorded as abandoned") }
    #expect(shell.allSatisfy { !$0.contains("===") && !$0.contains("---") })
    #expect(shell.filter { $0.hasPrefix("End the attempt?") }.count == 3)
  }
}

/// A tmux server of its own, running the binary in a 120x40 window.
struct TerminalHarness {
  static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent()
    .deletingLastPathComponent()
  /// The binary built with the tests (next to the test executable or bundle, whatever the
  /// scratch path), else the default build folder's.
  static let binary: String = {
    let folders = [
      Bundle.main.executableURL?.deletingLastPathComponent(),
      Bundle.allBundles.first { $0.bundlePath.hasSuffix(".xctest") }?.bundleURL
        .deletingLastPathComponent(),
    ]
    for case let folder? in folders {
      let path = folder.appendingPathComponent("hotline-sim").path
      if FileManager.default.isExecutableFile(atPath: path) { return path }
    }
    return root.appendingPathComponent(".build/debug/hotline-sim").path
  }()
  static let tmux = ["/usr/bin/tmux", "/usr/local/bin/tmux"].first {
    FileManager.default.isExecutableFile(atPath: $0)
  }
  static var available: Bool { tmux != nil && FileManager.default.isExecutableFile(atPath: binary) }

  let socket = "hotline-test-\(UUID().uuidString.prefix(8))"
  let data = FileManager.default.temporaryDirectory.appendingPathComponent(
    "hotline-e2e-\(UUID().uuidString)"
  ).path

  /// - Parameters:
  ///   - command: the subcommand and its first arguments.
  ///   - arguments: more options for it.
  init(
    command: String = "play tx-motel-whisper --trainee e2e", arguments: [String] = []
  ) throws {
    try FileManager.default.createDirectory(atPath: data, withIntermediateDirectories: true)
    _ = run(["new-session", "-d", "-s", "t", "-x", "120", "-y", "40", line(command, arguments)])
    _ = run(["set-option", "-t", "t", "remain-on-exit", "on"])
  }

  /// The shell line that runs the binary with the harness's data folder and content.
  func line(_ command: String, _ arguments: [String] = []) -> String {
    "env XDG_DATA_HOME=\(data) TERM=xterm NO_COLOR=1 \(Self.binary) \(command) --as-of 2026-11-29 --protocols \(Self.root.path)/Protocols --scenarios \(Self.root.path)/Scenarios "
      + arguments.joined(separator: " ")
  }

  /// The results store the binary writes (the default under the harness's data folder).
  var store: String { data + "/hotline-sim/results.sqlite" }

  /// The process running in the window (the binary, started without a shell).
  var panePID: Int32? {
    Int32(
      run(["list-panes", "-t", "t", "-F", "#{pane_pid}"], capture: true)
        .trimmingCharacters(in: .whitespacesAndNewlines))
  }

  /// Runs another command in a new window (a clean screen), in place of the one that ended.
  func respawn(_ command: String, _ arguments: [String] = []) {
    _ = run(["kill-session", "-t", "t"])
    _ = run([
      "new-session", "-d", "-s", "t", "-x", "120", "-y", "40", line(command, arguments),
    ])
    _ = run(["set-option", "-t", "t", "remain-on-exit", "on"])
  }

  /// Runs a tmux command with posix_spawn and waitpid (Foundation's Process can miss the
  /// exit of a client whose server daemonises). Only commands that print capture output.
  @discardableResult
  func run(_ arguments: [String], capture: Bool = false) -> String {
    let argv = ([Self.tmux ?? "tmux", "-L", socket] + arguments).map { strdup($0) } + [nil]
    defer { argv.forEach { free($0) } }
    var fds: [Int32] = [-1, -1]
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
    if capture {
      _ = pipe(&fds)
      posix_spawn_file_actions_adddup2(&actions, fds[1], 1)
      posix_spawn_file_actions_addclose(&actions, fds[0])
    } else {
      posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
    }
    // Test threads may block signals and a blocked mask is inherited: give tmux (and the
    // shell under it) a clean one so Ctrl-C arrives.
    var attributes = posix_spawnattr_t()
    posix_spawnattr_init(&attributes)
    defer { posix_spawnattr_destroy(&attributes) }
    var empty = sigset_t()
    sigemptyset(&empty)
    posix_spawnattr_setsigmask(&attributes, &empty)
    var defaults = sigset_t()
    sigemptyset(&defaults)
    sigaddset(&defaults, SIGINT)
    posix_spawnattr_setsigdefault(&attributes, &defaults)
    posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
    var pid: pid_t = 0
    guard let path = argv[0], posix_spawn(&pid, path, &actions, &attributes, argv, environ) == 0
    else {
      return ""
    }
    var output = Data()
    if capture {
      close(fds[1])
      var buffer = [UInt8](repeating: 0, count: 65536)
      while true {
        let count = read(fds[0], &buffer, buffer.count)
        if count <= 0 { break }
        output.append(contentsOf: buffer[0..<count])
      }
      close(fds[0])
    }
    var status: Int32 = 0
    waitpid(pid, &status, 0)
    return String(decoding: output, as: UTF8.self)
  }

  func keys(_ keys: String...) {
    for key in keys {
      if ["Tab", "Enter", "Up", "Left", "C-c", "C-d", "C-g", "C-r", "C-u"].contains(key) {
        run(["send-keys", "-t", "t", key])
      } else {
        run(["send-keys", "-t", "t", "-l", key])
      }
      Thread.sleep(forTimeInterval: 0.15)
    }
  }

  var screen: Screen {
    Screen(text: run(["capture-pane", "-t", "t", "-p", "-S", "-200"], capture: true))
  }

  /// Types `wait N` to bring the clock a second or two short of `target` (in seconds);
  /// returns the line typed. The real time that passes counts too (`--real-time`).
  @discardableResult
  func bringClock(to target: Int, sourceLocation: SourceLocation = #_sourceLocation) throws
    -> String
  {
    let clock = screen.promptClock ?? 0
    let line = "wait \(max(1, target - clock - 1))"
    keys(line, "Enter")
    try waitFor({ ($0.promptClock ?? 0) > clock }, sourceLocation: sourceLocation)
    let now = screen.promptClock ?? 0
    try #require(
      now <= target + 2, "the clock is at \(now), past \(target)", sourceLocation: sourceLocation)
    return line
  }

  /// Where the cursor is on the window (0-based).
  var cursor: (column: Int, row: Int) {
    let numbers = run(
      ["display-message", "-p", "-t", "t", "#{cursor_x} #{cursor_y}"], capture: true
    )
    .split(whereSeparator: \.isWhitespace).compactMap { Int($0) }
    return numbers.count == 2 ? (numbers[0], numbers[1]) : (-1, -1)
  }

  /// Polls the screen until `condition` holds (60 s at most).
  func waitFor(_ condition: (Screen) -> Bool, sourceLocation: SourceLocation = #_sourceLocation)
    throws
  {
    // Generous: a success returns at once, and CI runs this beside hundreds of other tests
    // (a loaded machine once took more than 10 s to show the first prompt of `train`).
    let deadline = Date().addingTimeInterval(60)
    var last = screen
    while Date() < deadline {
      last = screen
      if condition(last) { return }
      Thread.sleep(forTimeInterval: 0.1)
    }
    Issue.record(
      "the screen never matched; it shows:\n\(last.text)", sourceLocation: sourceLocation)
    throw CancellationError()
  }

  func stop() {
    run(["kill-server"])
    try? FileManager.default.removeItem(atPath: data)
    // tmux leaves the socket file of a server it killed.
    let folder = ProcessInfo.processInfo.environment["TMUX_TMPDIR"] ?? "/tmp"
    try? FileManager.default.removeItem(atPath: "\(folder)/tmux-\(getuid())/\(socket)")
  }

  struct Screen {
    let text: String

    func contains(_ needle: String) -> Bool { text.contains(needle) }

    /// The lines down to the last non-empty one, without trailing spaces.
    var lines: [String] {
      var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { line in
        var line = Substring(line)
        while line.last == " " { line.removeLast() }
        return String(line)
      }
      while lines.last?.isEmpty == true { lines.removeLast() }
      return lines
    }

    /// The last non-empty line, without trailing spaces.
    var lastLine: String { lines.last ?? "" }

    /// The clock of the prompt on the last line (`[01:25 call] > ...`), in seconds.
    var promptClock: Int? {
      let line = lastLine
      guard line.hasPrefix("["), line.count > 6 else { return nil }
      let digits = line.dropFirst().prefix(5).split(separator: ":").compactMap { Int($0) }
      return digits.count == 2 ? digits[0] * 60 + digits[1] : nil
    }
  }
}
