import ArgumentParser
import CurriculumKit
import Foundation
import ProtocolEngine
import ResultsStore
import ScenarioKit
import Scoring
import Shell

extension HotlineSim {
  /// `hotline-sim resume`: carry on an interrupted attempt from its journal.
  struct Resume: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Carry on an interrupted attempt (killed, terminal closed, power cut).",
      discussion: """
        Replays the session's journal: the trainee sees the transcript so far and the clock \
        where it stood, then goes on; every verb already typed is kept. Without SESSION it \
        takes the trainee's latest interrupted session. A session still being played by a \
        running hotline-sim, or whose scenario or protocol set has changed since it began, \
        is not resumed.
        """)

    @Argument(help: "A session id, or its first characters (at least 4), from `results`.")
    var session: String?

    @Option(help: "Whose latest interrupted session to resume (default: your login name).")
    var trainee: String?

    @Option(help: "text (transcript and debrief) or json (one score record).")
    var format: OutputFormat = .text

    @Option(help: "The curricula directory (default: the shipped Curricula/).")
    var curricula: String?

    @OptionGroup var shell: ShellOptions
    @OptionGroup var store: StoreOptions
    @OptionGroup var content: ContentOptions

    func run() throws {
      let results = try store.open()
      let record = try find(in: results)
      guard record.status == .active else {
        Console.error(
          "hotline-sim: session \(record.id.prefix(8)) was already \(record.status.rawValue)\(record.endedAt.map { " at \(ResultsFormat.time($0))" } ?? ""); there is nothing to resume"
        )
        throw ExitCode(1)
      }
      if let owner = Self.liveOwner(record) {
        Console.error(
          "hotline-sim: session \(record.id.prefix(8)) is still being played by process \(owner) on this machine; end that one first"
        )
        throw ExitCode(1)
      }
      let engine = try content.loadEngine()
      guard engine.set.sha256 == record.rulesetSHA256 else {
        Console.error(
          TerminalText.sanitized(
            "hotline-sim: session \(record.id.prefix(8)) began under protocol set \(record.rulesetVersion) (sha256 \(record.rulesetSHA256.prefix(12))); the set loaded now is \(engine.set.policy.version) (sha256 \(engine.set.sha256.prefix(12))). It cannot be replayed faithfully; resume it with the set it began under (--protocols DIR)"
          ))
        throw ExitCode(1)
      }
      let scenario = try loadScenario(record, engine: engine)
      guard let mode = PlayMode(rawValue: record.mode), let day = Day(record.asOf),
        let audience = Audience(rawValue: record.audience)
      else {
        Console.error(
          TerminalText.sanitized(
            "hotline-sim: session \(record.id.prefix(8)) has a mode, day or audience this version does not know (\(record.mode), \(record.asOf), \(record.audience))"
          ))
        throw ExitCode(1)
      }
      let journal: [JournalEntry]
      do {
        journal = try results.journal(of: record.id)
      } catch {
        Console.error("hotline-sim: \(TerminalText.sanitized("\(error)"))")
        throw ExitCode(1)
      }
      let inputs = journal.map { (input: Self.input($0), clock: $0.simulatedSeconds) }
      // The journal must replay as it was played: the same clock at every verb.
      if case .failure(let mismatch) = Player.replaying(
        inputs, scenario: scenario, engine: engine, mode: mode, seed: record.seed, asOf: day)
      {
        Console.error(
          "hotline-sim: session \(record.id.prefix(8)) does not replay: verb \(mismatch.index + 1) ('\(TerminalText.sanitized(journal[mismatch.index].text))') was given at \(clockText(mismatch.recorded)) but replays at \(clockText(mismatch.replayed))"
        )
        throw ExitCode(1)
      }
      do {
        try results.claim(record.id, pid: getpid(), host: Recording.host)
      } catch {
        Console.error("hotline-sim: \(TerminalText.sanitized("\(error)"))")
        throw ExitCode(1)
      }
      let recording = Recording(store: results, session: record)
      if format == .text {
        Console.out(
          "Resuming session \(record.id.prefix(8)): \(TerminalText.sanitizedLine(record.traineeName)), \(scenario.id), begun \(ResultsFormat.time(record.startedAt)); \(journal.count) input\(journal.count == 1 ? "" : "s") replayed.\n\n"
        )
      }
      let rubric = try content.rubrics().rubric(for: audience)
      let player = Player(
        scenario: scenario, engine: engine, mode: mode, seed: record.seed, asOf: day)
      let (finished, failure) = try shell.play(
        player, trainee: record.traineeName, replay: inputs.map(\.input),
        transcript: format == .text, journal: recording.journal)
      if let failure { try recording.failed(failure) }
      let score = Scorer.score(finished, trainee: record.traineeName, rubric: rubric)
      try recording.finish(score)
      switch format {
      case .json: Console.out(score.json.rendered(pretty: true) + "\n")
      case .text:
        Console.out("\n" + TerminalText.sanitized(score.debrief))
        if let id = record.curriculumID,
          let course = try? CurriculumOptions(curricula: curricula).catalog.find(id)
        {
          let progress = try CurriculumOptions.progress(
            course, trainee: record.traineeName, store: results)
          Console.out(
            "\n" + TerminalText.sanitized(progress.text(trainee: record.traineeName)))
        }
      }
    }

    /// The session named, or the trainee's latest interrupted one.
    func find(in results: ResultsStore) throws -> SessionRecord {
      do {
        if let session { return try results.session(session) }
        let name = trainee ?? defaultTraineeName()
        guard
          let latest = try results.sessions(SessionFilter(trainee: name, statuses: [.active]))
            .last?.session
        else {
          Console.error(
            "hotline-sim: \(TerminalText.sanitized(name)) has no interrupted session to resume")
          throw ExitCode(1)
        }
        return latest
      } catch let error as StoreError {
        Console.error("hotline-sim: \(TerminalText.sanitized("\(error)"))")
        if case .noSuchSession = error { throw ExitCode(64) }
        if case .ambiguous = error { throw ExitCode(64) }
        throw ExitCode(1)
      }
    }

    /// The scenario the session began with: its file when it is still there and unchanged,
    /// else the scenario with its id in the library, which must be byte-identical.
    func loadScenario(_ record: SessionRecord, engine: Engine) throws -> Scenario {
      let fromFile = ScenarioCatalog.load(
        path: record.scenarioPath, geography: engine.set.geography
      ).0
      if let fromFile, fromFile.sha256 == record.scenarioSHA256 { return fromFile }
      let fromLibrary = try? content.catalog.find(
        record.scenarioID, geography: engine.set.geography)
      if let fromLibrary, fromLibrary.sha256 == record.scenarioSHA256 { return fromLibrary }
      Console.error(
        "hotline-sim: session \(record.id.prefix(8)) began on \(record.scenarioID) v\(record.scenarioVersion) (sha256 \(record.scenarioSHA256.prefix(12))), and that file has changed or gone since (\(TerminalText.sanitized(record.scenarioPath))); it cannot be replayed faithfully"
      )
      throw ExitCode(1)
    }

    static func input(_ entry: JournalEntry) -> PlayerInput {
      switch entry.kind {
      case .verb: return .verb(entry.text)
      case .end: return .end(EndReason(rawValue: entry.text) ?? .submitted)
      }
    }

    /// The process still playing the session on this machine, if one is.
    static func liveOwner(_ record: SessionRecord) -> Int32? {
      guard record.host == Recording.host, record.pid != getpid(), record.pid > 0,
        kill(record.pid, 0) == 0 || errno == EPERM
      else { return nil }
      // A process id can be reused: only a hotline-sim counts.
      guard
        let data = FileManager.default.contents(atPath: "/proc/\(record.pid)/cmdline")
      else { return record.pid }
      return String(decoding: data, as: UTF8.self).contains("hotline-sim") ? record.pid : nil
    }
  }
}
