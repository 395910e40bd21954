import ArgumentParser
import CurriculumKit
import Foundation
import ProtocolEngine
import Reports
import ResultsStore
import ScenarioKit

extension HotlineSim {
  /// `hotline-sim export`: the results store and the curricula in the formats learning
  /// systems import.
  struct Export: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Export for an LMS: a gradebook CSV, xAPI statements or cmi5 course structures.",
      discussion: """
        csv: one row per trainee and curriculum part (mastery state as `train` shows it, best \
        score, attempts, last attempt in UTC, last compliance), RFC 4180 with CRLF line ends. \
        Mastery always counts a trainee's whole history; --since keeps the trainees and \
        curricula with a session begun since that day.

        xapi: xAPI 1.0.3 statements, one JSON object per line: attempted, then completed and \
        passed or failed (by the part's bar; outside a curriculum, compliant or better), or \
        abandoned. Ids are name-based UUIDs and times are the recorded ones, so the same store \
        exports the same bytes and re-posting stores nothing twice. result.duration is the \
        simulated clock; post them with the header X-Experience-API-Version: 1.0.3.

        cmi5: the cmi5.xml course structure of --curriculum ID; without --curriculum, \
        --output DIR gets DIR/<curriculum-id>/cmi5.xml for every curriculum.

        IRIs (activities, extension keys, launch addresses) live under --home-page. \
        --output is replaced atomically: a reader never sees half a file.
        """)

    @Option(
      help: "What to write: a gradebook (csv), statements (xapi) or course structures (cmi5).")
    var format: ExportFormat

    @Option(help: "Only sessions begun on or after this day (YYYY-MM-DD, UTC); csv and xapi.")
    var since: String?

    @Option(help: "Only this trainee's sessions; csv and xapi.")
    var trainee: String?

    @Option(help: "Only this cohort's trainees; csv and xapi.")
    var cohort: String?

    @Option(help: "Only this curriculum (an id, or a path to a curriculum file).")
    var curriculum: String?

    @Option(
      name: .customLong("home-page"),
      help: "The base of every IRI: your agency's site (default https://hotline-sim.example.org).")
    var homePage: String?

    @Option(help: "Write here (replaced atomically) instead of standard output.")
    var output: String?

    @Option(help: "The curricula directory (default: the shipped Curricula/).")
    var curricula: String?

    @Option(help: "The scenarios directory, for titles (default: the shipped Scenarios/).")
    var scenarios: String?

    @OptionGroup var store: StoreOptions

    func validate() throws {
      if let since, Day(since) == nil {
        throw ValidationError("--since: '\(since)' is not a date (YYYY-MM-DD)")
      }
      if let homePage, ExportHomePage(homePage) == nil {
        throw ValidationError(
          "--home-page: '\(homePage)' is not an absolute http(s) URL without a query or fragment")
      }
      if format == .cmi5 {
        for (name, value) in [("--since", since), ("--trainee", trainee), ("--cohort", cohort)]
        where value != nil {
          throw ValidationError(
            "\(name) does not apply to --format cmi5 (a course structure holds no results)")
        }
        if curriculum == nil, output == nil {
          throw ValidationError(
            "--format cmi5 writes one cmi5.xml per curriculum: give --curriculum ID, or "
              + "--output DIR for every curriculum")
        }
      }
      if let output {
        try Self.checkOutput(output, directory: format == .cmi5 && curriculum == nil)
      }
    }

    func run() throws {
      let home = homePage.flatMap(ExportHomePage.init) ?? .fictional
      let options = CurriculumOptions(curricula: curricula)
      let courses: [Curriculum]
      if let curriculum {
        courses = [try options.find(curriculum)]
      } else {
        courses = options.catalog.loadAll().curricula
      }
      // Narrow the store to the course found, by its id (--curriculum may be a path).
      let only = curriculum == nil ? nil : courses.first?.id
      let labels = ScenarioCatalog(root: scenarios ?? ScenarioCatalog.defaultRoot())
        .loadAll(geography: nil).scenarios.map(ExportScenario.init)
      switch format {
      case .cmi5:
        try writeCourseStructures(courses, labels: labels, home: home)
      case .csv:
        let book = GradebookCSV.build(
          sessions: try sessions(since: nil, curriculum: only), curricula: courses,
          since: sinceDate)
        warnMissing(book.missingCurricula, root: options.catalog.root)
        try emit(book.csv, summary: "\(book.rows) gradebook row\(book.rows == 1 ? "" : "s")")
      case .xapi:
        let selected = try sessions(since: sinceDate, curriculum: only)
        let export = XAPIStatements(homePage: home, curricula: courses, scenarios: labels)
        let lines = export.jsonLines(selected)
        let count = lines.reduce(0) { $1 == "\n" ? $0 + 1 : $0 }
        try emit(
          lines,
          summary:
            "\(count) statement\(count == 1 ? "" : "s") for \(selected.count) session\(selected.count == 1 ? "" : "s")"
        )
      }
    }

    /// The start of the --since day, midnight UTC.
    private var sinceDate: Date? {
      since.flatMap { Day($0) }.flatMap(ResultsFormat.date)
    }

    /// The sessions the trainee, cohort and curriculum options select; a store that cannot be
    /// read exits 1.
    private func sessions(since: Date?, curriculum: String?) throws -> [SessionSummary] {
      let results = try store.open()
      do {
        return try results.sessions(
          SessionFilter(
            trainee: trainee, cohort: cohort, curriculum: curriculum, since: since))
      } catch {
        Console.error("hotline-sim: \(error)")
        throw ExitCode(1)
      }
    }

    private func writeCourseStructures(
      _ courses: [Curriculum], labels: [ExportScenario], home: ExportHomePage
    ) throws {
      guard curriculum == nil, let output else {
        guard let course = courses.first else { return }
        try emit(
          CMI5CourseStructure.xml(course, scenarios: labels, homePage: home),
          summary: "the cmi5 course structure of \(course.id)")
        return
      }
      let folder = URL(fileURLWithPath: output)
      for course in courses {
        let file = folder.appendingPathComponent(course.id).appendingPathComponent("cmi5.xml")
        try write(
          CMI5CourseStructure.xml(course, scenarios: labels, homePage: home), to: file,
          makingFolders: true)
      }
      Console.error(
        "Wrote the cmi5 course structure of \(courses.count) curricul\(courses.count == 1 ? "um" : "a") under \(output)"
      )
    }

    /// To --output (atomically, with a line on stderr saying what went there), or stdout.
    private func emit(_ text: String, summary: String) throws {
      guard let output else {
        // A file or a pipe gets the data as stored; a terminal shows control characters
        // escaped (a name could carry an escape sequence).
        Console.out(isatty(STDOUT_FILENO) == 1 ? TerminalText.sanitized(text) : text)
        return
      }
      try write(text, to: URL(fileURLWithPath: output), makingFolders: false)
      Console.error("Wrote \(summary) to \(output)")
    }

    /// Writes to a temporary file beside the target and renames it over the target, so a
    /// reader (an LMS picking the file up) sees the old file or the new one, never a part.
    private func write(_ text: String, to file: URL, makingFolders: Bool) throws {
      do {
        if makingFolders {
          try FileManager.default.createDirectory(
            at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        }
        try Data(text.utf8).write(to: file, options: .atomic)
      } catch {
        Console.error("hotline-sim: cannot write \(file.path): \(error.localizedDescription)")
        throw ExitCode(1)
      }
    }

    private func warnMissing(_ missing: [String], root: String) {
      guard !missing.isEmpty else { return }
      Console.error(
        "hotline-sim: warning: sessions in \(missing.joined(separator: ", ")) are not in the "
          + "gradebook: no curriculum with that id under \(root)")
    }

    /// --output must name a file in a folder that exists (or, for every curriculum's cmi5.xml,
    /// a folder, made if missing, under one that exists).
    static func checkOutput(_ output: String, directory: Bool) throws {
      var isDirectory: ObjCBool = false
      let exists = FileManager.default.fileExists(atPath: output, isDirectory: &isDirectory)
      if directory {
        if exists, !isDirectory.boolValue {
          throw ValidationError(
            "--output: '\(output)' is a file; without --curriculum, cmi5 needs a folder")
        }
        return
      }
      if exists, isDirectory.boolValue {
        throw ValidationError("--output: '\(output)' is a folder; give a file name")
      }
      let parent = URL(fileURLWithPath: output).deletingLastPathComponent().path
      var parentIsDirectory: ObjCBool = false
      guard FileManager.default.fileExists(atPath: parent, isDirectory: &parentIsDirectory),
        parentIsDirectory.boolValue
      else {
        throw ValidationError("--output: the folder '\(parent)' does not exist")
      }
    }
  }
}

/// What `export` writes.
enum ExportFormat: String, ExpressibleByArgument, CaseIterable {
  case csv, xapi, cmi5
}
