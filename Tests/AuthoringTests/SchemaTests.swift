import Authoring
import CurriculumKit
import Foundation
import ProtocolEngine
import ScenarioKit
import Scoring
import Testing

@Suite("JSON Schemas for scenario and rubrics files")
struct SchemaTests {
  static let scenarios = AuthoringFixtures.root.appendingPathComponent("Scenarios")
  static let shippedScenarios = ScenarioCatalog(root: scenarios.path).files
  static let rubrics = scenarios.appendingPathComponent("rubrics.yaml").path

  static func fixture(_ name: String) -> String {
    AuthoringFixtures.folder.appendingPathComponent("Fixtures/schema/\(name)").path
  }

  // MARK: The command and the committed files

  @Test(arguments: ScenarioSchema.Document.allCases)
  func theCommittedSchemaIsTheCommandsOutput(document: ScenarioSchema.Document) throws {
    let printed = try ExternalTool.hotlineSim(["schema", document.rawValue])
    #expect(printed.status == 0, "\(printed.stderr)")
    #expect(printed.stdout == ScenarioSchema.text(document))
    let again = try ExternalTool.hotlineSim(["schema", document.rawValue])
    #expect(again.stdout == printed.stdout, "the schema differs from one run to the next")
    let file = AuthoringFixtures.root.appendingPathComponent(document.folder)
      .appendingPathComponent(document.fileName)
    let committed = try String(contentsOf: file, encoding: .utf8)
    #expect(
      committed == printed.stdout,
      "\(document.folder)/\(document.fileName) is out of date: hotline-sim schema \(document.rawValue) > \(document.folder)/\(document.fileName)"
    )
  }

  @Test func theScenarioSchemaIsTheDefault() throws {
    let printed = try ExternalTool.hotlineSim(["schema"])
    #expect(printed.status == 0)
    #expect(printed.stdout == ScenarioSchema.text(.scenario))
  }

  @Test func anUnknownDocumentIsBadUsage() throws {
    let unknown = try ExternalTool.hotlineSim(["schema", "protocol"])
    #expect(unknown.status == 64)
    #expect(unknown.stderr.contains("The value 'protocol' is invalid for '<document>'"))
  }

  // MARK: The schema's content

  @Test func theSchemasTakeTheirVocabulariesFromTheEngine() throws {
    let scenario = ScenarioSchema.json(.scenario)
    #expect(scenario["$schema"] == .string("https://json-schema.org/draft/2020-12/schema"))
    func values(_ schema: JSONValue?) -> [String] {
      guard case .array(let items)? = schema?["enum"] else { return [] }
      return items.compactMap { if case .string(let text) = $0 { text } else { nil } }
    }
    let defs = scenario["$defs"]
    let report = defs?["report"]?["properties"]
    #expect(values(scenario["properties"]?["channel"]) == Channel.allCases.map(\.rawValue))
    #expect(values(scenario["properties"]?["difficulty"]) == Difficulty.allCases.map(\.rawValue))
    #expect(values(defs?["audience"]) == Audience.allCases.map(\.rawValue))
    #expect(values(defs?["severity"]) == DeviationSeverity.allCases.map(\.rawValue))
    #expect(values(defs?["indicator"]) == Indicator.allCases.map(\.rawValue))
    #expect(values(report?["channel"]) == Channel.allCases.map(\.rawValue))
    #expect(
      values(report?["reporter"]?["properties"]?["relationship"])
        == Relationship.allCases.map(\.rawValue))
    #expect(values(report?["trafficking_type"]) == TraffickingType.allCases.map(\.rawValue))
    #expect(
      values(defs?["transcript"]?["properties"]?["mode"]) == PlayMode.allCases.map(\.rawValue))
    #expect(
      scenario["properties"]?["clock"]?["properties"]?.keys == Verb.allCases.map(\.rawValue))
    #expect(values(defs?["event"]?["properties"]?["ends"]) == ["hang_up", "disconnected"])

    let rubrics = ScenarioSchema.json(.rubrics)
    let rubric = rubrics["$defs"]?["rubric"]?["properties"]
    #expect(rubrics["properties"]?.keys == Audience.allCases.map(\.rawValue))
    #expect(rubric?["roles"]?["properties"]?.keys == Role.allCases.map(\.rawValue))
    #expect(
      rubric?["categories"]?["properties"]?.keys == DeviationCategory.allCases.map(\.rawValue))
    #expect(values(rubrics["$defs"]?["duty"]) == Duty.allCases.map(\.rawValue))
    #expect(values(rubrics["$defs"]?["escalation"]) == Escalation.allCases.map(\.rawValue))

    let curriculum = ScenarioSchema.json(.curriculum)
    let part = curriculum["properties"]?["parts"]?["items"]?["properties"]
    #expect(values(curriculum["properties"]?["audience"]) == Audience.allCases.map(\.rawValue))
    #expect(values(part?["mode"]) == PlayMode.allCases.map(\.rawValue))
    #expect(
      values(part?["mastery"]?["properties"]?["level"]) == Compliance.allCases.map(\.rawValue))
  }

  /// `known`, `reveals` and `sets` name exactly the facts the engine can set.
  @Test func theFactPathsAreTheFactsTheEngineCanSet() throws {
    let unsure = try #require(try composeYAML("unsure"))
    for path in ScenarioSchema.factPaths {
      let assignment = try FactAssignment.parse(
        path: path, value: unsure, field: path, pathPosition: SourcePosition(line: 1, column: 1))
      #expect(assignment.isUncertain, "\(path)")
    }
    for path in ["received_at", "victims", "location", "policy.third_party_adult_tips"] {
      #expect(throws: FieldIssue.self, "\(path) is not a fact to set") {
        try FactAssignment.parse(
          path: path, value: unsure, field: path, pathPosition: SourcePosition(line: 1, column: 1))
      }
    }
    let everything = Report(
      id: "r", channel: .call,
      reporter: Reporter(relationship: .victim, mandatedReporter: false, consentsToShare: true),
      location: Location(country: "US", state: "TX", county: "Travis", city: "Austin"),
      traffickingType: .sex, indicators: IndicatorSet(Indicator.allCases),
      victims: [
        Victim(age: 20, foreignNational: false, language: "en", consentsToLawEnforcement: true)
      ],
      perpetrator: Perpetrator(caregiver: false), imminentDanger: false, onlineExploitation: false,
      forcedMarriage: false)
    // The report's own list of facts (the trainee's `facts` view), which leaves out the id.
    #expect(everything.knownFacts.map(\.path) == ScenarioSchema.factPaths.filter { $0 != "id" })
  }

  // MARK: Validation with the reference validator

  static let shippedCurricula = CurriculumCatalog(
    root: AuthoringFixtures.root.appendingPathComponent("Curricula").path
  ).files

  @Test func theShippedFilesValidate() throws {
    #expect(SchemaTests.shippedScenarios.count >= 3)
    #expect(SchemaTests.shippedCurricula.count >= 3)
    let run = try SchemaValidator.validate(
      scenarios: SchemaTests.shippedScenarios, rubrics: [SchemaTests.rubrics],
      curricula: SchemaTests.shippedCurricula)
    #expect(
      Set(run.files.keys)
        == Set(
          SchemaTests.shippedScenarios + [SchemaTests.rubrics] + SchemaTests.shippedCurricula))
    for (file, errors) in run.files.sorted(by: { $0.key < $1.key }) {
      #expect(errors.isEmpty, "\(file): \(errors)")
    }
  }

  /// The fixtures use every key of the schemas; the loaders take them, so no key of a schema
  /// is one the loader would reject.
  @Test func everyKeyOfTheSchemasIsOneTheLoadersTake() throws {
    let scenario = SchemaTests.fixture("every-key.yaml")
    let rubrics = SchemaTests.fixture("rubrics-every-key.yaml")
    let engine = try AuthoringFixtures.shippedEngine.get()
    let (loaded, diagnostics) = ScenarioLoader.parse(
      try String(contentsOfFile: scenario, encoding: .utf8), path: scenario,
      geography: engine.set.geography)
    #expect(loaded != nil, "\(diagnostics)")
    let book = try RubricBook.parse(try String(contentsOfFile: rubrics, encoding: .utf8))
    #expect(book.rubric(for: .advocate).deadlines[.legalServices] == .seconds(599 * 60 + 59))
    let curriculum = SchemaTests.fixture("curriculum-every-key.yaml")
    let (course, found) = CurriculumLoader.parse(
      try String(contentsOfFile: curriculum, encoding: .utf8), path: curriculum)
    #expect(course?.parts.first?.mastery.attempts == 5, "\(found)")

    let run = try SchemaValidator.validate(
      scenarios: SchemaTests.shippedScenarios + [scenario],
      rubrics: [SchemaTests.rubrics, rubrics],
      curricula: SchemaTests.shippedCurricula + [curriculum], coverage: true)
    for (file, errors) in run.files.sorted(by: { $0.key < $1.key }) {
      #expect(errors.isEmpty, "\(file): \(errors)")
    }
    // A rubric's maps are keyed by the same enumerations the loader reads them with.
    let enumerated = ["roles", "categories", "carried_out_by", "deadlines"].map {
      "/$defs/rubric/properties/\($0)/properties/"
    }
    let unused = run.unused.filter { key in !enumerated.contains { key.contains($0) } }
    #expect(unused.isEmpty, "keys no fixture uses: \(unused)")
  }

  struct Mutation: Sendable, CustomTestStringConvertible {
    var name: String
    var file: String
    var find: String
    var replace: String
    /// Where the validator must report the error (a JSON pointer into the document).
    var path: String
    /// Words the validator's message must contain.
    var message: String

    var isRubrics: Bool { file.hasSuffix("rubrics.yaml") }
    var isCurriculum: Bool { file.contains("/Curricula/") }
    var testDescription: String { name }
  }

  static let motel = scenarios.appendingPathComponent("tx/tx-motel-whisper.yaml").path
  static let texas = AuthoringFixtures.root.appendingPathComponent(
    "Curricula/texas-911-dispatch.yaml"
  ).path

  static let mutations: [Mutation] = [
    Mutation(
      name: "an unknown key", file: motel, find: "\ntitle: ", replace: "\ncolour: red\ntitle: ",
      path: "/", message: "'colour' was unexpected"),
    Mutation(
      name: "an unknown key in a topic", file: motel, find: "    keywords: [yes or no",
      replace: "    keywordz: [yes or no", path: "/topics/0", message: "'keywordz' was unexpected"),
    Mutation(
      name: "an unknown key in the truth", file: motel, find: "perpetrator: { caregiver: false }",
      replace: "perpetrator: { caregiver: false, gang: true }", path: "/truth/perpetrator",
      message: "'gang' was unexpected"),
    Mutation(
      name: "an unknown verb in the clock", file: motel, find: "\ncaller: Caller\n",
      replace: "\ncaller: Caller\nclock: { shout: 5 }\n", path: "/clock",
      message: "'shout' was unexpected"),
    Mutation(
      name: "a bad channel", file: motel, find: "\nchannel: call\n", replace: "\nchannel: phone\n",
      path: "/channel", message: "'phone' is not one of ['call', 'text'"),
    Mutation(
      name: "a bad audience", file: motel, find: "audience: [telecommunicator]",
      replace: "audience: [dispatcher]", path: "/audience/0", message: "'dispatcher' is not one of"),
    Mutation(
      name: "a bad severity", file: motel, find: "          severity: major\n",
      replace: "          severity: severe\n", path: "/choices/0/options/1/deviation/severity",
      message: "'severe' is not one of ['minor', 'moderate', 'major', 'critical']"),
    Mutation(
      name: "a bad indicator in the truth", file: motel,
      find: "indicators: [force, commercial_sex, restricted_movement]",
      replace: "indicators: [force, commercial_sex, kidnapping]", path: "/truth/indicators/2",
      message: "'kidnapping' is not one of"),
    Mutation(
      name: "a bad state in the truth", file: motel, find: "state: TX, county: Travis",
      replace: "state: Texsa, county: Travis", path: "/truth/location/state",
      message: "'Texsa' does not match"),
    Mutation(
      name: "a bad ending", file: motel, find: "    ends: hang_up\n", replace: "    ends: hangup\n",
      path: "/events/1/ends", message: "'hangup' is not one of ['hang_up', 'disconnected']"),
    Mutation(
      name: "a missing required key", file: motel, find: "\nversion: 2\n", replace: "\n",
      path: "/", message: "'version' is a required property"),
    Mutation(
      name: "a topic without its question", file: motel, find: "    question: How old are you?\n",
      replace: "", path: "/topics/4", message: "'question' is a required property"),
    Mutation(
      name: "an event with neither at nor when", file: motel, find: "    at: \"01:30\"\n",
      replace: "", path: "/events/0", message: "is not valid under any of the given schemas"),
    Mutation(
      name: "a never rule without its topic", file: motel, find: "    topic: why_not_leave\n",
      replace: "", path: "/conduct/2", message: "'topic' is a required property"),
    Mutation(
      name: "a bad time", file: motel, find: "time_limit: \"06:30\"",
      replace: "time_limit: \"6:3\"",
      path: "/time_limit", message: "'6:3' is not valid under any of the given schemas"),
    Mutation(
      name: "a bad time in a conduct rule", file: motel, find: "seconds: \"01:00\"",
      replace: "seconds: \"a minute\"", path: "/conduct/0/seconds",
      message: "'a minute' is not valid under any of the given schemas"),
    Mutation(
      name: "a bad scenario id", file: motel, find: "id: tx-motel-whisper\n",
      replace: "id: tx_motel_whisper\n", path: "/id",
      message: "'tx_motel_whisper' does not match '^[a-z0-9-]+$'"),
    Mutation(
      name: "a bad topic id", file: motel, find: "  - id: yes_no\n", replace: "  - id: Yes-No\n",
      path: "/topics/0/id", message: "'Yes-No' does not match '^[a-z0-9_]+$'"),
    Mutation(
      name: "a bad fact path", file: motel, find: "reveals: { reporter.relationship: victim }",
      replace: "reveals: { reporter.relation: victim }", path: "/topics/0/answers/0/reveals",
      message: "'reporter.relation' does not match any of the regexes"),
    Mutation(
      name: "a bad fact value", file: motel, find: "victims[0].age: 22",
      replace: "victims[0].age: -3", path: "/topics/4/answers/0/reveals/victims[0].age",
      message: "-3 is not valid under any of the given schemas"),
    Mutation(
      name: "a bad transcript expectation", file: motel,
      find: "expect: { compliance: partial, score: 60..95 }",
      replace: "expect: { compliance: perfect, score: 60..95 }",
      path: "/transcripts/1/expect/compliance",
      message: "'perfect' is not valid under any of the given schemas"),
    Mutation(
      name: "an unknown duty", file: rubrics, find: "  default_role: not_scored",
      replace: "  default_role: sometimes", path: "/telecommunicator/default_role",
      message: "'sometimes' is not one of ['answerable', 'credit_only', 'not_scored']"),
    Mutation(
      name: "an unknown role", file: rubrics, find: "    emergency_services: answerable\n",
      replace: "    emergency_servics: answerable\n", path: "/telecommunicator/roles",
      message: "'emergency_servics' was unexpected"),
    Mutation(
      name: "an unknown audience", file: rubrics, find: "\ntask_force:\n",
      replace: "\ndispatcher:\n  title: Dispatch\n\ntask_force:\n", path: "/",
      message: "'dispatcher' was unexpected"),
    Mutation(
      name: "a rubric without its title", file: rubrics, find: "  title: 911 telecommunicator\n",
      replace: "", path: "/telecommunicator", message: "'title' is a required property"),
    Mutation(
      name: "a bad deadline", file: rubrics, find: "    local_law_enforcement: emergency_within",
      replace: "    local_law_enforcement: soon",
      path: "/telecommunicator/deadlines/local_law_enforcement",
      message: "'soon' is not valid under any of the given schemas"),
    Mutation(
      name: "an unknown curriculum key", file: texas, find: "\ntitle: ",
      replace: "\nlength: 3h\ntitle: ", path: "/", message: "'length' was unexpected"),
    Mutation(
      name: "a bad mastery level", file: texas, find: "      level: compliant\n",
      replace: "      level: good\n", path: "/parts/0/mastery/level",
      message: "'good' is not one of ['high_compliance', 'compliant'"),
    Mutation(
      name: "a score above 100", file: texas, find: "      min_score: 70\n",
      replace: "      min_score: 170\n", path: "/parts/0/mastery/min_score",
      message: "170 is greater than the maximum of 100"),
    Mutation(
      name: "a part without scenarios", file: texas,
      find: "    scenarios: [adult-text-no-consent, tx-wrong-caller, tx-minor-online-ad]\n",
      replace: "", path: "/parts/0", message: "'scenarios' is a required property"),
    Mutation(
      name: "a bad part id", file: texas, find: "  - id: recognise\n",
      replace: "  - id: Recognise\n",
      path: "/parts/0/id", message: "'Recognise' does not match '^[a-z0-9_-]+$'"),
  ]

  /// Every mutated copy, validated in one run of the validator.
  fileprivate static let mutated: Result<[String: [SchemaValidator.Finding]], any Error> = Result {
    let folder = try ExternalTool.temporaryFolder()
    var scenarioFiles: [String] = []
    var rubricsFiles: [String] = []
    var curriculumFiles: [String] = []
    for (index, mutation) in mutations.enumerated() {
      let text = try String(contentsOfFile: mutation.file, encoding: .utf8)
      let copy = folder.appendingPathComponent("\(index).yaml").path
      try text.replacingOccurrences(of: mutation.find, with: mutation.replace)
        .write(toFile: copy, atomically: true, encoding: .utf8)
      if mutation.isRubrics {
        rubricsFiles.append(copy)
      } else if mutation.isCurriculum {
        curriculumFiles.append(copy)
      } else {
        scenarioFiles.append(copy)
      }
    }
    let run = try SchemaValidator.validate(
      scenarios: scenarioFiles, rubrics: rubricsFiles, curricula: curriculumFiles)
    var byName: [String: [SchemaValidator.Finding]] = [:]
    for (index, mutation) in mutations.enumerated() {
      byName[mutation.name] = run.files[folder.appendingPathComponent("\(index).yaml").path]
    }
    try? FileManager.default.removeItem(at: folder)
    return byName
  }

  @Test(arguments: mutations)
  func aMutatedFileFailsWhereTheMutationIs(mutation: Mutation) throws {
    let text = try String(contentsOfFile: mutation.file, encoding: .utf8)
    try #require(
      text.contains(mutation.find), "the mutation no longer applies: '\(mutation.find)' is gone")
    let mutated = text.replacingOccurrences(of: mutation.find, with: mutation.replace)
    // The loaders, the judges, reject it too: the schema is not stricter than they are.
    if mutation.isRubrics {
      #expect(throws: FieldIssue.self) { try RubricBook.parse(mutated) }
    } else if mutation.isCurriculum {
      #expect(CurriculumLoader.parse(mutated, path: "mutated.yaml").0 == nil)
    } else {
      let engine = try AuthoringFixtures.shippedEngine.get()
      let (scenario, _) = ScenarioLoader.parse(
        mutated, path: "mutated.yaml", geography: engine.set.geography)
      #expect(scenario == nil, "the loader takes the mutated scenario")
    }
    let findings = try #require(try SchemaTests.mutated.get()[mutation.name])
    #expect(!findings.isEmpty, "the schema takes the mutated file")
    #expect(
      findings.contains { $0.path == mutation.path && $0.message.contains(mutation.message) },
      "expected \(mutation.path): \(mutation.message); the validator said \(findings)")
  }
}

extension JSONValue {
  /// The value of an object's key.
  fileprivate subscript(key: String) -> JSONValue? {
    guard case .object(let pairs) = self else { return nil }
    return pairs.first { $0.0 == key }?.1
  }

  /// An object's keys, in order.
  fileprivate var keys: [String] {
    guard case .object(let pairs) = self else { return [] }
    return pairs.map(\.0)
  }
}

/// Runs `Fixtures/schema/validate.py`: Python's `jsonschema` (the reference validator,
/// Draft202012Validator) over YAML read by PyYAML.
private enum SchemaValidator {
  struct Finding: Sendable, CustomStringConvertible {
    var path: String
    var message: String
    var description: String { "\(path): \(message)" }
  }

  struct Run {
    var files: [String: [Finding]] = [:]
    var unused: [String] = []
  }

  static let install =
    "python3 with jsonschema and PyYAML is needed: python3 -m pip install jsonschema pyyaml (or, for Debian's python3, apt-get install python3-jsonschema python3-yaml)"

  /// Validates scenario files and rubrics files against the schemas `ScenarioSchema` makes
  /// now (written to a temporary folder); with `coverage`, also lists the schema keys that
  /// no file used.
  static func validate(
    scenarios: [String], rubrics: [String], curricula: [String] = [], coverage: Bool = false
  ) throws -> Run {
    let folder = try ExternalTool.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    var arguments = [SchemaTests.fixture("validate.py")]
    if coverage { arguments.append("--coverage") }
    let documents: [(ScenarioSchema.Document, [String])] = [
      (.scenario, scenarios), (.rubrics, rubrics), (.curriculum, curricula),
    ]
    for (document, files) in documents where !files.isEmpty {
      let schema = folder.appendingPathComponent(document.fileName).path
      try ScenarioSchema.text(document).write(toFile: schema, atomically: true, encoding: .utf8)
      arguments += ["--schema", schema] + files
    }
    let result = try ExternalTool.run("python3", arguments)
    guard result.status == 0 || result.status == 1 else {
      let reason =
        switch result.status {
        case 127: "python3 was not found. \(install)"
        case 3: "\(result.stderr.trimmingCharacters(in: .whitespacesAndNewlines)). \(install)"
        default: "validate.py failed (\(result.status)): \(result.stderr)"
        }
      throw ExternalTool.Failure(reason: reason)
    }
    let json = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
    var run = Run()
    for (file, errors) in json?["files"] as? [String: [[String: String]]] ?? [:] {
      run.files[file] = errors.map { Finding(path: $0["path"] ?? "", message: $0["message"] ?? "") }
    }
    run.unused = json?["unused"] as? [String] ?? []
    return run
  }

}

/// Runs programs the tests need: `hotline-sim` as built beside the tests, Graphviz, Python.
enum ExternalTool {
  struct Result {
    var status: Int32
    var stdout: String
    var stderr: String
  }

  /// A tool is missing or failed; the reason says what to install.
  struct Failure: Error, CustomStringConvertible {
    var reason: String
    var description: String { reason }
  }

  /// `hotline-sim` from the same build as the tests (the same scratch path).
  static let hotlineSimPath: String = {
    let beside = URL(fileURLWithPath: CommandLine.arguments.first ?? "").deletingLastPathComponent()
    let candidates = [
      beside.appendingPathComponent("hotline-sim").path,
      beside.deletingLastPathComponent().appendingPathComponent("hotline-sim").path,
      AuthoringFixtures.root.appendingPathComponent(".build/debug/hotline-sim").path,
    ]
    return candidates.first { FileManager.default.isExecutableFile(atPath: $0) } ?? candidates[0]
  }()

  /// Runs `hotline-sim` from the repository root (so it finds Protocols/ and Scenarios/).
  static func hotlineSim(_ arguments: [String]) throws -> Result {
    guard FileManager.default.isExecutableFile(atPath: hotlineSimPath) else {
      throw ExternalTool.Failure(
        reason: "hotline-sim is not built at \(hotlineSimPath): swift build --build-tests")
    }
    return try run(hotlineSimPath, arguments, direct: true)
  }

  /// Runs a program found on the PATH (through `/usr/bin/env`, which exits 127 when it is
  /// missing), or at a path when `direct`.
  static func run(_ program: String, _ arguments: [String], direct: Bool = false) throws
    -> Result
  {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: direct ? program : "/usr/bin/env")
    process.arguments = direct ? arguments : [program] + arguments
    process.currentDirectoryURL = AuthoringFixtures.root
    var environment = ProcessInfo.processInfo.environment
    environment["NO_COLOR"] = "1"
    process.environment = environment
    let stdout = Pipe()
    let stderr = Pipe()
    process.standardInput = FileHandle.nullDevice
    process.standardOutput = stdout
    process.standardError = stderr
    try process.run()
    // Standard error is read on another thread, so that neither pipe can fill up and block.
    let errors = Box()
    let group = DispatchGroup()
    DispatchQueue.global().async(group: group) {
      errors.data = stderr.fileHandleForReading.readDataToEndOfFile()
    }
    let out = stdout.fileHandleForReading.readDataToEndOfFile()
    group.wait()
    process.waitUntilExit()
    return Result(
      status: process.terminationStatus, stdout: String(decoding: out, as: UTF8.self),
      stderr: String(decoding: errors.data, as: UTF8.self))
  }

  /// A new empty folder under the temporary directory.
  static func temporaryFolder() throws -> URL {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
      "hotlinesim-authoring-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    return folder
  }

  /// Data handed from the reading thread.
  private final class Box: @unchecked Sendable {  // Guarded by its lock.
    private let lock = NSLock()
    private var stored = Data()
    var data: Data {
      get { lock.withLock { stored } }
      set { lock.withLock { stored = newValue } }
    }
  }
}
