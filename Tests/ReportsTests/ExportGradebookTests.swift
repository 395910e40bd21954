import CurriculumKit
import Foundation
import Reports
import ResultsStore
import Testing

@Suite("Export: the gradebook CSV")
struct ExportGradebookTests {
  /// Three trainees in the fixture course, between them every mastery state: Ana masters
  /// `first` and uses up `second`'s two attempts (closed), so `third` stays locked; Bo has a
  /// low attempt at `first`; Zoë's only session is interrupted. Plus sessions the gradebook
  /// leaves out: one outside curricula, one in a curriculum that no longer exists.
  static let sessions: [SessionSummary] = [
    ExportFixtures.session(1, trainee: "Ana Ruiz", scenario: "adult-text-no-consent"),
    ExportFixtures.session(
      2, trainee: "Ana Ruiz", scenario: "tx-minor-online-ad",
      part: ("export-fixture", "second"), score: 70, minute: 10),
    ExportFixtures.session(
      3, trainee: "Ana Ruiz", scenario: "tx-minor-online-ad",
      part: ("export-fixture", "second"), status: .abandoned, score: 0,
      compliance: "non_compliant", minute: 20),
    ExportFixtures.session(
      4, trainee: "Bo \"Boss\" Lee, Jr.", cohort: "Shift, B", scenario: "tx-wrong-caller",
      score: 60, compliance: "low", minute: 5),
    ExportFixtures.session(
      5, trainee: "Zoë Ålund", cohort: nil, scenario: "adult-text-no-consent", status: .active,
      minute: 30),
    ExportFixtures.session(
      6, trainee: "Ana Ruiz", scenario: "tx-teacher-duty", part: nil, score: 100,
      compliance: "high_compliance", minute: 40),
    ExportFixtures.session(
      7, trainee: "Bo \"Boss\" Lee, Jr.", cohort: "Shift, B", scenario: "tx-wrong-caller",
      part: ("gone-course", "intro"), minute: 50),
  ]

  static let expectedRows: [[String]] = [
    ExportGradebookTests.header,
    [
      "Ana Ruiz", "Nov", "export-fixture", "3", "first", "practice", "mastered", "90", "1",
      "2026-11-20T09:02:30Z", "compliant",
    ],
    [
      "Ana Ruiz", "Nov", "export-fixture", "3", "second", "assessment", "closed", "70", "2",
      "2026-11-20T09:22:30Z", "",
    ],
    ["Ana Ruiz", "Nov", "export-fixture", "3", "third", "practice", "locked", "", "0", "", ""],
    [
      "Bo \"Boss\" Lee, Jr.", "Shift, B", "export-fixture", "3", "first", "practice",
      "in_progress", "60", "1", "2026-11-20T09:07:30Z", "low",
    ],
    [
      "Bo \"Boss\" Lee, Jr.", "Shift, B", "export-fixture", "3", "second", "assessment",
      "locked", "", "0", "", "",
    ],
    [
      "Bo \"Boss\" Lee, Jr.", "Shift, B", "export-fixture", "3", "third", "practice", "locked",
      "", "0", "", "",
    ],
    ["Zoë Ålund", "", "export-fixture", "3", "first", "practice", "available", "", "0", "", ""],
    ["Zoë Ålund", "", "export-fixture", "3", "second", "assessment", "locked", "", "0", "", ""],
    ["Zoë Ålund", "", "export-fixture", "3", "third", "practice", "locked", "", "0", "", ""],
  ]

  static let header = [
    "trainee", "cohort", "curriculum", "version", "part", "mode", "mastery", "best_score",
    "attempts", "last_attempt", "last_compliance",
  ]

  /// Python's `csv` module (RFC 4180 dialect `excel`, what spreadsheets write) reads back
  /// exactly the cells meant, quotes, commas and non-ASCII names included.
  @Test func pythonsCSVReaderReadsBackEveryCell() throws {
    let book = GradebookCSV.build(
      sessions: Self.sessions, curricula: [try ExportFixtures.curriculum()])
    let python = try ExportFixtures.python(
      """
      import csv, json, sys
      with open(sys.argv[1], newline='', encoding='utf-8') as f:
          print(json.dumps(list(csv.reader(f, strict=True))))
      """, input: book.csv)
    #expect(python.status == 0, "\(python.stderr)")
    let rows = try JSONSerialization.jsonObject(with: Data(python.stdout.utf8)) as? [[String]]
    #expect(rows == Self.expectedRows)
    #expect(book.rows == Self.expectedRows.count - 1)
    #expect(GradebookCSV.columns == Self.header)
  }

  /// Byte for byte what `Fixtures/export-gradebook.csv` holds: CRLF after every record, a
  /// field quoted only when it must be.
  @Test func theFileIsRFC4180WithCRLFLineEnds() throws {
    let book = GradebookCSV.build(
      sessions: Self.sessions, curricula: [try ExportFixtures.curriculum()])
    let expected = try Data(
      contentsOf: ExportFixtures.fixtures.appendingPathComponent("export-gradebook.csv"))
    #expect(Data(book.csv.utf8) == expected)
    let records = book.csv.components(separatedBy: "\r\n")
    #expect(records.last == "")
    #expect(records.dropLast().allSatisfy { !$0.contains("\n") && !$0.contains("\r") })
    #expect(records.contains { $0.hasPrefix("\"Bo \"\"Boss\"\" Lee, Jr.\",\"Shift, B\",") })
  }

  @Test func theOrderDoesNotDependOnTheInputOrder() throws {
    let curriculum = try ExportFixtures.curriculum()
    let once = GradebookCSV.build(sessions: Self.sessions, curricula: [curriculum])
    let again = GradebookCSV.build(
      sessions: Self.sessions.reversed(), curricula: [curriculum, curriculum])
    #expect(once == again)
  }

  /// A session in a curriculum the folder no longer has cannot be graded (a part's state
  /// needs the part's rules); the command warns about it.
  @Test func aCurriculumThatIsGoneIsReportedNotGraded() throws {
    let book = GradebookCSV.build(
      sessions: Self.sessions, curricula: [try ExportFixtures.curriculum()])
    #expect(book.missingCurricula == ["gone-course"])
    #expect(!book.csv.contains("gone-course"))
    let none = GradebookCSV.build(sessions: Self.sessions, curricula: [])
    #expect(none.rows == 0)
    #expect(none.csv == Self.header.joined(separator: ",") + "\r\n")
    #expect(none.missingCurricula == ["export-fixture", "gone-course"])
  }

  /// `since` picks whose rows to show, never what they count: Ana's `second` still has two
  /// attempts and is closed although only the abandoned one is after the day.
  @Test func sinceSelectsTraineesButMasteryCountsTheWholeHistory() throws {
    let book = GradebookCSV.build(
      sessions: Self.sessions, curricula: [try ExportFixtures.curriculum()],
      since: ExportFixtures.start.addingTimeInterval(15 * 60))
    let lines = book.csv.components(separatedBy: "\r\n")
    #expect(
      lines.contains {
        $0.hasPrefix("Ana Ruiz,Nov,export-fixture,3,second,assessment,closed,70,2,")
      })
    #expect(!book.csv.contains("Boss"))
    #expect(book.csv.contains("Zoë Ålund"))
    #expect(book.rows == 6)
  }
}
