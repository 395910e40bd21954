import ArgumentParser
import CurriculumKit
import ProtocolEngine
import ScenarioKit

extension HotlineSim {
  /// `hotline-sim list`: the scenarios, grouped by folder, with filters.
  struct List: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "List the scenarios, grouped by folder (state or audience).",
      discussion:
        "Filters combine: `list --audience telecommunicator --state TX --channel call`.")

    @OptionGroup var content: ContentOptions

    @Option(help: "Only scenarios for this audience (telecommunicator, task_force, advocate).")
    var audience: String?

    @Option(help: "Only scenarios set in this state (a two-letter code) or country.")
    var state: String?

    @Option(help: "Only scenarios on this channel (call, text, chat, webform, email).")
    var channel: String?

    @Option(help: "Only scenarios of this difficulty (introductory, intermediate, advanced).")
    var difficulty: String?

    @Option(help: "text or json.")
    var format: OutputFormat = .text

    @Flag(help: "List the curricula (courses) instead of the scenarios.")
    var curricula = false

    @Option(
      name: .customLong("curricula-dir"),
      help: "The curricula directory (default: the shipped Curricula/).")
    var curriculaDirectory: String?

    func validate() throws {
      try Self.check(audience, "--audience", Audience.allCases.map(\.rawValue))
      try Self.check(channel, "--channel", Channel.allCases.map(\.rawValue))
      try Self.check(difficulty, "--difficulty", Difficulty.allCases.map(\.rawValue))
      if let state, state.count < 2 || !state.allSatisfy(\.isLetter) {
        throw ValidationError("--state: '\(state)' is not a state code (e.g. TX, NC, CA)")
      }
    }

    static func check(_ value: String?, _ option: String, _ allowed: [String]) throws {
      guard let value, !allowed.contains(value) else { return }
      let hint = closestMatch(value, allowed).map { " (did you mean '\($0)'?)" } ?? ""
      throw ValidationError(
        "\(option): '\(value)' is not one of \(allowed.joined(separator: ", "))\(hint)")
    }

    /// Where a scenario is set: its state, or its country when abroad.
    static func place(_ scenario: Scenario) -> String {
      let location = scenario.truth.location
      if let country = location?.country, country != "US" { return country }
      return location?.state ?? "US"
    }

    /// The folder a scenario's file is in, below the scenarios directory.
    func folder(_ scenario: Scenario, root: String) -> String {
      var path = scenario.path
      let prefix = root.hasSuffix("/") ? root : root + "/"
      if path.hasPrefix(prefix) { path.removeFirst(prefix.count) }
      let parts = path.split(separator: "/")
      return parts.count > 1 ? parts.dropLast().joined(separator: "/") : "."
    }

    func run() throws {
      if curricula { return try listCurricula() }
      let engine = try content.loadEngine()
      let catalog = content.catalog
      let (all, diagnostics) = catalog.loadAll(geography: engine.set.geography)
      for diagnostic in diagnostics where diagnostic.severity == .error {
        Console.error(diagnostic.description)
      }
      let scenarios = all.filter { scenario in
        (audience.map { wanted in scenario.audience.contains { $0.rawValue == wanted } } ?? true)
          && (channel.map { scenario.channel.rawValue == $0 } ?? true)
          && (difficulty.map { scenario.difficulty.rawValue == $0 } ?? true)
          && (state.map { Self.place(scenario).uppercased() == $0.uppercased() } ?? true)
      }.sorted { (folder($0, root: catalog.root), $0.id) < (folder($1, root: catalog.root), $1.id) }
      switch format {
      case .json:
        let items: [JSONValue] = scenarios.map {
          .object([
            ("id", .string($0.id)), ("title", .string($0.title)), ("version", .int($0.version)),
            ("folder", .string(folder($0, root: catalog.root))),
            ("state", .string(Self.place($0))),
            ("audience", .array($0.audience.map { .string($0.rawValue) })),
            ("channel", .string($0.channel.rawValue)),
            ("difficulty", .string($0.difficulty.rawValue)), ("path", .string($0.path)),
          ])
        }
        Console.out(JSONValue.array(items).rendered(pretty: true) + "\n")
      case .text:
        guard !scenarios.isEmpty else {
          Console.out(
            all.isEmpty
              ? "No scenarios in \(TerminalText.sanitized(catalog.root)).\n"
              : "No scenario matches the filters.\n")
          break
        }
        var groups: [(String, [Scenario])] = []
        for scenario in scenarios {
          let name = folder(scenario, root: catalog.root)
          if groups.last?.0 == name {
            groups[groups.count - 1].1.append(scenario)
          } else {
            groups.append((name, [scenario]))
          }
        }
        let header = ["ID", "TITLE", "STATE", "AUDIENCE", "CHANNEL", "DIFFICULTY"]
        // Titles and places come from the files: each cell passes the terminal sanitiser.
        let rows = scenarios.map {
          [
            $0.id, $0.title, Self.place($0), $0.audience.map(\.rawValue).joined(separator: ","),
            $0.channel.rawValue, $0.difficulty.rawValue,
          ].map(TerminalText.sanitizedLine)
        }
        // One table, so the columns line up across folders; a heading per folder.
        let lines = table(header: header, rows: rows).split(separator: "\n").map(String.init)
        var out = lines[0] + "\n"
        var line = 1
        for (name, members) in groups {
          out += "\n\(TerminalText.sanitizedLine(name))/ (\(members.count))\n"
          for _ in members {
            out += lines[line] + "\n"
            line += 1
          }
        }
        out += "\n\(scenarios.count) of \(all.count) scenario\(all.count == 1 ? "" : "s")\n"
        Console.out(out)
      }
      if diagnostics.contains(where: { $0.severity == .error }) { throw ExitCode(1) }
    }
  }
}

extension HotlineSim.List {
  /// `list --curricula`: each course with its audience, parts and scenarios.
  func listCurricula() throws {
    let catalog = CurriculumOptions(curricula: curriculaDirectory).catalog
    let (all, diagnostics) = catalog.loadAll()
    for diagnostic in diagnostics where diagnostic.severity == .error {
      Console.error(diagnostic.description)
    }
    let shown = all.filter { course in audience.map { course.audience.rawValue == $0 } ?? true }
      .sorted { $0.id < $1.id }
    switch format {
    case .json:
      let items: [JSONValue] = shown.map { course in
        .object([
          ("id", .string(course.id)), ("title", .string(course.title)),
          ("version", .int(course.version)), ("audience", .string(course.audience.rawValue)),
          (
            "parts",
            .array(
              course.parts.map { part in
                .object([
                  ("id", .string(part.id)), ("title", .string(part.title)),
                  ("mode", .string(part.mode.rawValue)),
                  ("requires", .array(part.requires.map { .string($0.id) })),
                  ("scenarios", .array(part.scenarios.map { .string($0.id) })),
                  ("mastery", .string(part.mastery.summary)),
                ])
              })
          ),
          ("path", .string(course.path)),
        ])
      }
      Console.out(JSONValue.array(items).rendered(pretty: true) + "\n")
    case .text:
      guard !shown.isEmpty else {
        Console.out(
          all.isEmpty
            ? "No curricula in \(TerminalText.sanitized(catalog.root)).\n"
            : "No curriculum matches the filters.\n")
        break
      }
      let rows = shown.map { course in
        [
          course.id, course.title, course.audience.rawValue,
          course.parts.map { "\($0.id) (\($0.mode.rawValue))" }.joined(separator: " > "),
          String(course.scenarioIDs.count),
        ].map(TerminalText.sanitizedLine)
      }
      Console.out(
        table(header: ["ID", "TITLE", "AUDIENCE", "PARTS", "SCENARIOS"], rows: rows)
          + "\n\(shown.count) of \(all.count) curricul\(all.count == 1 ? "um" : "a")\n")
    }
    if diagnostics.contains(where: { $0.severity == .error }) { throw ExitCode(1) }
  }
}

/// A plain text table with columns padded to their widest cell.
func table(header: [String], rows: [[String]]) -> String {
  let all = [header] + rows
  let widths = header.indices.map { column in all.map { $0[column].count }.max() ?? 0 }
  return all.map { row in
    row.enumerated().map { index, cell in
      index == row.count - 1
        ? cell : cell + String(repeating: " ", count: widths[index] - cell.count + 2)
    }.joined()
  }.joined(separator: "\n") + "\n"
}
