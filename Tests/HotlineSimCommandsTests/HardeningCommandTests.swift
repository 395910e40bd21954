import Foundation
import ProtocolEngine
import ResultsStore
import ScenarioKit
import Shell
import Testing

/// Hostile input at the command line (issue 13): unreadable files, duplicate ids, escape
/// sequences in content and input, trainee names that are not file names, a store that
/// cannot be written. Each ends in a located error or a clean result, never a hang.
@Suite("Hardening: commands", .enabled(if: Hardened.available), .serialized)
struct HardeningCommandTests {
  static let fixtures = Binary.root.appendingPathComponent(
    "Tests/ScenarioKitTests/Fixtures/hardening")
  static let raw: [Unicode.Scalar] = ["\u{1B}", "\u{07}", "\u{9B}", "\u{202E}"]

  static func isClean(_ text: String) -> Bool {
    !text.unicodeScalars.contains { raw.contains($0) }
  }

  /// A folder holding a named pipe, a folder named `*.yaml`, a broken link and a file that
  /// is not UTF-8, each named for what it is.
  static func unreadableFolder() throws -> (folder: URL, expected: [String: String]) {
    let folder = try Hardened.folder()
    let pipe = folder.appendingPathComponent("pipe.yaml").path
    #expect(mkfifo(pipe, 0o644) == 0)
    let directory = folder.appendingPathComponent("folder.yaml").path
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    let link = folder.appendingPathComponent("gone.yaml").path
    try FileManager.default.createSymbolicLink(
      atPath: link, withDestinationPath: folder.appendingPathComponent("nowhere.yaml").path)
    let bad = folder.appendingPathComponent("bad.yaml").path
    try FileManager.default.copyItem(
      atPath: fixtures.appendingPathComponent("not-utf8.yaml.txt").path, toPath: bad)
    return (
      folder,
      [
        pipe: "\(pipe):1:1: error[HS0001]: the file is not a regular file (a named pipe)",
        directory: "\(directory):1:1: error[HS0001]: the file is not a regular file (a folder)",
        link: "\(link):1:1: error[HS0001]: the file is a broken link",
        bad: "\(bad):2:48: error[HS0001]: the file is not UTF-8 text (byte 0xFF)",
      ]
    )
  }

  @Test func lintSaysWhyEachUnreadableFileCannotBeRead() throws {
    let (folder, expected) = try Self.unreadableFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let all = try Hardened.run(["lint", folder.path])
    #expect(all.status == 1)
    for line in expected.values { #expect(all.stdout.contains(line + "\n"), "\(all.stdout)") }
    #expect(
      !all.stdout.contains("NSCocoaErrorDomain") && !all.stderr.contains("NSCocoaErrorDomain"))
    for (path, line) in expected {
      let one = try Hardened.run(["lint", path])
      #expect(one.status == 1, "\(path): \(one.stderr)")
      #expect(one.stdout.hasPrefix(line + "\n"), "\(one.stdout)\(one.stderr)")
    }
  }

  @Test func playAndPlaytestSayWhyAFileCannotBeRead() throws {
    let (folder, expected) = try Self.unreadableFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    for (path, line) in expected {
      for command in ["play", "playtest", "explain"] {
        let result = try Hardened.run(
          [command, path, "--as-of", "2026-11-29"]
            + (command == "play" ? ["--no-record"] : []))
        #expect(result.status == 1, "\(command) \(path): \(result.stderr)")
        #expect(result.stderr.contains(line), "\(command): \(result.stderr)")
        #expect(result.stdout.isEmpty)
      }
    }
    // A folder of them: `list` and `playtest --all` name each and exit 1.
    let list = try Hardened.run(["list", "--scenarios", folder.path])
    #expect(list.status == 1)
    for line in expected.values { #expect(list.stderr.contains(line), "\(list.stderr)") }
    let playtest = try Hardened.run(["playtest", "--all", "--scenarios", folder.path])
    #expect(playtest.status == 1)
    for line in expected.values { #expect(playtest.stderr.contains(line)) }
  }

  @Test func aScriptThatCannotBeReadSaysWhy() throws {
    let folder = try Hardened.folder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let bad = folder.appendingPathComponent("verbs.txt")
    try Data([0x61, 0x73, 0x6B, 0x20, 0xC3, 0x28, 0x0A]).write(to: bad)
    let result = try Hardened.run([
      "play", "tx-motel-whisper", "--no-record", "--script", bad.path,
    ])
    #expect(result.status == 64)
    #expect(
      result.stderr
        == "hotline-sim: --script: \(bad.path):1:5: the file is not UTF-8 text (byte 0xC3)\n"
    )
    let directory = try Hardened.run([
      "play", "tx-motel-whisper", "--no-record", "--script", folder.path,
    ])
    #expect(directory.status == 64)
    #expect(directory.stderr.contains("the file is not a regular file (a folder)"))
  }

  @Test func unreadableRubricsAndCurriculaSayWhy() throws {
    let (folder, expected) = try Self.unreadableFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    // Each kind of unreadable file as the scenarios' rubrics.yaml: play stops, naming it.
    for (path, line) in expected {
      let scenarios = try Hardened.folder()
      defer { try? FileManager.default.removeItem(at: scenarios) }
      try FileManager.default.copyItem(
        atPath: Binary.root.appendingPathComponent("Scenarios/tx/tx-motel-whisper.yaml").path,
        toPath: scenarios.appendingPathComponent("tx-motel-whisper.yaml").path)
      let rubrics = scenarios.appendingPathComponent("rubrics.yaml").path
      try FileManager.default.moveItem(atPath: path, toPath: rubrics)
      defer { try? FileManager.default.moveItem(atPath: rubrics, toPath: path) }
      let message = line.replacingOccurrences(of: path, with: rubrics)
        .replacingOccurrences(of: " error[HS0001]:", with: "")
      let result = try Hardened.run(
        ["play", "tx-motel-whisper", "--no-record", "--scenarios", scenarios.path],
        input: "submit\n")
      #expect(result.status == 1, "\(rubrics): \(result.stderr)")
      #expect(result.stderr.contains(message), "\(result.stderr)")
      #expect(result.stdout.isEmpty)
    }
    // The same files as curricula: listed with their reasons, and train names the file.
    let list = try Hardened.run(["list", "--curricula", "--curricula-dir", folder.path])
    #expect(list.status == 1, "\(list.stdout)\(list.stderr)")
    for line in expected.values { #expect(list.stderr.contains(line), "\(list.stderr)") }
    let bad = try #require(expected.first { $0.key.hasSuffix("bad.yaml") })
    let train = try Hardened.run(["train", bad.key, "--status", "--trainee", "Ada"])
    #expect(train.status != 0)
    #expect(train.stderr.contains(bad.value), "\(train.stderr)")
  }

  @Test func lintFindsOneIDInTwoFolders() throws {
    let folder = try Hardened.folder()
    defer { try? FileManager.default.removeItem(at: folder) }
    for file in ["a/first", "b/second"] {
      let target = folder.appendingPathComponent("\(file).yaml")
      try FileManager.default.createDirectory(
        at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
      try FileManager.default.copyItem(
        at: Self.fixtures.appendingPathComponent("duplicates/\(file).yaml.txt"), to: target)
    }
    let root = folder.path
    let lint = try Hardened.run(["lint", root, "--as-of", "2026-11-29"])
    #expect(lint.status == 1)
    #expect(
      lint.stdout.contains(
        "\(root)/b/second.yaml:1:5: error[HS0006]: scenario id 'same-id' is already used by \(root)/a/first.yaml\n"
      ), "\(lint.stdout)")
    // The two files given one by one, in either order: the second named is the duplicate.
    let first = "\(root)/a/first.yaml"
    let second = "\(root)/b/second.yaml"
    let files = try Hardened.run(["lint", second, first, "--as-of", "2026-11-29"])
    #expect(files.status == 1)
    #expect(
      files.stdout.contains(
        "\(first):1:5: error[HS0006]: scenario id 'same-id' is already used by \(second)\n"))
    let list = try Hardened.run(["list", "--scenarios", root])
    #expect(list.status == 1)
    #expect(list.stderr.contains("error[HS0006]: scenario id 'same-id' is already used"))
  }

  /// A folder with only the hostile scenario (its title, opening, a reply, an event and a
  /// choice hold `ESC]0;pwned BEL` and `ESC[2J`).
  static func hostileFolder() throws -> URL {
    let folder = try Hardened.folder()
    try FileManager.default.copyItem(
      at: fixtures.appendingPathComponent("hostile-text.yaml.txt"),
      to: folder.appendingPathComponent("hostile-text.yaml"))
    return folder
  }

  @Test func noRawEscapeReachesTheTerminalFromContentOrInput() throws {
    let folder = try Self.hostileFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let store = folder.appendingPathComponent("store/results.sqlite").path
    let script = folder.appendingPathComponent("verbs.txt")
    try [
      "\u{1B}]0;pwned\u{07}", "pwn\u{1B}[2Jed", "zap\u{9B}2J", "ask where are you", "wait 120",
      "choose 1", "note \u{202E}sdrawkcab", "submit",
    ].joined(separator: "\n").write(to: script, atomically: true, encoding: .utf8)
    let trainee = "Eve \u{1B}]0;pwned\u{07}\u{1B}[2J"
    let common = ["--scenarios", folder.path, "--as-of", "2026-11-29"]
    let workshopScript = folder.appendingPathComponent("workshop.txt")
    try [
      "next", "ask where are you \u{1B}[2J", "rate 1 S @\u{1B}]0;pwned\u{07} on time", "end",
    ].joined(separator: "\n").write(to: workshopScript, atomically: true, encoding: .utf8)
    let runs: [[String]] = [
      ["list"] + common,
      ["lint", folder.path, "--as-of", "2026-11-29"],
      ["playtest", "hostile-text", "--random", "5"] + common,
      ["explain", "hostile-text"] + common,
      ["graph", "hostile-text"] + common,
      ["graph", "hostile-text", "--format", "mermaid"] + common,
      ["play", "hostile-text", "--script", script.path, "--trainee", trainee, "--db", store]
        + common,
      ["results", "--db", store],
      ["results", "--db", store, "--format", "csv"],
      ["train", "texas-911-dispatch", "--status", "--trainee", trainee, "--db", store],
      ["play", "\u{1B}]0;pwned\u{07}"] + common,
      ["report", "trainee", trainee, "--db", store, "--scenarios", folder.path],
      ["report", "cohort", "--db", store, "--scenarios", folder.path],
      ["report", "trainee", "\u{1B}]0;nobody\u{07}", "--db", store],
      [
        "workshop", "hostile-text", "--team", trainee, "--script", workshopScript.path,
        "--scenarios", folder.path, "--db", store, "--output",
        folder.appendingPathComponent("aar.md").path,
      ],
      ["impact", "--protocols", "Protocols"] + common,
      ["export", "--format", "csv", "--db", store],
    ]
    for arguments in runs {
      let result = try Hardened.run(arguments)
      #expect(
        Self.isClean(result.stdout),
        "\(arguments.first ?? ""): stdout \(result.stdout.debugDescription)")
      #expect(
        Self.isClean(result.stderr),
        "\(arguments.first ?? ""): stderr \(result.stderr.debugDescription)")
      #expect(result.status != 0 || !result.stdout.isEmpty, "\(arguments)")
    }
    let listed = try Hardened.run(["list"] + common)
    #expect(listed.stdout.contains("Hostile \\u{1B}]0;pwned\\u{07} title \\u{1B}[2J"))
    let played = try Hardened.run(
      ["play", "hostile-text", "--script", script.path, "--no-record"] + common)
    #expect(played.status == 0, "\(played.stderr)")
    for shown in [
      "Hostile \\u{1B}]0;pwned\\u{07} title", "Caller: Austin, \\u{1B}]0;pwned\\u{07} in Travis",
      "(A man shouts \\u{1B}[2J in the background.)", "> zap\nerror: That line had arrow keys",
      "> note \\u{202E}sdrawkcab\n",
    ] {
      #expect(played.stdout.contains(shown), "missing \(shown)")
    }
    let results = try Hardened.run(["results", "--db", store])
    #expect(results.stdout.contains("Eve \\u{1B}]0;pwned"))
    // JSON escapes on its own: the name comes back as it was given.
    let json = try Hardened.run(["results", "--db", store, "--format", "json"])
    let records = try #require(
      try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]])
    #expect((records.first?["session"] as? [String: Any])?["trainee"] as? String == trainee)
  }

  @Test func resumeShowsAHostileJournalSanitised() throws {
    let folder = try Self.hostileFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let engine = try Shipped.engine.get()
    let path = folder.appendingPathComponent("hostile-text.yaml").path
    let (loaded, diagnostics) = ScenarioCatalog.load(path: path, geography: engine.set.geography)
    let scenario = try #require(loaded, "\(diagnostics)")
    let store = folder.appendingPathComponent("results.sqlite").path
    let results = try ResultsStore(path: store)
    var player = Player(
      scenario: scenario, engine: engine, mode: .practice, seed: 1, asOf: Shipped.day)
    _ = player.start()
    let trainee = "Mallory\u{1B}[2J"
    let session = try results.begin(
      Shipped.newSession(player, trainee: trainee, audience: .telecommunicator))
    // Written by another version or by hand: the journal holds escapes the shell refuses.
    for verb in ["note \u{1B}]0;pwned\u{07}", "ask where are you"] {
      _ = try results.append(
        JournalEntry(
          kind: .verb, text: verb, simulatedSeconds: player.state.clock, wallTime: Date()),
        to: session.id)
      _ = player.handle(verb)
    }
    let script = folder.appendingPathComponent("verbs.txt")
    try "submit\n".write(to: script, atomically: true, encoding: .utf8)
    let resumed = try Hardened.run([
      "resume", String(session.id.prefix(8)), "--db", store, "--scenarios", folder.path,
      "--script", script.path,
    ])
    #expect(resumed.status == 0, "\(resumed.stderr)")
    #expect(Self.isClean(resumed.stdout), "\(resumed.stdout.debugDescription)")
    #expect(Self.isClean(resumed.stderr), "\(resumed.stderr.debugDescription)")
    #expect(
      resumed.stdout.hasPrefix("Resuming session \(session.id.prefix(8)): Mallory\\u{1B}[2J,"))
    #expect(resumed.stdout.contains("> note \\u{1B}]0;pwned\\u{07}\n"))
  }

  @Test func namesThatShareASlugGetTheirOwnHistoryFiles() throws {
    let environment = ["XDG_DATA_HOME": "/data", "HOME": "/home/x"]
    func history(_ name: String) -> String {
      DataDirectory.historyFile(trainee: name, environment: environment)
    }
    func hash(_ name: String) -> String { String(sha256Hex(Array(name.utf8)).prefix(12)) }
    // `a/b` used to write to `a_b`'s file.
    #expect(history("a_b") == "/data/hotline-sim/history/a_b")
    #expect(history("a/b") == "/data/hotline-sim/history/a_b-\(hash("a/b"))")
    #expect(history("a b") == "/data/hotline-sim/history/a_b-\(hash("a b"))")
    // A name spelled like another's hashed file gets a hash of its own.
    let lookalike = "a_b-\(hash("a/b"))"
    #expect(history(lookalike) == "/data/hotline-sim/history/\(lookalike)-\(hash(lookalike))")
    #expect(
      history("Alice Smith") == "/data/hotline-sim/history/Alice_Smith-\(hash("Alice Smith"))")
    // Out of the folder it never goes; dots alone are no name.
    #expect(history("../bob") == "/data/hotline-sim/history/_bob-\(hash("../bob"))")
    #expect(history("..") == "/data/hotline-sim/history/trainee-\(hash(".."))")
    let names = ["a_b", "a/b", "a b", lookalike, "Alice Smith", "../bob", "..", ".", "trainee"]
    #expect(Set(names.map(history)).count == names.count)
  }

  @Test func aPlainNameKeepsTheHistoryFileOfEarlierVersions() {
    // Login names, the usual trainee names, are their own file names, as before.
    for name in ["alice", "jdoe", "e2e", "maria.garcia", "T-1000"] {
      #expect(DataDirectory.fileName(for: name) == name)
    }
  }

  @Test func aVeryLongNameGetsAFileNameThatCanBeCreated() throws {
    let long = String(repeating: "Ω", count: 300)
    let other = String(repeating: "Ω", count: 299) + "x"
    let name = DataDirectory.fileName(for: long)
    #expect(name.utf8.count <= 255)
    #expect(name.hasPrefix(String(repeating: "Ω", count: 60) + "-"))
    #expect(name != DataDirectory.fileName(for: other))
    let folder = try Hardened.folder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let environment = ["XDG_DATA_HOME": folder.path]
    let path = DataDirectory.historyFile(trainee: long, environment: environment)
    try DataDirectory.writeAtomically("ask where are you\n", to: path)
    #expect(FileManager.default.fileExists(atPath: path))
    // And the attempt of a trainee with such a name is recorded.
    let played = try Hardened.run(
      ["play", "tx-motel-whisper", "--trainee", long, "--as-of", "2026-11-29"],
      input: "ask where are you\nsubmit\n")
    #expect(played.status == 0, "\(played.stderr)")
  }

  @Test func aStoreThatCannotBeWrittenStopsPlayBeforeItBegins() throws {
    // /proc takes no new folders, even from root (a read-only store folder as root sees one).
    let store = "/proc/hotline-sim-\(UUID().uuidString)/results.sqlite"
    let play = try Hardened.run(
      ["play", "tx-motel-whisper", "--db", store, "--as-of", "2026-11-29"],
      input: "ask where are you\nsubmit\n")
    #expect(play.status == 1)
    #expect(play.stderr.hasPrefix("hotline-sim: cannot open the results store \(store)"))
    #expect(play.stdout.isEmpty)
    let train = try Hardened.run(
      ["train", "texas-911-dispatch", "--db", store, "--as-of", "2026-11-29"],
      input: "submit\n")
    #expect(train.status == 1)
  }

  @Test(.enabled(if: getuid() != 0, "root writes to read-only folders"))
  func aReadOnlyStoreFolderStopsPlayBeforeItBegins() throws {
    let folder = try Hardened.folder()
    defer {
      chmod(folder.path, 0o755)
      try? FileManager.default.removeItem(at: folder)
    }
    #expect(chmod(folder.path, 0o555) == 0)
    let store = folder.appendingPathComponent("results.sqlite").path
    let play = try Hardened.run(
      ["play", "tx-motel-whisper", "--db", store, "--as-of", "2026-11-29"],
      input: "ask where are you\nsubmit\n")
    #expect(play.status == 1)
    #expect(play.stderr.contains("cannot open the results store \(store)"))
    #expect(play.stdout.isEmpty)
  }
}

/// The binary built with these tests: beside the test bundle (whatever the scratch path),
/// else the default build folder's (``Binary``).
enum Hardened {
  static let path: String = {
    let folders = [
      Bundle.main.executableURL?.deletingLastPathComponent(),
      Bundle.allBundles.first { $0.bundlePath.hasSuffix(".xctest") }?.bundleURL
        .deletingLastPathComponent(),
    ]
    for case let folder? in folders {
      let path = folder.appendingPathComponent("hotline-sim").path
      if FileManager.default.isExecutableFile(atPath: path) { return path }
    }
    return Binary.path
  }()

  static var available: Bool { FileManager.default.isExecutableFile(atPath: path) }

  static func folder() throws -> URL {
    let url = FileManager.default.temporaryDirectory
      .appendingPathComponent("hotline-hardening-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
  }

  /// Runs the binary from the repository root as ``Binary/run(_:input:environment:)`` does.
  /// A run that never ends (a hang this suite guards against) is stopped after two minutes
  /// so the suite reports it instead of waiting for ever; no test asserts a duration.
  static func run(_ arguments: [String], input: String = "") throws -> Binary.Result {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: path)
    process.arguments = arguments
    process.currentDirectoryURL = Binary.root
    var environment = ProcessInfo.processInfo.environment
    environment["NO_COLOR"] = "1"
    environment["HOTLINESIM_DB"] = Binary.scratchStore
    process.environment = environment
    let stdin = Pipe()
    let stdout = Pipe()
    let stderr = Pipe()
    process.standardInput = stdin
    process.standardOutput = stdout
    process.standardError = stderr
    try process.run()
    let watchdog = DispatchWorkItem { if process.isRunning { process.terminate() } }
    DispatchQueue.global().asyncAfter(deadline: .now() + 120, execute: watchdog)
    stdin.fileHandleForWriting.write(Data(input.utf8))
    try stdin.fileHandleForWriting.close()
    let out = stdout.fileHandleForReading.readDataToEndOfFile()
    let err = stderr.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    watchdog.cancel()
    return Binary.Result(
      status: process.terminationStatus, stdout: String(decoding: out, as: UTF8.self),
      stderr: String(decoding: err, as: UTF8.self))
  }
}
