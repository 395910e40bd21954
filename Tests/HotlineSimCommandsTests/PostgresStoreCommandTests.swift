import Foundation
import Testing

@testable import ResultsStore

/// The real `hotline-sim` on a PostgreSQL store: what it records and reads back is what it does
/// on SQLite, two machines (here, processes) can play into one database, and a server that is
/// down stops it before play, without showing the password.
///
/// Needs `HOTLINESIM_TEST_POSTGRES` (a role that may create databases): each test makes a
/// database of its own and drops it afterwards.
@Suite(
  "Results store on PostgreSQL (hotline-sim)",
  .enabled(if: Binary.available, "hotline-sim is not built"), .serialized)
struct PostgresStoreCommandTests {
  static let server: String? = {
    guard let url = ProcessInfo.processInfo.environment["HOTLINESIM_TEST_POSTGRES"], !url.isEmpty
    else { return nil }
    return url
  }()
  static let skipped = Comment(
    rawValue: "set HOTLINESIM_TEST_POSTGRES=postgres://user:password@host:port/database (a role "
      + "with CREATEDB) to run hotline-sim against PostgreSQL")

  /// Runs `body` with the URL of a new database, dropped afterwards.
  func withDatabase(_ body: (String) throws -> Void) throws {
    let url = try #require(Self.server)
    let server = try #require(try PostgresLocation(parsing: url))
    let name = "hs_test_" + UUID().uuidString.lowercased().replacing("-", with: "")
    try PostgresBackend.administer(server, ["CREATE DATABASE \(name)"])
    defer {
      try? PostgresBackend.administer(server, ["DROP DATABASE IF EXISTS \(name) WITH (FORCE)"])
    }
    try body(server.with(database: name).url)
  }

  /// A script file holding `verbs`.
  func script(_ verbs: [String]) throws -> String {
    let path = FileManager.default.temporaryDirectory
      .appendingPathComponent("verbs-\(UUID().uuidString).txt").path
    try (verbs.joined(separator: "\n") + "\n").write(
      toFile: path, atomically: true, encoding: .utf8)
    return path
  }

  /// `results --format json` without what differs between two recordings of one attempt: the
  /// session id and the wall-clock times.
  func comparable(_ json: String) throws -> String {
    let uuid = "[0-9a-f]{8}-[0-9a-f-]{27}"
    let time = "[0-9]{4}-[0-9-]{5}T[0-9:]{8}Z"
    let varying = try Regex(#""(id|started_at|ended_at)" *: *"(\#(uuid)|\#(time))""#)
    return json.replacing(varying) { match in "\"\(match.output[1].substring ?? "")\": \"-\"" }
  }

  @Test(.enabled(if: server != nil, skipped))
  func playThenResultsGivesTheSameRecordsAsSQLite() throws {
    // A strong attempt and one with deviations (so the deviations' order is compared too).
    let scripts = [
      "Ana Ruiz": try script([
        "ask what's the address where you are", "ask can you only answer yes or no",
        "ask are you in danger, is he in the room with you", "escalate emergency",
        "ask I'm sending officers, okay?", "refer tx-travis-austin-pd-htu", "choose 1",
        "ask how old are you", "wait 60", "submit",
      ]),
      "Ben Osei": try script([
        "ask where are you", "ask can you speak up, I can barely hear you",
        "escalate emergency", "refer tx-travis-austin-pd-htu", "submit",
      ]),
    ]
    let folder = FileManager.default.temporaryDirectory
      .appendingPathComponent("hotline-pg-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: folder) }
    let sqlite = folder.appendingPathComponent("results.sqlite").path
    try withDatabase { postgres throws in
      var outputs: [String] = []
      for store in [sqlite, postgres] {
        for trainee in ["Ana Ruiz", "Ben Osei"] {
          let path = try #require(scripts[trainee])
          let played = try Binary.run(
            [
              "play", "tx-motel-whisper", "--trainee", trainee, "--cohort", "spring", "--seed",
              "7", "--as-of", "2026-11-29", "--script", path, "--db", store,
            ])
          #expect(played.status == 0, "\(played.stderr)")
          #expect(played.stderr.contains("recorded as session"))
        }
        let results = try Binary.run(["results", "--format", "json", "--db", store])
        #expect(results.status == 0, "\(results.stderr)")
        outputs.append(results.stdout)
        let table = try Binary.run(
          ["results", "--trainee", "Ben Osei"], environment: ["HOTLINESIM_DB": store])
        #expect(table.status == 0, "\(table.stderr)")
        #expect(table.stdout.hasSuffix("\n\n1 attempt\n"))
      }
      let list = try #require(
        try JSONSerialization.jsonObject(with: Data(outputs[1].utf8)) as? [[String: Any]])
      #expect(list.count == 2)
      #expect(list.allSatisfy { $0["score"] is [String: Any] })
      let deviations = list.compactMap { ($0["score"] as? [String: Any])?["deviations"] as? [Any] }
      #expect(deviations.contains { !$0.isEmpty })
      #expect(try comparable(outputs[1]) == comparable(outputs[0]))
      // The password never reaches the terminal.
      let place = try #require(try PostgresLocation(parsing: postgres))
      let shown = try Binary.run(
        [
          "play", "tx-motel-whisper", "--trainee", "Cy", "--script", try script(["submit"]),
          "--db", postgres,
        ])
      #expect(shown.stderr.contains("recorded as session"))
      #expect(shown.stderr.contains(place.redacted))
      if let password = place.password, !password.isEmpty {
        #expect(!shown.stderr.contains(":\(password)@"))
      }
    }
  }

  /// Two coordinators' machines, here three processes, play into one database at once: every
  /// journal keeps every verb, seqs 1...n.
  @Test(.enabled(if: server != nil, skipped))
  func threeProcessesWritingOneDatabaseAtOnceLoseNothing() throws {
    let verbs = Array(repeating: "time", count: 120) + ["submit"]
    let path = try script(verbs)
    try withDatabase { postgres throws in
      try Binary.expectConcurrentWritersLoseNothing(verbs: verbs, script: path, store: postgres)
    }
  }

  /// A server that is down: exit 1 before the scenario starts, naming the server, never the
  /// password.
  @Test func aServerThatIsDownStopsBeforePlay() throws {
    let url = "postgres://coordinator:Sup3r-S3cret@127.0.0.1:1/results"
    let result = try Binary.run(
      ["play", "tx-motel-whisper", "--script", try script(["submit"]), "--db", url])
    #expect(result.status == 1)
    #expect(
      result.stderr
        == "hotline-sim: cannot open the results store postgres://coordinator:***@127.0.0.1:1/"
        + "results: cannot connect to the PostgreSQL server at 127.0.0.1:1 (connection refused: "
        + "is the server running and accepting TCP connections?)\n")
    #expect(!result.stdout.contains("Content warning"))
    let results = try Binary.run(
      ["results", "--format", "json"], environment: ["HOTLINESIM_DB": url])
    #expect(results.status == 1)
    #expect(!results.stderr.contains("Sup3r-S3cret"))
    #expect(results.stdout.isEmpty)
  }
}
