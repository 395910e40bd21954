import ArgumentParser
import Foundation
import ProtocolEngine
import ScenarioKit
import Scoring

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

    @Option(help: "Seed for the caller's wording; the same seed and inputs replay exactly.")
    var seed: UInt64 = 1

    @Option(help: "Read verbs from this file instead of standard input.")
    var script: String?

    @Option(help: "text (transcript and debrief) or json (one score record).")
    var format: OutputFormat = .text

    @OptionGroup var content: ContentOptions

    func run() throws {
      let engine = try content.loadEngine()
      let found = try content.scenario(scenario, engine: engine)
      let day = try content.day()
      let input: LineInput
      if let script {
        guard let data = FileManager.default.contents(atPath: script) else {
          throw ValidationError("--script: cannot read \(script)")
        }
        input = .lines(
          String(decoding: data, as: UTF8.self).split(
            separator: "\n", omittingEmptySubsequences: false
          ).map(String.init))
      } else {
        input = .standardInput
      }
      var player = Player(scenario: found, engine: engine, mode: mode, seed: seed, asOf: day)
      let transcript = format == .text
      func show(_ lines: [OutputLine]) {
        guard transcript else { return }
        Console.out(lines.map(Transcript.render).joined())
      }
      show(player.start())
      var reader = input.makeIterator()
      while !player.isOver, let line = reader.next() {
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty, !trimmed.hasPrefix("#") else { continue }
        if transcript {
          Console.out("[\(clockText(player.state.clock)) \(found.channel.rawValue)] > \(trimmed)\n")
        }
        show(player.handle(trimmed))
      }
      if !player.isOver {
        player.end(.submitted)
        if transcript { Console.out("(end of input: the attempt is submitted)\n") }
      }
      let score = Scorer.score(player, trainee: trainee ?? defaultTrainee())
      switch format {
      case .text: Console.out("\n" + score.debrief)
      case .json: Console.out(score.json.rendered(pretty: true) + "\n")
      }
    }

    private func defaultTrainee() -> String {
      ProcessInfo.processInfo.environment["USER"].flatMap { $0.isEmpty ? nil : $0 } ?? "trainee"
    }
  }
}

extension PlayMode: ExpressibleByArgument {}

/// Where verbs come from when there is no interactive shell.
enum LineInput: Sequence {
  case lines([String])
  case standardInput

  func makeIterator() -> AnyIterator<String> {
    switch self {
    case .lines(let lines):
      var iterator = lines.makeIterator()
      return AnyIterator { iterator.next() }
    case .standardInput:
      return AnyIterator { readLine(strippingNewline: true) }
    }
  }
}

/// How output lines are printed in a plain transcript.
enum Transcript {
  static func render(_ line: OutputLine) -> String {
    switch line.kind {
    case .caller, .system, .choice: line.text + "\n"
    case .event: "* " + line.text + "\n"
    case .error: "error: " + line.text + "\n"
    }
  }
}
