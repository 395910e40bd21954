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
  /// `hotline-sim workshop`: a facilitated tabletop for a multi-agency team.
  struct Workshop: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Run a facilitated tabletop for a team and write its after-action report.",
      discussion: """
        The facilitator puts the scenario's events to the team as injects (`next`), the team's \
        decisions are made with the trainee verbs and recorded as the team's, and evaluators \
        rate each objective P/S/M/U (`rate 2 S @lee escalated, but late`). `end` closes the \
        exercise and writes the After-Action Report / Improvement Plan as Markdown and HTML. \
        With a curriculum, the part's scenarios are played one after another and its \
        objectives are rated; with a scenario alone, three standing objectives are.
        """)

    @Argument(help: "A scenario or a curriculum (id or path).")
    var target: String

    @Option(help: "The team's name; its decisions are recorded under it.")
    var team: String

    @Option(help: "An evaluator's name (repeat the option for each).")
    var evaluator: [String] = []

    @Option(help: "With a curriculum: the part to play (default: its first part).")
    var part: String?

    @Option(help: "Whose rubric scores the team (default: the curriculum's, else task_force).")
    var audience: Audience?

    @Option(help: "Read the facilitator's and team's verbs from this file.")
    var script: String?

    @Option(
      help: """
        The report's Markdown file; the HTML goes beside it with .html (default: \
        aar-<team>-<target>.md in the current folder).
        """)
    var output: String?

    @Option(help: "Seed for the caller's wording.")
    var seed: UInt64 = 1

    @Flag(name: .customLong("no-record"), help: "Do not record the team's sessions.")
    var noRecord = false

    @Option(help: "The curricula directory (default: the shipped Curricula/).")
    var curricula: String?

    @OptionGroup var store: StoreOptions
    @OptionGroup var content: ContentOptions

    func run() throws {
      let engine = try content.loadEngine()
      let day = try content.day()
      let plan = try exercisePlan(engine: engine)
      let rubric = try content.rubrics().rubric(for: plan.audience)
      let results = noRecord ? nil : try store.open()
      let terminal = isatty(STDIN_FILENO) == 1 && script == nil
      let style = OutputStyle.decide(
        isTerminal: isatty(STDOUT_FILENO) == 1,
        environment: ProcessInfo.processInfo.environment, noColor: false, plain: !terminal)
      let completions = CompletionBox(CompletionContext())
      var reader = try makeReader(terminal: terminal, completions: completions)
      Console.out(
        TerminalText.sanitized(
          "Tabletop: \(plan.title)\nTeam: \(team)\(evaluator.isEmpty ? "" : "; evaluators: \(evaluator.joined(separator: ", "))")\n\nObjectives:\n"
            + plan.objectives.enumerated().map {
              "  \($0 + 1). \($1.capability): \($1.tasks.joined(separator: " "))"
            }
            .joined(separator: "\n") + "\n\n" + WorkshopCommand.helpLines.joined(separator: "\n")
            + "\n"))
      var played: [AfterAction.Played] = []
      var ended = false
      for (index, scenario) in plan.scenarios.enumerated() where !ended {
        Console.out("\n== Scenario \(index + 1) of \(plan.scenarios.count)\n")
        var player = Player(
          scenario: scenario, engine: engine, mode: .practice, seed: seed, asOf: day)
        let recording = try results.map {
          try Recording.begin(
            $0, player: player, trainee: team, cohort: nil, audience: plan.audience,
            realTime: false, curriculum: plan.curriculum)
        }
        var timeline: [AfterAction.Entry] = []
        var ratings: [Rating] = []
        show(player.start(), style: style)
        while !player.isOver {
          var context = CompletionContext(player)
          context.verbs += ["next", "rate", "end"]
          completions.context = context
          let prompt = "[\(clockText(player.state.clock)) workshop] > "
          let line: String
          switch reader.readLine(prompt: prompt) {
          case .line(let text): line = text.trimming(" \t\r")
          case .endOfInput: line = "end"
          case .interrupted, .stopped: continue
          }
          if !terminal { Console.out(TerminalText.sanitized(prompt + line) + "\n") }
          guard !line.isEmpty, !line.hasPrefix("#") else { continue }
          reader.remember(line)
          let command: WorkshopCommand
          do throws(ReportsError) {
            command = try WorkshopCommand.parse(
              line, objectives: plan.objectives.count, evaluators: evaluator)
          } catch {
            show([OutputLine(.error, error.description)], style: style)
            continue
          }
          switch command {
          case .help:
            Console.out(WorkshopCommand.helpLines.joined(separator: "\n") + "\n")
            show(player.handle("help"), style: style)
          case .rate(let objective, let level, let who, let comment):
            var rating = Rating(
              objective: objective, level: level, evaluator: who, comment: comment,
              simulatedSeconds: player.state.clock, wallTime: Date())
            if let recording {
              do {
                rating = try recording.store.rate(rating, in: recording.session.id)
              } catch {
                Console.error("hotline-sim: the rating could not be recorded: \(error)")
                throw ExitCode(1)
              }
            }
            ratings.append(rating)
            show(
              [
                OutputLine(
                  .system,
                  "Objective \(objective) rated \(level.rawValue) (\(level.meaning)) by \(who).")
              ],
              style: style)
          case .next:
            let lines = try inject(&player, recording: recording)
            // What the team heard and was asked; not the shell's own hint on how to answer.
            timeline += lines.filter { $0.kind != .error && !$0.text.hasPrefix("Type `choose") }
              .map {
                AfterAction.Entry(at: player.state.clock, kind: .inject, text: $0.text)
              }
            show(lines, style: style)
          case .end:
            ended = true
            if !player.isOver {
              try journal(.verb("submit"), player: player, recording: recording)
              show(player.handle("submit"), style: style)
            }
          case .team(let verb):
            let at = player.state.clock
            try journal(.verb(verb), player: player, recording: recording)
            let lines = player.handle(verb)
            if !lines.allSatisfy({ $0.kind == .error }) || lines.isEmpty {
              timeline.append(AfterAction.Entry(at: at, kind: .decision, text: verb))
            }
            for line in lines where line.kind == .event {
              timeline.append(
                AfterAction.Entry(at: player.state.clock, kind: .inject, text: line.text))
            }
            show(lines, style: style)
          }
        }
        let score = Scorer.score(player, trainee: team, rubric: rubric)
        try recording?.finish(score)
        Console.out(
          "\nScenario \(scenario.id): \(score.score)/100, \(score.compliance.rawValue) (\(score.ended.rawValue)).\n"
        )
        played.append(
          AfterAction.Played(
            score: score, session: recording?.session.id, timeline: timeline, ratings: ratings))
      }
      let report = AfterAction(
        exercise: plan.title, team: team, evaluators: evaluator, audience: plan.audience,
        date: Day.today().description, objectives: plan.objectives, played: played)
      try write(report, target: plan.slug)
    }

    /// What the exercise plays: its scenarios, objectives, audience and curriculum part.
    struct Plan {
      var title: String
      var slug: String
      var scenarios: [Scenario]
      var objectives: [Objective]
      var audience: Audience
      var curriculum: (id: String, version: Int, part: String)?
    }

    func exercisePlan(engine: Engine) throws -> Plan {
      let catalog = CurriculumOptions(curricula: curricula).catalog
      if let course = try? catalog.find(target) {
        let picked: Part? = part.map { course.part($0) } ?? course.parts.first
        guard let chosen = picked else {
          let known = course.parts.map(\.id).joined(separator: ", ")
          Console.error(
            "hotline-sim: workshop: \(course.id) has no part '\(part ?? "")' (\(known))")
          throw ExitCode(64)
        }
        let scenarios = try chosen.scenarios.map { try content.scenario($0.id, engine: engine) }
        return Plan(
          title: "\(course.title): \(chosen.title)", slug: "\(course.id)-\(chosen.id)",
          scenarios: scenarios, objectives: chosen.objectives,
          audience: audience ?? course.audience,
          curriculum: (course.id, course.version, chosen.id))
      }
      if part != nil {
        Console.error(
          "hotline-sim: workshop: --part needs a curriculum, and '\(target)' is not one")
        throw ExitCode(64)
      }
      let scenario = try content.scenario(target, engine: engine)
      return Plan(
        title: scenario.title, slug: scenario.id, scenarios: [scenario],
        objectives: AfterAction.defaultObjectives, audience: audience ?? .taskForce,
        curriculum: nil)
    }

    /// The script's lines; readline at a terminal (history per team, completion of the
    /// facilitator's and team's verbs); plain lines otherwise.
    func makeReader(terminal: Bool, completions: CompletionBox) throws -> any LineReader {
      if let script {
        let text = try readScript(script)
        let lines = text.split(
          separator: "\n", omittingEmptySubsequences: false)
        return ScriptedReader(lines.map { .line(String($0)) }, interactive: false)
      }
      if terminal, ProcessInfo.processInfo.environment["TERM"] != "dumb" {
        return ReadlineReader(historyFile: DataDirectory.historyFile(trainee: team)) {
          completions.context
        }
      }
      return PlainReader(interactive: terminal) { Console.out($0) }
    }

    /// Puts the next timed event to the team: the clock jumps to it (in waits of at most
    /// 600 s, as the player takes them), each wait journalled before it is carried out.
    func inject(_ player: inout Player, recording: Recording?) throws -> [OutputLine] {
      let clock = player.state.clock
      guard
        let next = player.scenario.events.compactMap({ event -> Int? in
          guard !player.state.hasFired(event.id), let at = event.at, at > clock,
            at <= player.scenario.timeLimit
          else { return nil }
          return at
        }).min()
      else {
        return [
          OutputLine(
            .system,
            "No timed inject is left. The team goes on with its verbs, or `end` closes the exercise."
          )
        ]
      }
      var lines: [OutputLine] = []
      while player.state.clock < next, !player.isOver {
        let wait = "wait \(min(next - player.state.clock, 600))"
        try journal(.verb(wait), player: player, recording: recording)
        lines += player.handle(wait)
      }
      if lines.isEmpty {
        lines.append(
          OutputLine(
            .system, "The inject at \(clockText(next)) did not happen: its condition does not hold."
          ))
      }
      return lines
    }

    func journal(_ input: PlayerInput, player: Player, recording: Recording?) throws {
      guard let recording else { return }
      do {
        try recording.journal(input, player.state.clock)
      } catch {
        try recording.failed("\(error)")
      }
    }

    func show(_ lines: [OutputLine], style: OutputStyle) {
      guard !lines.isEmpty else { return }
      Console.out(lines.map(style.render).joined())
    }

    /// Writes the Markdown and HTML reports, each atomically, and says where.
    func write(_ report: AfterAction, target: String) throws {
      let markdown =
        output ?? "aar-\(DataDirectory.slug(team).lowercased())-\(target).md"
      let html =
        (markdown.hasSuffix(".md") ? String(markdown.dropLast(3)) : markdown) + ".html"
      do {
        try DataDirectory.writeAtomically(report.markdown, to: markdown)
        try DataDirectory.writeAtomically(report.html, to: html)
      } catch {
        Console.error(
          "hotline-sim: workshop: cannot write the report: \(error.localizedDescription)")
        throw ExitCode(1)
      }
      Console.out(
        TerminalText.sanitized(
          "\nAfter-Action Report / Improvement Plan: \(markdown) and \(html)\n"))
    }
  }
}
