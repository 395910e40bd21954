import ArgumentParser
import Foundation
import ProtocolEngine
import ResultsStore
import ScenarioKit
import Scoring
import Shell

/// Where the results store is: `--db PATH` (an SQLite file or a `postgres://` URL), else
/// `$HOTLINESIM_DB`, else `$XDG_DATA_HOME/hotline-sim/results.sqlite`.
struct StoreOptions: ParsableArguments {
  @Option(
    help: """
      The results store (SQLite file or postgres://user:password@host:port/database; default \
      $HOTLINESIM_DB, else $XDG_DATA_HOME/hotline-sim/results.sqlite).
      """)
  var db: String?

  var path: String {
    db ?? ResultsStore.defaultPath(environment: ProcessInfo.processInfo.environment)
  }

  /// Opens (creating and migrating) the store, or exits 1 naming the database (never its
  /// password) and the reason.
  func open() throws -> ResultsStore {
    do {
      return try ResultsStore(path: path)
    } catch {
      Console.error("hotline-sim: \(TerminalText.sanitized("\(error)"))")
      throw ExitCode(1)
    }
  }
}

/// How an attempt is shown and read: the options `play`, `train` and `resume` share.
struct ShellOptions: ParsableArguments {
  @Option(help: "Read verbs from this file instead of standard input.")
  var script: String?

  @Flag(help: "For screen readers: no colour, no line editing, every line labelled.")
  var plain = false

  @Flag(name: .customLong("no-color"), help: "No colour even on a terminal.")
  var noColor = false

  @Flag(
    name: .customLong("real-time"),
    help: "Let the simulated clock run while you type (events can happen mid-sentence).")
  var realTime = false

  /// Whether a person types the verbs (stdin is a terminal and there is no script).
  var atTerminal: Bool { isatty(STDIN_FILENO) == 1 && script == nil }

  /// Plays `player` until the attempt ends, from the script, readline or plain input.
  ///
  /// - Parameters:
  ///   - replay: inputs already journalled (a resumed attempt), shown before reading more.
  ///   - transcript: whether to show the transcript (not with `--format json`).
  ///   - journal: keeps each input before its response is shown.
  /// - Returns: the finished player, and why the journal failed if it did.
  func play(
    _ player: Player, trainee: String, replay: [PlayerInput] = [], transcript: Bool,
    journal: ((PlayerInput, Int) throws -> Void)?
  ) throws -> (player: Player, journalFailure: String?) {
    let environment = ProcessInfo.processInfo.environment
    let terminal = atTerminal
    let style = OutputStyle.decide(
      isTerminal: isatty(STDOUT_FILENO) == 1, environment: environment, noColor: noColor,
      plain: plain)
    var session = ShellSession(
      player: player, style: style, echo: !terminal, realTime: realTime && terminal,
      write: { if transcript { Console.out($0) } })
    if !replay.isEmpty { session.replay(replay) }
    session.journal = journal
    let finished: Player
    if let script {
      let text = try readScript(script)
      let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
      var reader = ScriptedReader(lines.map { .line(String($0)) }, interactive: false)
      finished = session.run(reader: &reader)
    } else if terminal, !plain, environment["TERM"] != "dumb" {
      let completions = CompletionBox(CompletionContext(session.player))
      session.onUpdate = { completions.context = CompletionContext($0) }
      var reader = ReadlineReader(historyFile: DataDirectory.historyFile(trainee: trainee)) {
        completions.context
      }
      finished = session.run(reader: &reader)
    } else {
      var reader = PlainReader(interactive: terminal) { Console.out($0) }
      finished = session.run(reader: &reader)
    }
    return (finished, session.journalFailure)
  }
}

/// An attempt being recorded in the results store: its session and the journal writer.
struct Recording {
  let store: ResultsStore
  let session: SessionRecord

  /// Begins a session for `player` (before anything is shown), or exits 1 with the reason.
  static func begin(
    _ store: ResultsStore, player: Player, trainee: String, cohort: String?, audience: Audience,
    realTime: Bool, curriculum: (id: String, version: Int, part: String)? = nil
  ) throws -> Recording {
    let scenario = player.scenario
    let new = NewSession(
      trainee: trainee, cohort: cohort, scenarioID: scenario.id,
      scenarioVersion: scenario.version, scenarioSHA256: scenario.sha256,
      scenarioPath: scenario.path, rulesetVersion: player.engine.set.policy.version,
      rulesetSHA256: player.engine.set.sha256, mode: player.mode.rawValue,
      audience: audience.rawValue, seed: player.seed, asOf: player.asOf.description,
      realTime: realTime, curriculumID: curriculum?.id, curriculumVersion: curriculum?.version,
      partID: curriculum?.part, startedAt: Date(), pid: getpid(), host: Recording.host)
    do {
      return Recording(store: store, session: try store.begin(new))
    } catch {
      Console.error(
        "hotline-sim: cannot record the attempt: \(TerminalText.sanitized("\(error)"))")
      throw ExitCode(1)
    }
  }

  /// Keeps one input in the journal (called before the player carries it out).
  var journal: (PlayerInput, Int) throws -> Void {
    let store = store
    let id = session.id
    return { input, clock in
      let entry: JournalEntry
      switch input {
      case .verb(let line):
        entry = JournalEntry(kind: .verb, text: line, simulatedSeconds: clock, wallTime: Date())
      case .end(let reason):
        entry = JournalEntry(
          kind: .end, text: reason.rawValue, simulatedSeconds: clock, wallTime: Date())
      }
      _ = try store.append(entry, to: id)
    }
  }

  /// Records the end and the score in one transaction; exits 1 when it cannot.
  func finish(_ score: Score) throws {
    let status: SessionStatus = score.ended == .abandoned ? .abandoned : .submitted
    do {
      try store.finish(
        session.id, status: status, endReason: score.ended.rawValue, endedAt: Date(),
        score: StoredScore(score))
      Console.error(
        "Attempt (\(score.ended.rawValue)) recorded as session \(session.id.prefix(8)) in \(TerminalText.sanitized(store.path))"
      )
    } catch {
      Console.error(
        "hotline-sim: could not record the attempt's score: \(TerminalText.sanitized("\(error)"))"
      )
      throw ExitCode(1)
    }
  }

  /// Says the journal could not keep an input and exits 1: the session stays as far as it
  /// was recorded, and `resume` can carry on from there.
  func failed(_ reason: String) throws -> Never {
    Console.error(
      "hotline-sim: the attempt could not be recorded (\(TerminalText.sanitized(reason))); session \(session.id.prefix(8)) stays active as far as it was recorded; `hotline-sim resume \(session.id.prefix(8))` carries on from there"
    )
    throw ExitCode(1)
  }

  static var host: String { ProcessInfo.processInfo.hostName }
}

extension StoredScore {
  /// The stored form of a score: its figures, its deviations and the whole record.
  init(_ score: Score) {
    self.init(
      score: score.score, compliance: score.compliance.rawValue,
      accuracyRevealed: score.accuracyRevealed, accuracyTruth: score.accuracyTruth,
      deviations: score.deviations.map {
        StoredDeviation(
          severity: $0.severity.rawValue, category: $0.category.rawValue, at: $0.at,
          message: $0.message, because: $0.because)
      }, record: score.json.rendered(pretty: true))
  }
}

/// The trainee when none is named: the login name, else "trainee".
func defaultTraineeName() -> String {
  ProcessInfo.processInfo.environment["USER"].flatMap { $0.isEmpty ? nil : $0 } ?? "trainee"
}

/// A `--script` file's text: a pipe is read to its end (`--script <(...)`); a folder, a
/// broken link or a file that is not UTF-8 exits 64 with the file's name and position.
func readScript(_ script: String) throws -> String {
  do throws(ContentFile.Failure) {
    return try ContentFile.read(script, allowPipes: true)
  } catch {
    let name = TerminalText.sanitized(script)
    let position = error.position
    Console.error(
      error.isMissing
        ? "hotline-sim: --script: cannot read \(name)"
        : "hotline-sim: --script: \(name):\(position.line):\(position.column): the file is \(error.reason)"
    )
    throw ExitCode(64)
  }
}
