import Foundation
import ScenarioKit

extension TrainingReport {
  /// The report as plain text for a terminal or an email: the same sections and numbers as the
  /// HTML page, charts as tables. Lines stay within 100 columns except for long table cells.
  public var text: String {
    var out: [String] = [title, subtitle, ""]
    if let session {
      out += TextSections.session(session)
    } else {
      out += TextSections.summary(figures)
    }
    // One attempt's report shows it against the trainee's other attempts at the scenario; the
    // spreads over scenarios and categories belong to the trainee's and cohort's reports.
    if session == nil {
      if !complianceByScenario.isEmpty { out += TextSections.compliance(complianceByScenario) }
      if !deviationRates.isEmpty { out += TextSections.rates(deviationRates) }
    }
    if !trend.points.isEmpty { out += TextSections.trend(trend) }
    if !missedQuestions.isEmpty {
      out += TextSections.findings(
        "Key questions most often missed", missedQuestions, reasons: reasons)
    }
    if !wrongEscalations.isEmpty {
      out += TextSections.findings(
        "Escalations most often wrong", wrongEscalations, reasons: reasons)
    }
    if !trainees.isEmpty { out += TextSections.trainees(trainees) }
    for course in courses { out += TextSections.course(course) }
    if !attempts.isEmpty {
      out += TextSections.attempts(
        attempts, heading: session == nil ? "Attempts" : "Attempts at this scenario")
    }
    if !reasons.isEmpty { out += TextSections.reasons(reasons) }
    if !rulesets.isEmpty {
      out.append(
        "Scored under ruleset \(rulesets.joined(separator: ", ")). Training data: contacts are fictional."
      )
    }
    return out.joined(separator: "\n") + "\n"
  }
}

/// The text report's sections, each a list of lines ending with a blank one.
private enum TextSections {
  typealias F = ReportFormat

  static func summary(_ figures: TrainingReport.Figures) -> [String] {
    var rows: [[String]] = [
      [
        "Attempts",
        "\(figures.attempts) (\(figures.scored) scored, \(figures.abandoned) abandoned, \(figures.active) in progress)",
      ],
      ["Trainees", "\(figures.trainees)"],
      ["Scenarios", "\(figures.scenarios)"],
    ]
    if figures.scored > 0 {
      rows.append(["Mean score", F.decimal(figures.meanScore)])
      rows.append([
        "Compliant or better",
        "\(figures.compliantShare.map(F.percent) ?? "-") of scored attempts",
      ])
      rows.append([
        "Critical",
        "\(F.count(figures.criticalAttempts, "scored attempt")) with a critical deviation",
      ])
    }
    return ["Summary"] + table(nil, rows, indent: 2) + [""]
  }

  static func compliance(_ rows: [TrainingReport.ScenarioCompliance]) -> [String] {
    // Short headers keep the table within a terminal; the key is under it.
    let headers = ["Scenario", "High", "Compl", "Partial", "Low", "Non", "Unscored", "Mean"]
    let body = rows.map { row in
      [F.cut(row.title, 48)] + row.counts.map(String.init) + [
        "\(row.notScored)", F.decimal(row.meanScore),
      ]
    }
    return ["Compliance levels by scenario (scored attempts)"]
      + table(headers, body, indent: 2, right: Set(1...7))
      + [
        "  High: high compliance (no deviation); Compl: compliant (minor only); Partial: worst moderate;",
        "  Low: worst major; Non: non-compliant (a critical deviation); Unscored: abandoned or unfinished.",
        "",
      ]
  }

  static func rates(_ rates: [TrainingReport.CategoryRate]) -> [String] {
    let body = rates.map {
      [$0.label, F.percent($0.rate), "\($0.attemptsWith) of \($0.scored)", "\($0.deviations)"]
    }
    return ["Deviation rate by category (share of scored attempts with at least one)"]
      + table(["Category", "Rate", "Attempts", "Deviations"], body, indent: 2, right: [1, 3])
      + [""]
  }

  static func trend(_ trend: TrainingReport.Trend) -> [String] {
    switch trend.kind {
    case .attempts:
      let body = trend.points.map {
        [
          "\($0.number)\($0.isFocus ? " (this one)" : "")", $0.started.map(F.time) ?? "",
          F.cut($0.scenario ?? "", 48), F.compliance($0.compliance ?? ""), "\(Int($0.score))",
        ]
      }
      return ["Score trend over attempts (scored attempts, oldest first)"]
        + table(
          ["Attempt", "Started", "Scenario", "Compliance", "Score"], body, indent: 2, right: [4])
        + [""]
    case .cohortMean:
      let body = trend.points.map {
        [
          "\($0.number)", "\($0.count)", F.decimal($0.score), "\(Int($0.low))",
          "\(Int($0.high))",
        ]
      }
      return ["Score trend over attempts (each trainee's n-th scored attempt)"]
        + table(
          ["Attempt", "Trainees", "Mean", "Lowest", "Highest"], body, indent: 2,
          right: [1, 2, 3, 4]) + [""]
    }
  }

  static func findings(
    _ heading: String, _ findings: [TrainingReport.Finding], reasons: [TrainingReport.Reason]
  ) -> [String] {
    var lines = [heading]
    for (index, finding) in findings.enumerated() {
      let cited = finding.reasonAnchors.compactMap { anchor in
        reasons.first { $0.anchor == anchor }.map { $0.protocolID ?? "rule" }
      }
      lines += wrap(
        "\(index + 1). \(finding.text) (\(finding.scenarioID)): \(finding.count) of \(F.count(finding.outOf, "attempt")) (\(F.percent(finding.rate))), \(finding.severity.uppercased()).",
        indent: "  ", hanging: "     ")
      lines += wrap(finding.detail + ".", indent: "     ", hanging: "     ")
      lines += wrap(
        "Why: \(finding.because)\(cited.isEmpty ? "" : " [see \(cited.joined(separator: ", "))]")",
        indent: "     ", hanging: "     ")
    }
    return lines + [""]
  }

  static func trainees(_ trainees: [TrainingReport.TraineeLine]) -> [String] {
    let body = trainees.map { trainee in
      [
        trainee.name, trainee.cohort ?? "", "\(trainee.attempts)", "\(trainee.scored)",
        F.decimal(trainee.meanScore), trainee.bestScore.map(String.init) ?? "-",
        trainee.latestCompliance.map { "\(F.compliance($0)) (\(trainee.latestScore ?? 0))" }
          ?? "-",
        "\(trainee.criticalAttempts)", trainee.mastery,
      ]
    }
    return ["Trainees"]
      + table(
        [
          "Trainee", "Cohort", "Attempts", "Scored", "Mean", "Best", "Latest", "Critical",
          "Mastery",
        ], body, indent: 2, right: [2, 3, 4, 5, 7]) + [""]
  }

  static func course(_ course: TrainingReport.CourseTable) -> [String] {
    let body = course.rows.map { row in
      [row.trainee]
        + row.cells.map { "\(F.partState($0.state)) (\(F.count($0.attempts, "attempt")))" }
    }
    var lines = ["Progress: \(course.title)"]
    lines += table(["Trainee"] + course.parts.map(\.id), body, indent: 2)
    for part in course.parts {
      lines += wrap(
        "\(part.id): \(part.title). Mastery: \(part.rule).", indent: "  ", hanging: "    ")
    }
    return lines + [""]
  }

  static func attempts(_ attempts: [TrainingReport.AttemptLine], heading: String) -> [String] {
    let body = attempts.map { attempt in
      [
        String(attempt.sessionID.prefix(8)) + (attempt.isFocus ? "*" : ""),
        F.time(attempt.started), attempt.scenarioID, attempt.curriculumPart ?? "-", attempt.mode,
        attempt.status, attempt.compliance.map(F.compliance) ?? "-",
        attempt.score.map(String.init) ?? "-",
        attempt.worstMessage.map {
          F.cut("\((attempt.worstSeverity ?? "").uppercased()): \($0)", 60)
        } ?? "",
      ]
    }
    return [heading]
      + table(
        [
          "Session", "Started", "Scenario", "Curriculum/part", "Mode", "Ended", "Compliance",
          "Score", "Worst deviation",
        ], body, indent: 2, right: [7]) + [""]
  }

  static func session(_ detail: TrainingReport.SessionDetail) -> [String] {
    var lines = ["Result"]
    if let score = detail.score, let compliance = detail.compliance {
      lines.append("  Score \(score)/100: \(F.compliance(compliance)).")
    } else {
      lines.append("  Not scored (\(detail.status)).")
    }
    if let revealed = detail.accuracyRevealed, let truth = detail.accuracyTruth {
      lines.append(
        "  Accuracy \(F.percent(revealed)) on the facts gathered, \(F.percent(truth)) against what was really happening."
      )
    }
    lines += wrap(
      "Scenario \(detail.scenarioID) v\(detail.scenarioVersion)"
        + (detail.curriculumPart.map { " in \($0)" } ?? "")
        + ", \(detail.mode), scored as \(F.level(detail.audience)), ruleset \(detail.rulesetVersion); ended \(detail.status)"
        + (detail.journal.last.map { " at \($0.at)" } ?? "") + ".",
      indent: "  ", hanging: "  ")
    lines.append("")
    guard detail.hasRecord else {
      return lines + ["The stored score record could not be read; no decision details.", ""]
    }
    lines.append("Decision: expected and done")
    lines.append(
      "  Escalation: expected \(detail.expectedEscalation.map(F.level) ?? "-"); set \(detail.traineeEscalation.map(F.level) ?? "none")."
    )
    if !detail.referrals.isEmpty {
      lines += table(
        ["Made", "Expected referral", "Role", "Basis", "Protocol"],
        detail.referrals.map {
          [
            ($0.made ? "yes" : "no") + ($0.answerable ? "" : " (not scored)"),
            "\($0.name) (\($0.contact))", F.role($0.role),
            F.consent($0.consent), $0.protocolID,
          ]
        }, indent: 2)
    }
    if !detail.extraReferrals.isEmpty {
      lines.append("  Referred but not expected: \(detail.extraReferrals.joined(separator: ", ")).")
    }
    lines.append(
      "  Questions asked: \(detail.questionsAsked). Protocols named: \(detail.protocolsNamed.isEmpty ? "none" : detail.protocolsNamed.joined(separator: ", "))."
    )
    lines.append("")
    lines.append("Deviations")
    if detail.deviations.isEmpty { lines.append("  None.") }
    for deviation in detail.deviations {
      lines += wrap(
        "\(deviation.at) \(deviation.severity.uppercased()) (\(F.category(deviation.category))): \(deviation.message)",
        indent: "  ", hanging: "        ")
      lines += wrap("Why: \(deviation.because)", indent: "        ", hanging: "        ")
    }
    lines.append("")
    if !detail.whatHappensNext.isEmpty {
      lines.append("What happens next (outside the trainee's duties)")
      lines += detail.whatHappensNext.map {
        "  \(F.role($0.role)): \($0.contact) (\($0.protocolID))"
      }
      lines.append("")
    }
    if !detail.credits.isEmpty {
      lines.append("Credit")
      for credit in detail.credits { lines += wrap(credit, indent: "  ", hanging: "  ") }
      lines.append("")
    }
    lines.append("Timeline (simulated clock)")
    lines += detail.journal.map { "  \($0.at)  \($0.input)" }
    return lines + [""]
  }

  static func reasons(_ reasons: [TrainingReport.Reason]) -> [String] {
    var lines = ["The engine's reasons"]
    for reason in reasons {
      lines += wrap(
        "\(reason.protocolID ?? "Rule"): \(reason.title)", indent: "  ", hanging: "    ")
      lines += wrap(reason.because, indent: "    ", hanging: "    ")
      if !reason.scenarios.isEmpty {
        lines += wrap(
          "Applies in: \(reason.scenarios.joined(separator: "; ")).", indent: "    ",
          hanging: "    ")
      }
    }
    return lines + [""]
  }

  // MARK: - Layout

  /// Columns padded to their widest cell, numbers right-aligned, no trailing spaces.
  static func table(
    _ headers: [String]?, _ rows: [[String]], indent: Int, right: Set<Int> = []
  ) -> [String] {
    let all = (headers.map { [$0] } ?? []) + rows
    let columns = all.map(\.count).max() ?? 0
    let widths = (0..<columns).map { column in
      all.map { column < $0.count ? $0[column].count : 0 }.max() ?? 0
    }
    func line(_ cells: [String]) -> String {
      let padded = cells.enumerated().map { column, cell in
        let pad = String(repeating: " ", count: widths[column] - cell.count)
        return right.contains(column) ? pad + cell : cell + pad
      }
      var text = String(repeating: " ", count: indent) + padded.joined(separator: "  ")
      while text.last == " " { text.removeLast() }
      return text
    }
    var lines: [String] = []
    if let headers {
      lines.append(line(headers.map { $0.uppercased() }))
    }
    return lines + rows.map(line)
  }

  /// Words wrapped at 100 columns: the first line after `indent`, the rest after `hanging`.
  static func wrap(_ text: String, indent: String, hanging: String) -> [String] {
    var lines: [String] = []
    var current = indent
    var empty = true
    for word in text.split(separator: " ") {
      if !empty, current.count + 1 + word.count > 100 {
        lines.append(current)
        current = hanging + word
      } else {
        current += (empty ? "" : " ") + word
      }
      empty = false
    }
    lines.append(current)
    return lines
  }
}
