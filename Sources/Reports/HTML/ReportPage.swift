import Mustache
import ScenarioKit

extension TrainingReport {
  /// The report as one self-contained HTML page: inline CSS, charts as inline SVG computed
  /// here, each chart followed by a table with the same numbers, and links from every finding
  /// to the engine's reason further down the page. No script, no font or image to fetch; it
  /// prints on A4 or Letter.
  ///
  /// - Throws: `ReportsError.template` if a built-in template does not compile (a bug).
  public func html() throws(ReportsError) -> String {
    let library = try ReportHTML.Templates.library()
    let page = ReportHTML.PageBuilder(report: self).page
    return library.render(page, withTemplate: "page") ?? ""
  }
}

extension ReportHTML {
  /// Turns the report's sections into the templates' values.
  struct PageBuilder {
    typealias F = ReportFormat
    let report: TrainingReport

    var page: PageView {
      var toc: [LinkView] = []
      let sessions = report.session.map { [sessionView($0)] } ?? []
      if !sessions.isEmpty {
        toc += [
          LinkView(anchor: "decision", label: "Decision"),
          LinkView(anchor: "deviations", label: "Deviations"),
        ]
        if sessions.first?.hasNext == true {
          toc.append(LinkView(anchor: "next", label: "What happens next"))
        }
        toc.append(LinkView(anchor: "timeline", label: "Timeline"))
      }
      let charts = chartSections
      toc += charts.map { LinkView(anchor: $0.anchor, label: $0.heading) }
      let tables = tableSections
      toc += tables.map { LinkView(anchor: $0.anchor, label: $0.heading) }
      let reasons = report.reasons.map { reason in
        ReasonView(
          anchor: reason.anchor, label: reason.protocolID ?? "Rule", title: reason.title,
          because: reason.because,
          applies: reason.scenarios.isEmpty
            ? "" : "Expected in: " + reason.scenarios.joined(separator: "; ") + ".",
          hasApplies: !reason.scenarios.isEmpty)
      }
      if !reasons.isEmpty { toc.append(LinkView(anchor: "reasons", label: "The engine's reasons")) }
      let cards = self.cards
      return PageView(
        title: report.title, subtitle: report.subtitle, kind: kind, toc: toc, cards: cards,
        hasCards: !cards.isEmpty, sessionSections: sessions, charts: charts, tables: tables,
        reasons: reasons, hasReasons: !reasons.isEmpty, footer: footer)
    }

    var kind: String {
      switch report.subject {
      case .trainee: "Trainee report"
      case .cohort: "Cohort report"
      case .session: "Session report"
      }
    }

    // MARK: - Headline figures

    var cards: [CardView] {
      func card(_ label: String, _ value: String, note: String = "", badge: String = "")
        -> CardView
      {
        CardView(
          label: label, value: value, note: note, hasNote: !note.isEmpty, badge: badge,
          hasBadge: !badge.isEmpty)
      }
      if let session = report.session {
        var cards = [
          card(
            "Score", session.score.map { "\($0)/100" } ?? "-",
            note: session.score == nil ? "not scored" : "")
        ]
        if let compliance = session.compliance {
          cards.append(card("Compliance", F.compliance(compliance), badge: "c-\(compliance)"))
        }
        if let revealed = session.accuracyRevealed, let truth = session.accuracyTruth {
          cards.append(
            card(
              "Accuracy on facts gathered", F.percent(revealed), note: "acted on what was learned"))
          cards.append(
            card("Accuracy against the truth", F.percent(truth), note: "learned what mattered"))
        }
        cards.append(
          card(
            "Ended", F.level(session.status),
            note: session.journal.last.map { "at \($0.at) on the simulated clock" } ?? ""))
        return cards
      }
      let figures = report.figures
      var cards: [CardView] = []
      if case .cohort = report.subject {
        cards.append(card("Trainees", "\(figures.trainees)"))
      }
      cards.append(
        card(
          "Attempts", "\(figures.attempts)",
          note: "\(figures.scored) scored"
            + (figures.abandoned > 0 ? ", \(figures.abandoned) abandoned" : "")
            + (figures.active > 0 ? ", \(figures.active) in progress" : "")))
      cards.append(card("Mean score", F.decimal(figures.meanScore), note: "of scored attempts"))
      cards.append(
        card(
          "Compliant or better", figures.compliantShare.map(F.percent) ?? "-",
          note: "of scored attempts"))
      cards.append(
        card(
          "Critical deviations", "\(figures.criticalAttempts)",
          note: "scored attempts with one"))
      if case .trainee = report.subject {
        cards.append(card("Scenarios", "\(figures.scenarios)", note: "played"))
      }
      return cards
    }

    // MARK: - Charts

    var chartSections: [ChartSectionView] {
      var sections: [ChartSectionView] = []
      let scope: String
      switch report.subject {
      case .session: scope = "this trainee's attempts at this scenario"
      case .trainee: scope = "this trainee's attempts"
      case .cohort: scope = "the cohort's attempts"
      }
      // One attempt's page shows it against the trainee's other attempts at the scenario; the
      // spreads over scenarios and categories belong to the trainee's and cohort's pages.
      if case .session = report.subject {
        return report.trend.points.isEmpty ? [] : [trendSection(scope: scope)]
      }
      if !report.complianceByScenario.isEmpty {
        sections.append(complianceSection(scope: scope))
      }
      if !report.deviationRates.isEmpty { sections.append(ratesSection(scope: scope)) }
      if !report.trend.points.isEmpty {
        sections.append(trendSection(scope: scope))
      }
      if !report.missedQuestions.isEmpty {
        sections.append(
          findingSection(
            report.missedQuestions, anchor: "missed-questions",
            heading: "Key questions most often missed",
            lede:
              "The facts the engine's decision turns on that attempts did not establish: a question not asked, a caller's mistake not checked, a change not caught. Each bar and row links to the protocol that makes the fact matter.",
            column: "Question", verb: "missed"))
      }
      if !report.wrongEscalations.isEmpty {
        sections.append(
          findingSection(
            report.wrongEscalations, anchor: "wrong-escalations",
            heading: "Escalations most often wrong",
            lede:
              "Where the escalation level set differed from the engine's. Each bar and row links to the reason for the level the situation calls for.",
            column: "Escalation", verb: "wrong"))
      }
      return sections
    }

    func complianceSection(scope: String) -> ChartSectionView {
      let rows = report.complianceByScenario
      let levels = Compliance.allCases.map(\.rawValue)
      let table = TableView(
        caption: "Scored attempts by scenario and compliance level",
        headers: [HeaderView(text: "Scenario", num: false)]
          + levels.map { HeaderView(text: F.compliance($0), num: true) }
          + [HeaderView(text: "Not scored", num: true), HeaderView(text: "Mean score", num: true)],
        rows: rows.map { row in
          RowView(
            cells: [CellView.header(row.title)] + row.counts.map { .plain("\($0)", num: true) }
              + [
                .plain("\(row.notScored)", num: true), .plain(F.decimal(row.meanScore), num: true),
              ],
            highlight: false)
        })
      return ChartSectionView(
        anchor: "compliance", heading: "Compliance levels by scenario",
        lede:
          "How \(scope) spread over the five dispatch-QA levels, per scenario: from high compliance (no deviation) to non-compliant (a critical one). Abandoned attempts are counted apart.",
        stacked: [Charts.compliance(rows, id: "chart-compliance")], bars: [], line: [],
        legend: levels.map { LegendView(swatch: "sw-\($0)", label: F.compliance($0)) },
        hasLegend: true, table: table, note: "", hasNote: false)
    }

    func ratesSection(scope: String) -> ChartSectionView {
      let rates = report.deviationRates
      let bars = rates.map { rate in
        Charts.Bar(
          label: rate.label, rate: rate.rate,
          value: "\(F.percent(rate.rate)) (\(rate.attemptsWith) of \(rate.scored))",
          tooltip:
            "\(rate.label): \(rate.attemptsWith) of \(F.count(rate.scored, "scored attempt")), \(F.count(rate.deviations, "deviation"))",
          fill: Charts.accent, href: "")
      }
      let table = TableView(
        caption: "Scored attempts with at least one deviation, by category",
        headers: [
          HeaderView(text: "Category", num: false), HeaderView(text: "Rate", num: true),
          HeaderView(text: "Attempts with one", num: true),
          HeaderView(text: "Scored attempts", num: true),
          HeaderView(text: "Deviations", num: true),
        ],
        rows: rates.map { rate in
          RowView(
            cells: [
              .header(rate.label), .plain(F.percent(rate.rate), num: true),
              .plain("\(rate.attemptsWith)", num: true), .plain("\(rate.scored)", num: true),
              .plain("\(rate.deviations)", num: true),
            ], highlight: false)
        })
      let desc =
        "Share of scored attempts with at least one deviation in each category: "
        + rates.map { "\($0.label) \(F.percent($0.rate))" }.joined(separator: ", ") + "."
      return ChartSectionView(
        anchor: "deviation-rates", heading: "Deviation rate by category",
        lede:
          "The share of \(scope) (scored) with at least one deviation of each kind. Key questions are facts not established; referrals are referrals missed or made without a basis.",
        stacked: [],
        bars: [
          Charts.bars(
            bars, id: "chart-deviation-rates", title: "Deviation rate by category", desc: desc,
            axis: "Share of scored attempts")
        ], line: [], legend: [], hasLegend: false, table: table, note: "", hasNote: false)
    }

    func trendSection(scope: String) -> ChartSectionView {
      let trend = report.trend
      let table: TableView
      let legend: [LegendView]
      let lede: String
      switch trend.kind {
      case .attempts:
        lede =
          "The score (0-100) of each of \(scope) that was scored, oldest first; each point is coloured by its compliance level."
          + (report.session == nil ? "" : " The ringed point is this session.")
        legend = Compliance.allCases.map {
          LegendView(swatch: "sw-\($0.rawValue)", label: F.compliance($0.rawValue))
        }
        table = TableView(
          caption: "Scores over attempts",
          headers: [
            HeaderView(text: "Attempt", num: true), HeaderView(text: "Started", num: false),
            HeaderView(text: "Scenario", num: false), HeaderView(text: "Session", num: false),
            HeaderView(text: "Compliance", num: false), HeaderView(text: "Score", num: true),
          ],
          rows: trend.points.map { point in
            RowView(
              cells: [
                .plain("\(point.number)", num: true), .plain(point.started.map(F.time) ?? ""),
                .plain(point.scenario ?? ""), .mono(String((point.sessionID ?? "").prefix(8))),
                .badge(F.compliance(point.compliance ?? ""), "c-\(point.compliance ?? "")"),
                .plain("\(Int(point.score))", num: true),
              ], highlight: point.isFocus)
          })
      case .cohortMean:
        lede =
          "The mean score of every trainee's first scored attempt, second, and so on: does the cohort improve with practice? The band runs from the lowest to the highest score."
        legend = [
          LegendView(swatch: "sw-accent", label: "Mean score"),
          LegendView(swatch: "sw-band", label: "Lowest to highest"),
        ]
        table = TableView(
          caption: "Scores by attempt number",
          headers: [
            HeaderView(text: "Attempt", num: true), HeaderView(text: "Trainees", num: true),
            HeaderView(text: "Mean", num: true), HeaderView(text: "Lowest", num: true),
            HeaderView(text: "Highest", num: true),
          ],
          rows: trend.points.map { point in
            RowView(
              cells: [
                .plain("\(point.number)", num: true), .plain("\(point.count)", num: true),
                .plain(F.decimal(point.score), num: true),
                .plain("\(Int(point.low))", num: true), .plain("\(Int(point.high))", num: true),
              ], highlight: false)
          })
      }
      return ChartSectionView(
        anchor: "score-trend", heading: "Score trend over attempts", lede: lede, stacked: [],
        bars: [], line: [Charts.trend(trend, id: "chart-score-trend")], legend: legend,
        hasLegend: true, table: table, note: "", hasNote: false)
    }

    func findingSection(
      _ findings: [TrainingReport.Finding], anchor: String, heading: String, lede: String,
      column: String, verb: String
    ) -> ChartSectionView {
      let bars = findings.enumerated().map { index, finding in
        Charts.Bar(
          label: "\(index + 1). \(finding.text)", sublabel: finding.scenarioTitle,
          rate: finding.rate,
          value: "\(finding.count) of \(finding.outOf) (\(F.percent(finding.rate)))",
          tooltip:
            "\(finding.scenarioTitle): \(finding.text), \(verb) in \(finding.count) of \(F.count(finding.outOf, "scored attempt")); \(finding.severity)",
          fill: Charts.severityColor(finding.severity),
          href: finding.reasonAnchors.first.map { "#\($0)" } ?? "")
      }
      let severities = Set(findings.map(\.severity))
      let legend = ["critical", "major", "moderate", "minor"].filter(severities.contains).map {
        LegendView(swatch: "sw-\($0)", label: F.sentence($0))
      }
      let table = TableView(
        caption: "\(heading), with the reason",
        headers: [
          HeaderView(text: "#", num: true), HeaderView(text: column, num: false),
          HeaderView(text: "Scenario", num: false),
          HeaderView(text: F.sentence(verb) + " in", num: true),
          HeaderView(text: "Severity", num: false), HeaderView(text: "Why it matters", num: false),
        ],
        rows: findings.enumerated().map { index, finding in
          RowView(
            cells: [
              .plain("\(index + 1)", num: true),
              .detailed(finding.text, F.sentence(finding.detail) + "."),
              .plain(finding.scenarioTitle),
              .plain(
                "\(finding.count) of \(finding.outOf) (\(F.percent(finding.rate)))", num: true),
              .badge(F.sentence(finding.severity), "s-\(finding.severity)"),
              .citing(finding.because, links(finding.reasonAnchors)),
            ], highlight: false)
        })
      let desc =
        findings.map {
          "\($0.text) (\($0.scenarioTitle)): \($0.count) of \($0.outOf)"
        }.joined(separator: "; ") + "."
      return ChartSectionView(
        anchor: anchor, heading: heading, lede: lede, stacked: [],
        bars: [
          Charts.bars(
            bars, id: "chart-\(anchor)", title: heading, desc: desc,
            axis: "Share of scored attempts at the scenario", rowHeight: 58)
        ], line: [], legend: legend, hasLegend: !legend.isEmpty, table: table,
        note: "Bars are coloured by the most serious severity seen.", hasNote: true)
    }

    /// Links to reasons by anchor, labelled with the protocol id (or "rule").
    func links(_ anchors: [String]) -> [LinkView] {
      anchors.compactMap { anchor in
        report.reasons.first { $0.anchor == anchor }.map {
          LinkView(anchor: anchor, label: $0.protocolID ?? "rule")
        }
      }
    }

    /// The anchor of a protocol's reason, when the page has it.
    func anchors(of protocolID: String) -> [String] {
      report.reasons.first { $0.protocolID == protocolID }.map { [$0.anchor] } ?? []
    }

    // MARK: - Tables

    var tableSections: [TableSectionView] {
      var sections: [TableSectionView] = []
      if !report.trainees.isEmpty { sections.append(traineesSection) }
      for (index, course) in report.courses.enumerated() {
        sections.append(courseSection(course, anchor: "progress-\(index + 1)"))
      }
      if !report.attempts.isEmpty { sections.append(attemptsSection) }
      return sections
    }

    var traineesSection: TableSectionView {
      TableSectionView(
        anchor: "trainees", heading: "Trainees",
        lede:
          "Each trainee's attempts and scores; `hotline-sim report trainee NAME` shows one in full.",
        hasLede: true,
        table: TableView(
          caption: "Trainees by name",
          headers: [
            HeaderView(text: "Trainee", num: false), HeaderView(text: "Cohort", num: false),
            HeaderView(text: "Attempts", num: true), HeaderView(text: "Scored", num: true),
            HeaderView(text: "Mean", num: true), HeaderView(text: "Best", num: true),
            HeaderView(text: "Latest", num: false), HeaderView(text: "Critical", num: true),
            HeaderView(text: "Mastery", num: false),
          ],
          rows: report.trainees.map { trainee in
            RowView(
              cells: [
                .header(trainee.name), .plain(trainee.cohort ?? "-"),
                .plain("\(trainee.attempts)", num: true), .plain("\(trainee.scored)", num: true),
                .plain(F.decimal(trainee.meanScore), num: true),
                .plain(trainee.bestScore.map(String.init) ?? "-", num: true),
                trainee.latestCompliance.map {
                  .badge(
                    "\(F.compliance($0)) · \(trainee.latestScore ?? 0)", "c-\($0)")
                } ?? .plain("-"),
                .plain("\(trainee.criticalAttempts)", num: true),
                .plain(trainee.mastery.isEmpty ? "-" : trainee.mastery),
              ], highlight: false)
          }), notes: [])
    }

    func courseSection(_ course: TrainingReport.CourseTable, anchor: String) -> TableSectionView {
      TableSectionView(
        anchor: anchor, heading: "Progress: \(course.title)",
        lede: "Where each trainee stands in each part, by the curriculum's mastery rules.",
        hasLede: true,
        table: TableView(
          caption: "Mastery by part (\(course.curriculumID))",
          headers: [HeaderView(text: "Trainee", num: false)]
            + course.parts.map { HeaderView(text: F.sentence($0.id), num: false) },
          rows: course.rows.map { row in
            RowView(
              cells: [.header(row.trainee)]
                + row.cells.map { cell in
                  var view = CellView.badge(F.partState(cell.state), "p-\(cell.state)")
                  view.suffix = " \(F.count(cell.attempts, "attempt"))"
                  return view
                }, highlight: false)
          }),
        notes: course.parts.map { "\($0.id): \($0.title). Mastery: \($0.rule)." })
    }

    var attemptsSection: TableSectionView {
      let isSession = report.session != nil
      return TableSectionView(
        anchor: "attempts", heading: isSession ? "Attempts at this scenario" : "Attempts",
        lede: isSession
          ? "This trainee's attempts at the scenario; the highlighted row is this session."
          : "Every attempt, oldest first; `hotline-sim report session ID` shows one in full.",
        hasLede: true,
        table: TableView(
          caption: "Attempts, oldest first",
          headers: [
            HeaderView(text: "Session", num: false), HeaderView(text: "Started", num: false),
            HeaderView(text: "Scenario", num: false),
            HeaderView(text: "Curriculum / part", num: false),
            HeaderView(text: "Ended", num: false), HeaderView(text: "Compliance", num: false),
            HeaderView(text: "Score", num: true), HeaderView(text: "Worst deviation", num: false),
          ],
          rows: report.attempts.map { attempt in
            RowView(
              cells: [
                .mono(String(attempt.sessionID.prefix(8))), .plain(F.time(attempt.started)),
                .plain(attempt.scenarioTitle),
                .plain((attempt.curriculumPart ?? "-") + " (\(attempt.mode))"),
                .plain(F.level(attempt.status)),
                attempt.compliance.map { .badge(F.compliance($0), "c-\($0)") } ?? .plain("-"),
                .plain(attempt.score.map(String.init) ?? "-", num: true),
                .plain(
                  attempt.worstMessage.map {
                    "\(F.sentence(attempt.worstSeverity ?? "")): \($0)"
                  } ?? ""),
              ], highlight: attempt.isFocus)
          }), notes: [])
    }

    // MARK: - Session

    func sessionView(_ detail: TrainingReport.SessionDetail) -> SessionView {
      let escalationMatches =
        detail.expectedEscalation != nil && detail.expectedEscalation == detail.traineeEscalation
      let protocolLinks = report.reasons.filter { reason in
        reason.protocolID.map { id in
          detail.referrals.contains { $0.protocolID == id }
            || detail.deviations.contains { $0.because.contains(id) }
        } ?? false
      }
      var decisionRows = [
        RowView(
          cells: [
            .header("Escalation"), .plain(detail.expectedEscalation.map(F.level) ?? "-"),
            .plain(detail.traineeEscalation.map(F.level) ?? "none set"),
            .badge(escalationMatches ? "Yes" : "No", escalationMatches ? "yes" : "no"),
          ], highlight: false)
      ]
      let answerable = detail.referrals.filter(\.answerable)
      let made = answerable.filter(\.made).count
      let outside = detail.referrals.count - answerable.count
      let allMade = made == answerable.count && detail.extraReferrals.isEmpty
      decisionRows.append(
        RowView(
          cells: [
            .header("Referrals"),
            .plain(
              F.count(answerable.count, "referral") + " to make"
                + (outside > 0 ? " (and \(outside) outside the trainee's duties)" : "")),
            .plain(
              "\(made) of them made"
                + (detail.extraReferrals.isEmpty
                  ? "" : ", and \(F.count(detail.extraReferrals.count, "other"))")),
            .badge(allMade ? "Yes" : "No", allMade ? "yes" : "no"),
          ], highlight: false))
      decisionRows.append(
        RowView(
          cells: [
            .header("Protocols"),
            .citing(
              protocolLinks.isEmpty ? "-" : "",
              protocolLinks.map { LinkView(anchor: $0.anchor, label: $0.protocolID ?? "") }),
            .plain(
              detail.protocolsNamed.isEmpty
                ? "none named" : "named " + detail.protocolsNamed.joined(separator: ", ")),
            .plain(""),
          ], highlight: false))
      let decision = TableView(
        caption: "The engine's decision beside the trainee's",
        headers: [
          HeaderView(text: "", num: false), HeaderView(text: "Engine", num: false),
          HeaderView(text: "Trainee", num: false), HeaderView(text: "Match", num: false),
        ], rows: decisionRows)
      let referrals = TableView(
        caption: "Referrals the engine expected now",
        headers: [
          HeaderView(text: "Contact", num: false), HeaderView(text: "Role", num: false),
          HeaderView(text: "Basis", num: false), HeaderView(text: "Protocol", num: false),
          HeaderView(text: "Made", num: false),
        ],
        rows: detail.referrals.map { referral in
          RowView(
            cells: [
              .header("\(referral.name) (\(referral.contact))"), .plain(F.role(referral.role)),
              .plain(F.consent(referral.consent)),
              .citing("", links(anchors(of: referral.protocolID))),
              referral.answerable
                ? .badge(referral.made ? "Yes" : "No", referral.made ? "yes" : "no")
                : .badge(referral.made ? "Yes (not scored)" : "Not scored", "neutral"),
            ], highlight: false)
        })
      var notes: [String] = []
      if !detail.extraReferrals.isEmpty {
        notes.append(
          "Referred but not expected: \(detail.extraReferrals.joined(separator: ", ")).")
      }
      notes.append(
        "Questions asked: \(detail.questionsAsked). Scenario \(detail.scenarioID) version \(detail.scenarioVersion)"
          + (detail.curriculumPart.map { ", \($0)" } ?? "")
          + "; \(detail.mode), scored as \(F.level(detail.audience)); ruleset \(detail.rulesetVersion)."
      )
      for credit in detail.credits { notes.append("Credit: \(credit)") }
      let deviations = TableView(
        caption: "Deviations in the scorer's order",
        headers: [
          HeaderView(text: "Time", num: false), HeaderView(text: "Severity", num: false),
          HeaderView(text: "Category", num: false), HeaderView(text: "What happened", num: false),
          HeaderView(text: "Why", num: false),
        ],
        rows: detail.deviations.map { deviation in
          RowView(
            cells: [
              .mono(deviation.at),
              .badge(F.sentence(deviation.severity), "s-\(deviation.severity)"),
              .plain(F.category(deviation.category)), .plain(deviation.message),
              .citing(deviation.because, links(deviation.reasonAnchors)),
            ], highlight: false)
        })
      let next = TableView(
        caption: "Expected referrals outside the trainee's duties",
        headers: [
          HeaderView(text: "Role", num: false), HeaderView(text: "Contact", num: false),
          HeaderView(text: "Protocol", num: false),
        ],
        rows: detail.whatHappensNext.map { step in
          RowView(
            cells: [
              .header(F.role(step.role)), .mono(step.contact),
              .citing("", links(anchors(of: step.protocolID))),
            ], highlight: false)
        })
      let timeline = TableView(
        caption: "Verbs on the simulated clock",
        headers: [HeaderView(text: "Time", num: false), HeaderView(text: "Verb", num: false)],
        rows: detail.journal.map { step in
          RowView(cells: [.mono(step.at), .mono(step.input)], highlight: false)
        })
      return SessionView(
        decision: decision, referrals: referrals, hasReferrals: !detail.referrals.isEmpty,
        notes: notes, deviations: deviations, hasDeviations: !detail.deviations.isEmpty,
        next: next, hasNext: !detail.whatHappensNext.isEmpty, timeline: timeline,
        unreadable: !detail.hasRecord)
    }

    // MARK: - Footer

    var footer: [String] {
      var lines: [String] = []
      let figures = report.figures
      if let first = figures.firstAttempt, let last = figures.lastAttempt {
        lines.append(
          "Built from \(F.count(figures.attempts, "attempt")) in the results store, started between \(F.time(first)) and \(F.time(last)). The same store gives the same page."
        )
      }
      if !report.rulesets.isEmpty {
        lines.append(
          "Scored under ruleset \(report.rulesets.joined(separator: ", ")). Expected decisions come from the protocol engine, never from the scenario files."
        )
      }
      lines.append(
        "Training data: the contacts in the shipped directory are fictional. Compliance levels follow dispatch QA: high compliance (no deviation), compliant (minor only), partial (moderate), low (major), non-compliant (critical)."
      )
      return lines
    }
  }
}
