import CurriculumKit
import Foundation
import ResultsStore
import ScenarioKit

/// The gradebook an LMS or a spreadsheet imports: one row per trainee and curriculum part,
/// with the part's mastery state worked out exactly as `train` shows it.
///
/// RFC 4180 CSV: a header row, CRLF line ends, a field quoted only when it holds a comma, a
/// quote, CR or LF (quotes doubled inside). UTF-8 without a byte-order mark, which LibreOffice,
/// Google Sheets and LMS importers read; Excel's "From Text/CSV" import reads it too.
public enum GradebookCSV {
  /// The header, in column order.
  public static let columns = [
    "trainee", "cohort", "curriculum", "version", "part", "mode", "mastery", "best_score",
    "attempts", "last_attempt", "last_compliance",
  ]

  /// The gradebook and what it had to leave out.
  public struct Output: Sendable, Hashable {
    /// The CSV text, header included.
    public var csv: String
    /// Data rows (the header not counted).
    public var rows: Int
    /// Curricula that recorded sessions name but `curricula` does not have (renamed or
    /// deleted files); their sessions are not in the gradebook, since a part's state needs the
    /// part's rules. Sorted.
    public var missingCurricula: [String]
  }

  /// Builds the gradebook.
  ///
  /// A trainee gets rows for a curriculum once they have any session in it; every part of
  /// the curriculum is a row, those not yet played too (`available` or `locked`), so a
  /// coordinator sees how far each trainee is. Sessions outside curricula are not graded here.
  ///
  /// - Parameters:
  ///   - sessions: Every session of the trainees to grade, in any order. Mastery depends on
  ///     the whole history, so pass all of it and narrow with `since`, not with the store's
  ///     filter.
  ///   - curricula: The curricula as they are now; mastery is judged by their current rules
  ///     (attempts are matched by curriculum and part id across versions, as `train` does),
  ///     and `version` is the current file's.
  ///   - since: When given, only trainee-and-curriculum blocks with a session begun at or
  ///     after it; the figures in them still count every attempt.
  /// - Returns: Rows sorted by trainee, curriculum id, then the curriculum's part order.
  public static func build(
    sessions: [SessionSummary], curricula: [Curriculum], since: Date? = nil
  ) -> Output {
    let byID = Dictionary(curricula.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
    let ordered = sessions.sorted {
      ($0.session.startedAt, $0.session.id) < ($1.session.startedAt, $1.session.id)
    }
    var missing: Set<String> = []
    var blocks: [BlockKey: [SessionSummary]] = [:]
    for summary in ordered {
      guard let curriculum = summary.session.curriculumID else { continue }
      guard byID[curriculum] != nil else {
        missing.insert(curriculum)
        continue
      }
      blocks[BlockKey(trainee: summary.session.traineeName, curriculum: curriculum), default: []]
        .append(summary)
    }
    var lines = [columns]
    for key in blocks.keys.sorted() {
      guard let curriculum = byID[key.curriculum], let block = blocks[key] else { continue }
      if let since, !block.contains(where: { $0.session.startedAt >= since }) { continue }
      lines += rows(curriculum, trainee: key.trainee, sessions: block)
    }
    return Output(
      csv: lines.map { $0.map(field).joined(separator: ",") }.joined(separator: "\r\n") + "\r\n",
      rows: lines.count - 1, missingCurricula: missing.sorted())
  }

  /// One trainee in one curriculum.
  private struct BlockKey: Hashable, Comparable {
    var trainee: String
    var curriculum: String

    static func < (lhs: BlockKey, rhs: BlockKey) -> Bool {
      (lhs.trainee, lhs.curriculum) < (rhs.trainee, rhs.curriculum)
    }
  }

  /// The rows of one trainee's curriculum, in part order.
  private static func rows(_ curriculum: Curriculum, trainee: String, sessions: [SessionSummary])
    -> [[String]]
  {
    let finished = sessions.filter { $0.session.status != .active }
    let progress = CourseProgress(
      curriculum: curriculum, attempts: finished.map(CourseAttempts.attempt))
    let cohort = sessions.last?.session.cohort ?? ""
    return progress.parts.map { part in
      let mine = finished.filter { $0.session.partID == part.part.id }
      let scored = mine.filter { $0.session.status == .submitted }.compactMap(\.score)
      let last = mine.last
      let lastCompliance =
        last.flatMap { $0.session.status == .submitted ? $0.score?.compliance : nil } ?? ""
      return [
        trainee, cohort, curriculum.id, String(curriculum.version), part.part.id,
        part.part.mode.rawValue, part.state.rawValue,
        scored.map(\.score).max().map(String.init) ?? "", String(part.attempts),
        last.map { ExportText.seconds($0.session.endedAt ?? $0.session.startedAt) } ?? "",
        lastCompliance,
      ]
    }
  }

  /// One field, quoted when RFC 4180 requires it.
  static func field(_ text: String) -> String {
    guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" })
    else { return text }
    return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
  }
}

/// Attempts as `CourseProgress` reads them, from stored sessions; the same reading as
/// `train`'s, so the gradebook and the trainee's own progress screen agree.
public enum CourseAttempts {
  /// A finished session as an attempt: scored when it was submitted with a score whose
  /// compliance is known, abandoned otherwise.
  public static func attempt(_ summary: SessionSummary) -> Attempt {
    let session = summary.session
    let outcome: Attempt.Outcome
    if session.status == .submitted, let score = summary.score,
      let compliance = Compliance(rawValue: score.compliance)
    {
      outcome = .scored(
        compliance: compliance, score: score.score,
        critical: score.deviations.contains { $0.severity == "critical" })
    } else {
      outcome = .abandoned
    }
    return Attempt(
      session: session.id, part: session.partID ?? "", scenario: session.scenarioID,
      outcome: outcome)
  }
}
