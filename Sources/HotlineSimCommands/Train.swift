import ArgumentParser
import CurriculumKit
import Foundation
import ProtocolEngine
import Reports
import ResultsStore
import ScenarioKit
import Scoring
import Shell

extension HotlineSim {
  /// `hotline-sim train`: a trainee's next scenario in a curriculum, recorded, with mastery.
  struct Train: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Take a curriculum: see your progress, play the next scenario, update mastery.",
      discussion: """
        Shows a bar per part (mastered, in progress, available, locked, closed), picks the \
        next scenario by the curriculum's rules (Curricula/README.md), plays it in the part's \
        mode, records it in the results store and shows the progress again. With --status it \
        shows progress only. An interrupted attempt in the curriculum is carried on with \
        `hotline-sim resume` first.
        """)

    @Argument(help: "A curriculum id (see `hotline-sim list --curricula`) or a path.")
    var curriculum: String

    @Option(help: "The trainee's name (default: your login name).")
    var trainee: String?

    @Option(help: "The trainee's cohort (a class, a shift), kept with the trainee.")
    var cohort: String?

    @Flag(help: "Show progress only; play nothing.")
    var status = false

    @Option(
      help: """
        Seed for the caller's wording (default: one more than the trainee's attempts at the \
        scenario, so a retry hears other words).
        """)
    var seed: UInt64?

    @Option(help: "text, or json (with --status: the progress; else one score record).")
    var format: OutputFormat = .text

    @Option(help: "The curricula directory (default: the shipped Curricula/).")
    var curricula: String?

    @OptionGroup var shell: ShellOptions
    @OptionGroup var store: StoreOptions
    @OptionGroup var content: ContentOptions

    func run() throws {
      let course = try CurriculumOptions(curricula: curricula).find(curriculum)
      let engine = try content.loadEngine()
      let day = try content.day()
      try CurriculumOptions.requireScenarios(course, content: content, engine: engine)
      let name = trainee ?? defaultTraineeName()
      let results = try store.open()
      let before = try CurriculumOptions.progress(course, trainee: name, store: results)
      if status || format == .text {
        Console.out(
          format == .json
            ? before.json(trainee: name).rendered(pretty: true) + "\n"
            : TerminalText.sanitized(before.text(trainee: name)))
      }
      if status { return }
      if let interrupted = try CurriculumOptions.interrupted(
        course, trainee: name, store: results)
      {
        Console.error(
          TerminalText.sanitized(
            "hotline-sim: \(name) has an interrupted attempt in \(course.id) (session \(interrupted.id.prefix(8)), \(interrupted.scenarioID), started \(ResultsFormat.time(interrupted.startedAt))); `hotline-sim resume \(interrupted.id.prefix(8))` carries it on"
          ))
        throw ExitCode(1)
      }
      guard let next = before.next else { return }
      let scenario = try content.scenario(next.scenario, engine: engine)
      let rubric = try content.rubrics().rubric(for: course.audience)
      let earlier = try results.sessions(
        SessionFilter(trainee: name, scenario: scenario.id)
      ).count
      let player = Player(
        scenario: scenario, engine: engine, mode: next.part.mode,
        seed: seed ?? UInt64(earlier + 1), asOf: day)
      if format == .text {
        Console.out(
          TerminalText.sanitized(
            "\nPart '\(next.part.id)': \(next.part.title) (\(next.part.mode.rawValue))\n\n"))
      }
      let recording = try Recording.begin(
        results, player: player, trainee: name, cohort: cohort, audience: course.audience,
        realTime: shell.realTime && shell.atTerminal,
        curriculum: (course.id, course.version, next.part.id))
      let (finished, failure) = try shell.play(
        player, trainee: name, transcript: format == .text, journal: recording.journal)
      if let failure { try recording.failed(failure) }
      let score = Scorer.score(finished, trainee: name, rubric: rubric)
      try recording.finish(score)
      switch format {
      case .json:
        Console.out(score.json.rendered(pretty: true) + "\n")
      case .text:
        Console.out("\n" + TerminalText.sanitized(score.debrief))
        let after = try CurriculumOptions.progress(course, trainee: name, store: results)
        Console.out("\n" + CurriculumOptions.change(before, after, part: next.part))
        Console.out("\n" + TerminalText.sanitized(after.text(trainee: name)))
      }
    }
  }
}

/// Finding curricula and working out a trainee's progress from the results store.
struct CurriculumOptions {
  var curricula: String?

  var catalog: CurriculumCatalog {
    CurriculumCatalog(root: curricula ?? CurriculumCatalog.defaultRoot())
  }

  /// The curriculum by id or path; unknown is bad input (64), a broken file is 1.
  func find(_ name: String) throws -> Curriculum {
    do {
      return try catalog.find(name)
    } catch {
      Console.error("hotline-sim: \(TerminalText.sanitized("\(error)"))")
      if case .invalid = error { throw ExitCode(1) }
      throw ExitCode(64)
    }
  }

  /// Exits 1 when the curriculum names scenarios that do not exist (lint's HS0101).
  static func requireScenarios(_ course: Curriculum, content: ContentOptions, engine: Engine)
    throws
  {
    let (scenarios, _) = content.catalog.loadAll(geography: engine.set.geography)
    let errors = CurriculumCheck.check(
      [course],
      scenarios: scenarios.map { CurriculumCheck.ScenarioInfo(id: $0.id, audience: $0.audience) }
    ).filter { $0.severity == .error }
    guard errors.isEmpty else {
      Console.error(
        "hotline-sim: curriculum \(course.id) has errors:\n"
          + errors.map(\.description).joined(separator: "\n"))
      throw ExitCode(1)
    }
  }

  /// The trainee's finished attempts in the curriculum, oldest first, as mastery reads them.
  static func attempts(_ course: Curriculum, trainee: String, store: ResultsStore) throws
    -> [Attempt]
  {
    try store.sessions(
      SessionFilter(trainee: trainee, curriculum: course.id, statuses: [.submitted, .abandoned])
    ).map(CourseAttempts.attempt)
  }

  static func progress(_ course: Curriculum, trainee: String, store: ResultsStore) throws
    -> CourseProgress
  {
    do {
      return CourseProgress(
        curriculum: course, attempts: try attempts(course, trainee: trainee, store: store))
    } catch {
      Console.error("hotline-sim: \(TerminalText.sanitized("\(error)"))")
      throw ExitCode(1)
    }
  }

  /// The trainee's latest session in the curriculum that was never finished.
  static func interrupted(_ course: Curriculum, trainee: String, store: ResultsStore) throws
    -> SessionRecord?
  {
    try store.sessions(
      SessionFilter(trainee: trainee, curriculum: course.id, statuses: [.active])
    ).last?.session
  }

  /// One line on what the attempt just played changed.
  static func change(_ before: CourseProgress, _ after: CourseProgress, part: Part) -> String {
    let was = before.parts.first { $0.part.id == part.id }
    let now = after.parts.first { $0.part.id == part.id }
    guard let was, let now else { return "" }
    if was.state == .mastered { return "Part '\(part.id)' was already mastered.\n" }
    if now.state == .mastered, was.state != .mastered {
      let unlocked = after.parts.filter { progress in
        progress.state == .available
          && before.parts.first { $0.part.id == progress.part.id }?.state == .locked
      }.map { "'\($0.part.id)'" }
      return "Part '\(part.id)' mastered."
        + (unlocked.isEmpty ? "" : " Unlocked: \(unlocked.joined(separator: ", ")).") + "\n"
    }
    if now.state == .closed {
      return
        "Part '\(part.id)': every attempt allowed is used without mastery. See your instructor.\n"
    }
    let counted = now.run > was.run || now.counted.count > was.counted.count
    return counted
      ? "This attempt counts towards part '\(part.id)' (\(now.run) of \(part.mastery.consecutive) in a row).\n"
      : "This attempt does not count towards part '\(part.id)' (it needs \(part.mastery.summary)).\n"
  }
}
