import ScenarioKit

extension AfterAction {
  /// The report as Markdown: headings, lists and pipe tables any Markdown viewer (and a
  /// spreadsheet, for the improvement plan) reads. Text from the team and evaluators is
  /// escaped, so it cannot break a table or inject markup.
  public var markdown: String {
    var out: [String] = []
    out.append("# After-Action Report / Improvement Plan: \(Self.inline(exercise))")
    out.append("")
    out.append("## 1. Exercise overview")
    out.append("")
    out.append("| | |")
    out.append("|---|---|")
    out.append("| Exercise | \(Self.cell(exercise)) |")
    out.append("| Date | \(date) |")
    out.append("| Team | \(Self.cell(team)) |")
    out.append(
      "| Evaluators | \(evaluators.isEmpty ? "none named" : evaluators.map(Self.cell).joined(separator: ", ")) |"
    )
    out.append("| Audience (rubric) | \(audience.rawValue) |")
    out.append(
      "| Scenarios | \(played.map { "\(Self.cell($0.score.scenario.title)) (\($0.score.scenario.id))" }.joined(separator: "; ")) |"
    )
    out.append("")
    out.append(
      "Training data: the scenarios are fictional and the contacts are not real. The expected decisions are the protocol engine's on the scenario's facts (ruleset \(played.first?.score.expected.ruleset.version ?? ""))."
    )
    out.append("")
    out.append("## 2. Objectives")
    out.append("")
    for objective in ratedObjectives {
      out.append("\(objective.number). **\(Self.inline(objective.capability))**")
      for task in objective.tasks { out.append("   - \(Self.inline(task))") }
    }
    for (index, play) in played.enumerated() {
      let score = play.score
      out.append("")
      out.append("## \(3 + index * 2). Timeline: \(Self.inline(score.scenario.title))")
      out.append("")
      out.append("| Time | | What happened |")
      out.append("|---|---|---|")
      for entry in play.timeline {
        out.append(
          "| \(clockText(entry.at)) | \(entry.kind == .inject ? "inject" : "team") | \(Self.cell(entry.text)) |"
        )
      }
      out.append("")
      out.append(
        "## \(4 + index * 2). Expected and actual decisions: \(Self.inline(score.scenario.id))")
      out.append("")
      out.append(
        "Score \(score.score)/100, \(score.compliance.rawValue.replacingOccurrences(of: "_", with: " ")) (\(score.rubric.audience.rawValue) rubric); the attempt ended: \(score.ended.rawValue.replacingOccurrences(of: "_", with: " ")) at \(clockText(score.clock))."
      )
      out.append("")
      out.append("| Decision | The protocols expected | The team | Met | Why |")
      out.append("|---|---|---|---|---|")
      for row in Self.comparisons(score) {
        out.append(
          "| \(Self.cell(row.item)) | \(Self.cell(row.expected)) | \(Self.cell(row.team)) | \(row.met ? "yes" : "no") | \(Self.cell(row.because)) |"
        )
      }
    }
    let next = 3 + played.count * 2
    out.append("")
    out.append("## \(next). Analysis of objectives")
    out.append("")
    out.append("| # | Capability | Ratings (P/S/M/U) |")
    out.append("|---|---|---|")
    for objective in ratedObjectives {
      out.append(
        "| \(objective.number) | \(Self.cell(objective.capability)) | \(objective.ratings.isEmpty ? "not rated" : objective.ratings.map(Self.cell).joined(separator: "<br>")) |"
      )
    }
    out.append("")
    out.append(
      "P: performed without challenges. S: performed with some challenges. M: performed with major challenges. U: unable to be performed."
    )
    out.append("")
    out.append("## \(next + 1). Strengths")
    out.append("")
    let strengths = self.strengths
    out += strengths.isEmpty ? ["None recorded."] : strengths.map { "- \(Self.inline($0))" }
    out.append("")
    out.append("## \(next + 2). Areas for improvement")
    out.append("")
    let areas = areasForImprovement
    out += areas.isEmpty ? ["None recorded."] : areas.map { "- \(Self.inline($0.issue))" }
    out.append("")
    out.append("## \(next + 3). Improvement plan")
    out.append("")
    out.append(
      "For the team to complete: an owner and a due date for each corrective action.")
    out.append("")
    out.append(
      "| # | Issue / area for improvement | Corrective action | Capability | Owner | Due date |")
    out.append("|---|---|---|---|---|---|")
    for (index, area) in areas.enumerated() {
      out.append(
        "| \(index + 1) | \(Self.cell(area.issue)) | \(Self.cell(area.action)) | \(Self.cell(area.capability)) | | |"
      )
    }
    if areas.isEmpty { out.append("| | | | | | |") }
    return out.joined(separator: "\n") + "\n"
  }

  /// Text safe inside a Markdown table cell: no line breaks, no pipes, no markup.
  static func cell(_ text: String) -> String {
    inline(text).replacingOccurrences(of: "|", with: "\\|")
  }

  /// Text safe in running Markdown: HTML-significant characters as entities, one line.
  static func inline(_ text: String) -> String {
    text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
      .replacingOccurrences(of: ">", with: "&gt;")
      .replacingOccurrences(of: "\r", with: " ").replacingOccurrences(of: "\n", with: " ")
  }
}
