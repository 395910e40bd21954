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
  // Removed here, in the handler: otherwise readline installs itself again for the next line
  // and prints the prompt, which the shell's next output would then overwrite (or, when
  // shorter, leave a piece of it on screen).
  rl_callback_handler_remove()
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

  public func readLine(prompt: () -> String, idle: (() -> IdleOutput?)?) -> ReadResult {
    lineDone = false
    receivedLine = nil
    _ = hotlinesim_take_interrupt()
    hotlinesim_forget_end_of_input()
    rl_callback_handler_install(prompt(), handleLine)
    defer { rl_callback_handler_remove() }
    var lastIdle = Date()
    while !lineDone {
      var descriptor = pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0)
      let ready = poll(&descriptor, 1, 200)
      if hotlinesim_take_interrupt() != 0 {
        // Show ^C after the whole line (not over the text right of the cursor).
        rl_point = rl_end
        rl_redisplay()
        fputs("^C\n", stdout)
        fflush(stdout)
        discardLine()
        return .interrupted
      }
      if ready > 0, descriptor.revents & Int16(POLLIN) != 0 {
        rl_callback_read_char()
      }
      // Checked whether or not a key came, so steady typing does not hold events back.
      guard !lineDone, let idle, Date().timeIntervalSince(lastIdle) >= 1, !midKeySequence else {
        continue
      }
      lastIdle = Date()
      guard let output = idle() else { continue }
      showAbove(output, prompt: output.endsReading ? nil : prompt())
      if output.endsReading {
        discardLine()
        return .stopped
      }
    }
    guard let line = receivedLine else {
      // What follows Ctrl-D starts on its own line; readline 8.1 and later end the line
      // themselves when bracketed paste is on.
      if !endsLineAtEndOfInput {
        fputs("\n", stdout)
        fflush(stdout)
      }
      return .endOfInput
    }
    return .line(line)
  }

  /// Shows `output` on its own lines above the line being typed: the prompt and the
  /// half-typed line are erased (all their screen rows), the output is printed from the
  /// start of the first row, and, given a `prompt`, the prompt is drawn again below it with
  /// the line and the cursor as they were. Without one the prompt stays erased.
  private func showAbove(_ output: IdleOutput, prompt: String?) {
    // rl_clear_visible_line leaves rl_line_buffer, rl_point and rl_end alone.
    rl_clear_visible_line()
    fflush(stdout)
    output.show()
    guard let prompt else { return }
    // In a search or a numeric argument readline shows its own prompt: keep it.
    if rl_readline_state & UInt(ownPromptStates) == 0 {
      rl_set_prompt(prompt)
    }
    rl_on_new_line()
    rl_redisplay()
    fflush(stdout)
  }

  /// Whether readline itself moves to a new line when Ctrl-D ends input.
  private var endsLineAtEndOfInput: Bool {
    guard rl_readline_version >= 0x0801, let value = rl_variable_value("enable-bracketed-paste")
    else { return false }
    return String(cString: value) == "on"
  }

  /// Drops the line being typed and any command readline was in the middle of.
  private func discardLine() {
    rl_callback_sigcleanup()
    rl_free_line_state()
    rl_replace_line("", 1)
    rl_point = 0
    rl_end = 0
  }

  /// States in which readline draws a prompt of its own (a history search, `(arg: 3)`).
  private let ownPromptStates =
    RL_STATE_ISEARCH | RL_STATE_NSEARCH | RL_STATE_SEARCH | RL_STATE_NUMERICARG
    | RL_STATE_CHARSEARCH

  /// Whether readline has read part of a key sequence (ESC of an arrow key, the first key of
  /// a two-key command): output waits until the sequence is complete.
  private var midKeySequence: Bool {
    rl_readline_state & UInt(RL_STATE_MULTIKEY | RL_STATE_METANEXT | RL_STATE_MOREINPUT) != 0
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
