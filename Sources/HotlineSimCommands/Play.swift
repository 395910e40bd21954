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
        json, one score record). Every attempt is recorded in the results store as it is \
        played (each verb before its response is shown) unless --no-record; an interrupted \
        one is carried on with `hotline-sim resume`.
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

    @Option(help: "text (transcript and debrief) or json (one score record).")
    var format: OutputFormat = .text

    @Option(help: "The trainee's cohort (a class, a shift), kept with the trainee.")
    var cohort: String?

    @Flag(
      name: .customLong("no-record"),
      help: "Do not record the attempt in the results store (a rehearsal).")
    var noRecord = false

    @OptionGroup var shell: ShellOptions

    @OptionGroup var store: StoreOptions

    @OptionGroup var content: ContentOptions

    func run() throws {
      let engine = try content.loadEngine()
      let found = try content.scenario(scenario, engine: engine)
      let day = try content.day()
      let name = trainee ?? defaultTraineeName()
      let rubric = try content.rubrics().rubric(
        for: audience ?? found.audience.first ?? .advocate)
      let player = Player(scenario: found, engine: engine, mode: mode, seed: seed, asOf: day)
      // The session is begun before anything is shown: a store that cannot record says so
      // before the trainee has put time in.
      let recording =
        noRecord
        ? nil
        : try Recording.begin(
          try store.open(), player: player, trainee: name, cohort: cohort,
          audience: rubric.audience, realTime: shell.realTime && shell.atTerminal)
      let (finished, failure) = try shell.play(
        player, trainee: name, transcript: format == .text, journal: recording?.journal)
      if let failure, let recording { try recording.failed(failure) }
      let score = Scorer.score(finished, trainee: name, rubric: rubric)
      try recording?.finish(score)
      switch format {
      case .text: Console.out("\n" + TerminalText.sanitized(score.debrief))
      case .json: Console.out(score.json.rendered(pretty: true) + "\n")
      }
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
