@preconcurrency import CReadline
import Foundation

// readline calls back into plain C function pointers that cannot capture context, so the
// state they share with the reader lives in globals. The shell runs on one thread.
nonisolated(unsafe) private var receivedLine: String?
nonisolated(unsafe) private var lineDone = false
nonisolated(unsafe) private var completionSource: () -> CompletionContext = { CompletionContext() }
nonisolated(unsafe) private var completionMatches: [String] = []
nonisolated(unsafe) private var completionIndex = 0

private func handleLine(_ line: UnsafeMutablePointer<CChar>?) {
  if let line {
    receivedLine = String(cString: line)
    free(line)
  } else {
    receivedLine = nil
  }
  lineDone = true
}

private func attemptCompletion(
  _ text: UnsafePointer<CChar>?, _ start: Int32, _ end: Int32
) -> UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? {
  rl_attempted_completion_over = 1
  guard let buffer = rl_line_buffer else { return nil }
  let bytes = UnsafeBufferPointer(
    start: UnsafeRawPointer(buffer).assumingMemoryBound(to: UInt8.self), count: Int(end))
  let before = String(decoding: bytes, as: UTF8.self)
  completionMatches = Completion.candidates(for: before, in: completionSource())
  completionIndex = 0
  return rl_completion_matches(text, completionGenerator)
}

private func completionGenerator(_ text: UnsafePointer<CChar>?, _ state: Int32)
  -> UnsafeMutablePointer<CChar>?
{
  if state == 0 { completionIndex = 0 }
  guard completionIndex < completionMatches.count else { return nil }
  defer { completionIndex += 1 }
  return strdup(completionMatches[completionIndex])
}

/// GNU readline on a terminal: line editing, tab completion, history kept in a file.
/// Ctrl-C clears the line and keeps the session; Ctrl-D on an empty line ends input.
public final class ReadlineReader: LineReader {
  public let isInteractive = true
  public let editsLines = true
  private let historyFile: String?
  private let historyLimit: Int32

  /// - Parameters:
  ///   - historyFile: where this trainee's history is kept (created if missing).
  ///   - historyLimit: the most lines kept.
  ///   - completions: what can be completed now; called on every Tab.
  public init(
    historyFile: String?, historyLimit: Int = 1000, completions: @escaping () -> CompletionContext
  ) {
    self.historyFile = historyFile
    self.historyLimit = Int32(historyLimit)
    completionSource = completions
    rl_readline_name = UnsafePointer(strdup("hotline-sim"))
    rl_catch_signals = 0
    rl_attempted_completion_function = attemptCompletion
    using_history()
    stifle_history(self.historyLimit)
    if let historyFile {
      try? FileManager.default.createDirectory(
        atPath: (historyFile as NSString).deletingLastPathComponent,
        withIntermediateDirectories: true)
      read_history(historyFile)
    }
    hotlinesim_install_sigint()
  }

  deinit {
    hotlinesim_restore_sigint()
  }

  public func readLine(prompt: () -> String, idle: (() -> String?)?) -> ReadResult {
    lineDone = false
    receivedLine = nil
    _ = hotlinesim_take_interrupt()
    rl_callback_handler_install(prompt(), handleLine)
    defer { rl_callback_handler_remove() }
    var lastIdle = Date()
    while !lineDone {
      var descriptor = pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0)
      let ready = poll(&descriptor, 1, 200)
      if hotlinesim_take_interrupt() != 0 {
        rl_free_line_state()
        rl_callback_sigcleanup()
        rl_replace_line("", 1)
        rl_point = 0
        rl_end = 0
        fputs("^C\n", stdout)
        fflush(stdout)
        return .interrupted
      }
      if ready > 0, descriptor.revents & Int16(POLLIN) != 0 {
        rl_callback_read_char()
      } else if let idle, Date().timeIntervalSince(lastIdle) >= 1 {
        lastIdle = Date()
        if let text = idle() {
          // Show what happened above the line being typed, then redraw it.
          let saved = rl_point
          rl_save_prompt()
          rl_clear_visible_line()
          fputs(text, stdout)
          fflush(stdout)
          rl_restore_prompt()
          rl_set_prompt(prompt())
          rl_on_new_line()
          rl_point = saved
          rl_redisplay()
        }
      }
    }
    guard let line = receivedLine else {
      fputs("\n", stdout)
      fflush(stdout)
      return .endOfInput
    }
    return .line(line)
  }

  public func remember(_ line: String) {
    let trimmed = line.trimmingCharacters(in: .whitespaces)
    guard !trimmed.isEmpty else { return }
    if let last = history_get(history_base + history_length - 1), let text = last.pointee.line,
      String(cString: text) == line
    {
      return
    }
    add_history(line)
    if let historyFile {
      write_history(historyFile)
      history_truncate_file(historyFile, historyLimit)
    }
  }
}
