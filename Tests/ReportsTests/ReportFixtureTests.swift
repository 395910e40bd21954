import CurriculumKit
import Foundation
import Reports
import ResultsStore
import Testing

/// The reports' test data: `Fixtures/report-sessions.jsonl`, one session per line in the shape
/// `hotline-sim results --format json` prints (plus `scenario_path`), recorded from real plays
/// of the Texas 911 curriculum's golden transcripts (strong and typical) by a cohort of four,
/// with dates spread over November, plus a second cohort's three plays (one abandoned) and an
/// interrupted attempt. Each test writes them into a store of its own through the store's API.
enum ReportFixture {
  static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
  static let root = folder.deletingLastPathComponent().deletingLastPathComponent()
  static let sessionsFile = folder.appendingPathComponent("Fixtures/report-sessions.jsonl")

  /// The shipped scenarios' titles as recorded with the fixture, so a retitled scenario does
  /// not change these tests.
  static let titles = [
    "adult-text-no-consent": "She wants out, but no police",
    "tx-wrong-caller": "\"She's an adult\" - an aunt calls about her niece at a cantina",
    "tx-minor-online-ad": "A mother finds her daughter in an online ad",
    "tx-spanish-caller": "\"No hablo inglés\": a 911 call from a Laredo laundromat",
    "tx-motel-whisper": "A whispered \"pizza order\" from an Austin motel",
    "tx-facts-change": "Her friend is nineteen, at a house in Corpus - until she isn't",
    "tx-candy-crew": "A van of kids selling candy outside an El Paso gas station",
    "tx-candy-parent": "A neighbour in McAllen and the boy who sells candy at night",
  ]

  /// One fixture line.
  struct Line {
    var session: [String: Any]
    /// The score record as JSON text, or nil for an unscored session.
    var record: String?
    var score: [String: Any]?
  }

  static func lines() throws -> [Line] {
    let text = try String(contentsOf: sessionsFile, encoding: .utf8)
    return try text.split(separator: "\n").map { line in
      let object = try #require(
        try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
      let session = try #require(object["session"] as? [String: Any])
      let score = object["score"] as? [String: Any]
      let record = try score.map {
        String(
          decoding: try JSONSerialization.data(withJSONObject: $0, options: [.sortedKeys]),
          as: UTF8.self)
      }
      return Line(session: session, record: record, score: score)
    }
  }

  /// A new store in a folder of its own, holding every fixture session.
  static func store(
    editing edit: (inout [String: Any]) -> Void = { _ in }
  ) throws -> ResultsStore {
    let path = FileManager.default.temporaryDirectory
      .appendingPathComponent("hotline-report-tests-\(UUID().uuidString)/results.sqlite").path
    let store = try ResultsStore(path: path)
    for line in try lines() {
      var session = line.session
      edit(&session)
      try record(session, score: line.score, text: line.record, in: store)
    }
    return store
  }

  static func record(
    _ session: [String: Any], score: [String: Any]?, text: String?, in store: ResultsStore
  ) throws {
    func string(_ key: String) -> String? { session[key] as? String }
    let started = try #require(string("started_at").flatMap(date))
    let new = NewSession(
      trainee: try #require(string("trainee")), cohort: string("cohort"),
      scenarioID: try #require(string("scenario")),
      scenarioVersion: session["scenario_version"] as? Int ?? 1,
      scenarioSHA256: string("scenario_sha256") ?? "", scenarioPath: string("scenario_path") ?? "",
      rulesetVersion: string("ruleset_version") ?? "",
      rulesetSHA256: string("ruleset_sha256") ?? "",
      mode: string("mode") ?? "practice", audience: string("audience") ?? "telecommunicator",
      seed: UInt64(string("seed") ?? "1") ?? 1, asOf: string("as_of") ?? "2026-11-29",
      realTime: false, curriculumID: string("curriculum"),
      curriculumVersion: session["curriculum_version"] as? Int, partID: string("part"),
      startedAt: started, pid: 1, host: "fixture")
    let begun = try store.begin(new)
    guard let status = string("status").flatMap(SessionStatus.init(rawValue:)), status != .active
    else { return }
    try store.finish(
      begun.id, status: status, endReason: string("ended") ?? status.rawValue,
      endedAt: string("ended_at").flatMap(date) ?? started,
      score: try score.map { try storedScore($0, text: text ?? "") })
  }

  /// The store's columns of a score, read from the record as `Recording` writes them.
  static func storedScore(_ score: [String: Any], text: String) throws -> StoredScore {
    let accuracy = score["accuracy"] as? [String: Any] ?? [:]
    let deviations = (score["deviations"] as? [[String: Any]] ?? []).map { item in
      StoredDeviation(
        severity: item["severity"] as? String ?? "", category: item["category"] as? String ?? "",
        at: seconds(item["at"] as? String ?? ""), message: item["message"] as? String ?? "",
        because: item["because"] as? String ?? "")
    }
    return StoredScore(
      score: try #require(score["score"] as? Int),
      compliance: try #require(score["compliance"] as? String),
      accuracyRevealed: (accuracy["revealed"] as? NSNumber)?.doubleValue ?? 0,
      accuracyTruth: (accuracy["truth"] as? NSNumber)?.doubleValue ?? 0, deviations: deviations,
      record: text)
  }

  static func date(_ text: String) -> Date? { ISO8601DateFormatter().date(from: text) }

  /// `03:05` as 185.
  static func seconds(_ clock: String) -> Int {
    let parts = clock.split(separator: ":").compactMap { Int($0) }
    return parts.count == 2 ? parts[0] * 60 + parts[1] : 0
  }

  /// The shipped Texas 911 curriculum (for progress tables).
  static func curricula() throws -> [Curriculum] {
    [
      try CurriculumCatalog(root: root.appendingPathComponent("Curricula").path)
        .find("texas-911-dispatch")
    ]
  }

  /// A report on the fixture store, built as `hotline-sim report` builds it.
  static func report(_ subject: ReportSubject, store: ResultsStore) throws -> TrainingReport {
    let sessions: [SessionSummary]
    switch subject {
    case .trainee(let name): sessions = try store.sessions(SessionFilter(trainee: name))
    case .cohort(let name): sessions = try store.sessions(SessionFilter(cohort: name))
    case .session(let id):
      let session = try store.session(id)
      sessions = try store.sessions(
        SessionFilter(trainee: session.traineeName, scenario: session.scenarioID))
    }
    return TrainingReport(
      subject: subject, sessions: sessions, scenarioTitles: titles, curricula: try curricula())
  }

  /// The id of a trainee's n-th session (oldest first) at a scenario.
  static func sessionID(
    _ trainee: String, _ scenario: String, _ index: Int = 0, in store: ResultsStore
  )
    throws -> String
  {
    let sessions = try store.sessions(SessionFilter(trainee: trainee, scenario: scenario))
    try #require(sessions.count > index)
    return sessions[index].session.id
  }
}

@Suite("Report fixture")
struct ReportFixtureTests {
  @Test func theFixtureLoadsIntoAStoreThroughItsAPI() throws {
    let store = try ReportFixture.store()
    let all = try store.sessions(SessionFilter())
    #expect(all.count == 37)
    #expect(all.filter { $0.session.status == .submitted }.count == 35)
    #expect(all.filter { $0.session.status == .abandoned }.count == 1)
    #expect(all.filter { $0.session.status == .active }.count == 1)
    #expect(Set(all.compactMap(\.session.cohort)) == ["Dec", "Nov"])
    // Every stored record is one the reports can read.
    for summary in all {
      guard let score = summary.score else { continue }
      #expect(ScoreRecord(json: score.record) != nil)
    }
  }
}
