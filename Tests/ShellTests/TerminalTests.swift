import Foundation
import Testing

/// Drives the real `hotline-sim` binary on a pseudo-terminal (tmux) and reads the screen,
/// as a trainee would see it.
@Suite("Shell on a real terminal", .enabled(if: TerminalHarness.available), .serialized)
struct TerminalTests {
  @Test(.timeLimit(.minutes(1)))
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
    try harness.waitFor { $0.contains("ended abandoned") && $0.contains("Debrief: ") }

    let history = try String(
      contentsOfFile: harness.data + "/hotline-sim/history/e2e", encoding: .utf8)
    #expect(history.contains("ask location"))
    let attempts = try FileManager.default.contentsOfDirectory(
      atPath: harness.data + "/hotline-sim/attempts/e2e")
    #expect(attempts.count == 1)
  }
}

/// A tmux server of its own, running the binary in a 120x40 window.
struct TerminalHarness {
  static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent()
    .deletingLastPathComponent()
  static let binary = root.appendingPathComponent(".build/debug/hotline-sim").path
  static let tmux = ["/usr/bin/tmux", "/usr/local/bin/tmux"].first {
    FileManager.default.isExecutableFile(atPath: $0)
  }
  static var available: Bool { tmux != nil && FileManager.default.isExecutableFile(atPath: binary) }

  let socket = "hotline-test-\(UUID().uuidString.prefix(8))"
  let data = FileManager.default.temporaryDirectory.appendingPathComponent(
    "hotline-e2e-\(UUID().uuidString)"
  ).path

  init() throws {
    try FileManager.default.createDirectory(atPath: data, withIntermediateDirectories: true)
    let command =
      "env XDG_DATA_HOME=\(data) TERM=xterm NO_COLOR=1 \(Self.binary) play tx-motel-whisper --trainee e2e --as-of 2026-11-29 --protocols \(Self.root.path)/Protocols --scenarios \(Self.root.path)/Scenarios"
    _ = run(["new-session", "-d", "-s", "t", "-x", "120", "-y", "40", command])
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
      if ["Tab", "Enter", "Up", "C-c", "C-d", "C-u"].contains(key) {
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

  /// Polls the screen until `condition` holds (10 s at most).
  func waitFor(_ condition: (Screen) -> Bool, sourceLocation: SourceLocation = #_sourceLocation)
    throws
  {
    let deadline = Date().addingTimeInterval(10)
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
  }

  struct Screen {
    let text: String

    func contains(_ needle: String) -> Bool { text.contains(needle) }

    /// The last non-empty line, without trailing spaces.
    var lastLine: String {
      let lines = text.split(separator: "\n").map { line in
        var line = Substring(line)
        while line.last == " " { line.removeLast() }
        return String(line)
      }
      return lines.last { !$0.isEmpty } ?? ""
    }
  }
}
