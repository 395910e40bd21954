import Foundation
import ProtocolEngine
import ResultsStore
import ScenarioKit
import Scoring
import Shell
import Testing

/// The shipped content, loaded once for the in-process tests.
enum Shipped {
  static let day = Day("2026-11-29") ?? Day.today()
  static let engine: Result<Engine, Error> = Result {
    Engine(try ProtocolSet.load(directory: Binary.root.appendingPathComponent("Protocols").path))
  }
  static let scenarios: [Scenario] = {
    guard let engine = try? engine.get() else { return [] }
    return ScenarioCatalog(root: Binary.root.appendingPathComponent("Scenarios").path)
      .loadAll(geography: engine.set.geography).scenarios
  }()
  static let rubrics: Result<RubricBook, Error> = Result {
    try RubricBook.parse(
      String(
        contentsOf: Binary.root.appendingPathComponent("Scenarios/rubrics.yaml"), encoding: .utf8))
  }

  /// Every golden transcript of every shipped scenario.
  static var transcripts: [(Scenario, Transcript)] {
    scenarios.flatMap { scenario in scenario.transcripts.map { (scenario, $0) } }
  }

  /// A scratch store in a folder of its own.
  static func store() throws -> ResultsStore {
    try ResultsStore(
      path: FileManager.default.temporaryDirectory
        .appendingPathComponent("hotline-store-\(UUID().uuidString)/results.sqlite").path)
  }

  static func newSession(_ player: Player, trainee: String, audience: Audience) -> NewSession {
    NewSession(
      trainee: trainee, scenarioID: player.scenario.id, scenarioVersion: player.scenario.version,
      scenarioSHA256: player.scenario.sha256, scenarioPath: player.scenario.path,
      rulesetVersion: player.engine.set.policy.version, rulesetSHA256: player.engine.set.sha256,
      mode: player.mode.rawValue, audience: audience.rawValue, seed: player.seed,
      asOf: player.asOf.description, realTime: false, startedAt: Date(), pid: 1, host: "test")
  }

  static func inputs(_ journal: [JournalEntry]) -> [(input: PlayerInput, clock: Int)] {
    journal.map { entry in
      switch entry.kind {
      case .verb: (.verb(entry.text), entry.simulatedSeconds)
      case .end: (.end(EndReason(rawValue: entry.text) ?? .submitted), entry.simulatedSeconds)
      }
    }
  }
}

@Suite("The journal and the score")
struct JournalReplayTests {
  /// Each golden transcript is played through the shell with the store's journal, as
  /// `play` does; the score recomputed from the stored journal is the live one, byte for byte.
  @Test func aScoreRecomputedFromTheStoredJournalEqualsTheLiveOne() throws {
    let engine = try Shipped.engine.get()
    let rubrics = try Shipped.rubrics.get()
    let store = try Shipped.store()
    let transcripts = Shipped.transcripts
    #expect(transcripts.count >= 26)
    for (scenario, transcript) in transcripts {
      let rubric = rubrics.rubric(for: transcript.audience ?? scenario.audience[0])
      let player = Player(
        scenario: scenario, engine: engine, mode: transcript.mode, seed: transcript.seed,
        asOf: Shipped.day)
      let session = try store.begin(
        Shipped.newSession(player, trainee: "golden", audience: rubric.audience))
      var shell = ShellSession(
        player: player, style: OutputStyle(color: false, plain: false), echo: true,
        write: { _ in })
      shell.journal = { input, clock in
        switch input {
        case .verb(let line):
          _ = try store.append(
            JournalEntry(kind: .verb, text: line, simulatedSeconds: clock, wallTime: Date()),
            to: session.id)
        case .end(let reason):
          _ = try store.append(
            JournalEntry(
              kind: .end, text: reason.rawValue, simulatedSeconds: clock, wallTime: Date()),
            to: session.id)
        }
      }
      var reader = ScriptedReader(
        transcript.verbs.map { .line($0.text) }, interactive: false)
      let live = Scorer.score(shell.run(reader: &reader), trainee: "golden", rubric: rubric)
      #expect(shell.journalFailure == nil)
      let replayed = Player.replaying(
        Shipped.inputs(try store.journal(of: session.id)), scenario: scenario, engine: engine,
        mode: transcript.mode, seed: transcript.seed, asOf: Shipped.day)
      let again = Scorer.score(try replayed.get(), trainee: "golden", rubric: rubric)
      #expect(
        again.json.rendered(pretty: true) == live.json.rendered(pretty: true),
        "\(scenario.id) \(transcript.id)")
      #expect(transcript.score.contains(live.score), "\(scenario.id) \(transcript.id)")
    }
  }

  @Test func aJournalThatFailsStopsTheSessionBeforeTheResponseIsShown() throws {
    let engine = try Shipped.engine.get()
    let scenario = try #require(Shipped.scenarios.first { $0.id == "tx-motel-whisper" })
    struct Full: Error, CustomStringConvertible {
      var description: String { "disk full" }
    }
    var shown = ""
    var shell = ShellSession(
      player: Player(
        scenario: scenario, engine: engine, mode: .practice, seed: 1, asOf: Shipped.day),
      style: OutputStyle(color: false, plain: false), echo: true, write: { shown += $0 })
    var kept: [String] = []
    shell.journal = { input, _ in
      guard case .verb(let line) = input, kept.count < 1 else { throw Full() }
      kept.append(line)
    }
    var reader = ScriptedReader(
      [.line("ask where are you"), .line("ask are you safe"), .line("submit")],
      interactive: false)
    let finished = shell.run(reader: &reader)
    #expect(kept == ["ask where are you"])
    #expect(shell.journalFailure == "disk full")
    #expect(finished.state.journal.map(\.value) == ["ask where are you"])
    #expect(shown.contains("The attempt could not be recorded: disk full"))
    #expect(!shown.contains("Submitted"))
  }
}

/// The real binary: a class through a curriculum, the store under two processes, resume.
@Suite("Training and results commands", .enabled(if: Binary.available), .serialized)
struct TrainingCommandTests {
  let store = FileManager.default.temporaryDirectory
    .appendingPathComponent("hotline-train-\(UUID().uuidString)/results.sqlite").path
  var environment: [String: String] { ["HOTLINESIM_DB": store] }

  func run(_ arguments: [String], input: String = "") throws -> Binary.Result {
    try Binary.run(arguments + ["--as-of", "2026-11-29"], input: input, environment: environment)
  }

  /// A script file holding `verbs`.
  func script(_ verbs: [String]) throws -> String {
    let path = FileManager.default.temporaryDirectory
      .appendingPathComponent("verbs-\(UUID().uuidString).txt").path
    try (verbs.joined(separator: "\n") + "\n").write(
      toFile: path, atomically: true, encoding: .utf8)
    return path
  }

  func status(_ trainee: String) throws -> [String: Any] {
    let result = try Binary.run(
      ["train", "texas-911-dispatch", "--trainee", trainee, "--status", "--format", "json"],
      environment: environment)
    #expect(result.status == 0, "\(result.stderr)")
    return try #require(
      try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
  }

  func partStates(_ status: [String: Any]) -> [String] {
    (status["parts"] as? [[String: Any]] ?? []).compactMap { $0["state"] as? String }
  }

  /// The strong golden transcript of a shipped scenario.
  func strong(_ id: String) throws -> Transcript {
    let scenario = try #require(Shipped.scenarios.first { $0.id == id })
    return try #require(
      scenario.transcripts.first { $0.compliance.contains(.highCompliance) }
        ?? scenario.transcripts.first)
  }

  @Test func threeTraineesTakeTheTexasSeriesAndMasteryShows() throws {
    for trainee in ["Dispatcher One", "Dispatcher Two", "Dispatcher Three"] {
      #expect(partStates(try status(trainee)) == ["available", "locked", "locked"])
      if trainee == "Dispatcher Three" {
        // A weak first try: recorded, does not count, and the same scenario comes next.
        let weak = try run(
          [
            "train", "texas-911-dispatch", "--trainee", trainee, "--cohort", "November",
            "--script", try script(["submit"]),
          ])
        #expect(weak.status == 0, "\(weak.stderr)")
        #expect(weak.stdout.contains("This attempt does not count towards part 'recognise'"))
        #expect(partStates(try status(trainee)) == ["in_progress", "locked", "locked"])
      }
      var plays = 0
      while partStates(try status(trainee)).first != "mastered", plays < 6 {
        let next = try #require(try status(trainee)["next"] as? [String: Any])
        let scenario = try #require(next["scenario"] as? String)
        let transcript = try strong(scenario)
        let result = try run(
          [
            "train", "texas-911-dispatch", "--trainee", trainee, "--cohort", "November",
            "--seed", String(transcript.seed), "--script",
            try script(transcript.verbs.map(\.text)),
          ])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("recorded as session"))
        #expect(result.stdout.contains("Part 'recognise'"))
        plays += 1
      }
      // Three scenarios, each once and two in a row: mastered in three plays, and the
      // second part opens.
      #expect(plays == 3)
      let after = try status(trainee)
      #expect(partStates(after) == ["mastered", "available", "locked"])
      #expect((after["next"] as? [String: Any])?["part"] as? String == "respond")
    }
    // The coordinator's view: every attempt, filtered, as a table, JSON and CSV.
    let all = try Binary.run(
      ["results", "--curriculum", "texas-911-dispatch", "--format", "csv"],
      environment: environment)
    #expect(all.status == 0)
    let rows = all.stdout.split(separator: "\r\n").map {
      $0.split(separator: ",", omittingEmptySubsequences: false)
    }
    #expect(rows.first?.first == "session" && rows.count == 1 + 10)
    let third = try Binary.run(
      ["results", "--trainee", "Dispatcher Three", "--cohort", "November"],
      environment: environment)
    #expect(third.stdout.hasPrefix("SESSION "))
    #expect(third.stdout.hasSuffix("\n4 attempts\n"))
    #expect(third.stdout.contains("MAJOR: "))
    let none = try Binary.run(["results", "--cohort", "December"], environment: environment)
    #expect(none.stdout == "No attempts match.\n")
  }

  @Test func theRecordInTheStoreIsThePlayedScore() throws {
    let transcript = try strong("tx-motel-whisper")
    let played = try run(
      [
        "play", "tx-motel-whisper", "--trainee", "json", "--seed", String(transcript.seed),
        "--format", "json", "--script", try script(transcript.verbs.map(\.text)),
      ])
    #expect(played.status == 0)
    let exported = try Binary.run(
      ["results", "--trainee", "json", "--format", "json"], environment: environment)
    let list = try #require(
      try JSONSerialization.jsonObject(with: Data(exported.stdout.utf8)) as? [[String: Any]])
    #expect(list.count == 1)
    let session = try #require(list.first?["session"] as? [String: Any])
    #expect(session["status"] as? String == "submitted")
    #expect(session["scenario"] as? String == "tx-motel-whisper")
    let stored = try #require(list.first?["score"] as? NSDictionary)
    let live = try #require(
      try JSONSerialization.jsonObject(with: Data(played.stdout.utf8)) as? NSDictionary)
    #expect(stored == live)
    // --no-record leaves the store as it was.
    let rehearsal = try run(
      [
        "play", "tx-motel-whisper", "--trainee", "json", "--no-record", "--script",
        try script(["submit"]),
      ])
    #expect(rehearsal.status == 0 && !rehearsal.stderr.contains("recorded"))
    let again = try Binary.run(
      ["results", "--trainee", "json", "--format", "csv"], environment: environment)
    #expect(again.stdout.split(separator: "\r\n").count == 2)
  }

  @Test func threeProcessesWritingOneStoreAtOnceLoseNothing() throws {
    let verbs = Array(repeating: "time", count: 150) + ["submit"]
    try Binary.expectConcurrentWritersLoseNothing(
      verbs: verbs, script: try script(verbs), store: store)
  }

  @Test func resumeCarriesOnAPipedAttemptAndRefusesWhatItCannotReplay() throws {
    // A copy of a scenario, so it can be changed underneath a session.
    let folder = FileManager.default.temporaryDirectory
      .appendingPathComponent("hotline-scenarios-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    let file = folder.appendingPathComponent("tx-motel-whisper.yaml")
    try FileManager.default.copyItem(
      at: Binary.root.appendingPathComponent("Scenarios/tx/tx-motel-whisper.yaml"), to: file)
    let engine = try Shipped.engine.get()
    let scenario = try ScenarioCatalog(root: folder.path).find(
      "tx-motel-whisper", geography: engine.set.geography)
    let results = try ResultsStore(path: store)

    // An attempt interrupted after two questions, as a killed process leaves it.
    func interrupted(_ trainee: String) throws -> SessionRecord {
      var player = Player(
        scenario: scenario, engine: engine, mode: .practice, seed: 1, asOf: Shipped.day)
      _ = player.start()
      let session = try results.begin(
        Shipped.newSession(player, trainee: trainee, audience: .telecommunicator))
      for verb in ["ask where are you", "ask are you safe"] {
        _ = try results.append(
          JournalEntry(
            kind: .verb, text: verb, simulatedSeconds: player.state.clock, wallTime: Date()),
          to: session.id)
        _ = player.handle(verb)
      }
      return session
    }
    let first = try interrupted("piped")
    let resumed = try run(
      [
        "resume", String(first.id.prefix(8)), "--scenarios", folder.path, "--script",
        try script(["escalate emergency", "submit"]),
      ])
    #expect(resumed.status == 0, "\(resumed.stderr)")
    #expect(
      resumed.stdout.hasPrefix("Resuming session \(first.id.prefix(8)): piped, tx-motel-whisper"))
    #expect(resumed.stdout.contains("[00:00 call] > ask where are you\n"))
    #expect(resumed.stdout.contains("> escalate emergency\n"))
    #expect(resumed.stdout.contains("Debrief"))
    #expect(
      try results.journal(of: first.id).map(\.text)
        == ["ask where are you", "ask are you safe", "escalate emergency", "submit"])
    #expect(try results.session(first.id).status == .submitted)

    // Nothing left to resume.
    let twice = try run(["resume", first.id, "--scenarios", folder.path])
    #expect(twice.status == 1)
    #expect(twice.stderr.contains("was already submitted"))
    let unknown = try run(["resume", "ffffffff"])
    #expect(unknown.status == 64)
    let nobody = try run(["resume", "--trainee", "nobody"])
    #expect(nobody.status == 1)
    #expect(nobody.stderr.contains("nobody has no interrupted session to resume"))

    // The scenario changed since the session began: not replayed, and the session stays.
    let second = try interrupted("changed")
    try (String(contentsOf: file, encoding: .utf8) + "\n# edited\n").write(
      to: file, atomically: true, encoding: .utf8)
    let refused = try run(["resume", second.id, "--scenarios", folder.path])
    #expect(refused.status == 1)
    #expect(refused.stderr.contains("has changed or gone since"))
    #expect(try results.session(second.id).status == .active)
  }

  @Test func aStoreThatCannotBeOpenedStopsBeforePlay() throws {
    let result = try Binary.run(
      ["play", "tx-motel-whisper", "--script", try script(["submit"])],
      environment: ["HOTLINESIM_DB": "/proc/hotline-sim/results.sqlite"])
    #expect(result.status == 1)
    #expect(result.stderr.contains("/proc/hotline-sim/results.sqlite"))
    #expect(!result.stdout.contains("Content warning"))
    let since = try Binary.run(["results", "--since", "yesterday"], environment: environment)
    #expect(since.status == 64)
    #expect(since.stderr.contains("--since: 'yesterday' is not a date"))
  }

  @Test func listAndLintTheShippedCurricula() throws {
    let listed = try Binary.run(["list", "--curricula", "--format", "json"])
    let courses = try #require(
      try JSONSerialization.jsonObject(with: Data(listed.stdout.utf8)) as? [[String: Any]])
    #expect(
      courses.compactMap { $0["id"] as? String }
        == ["hotline-advocate-onboarding", "task-force-tabletop", "texas-911-dispatch"])
    let text = try Binary.run(["list", "--curricula", "--audience", "task_force"])
    #expect(text.stdout.contains("task-force-tabletop") && !text.stdout.contains("texas-911"))
    let lint = try Binary.run(["lint", "Curricula", "--format", "json"])
    #expect(lint.status == 0, "\(lint.stdout)")
    let summary = try #require(
      try JSONSerialization.jsonObject(with: Data(lint.stdout.utf8)) as? [String: Any])
    #expect(summary["curricula"] as? Int == 3)
    #expect(summary["errors"] as? Int == 0 && summary["warnings"] as? Int == 0)
    let broken = try Binary.run([
      "lint", "Tests/CurriculumKitTests/Fixtures/hs0101-unknown-scenario.yaml",
    ])
    #expect(broken.status == 1)
    #expect(
      broken.stdout.contains(
        "hs0101-unknown-scenario.yaml:15:35: error[HS0101]: no scenario 'tx-wrong-callr'"))
    // The annotated example in Curricula/README.md lints clean, as the README says.
    let readme = try String(
      contentsOf: Binary.root.appendingPathComponent("Curricula/README.md"), encoding: .utf8)
    let example = try #require(
      readme.components(separatedBy: "```yaml\n").dropFirst().first?
        .components(separatedBy: "```").first)
    let file = try script([example])
    let renamed = file.replacingOccurrences(of: ".txt", with: ".yaml")
    try FileManager.default.moveItem(atPath: file, toPath: renamed)
    let linted = try Binary.run(["lint", renamed])
    #expect(linted.status == 0, "\(linted.stdout)")
    #expect(linted.stdout.hasSuffix("0 scenarios and 1 curriculum checked: 0 errors, 0 warnings\n"))
    let missing = try Binary.run(["train", "no-such-course", "--status"])
    #expect(missing.status == 64)
    #expect(missing.stderr.contains("no curriculum 'no-such-course'"))
  }
}
