import ArgumentParser
import Foundation
import ProtocolEngine
import ScenarioKit
import Scoring
import Shell

extension HotlineSim {
  /// `hotline-sim play`: play a scenario and get a debrief.
  struct Play: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Play a scenario, then read the debrief.",
      discussion: """
        Verbs are read line by line from --script FILE or standard input and echoed with the \
        scenario's responses. At submit, end of input, hang-up or time-out the attempt is \
        scored against the protocol engine and the debrief is printed (or, with --format \
        json, one score record).
        """)

    @Argument(help: "A scenario id (searched under the scenarios directory) or a path.")
    var scenario: String

    @Option(help: "The trainee's name, recorded with the attempt.")
    var trainee: String?

    @Option(help: "practice (hints allowed) or assessment.")
    var mode: PlayMode = .practice

    @Option(
      help: """
        Who is playing: telecommunicator, task_force or advocate (default: the scenario's \
        first audience). It chooses the rubric: what you answer for (Scenarios/rubrics.yaml).
        """)
    var audience: Audience?

    @Option(help: "Seed for the caller's wording; the same seed and inputs replay exactly.")
    var seed: UInt64 = 1

    @Option(help: "Read verbs from this file instead of standard input.")
    var script: String?

    @Option(help: "text (transcript and debrief) or json (one score record).")
    var format: OutputFormat = .text

    @Flag(help: "For screen readers: no colour, no line editing, every line labelled.")
    var plain = false

    @Flag(name: .customLong("no-color"), help: "No colour even on a terminal.")
    var noColor = false

    @Flag(
      name: .customLong("real-time"),
      help: "Let the simulated clock run while you type (events can happen mid-sentence).")
    var realTime = false

    @OptionGroup var content: ContentOptions

    func run() throws {
      let engine = try content.loadEngine()
      let found = try content.scenario(scenario, engine: engine)
      let day = try content.day()
      let name = trainee ?? defaultTrainee()
      let environment = ProcessInfo.processInfo.environment
      let terminal = isatty(STDIN_FILENO) == 1 && script == nil
      let style = OutputStyle.decide(
        isTerminal: isatty(STDOUT_FILENO) == 1, environment: environment, noColor: noColor,
        plain: plain)
      let transcript = format == .text
      let player = Player(scenario: found, engine: engine, mode: mode, seed: seed, asOf: day)
      var session = ShellSession(
        player: player, style: style, echo: !terminal, realTime: realTime && terminal,
        write: { if transcript { Console.out($0) } })
      let finished: Player
      if let script {
        guard let data = FileManager.default.contents(atPath: script) else {
          Console.error("hotline-sim: --script: cannot read \(script)")
          throw ExitCode(64)
        }
        let lines = String(decoding: data, as: UTF8.self).split(
          separator: "\n", omittingEmptySubsequences: false)
        var reader = ScriptedReader(lines.map { .line(String($0)) }, interactive: false)
        finished = session.run(reader: &reader)
      } else if terminal, !plain, environment["TERM"] != "dumb" {
        let completions = CompletionBox(CompletionContext(player))
        session.onUpdate = { completions.context = CompletionContext($0) }
        var reader = ReadlineReader(historyFile: DataDirectory.historyFile(trainee: name)) {
          completions.context
        }
        finished = session.run(reader: &reader)
      } else {
        var reader = PlainReader(interactive: terminal) { Console.out($0) }
        finished = session.run(reader: &reader)
      }
      let rubric = try content.rubrics().rubric(
        for: audience ?? found.audience.first ?? .advocate)
      let score = Scorer.score(finished, trainee: name, rubric: rubric)
      switch format {
      case .text: Console.out("\n" + score.debrief)
      case .json: Console.out(score.json.rendered(pretty: true) + "\n")
      }
      if terminal { save(score) }
    }

    /// Keeps every attempt typed at a terminal, submitted or abandoned, so nothing is lost.
    private func save(_ score: Score) {
      let stamp = ISO8601DateFormatter().string(from: Date()).replacingOccurrences(
        of: ":", with: "")
      let path =
        DataDirectory.root()
        + "/attempts/\(DataDirectory.slug(score.trainee))/\(score.scenario.id)-\(stamp).json"
      do {
        try DataDirectory.writeAtomically(score.json.rendered(pretty: true) + "\n", to: path)
        Console.error("Attempt (\(score.ended.rawValue)) saved to \(path)")
      } catch {
        Console.error(
          "hotline-sim: could not save the attempt to \(path): \(error.localizedDescription)")
      }
    }

    private func defaultTrainee() -> String {
      ProcessInfo.processInfo.environment["USER"].flatMap { $0.isEmpty ? nil : $0 } ?? "trainee"
    }
  }
}

/// Holds the completion context the readline completer reads; updated after every verb.
final class CompletionBox: @unchecked Sendable {
  // Only the shell's one thread reads and writes it.
  var context: CompletionContext

  init(_ context: CompletionContext) { self.context = context }
}

extension PlayMode: ExpressibleByArgument {}
extension Audience: ExpressibleByArgument {}
