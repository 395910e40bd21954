import CurriculumKit
import Foundation
import ProtocolEngine
import Reports
import ResultsStore
import ScenarioKit
import Scoring
import Testing

#if canImport(FoundationNetworking)
  import FoundationNetworking
#endif

/// The statements of a real results store, posted to a real LRS: Ralph (`ralph-malph`, with
/// its file-system backend), started on a free loopback port for the test.
@Suite("Export: xAPI statements in a real LRS (Ralph)")
struct ExportLRSTests {
  @Test(
    .enabled(
      if: RalphLRS.executable != nil,
      """
      Ralph is not installed: set HOTLINESIM_RALPH to a `ralph` executable, or install it in \
      .venv-ralph (python3 -m venv .venv-ralph && .venv-ralph/bin/pip install \
      'ralph-malph[cli,lrs]' requests)
      """),
    .timeLimit(.minutes(5)))
  func ralphStoresEveryStatementAndRejectsAMalformedOne() async throws {
    let (store, summaries) = try ExportPlays.store()
    let curriculum = try ExportPlays.curriculum()
    let export = XAPIStatements(
      curricula: [curriculum], scenarios: try ExportPlays.scenarios().map(ExportScenario.init))
    let text = export.jsonLines(summaries)
    let statements = try text.split(separator: "\n").map(ExportFixtures.object)
    let ids = statements.compactMap { $0["id"] as? String }
    #expect(statements.count >= 12)
    #expect(Set(ids).count == statements.count)

    let lrs = try await RalphLRS.start()
    defer { lrs.stop() }

    // A statement the xAPI data model forbids is refused with the reason. Ralph validates
    // before it writes, so the refusals leave the store empty for the real batch.
    var anonymous = statements[0]
    anonymous["actor"] = ["objectType": "Agent", "name": "nobody"]
    let noIFI = try await lrs.post(JSONSerialization.data(withJSONObject: [anonymous]))
    // xAPI 1.0.3 asks for 400; Ralph's FastAPI layer answers 422 for a body that parses but
    // does not validate, with pydantic's account of every failed field.
    #expect([400, 422].contains(noIFI.status))
    #expect(noIFI.text.contains("actor") && noIFI.text.contains("account"))
    var misnumbered = statements[1]
    misnumbered["id"] = "statement-1"
    let badID = try await lrs.post(JSONSerialization.data(withJSONObject: [misnumbered]))
    #expect([400, 422].contains(badID.status))
    #expect(badID.text.contains("UUID"), "\(badID.text)")
    let notJSON = try await lrs.post(Data(text.utf8))
    #expect(notJSON.status == 400, "JSON lines are not one JSON document")
    #expect(notJSON.text.contains("Invalid JSON body"))

    // The whole export in one batch (Ralph's fs backend writes its file once: a second
    // batch that adds statements is a 500 there, not an xAPI answer).
    let batch = "[" + text.split(separator: "\n").joined(separator: ",") + "]"
    let posted = try await lrs.post(Data(batch.utf8))
    #expect(posted.status == 200, "\(posted.text)")
    let returned = try JSONSerialization.jsonObject(with: posted.body) as? [String]
    #expect(returned == ids)

    let stored = try await lrs.allStatements()
    #expect(stored.count == statements.count)
    let byID = Dictionary(
      stored.compactMap { statement in (statement["id"] as? String).map { ($0, statement) } },
      uniquingKeysWith: { first, _ in first })
    for statement in statements {
      let id = try #require(statement["id"] as? String)
      var kept = try #require(byID[id], "statement \(id) was not stored")
      #expect(kept["stored"] != nil)
      for added in ["stored", "authority", "version"] { kept[added] = nil }
      #expect(
        NSDictionary(dictionary: kept).isEqual(to: statement),
        "statement \(id) came back changed")
    }

    // Exported again from the same store, the statements are the same bytes, so the LRS
    // recognises every one and stores nothing (204).
    let again = export.jsonLines(try store.sessions(SessionFilter()))
    #expect(again == text)
    let repost = try await lrs.post(
      Data(("[" + again.split(separator: "\n").joined(separator: ",") + "]").utf8))
    #expect(repost.status == 204, "\(repost.text)")
    #expect(try await lrs.allStatements().count == statements.count)
  }
}

/// Sessions played from golden transcripts into a scratch results store, as `train` and
/// `play` record them: a strong and a weak attempt in `texas-911-dispatch`, an abandoned and
/// an interrupted one, and one outside curricula.
enum ExportPlays {
  static let day = Day("2026-11-29") ?? Day.today()

  static func engine() throws -> Engine {
    Engine(
      try ProtocolSet.load(directory: ExportFixtures.root.appendingPathComponent("Protocols").path))
  }

  static func scenarios() throws -> [Scenario] {
    ScenarioCatalog(root: ExportFixtures.root.appendingPathComponent("Scenarios").path)
      .loadAll(geography: try engine().set.geography).scenarios
  }

  static func curriculum() throws -> Curriculum {
    try CurriculumCatalog(root: ExportFixtures.root.appendingPathComponent("Curricula").path)
      .find("texas-911-dispatch")
  }

  enum Ending {
    case transcript(String)
    case abandonAfter(Int)
    case interrupted
  }

  static func store() throws -> (ResultsStore, [SessionSummary]) {
    let engine = try engine()
    let scenarios = try scenarios()
    let rubrics = try RubricBook.parse(
      String(
        contentsOf: ExportFixtures.root.appendingPathComponent("Scenarios/rubrics.yaml"),
        encoding: .utf8))
    let rubric = rubrics.rubric(for: .telecommunicator)
    let store = try ResultsStore(
      path: FileManager.default.temporaryDirectory
        .appendingPathComponent("hotline-export-\(UUID().uuidString)/results.sqlite").path)
    let plays: [(String, String?, String, String?, Ending)] = [
      (
        "Ana Ruiz", "Nov", "adult-text-no-consent", "recognise",
        .transcript("strong_telecommunicator")
      ),
      ("Ana Ruiz", "Nov", "tx-wrong-caller", "recognise", .transcript("typical")),
      ("Bo \"Boss\" Lee, Jr.", "Shift, B", "tx-wrong-caller", "recognise", .transcript("strong")),
      ("Zoë Ålund", nil, "tx-minor-online-ad", "recognise", .abandonAfter(2)),
      ("Zoë Ålund", nil, "adult-text-no-consent", "recognise", .interrupted),
      ("Cy", nil, "tx-teacher-duty", nil, .transcript("typical")),
    ]
    for (trainee, cohort, scenarioID, part, ending) in plays {
      let scenario = try #require(scenarios.first { $0.id == scenarioID })
      var verbs: [String] = []
      var mode = PlayMode.practice
      var seed: UInt64 = 1
      switch ending {
      case .transcript(let id):
        let transcript = try #require(scenario.transcripts.first { $0.id == id })
        verbs = transcript.verbs.map(\.text)
        mode = transcript.mode
        seed = transcript.seed
      case .abandonAfter(let count):
        verbs = Array(try #require(scenario.transcripts.first).verbs.map(\.text).prefix(count))
      case .interrupted:
        break
      }
      var player = Player(scenario: scenario, engine: engine, mode: mode, seed: seed, asOf: day)
      _ = player.start()
      let session = try store.begin(
        NewSession(
          trainee: trainee, cohort: cohort, scenarioID: scenario.id,
          scenarioVersion: scenario.version, scenarioSHA256: scenario.sha256,
          scenarioPath: scenario.path, rulesetVersion: engine.set.policy.version,
          rulesetSHA256: engine.set.sha256, mode: mode.rawValue, audience: "telecommunicator",
          seed: seed, asOf: day.description, realTime: false,
          curriculumID: part == nil ? nil : "texas-911-dispatch",
          curriculumVersion: part == nil ? nil : 1, partID: part, startedAt: Date(), pid: 1,
          host: "test"))
      if case .interrupted = ending { continue }
      for verb in verbs where !player.isOver { _ = player.handle(verb) }
      if !player.isOver {
        if case .abandonAfter = ending { player.end(.abandoned) } else { player.end(.submitted) }
      }
      let score = Scorer.score(player, trainee: trainee, rubric: rubric)
      try store.finish(
        session.id, status: score.ended == .abandoned ? .abandoned : .submitted,
        endReason: score.ended.rawValue, endedAt: Date(),
        score: StoredScore(
          score: score.score, compliance: score.compliance.rawValue,
          accuracyRevealed: score.accuracyRevealed, accuracyTruth: score.accuracyTruth,
          deviations: score.deviations.map {
            StoredDeviation(
              severity: $0.severity.rawValue, category: $0.category.rawValue, at: $0.at,
              message: $0.message, because: $0.because)
          }, record: score.json.rendered(pretty: true)))
    }
    return (store, try store.sessions(SessionFilter()))
  }
}

/// A Ralph LRS in a folder of its own: its credentials file, its statements file and its log,
/// serving on a free loopback port until `stop()`.
struct RalphLRS {
  /// `$HOTLINESIM_RALPH`, else `.venv-ralph/bin/ralph` at the repository root, when it is an
  /// executable file.
  static var executable: String? {
    let candidates = [
      ProcessInfo.processInfo.environment["HOTLINESIM_RALPH"] ?? "",
      ExportFixtures.root.appendingPathComponent(".venv-ralph/bin/ralph").path,
    ]
    return candidates.first { !$0.isEmpty && FileManager.default.isExecutableFile(atPath: $0) }
  }

  let process: Process
  let base: String
  let folder: URL
  let authorization: String

  struct Response {
    var status: Int
    var body: Data
    var text: String { String(decoding: body, as: UTF8.self) }
  }

  enum Failure: Error, CustomStringConvertible {
    case notStarted(String)

    var description: String {
      switch self {
      case .notStarted(let log): return "Ralph did not start:\n\(log)"
      }
    }
  }

  /// Writes a user with every scope, starts `ralph runserver -b fs` and waits (at most a
  /// minute) until its heartbeat answers.
  static func start() async throws -> RalphLRS {
    let ralph = try #require(executable)
    let folder = FileManager.default.temporaryDirectory
      .appendingPathComponent("hotline-ralph-\(UUID().uuidString)")
    try FileManager.default.createDirectory(
      at: folder.appendingPathComponent("lrs"), withIntermediateDirectories: true)
    var environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("RALPH_") }
    environment["RALPH_RUNSERVER_BACKEND"] = "fs"
    environment["RALPH_APP_DIR"] = folder.appendingPathComponent("app").path
    environment["RALPH_AUTH_FILE"] = folder.appendingPathComponent("app/auth.json").path
    environment["RALPH_BACKENDS__LRS__FS__DEFAULT_DIRECTORY_PATH"] =
      folder.appendingPathComponent("lrs").path
    let password = UUID().uuidString
    let auth = try run(
      ralph,
      [
        "auth", "-u", "hotline-export", "-p", password, "-s", "all", "-M",
        "mailto:export-test@example.org", "-w",
      ], environment: environment, folder: folder, log: "auth.log")
    auth.waitUntilExit()
    guard auth.terminationStatus == 0 else {
      throw Failure.notStarted(log(folder, "auth.log"))
    }
    let port = try freePort()
    let server = try run(
      ralph, ["runserver", "-b", "fs", "-h", "127.0.0.1", "-p", String(port)],
      environment: environment, folder: folder, log: "server.log")
    let lrs = RalphLRS(
      process: server, base: "http://127.0.0.1:\(port)", folder: folder,
      authorization: "Basic " + Data("hotline-export:\(password)".utf8).base64EncodedString())
    for _ in 0..<120 {
      guard server.isRunning else { break }
      if let beat = try? await lrs.request("GET", "/__heartbeat__"), beat.status == 200 {
        return lrs
      }
      try await Task.sleep(for: .milliseconds(500))
    }
    lrs.stop()
    throw Failure.notStarted(log(folder, "server.log"))
  }

  /// SIGTERM: uvicorn's reloader stops its worker and exits.
  func stop() {
    if process.isRunning { process.terminate() }
    process.waitUntilExit()
    try? FileManager.default.removeItem(at: folder)
  }

  func post(_ body: Data) async throws -> Response {
    try await request("POST", "/xAPI/statements", body: body)
  }

  /// Every statement, following `more` links (at most 100 pages).
  func allStatements() async throws -> [[String: Any]] {
    var statements: [[String: Any]] = []
    var path = "/xAPI/statements?limit=25"
    for _ in 0..<100 {
      let page = try await request("GET", path)
      #expect(page.status == 200, "\(page.text)")
      let object = try #require(try JSONSerialization.jsonObject(with: page.body) as? [String: Any])
      let batch = try #require(object["statements"] as? [[String: Any]])
      statements += batch
      guard let more = object["more"] as? String, !more.isEmpty, !batch.isEmpty else { break }
      path = more
    }
    return statements
  }

  func request(_ method: String, _ path: String, body: Data? = nil) async throws -> Response {
    let url = try #require(URL(string: base + path))
    var request = URLRequest(url: url, timeoutInterval: 30)
    request.httpMethod = method
    request.setValue(authorization, forHTTPHeaderField: "Authorization")
    request.setValue("1.0.3", forHTTPHeaderField: "X-Experience-API-Version")
    if let body {
      request.setValue("application/json", forHTTPHeaderField: "Content-Type")
      request.httpBody = body
    }
    let (data, response) = try await URLSession(configuration: .ephemeral).data(for: request)
    return Response(status: (response as? HTTPURLResponse)?.statusCode ?? 0, body: data)
  }

  private static func run(
    _ executable: String, _ arguments: [String], environment: [String: String], folder: URL,
    log: String
  ) throws -> Process {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    process.environment = environment
    process.currentDirectoryURL = folder
    let file = folder.appendingPathComponent(log)
    _ = FileManager.default.createFile(atPath: file.path, contents: nil)
    let handle = try FileHandle(forWritingTo: file)
    process.standardOutput = handle
    process.standardError = handle
    process.standardInput = FileHandle.nullDevice
    try process.run()
    return process
  }

  private static func log(_ folder: URL, _ name: String) -> String {
    let text = (try? String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)) ?? ""
    return String(text.suffix(4000))
  }

  /// A port nothing listens on now: the kernel's pick for a socket bound to port 0.
  private static func freePort() throws -> Int {
    let python = try ExportFixtures.python(
      """
      import socket
      s = socket.socket()
      s.bind(('127.0.0.1', 0))
      print(s.getsockname()[1])
      s.close()
      """)
    return try #require(Int(python.stdout.trimmingCharacters(in: .whitespacesAndNewlines)))
  }
}
