import ArgumentParser
import Foundation
import ProtocolEngine

/// `hotline-route`: production routing with the protocol engine alone.
public struct HotlineRoute: AsyncParsableCommand {
  public static let configuration = CommandConfiguration(
    commandName: "hotline-route",
    abstract: "Route trafficking reports through the reporting protocols.",
    discussion: """
      Exit codes: 0 ok, 1 findings (a broken protocol set, failed inline tests), 64 bad \
      usage or a bad report.
      """,
    version: "0.1.0",
    subcommands: [Route.self, Check.self, Serve.self, Replay.self],
    defaultSubcommand: Route.self
  )

  public init() {}

  /// Runs the command line as `ParsableCommand.main()` does, with every message passed
  /// through `TerminalText.sanitized`: an argument quoted back in an error (`--format`,
  /// `--as-of`, a file name) cannot drive the terminal.
  public static func main() async {
    do {
      var command = try parseAsRoot()
      if var command = command as? any AsyncParsableCommand {
        try await command.run()
      } else {
        try command.run()
      }
    } catch {
      let message = fullMessage(for: error)
      let code = exitCode(for: error)
      if !message.isEmpty {
        if code == .success {
          FileHandle.standardOutput.write(Data((message + "\n").utf8))
        } else {
          FileHandle.standardError.write(Data((TerminalText.sanitized(message) + "\n").utf8))
        }
      }
      Foundation.exit(code.rawValue)
    }
  }
}

/// Output formats of the route commands.
public enum OutputFormat: String, ExpressibleByArgument, CaseIterable, Sendable {
  case json, text
}

/// What a command produced: text for stdout and stderr, and the exit code.
public struct CommandOutput: Sendable, Equatable {
  public var stdout = ""
  public var stderr = ""
  public var exitCode: Int32 = 0

  public init(stdout: String = "", stderr: String = "", exitCode: Int32 = 0) {
    self.stdout = stdout
    self.stderr = stderr
    self.exitCode = exitCode
  }

  /// Writes the output and exits with its code.
  func emit() throws {
    FileHandle.standardOutput.write(Data(stdout.utf8))
    FileHandle.standardError.write(Data(stderr.utf8))
    if exitCode != 0 { throw ExitCode(exitCode) }
  }
}

/// Parses `--as-of`.
func parseDay(_ text: String?) throws(ValidationError) -> Day? {
  guard let text else { return nil }
  guard let day = Day(text) else {
    throw ValidationError(
      "--as-of: '\(TerminalText.sanitizedLine(text))' is not a date (YYYY-MM-DD)")
  }
  return day
}
