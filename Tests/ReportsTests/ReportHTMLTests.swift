import Foundation
import Reports
import ResultsStore
import Testing

@Suite("HTML report")
struct ReportHTMLTests {
  typealias F = ReportFixture

  /// The three kinds of page on the fixture store.
  static func pages() throws -> [(kind: String, html: String)] {
    let store = try F.store()
    let id = try F.sessionID("Luis Ortega", "tx-wrong-caller", 2, in: store)
    return [
      ("trainee", try F.report(.trainee("Dana Whitfield"), store: store).html()),
      ("cohort", try F.report(.cohort("Nov"), store: store).html()),
      ("session", try F.report(.session(id), store: store).html()),
    ]
  }

  @Test func everyPageIsSelfContained() throws {
    for (kind, html) in try Self.pages() {
      #expect(html.hasPrefix("<!DOCTYPE html>\n<html lang=\"en\">"), "\(kind)")
      for banned in [
        "<script", "<link", "<img", "<iframe", "@import", "url(", "http://", "https://", "src=",
      ] {
        #expect(!html.contains(banned), "\(kind) contains \(banned)")
      }
      // The page forbids fetching anything, so a stray reference fails in the browser.
      #expect(
        html.contains("content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\""))
      #expect(html.contains("@media print"))
    }
  }

  @Test func everyChartIsLabelledAndFollowedByItsTable() throws {
    for (kind, html) in try Self.pages() {
      let charts = html.components(separatedBy: "<svg class=\"chart\"").dropFirst()
      #expect(!charts.isEmpty, "\(kind) has no chart")
      for chart in charts {
        let id = try #require(chart.firstMatch(of: /id="([a-z-]+)"/)?.1)
        #expect(chart.contains("aria-labelledby=\"\(id)-title \(id)-desc\""))
        #expect(chart.contains("<title id=\"\(id)-title\">"))
        #expect(chart.contains("<desc id=\"\(id)-desc\">"))
        let after = try #require(chart.components(separatedBy: "</svg>").last)
        #expect(after.contains("<table>"), "\(kind): \(id) has no table after it")
      }
    }
    let cohort = try #require(try Self.pages().first { $0.kind == "cohort" }?.html)
    for id in [
      "chart-compliance", "chart-deviation-rates", "chart-score-trend", "chart-missed-questions",
      "chart-wrong-escalations",
    ] {
      #expect(cohort.contains("<svg class=\"chart\" id=\"\(id)\""), "\(id)")
    }
  }

  @Test func everyInPageLinkHasItsTarget() throws {
    for (kind, html) in try Self.pages() {
      let ids = Set(html.matches(of: /id="([^"]+)"/).map { String($0.1) })
      let targets = html.matches(of: /href="#([^"]+)"/).map { String($0.1) }
      #expect(!targets.isEmpty)
      for target in targets {
        #expect(ids.contains(target), "\(kind): #\(target) has no target")
      }
    }
    let cohort = try #require(try Self.pages().first { $0.kind == "cohort" }?.html)
    // The most missed question's bar leads to the protocol's reason.
    #expect(cohort.contains("<a class=\"row-link\" href=\"#reason-TX-MINOR-01\">"))
    #expect(cohort.contains("<article class=\"reason\" id=\"reason-TX-MINOR-01\">"))
  }

  @Test func textFromTheStoreIsEscaped() throws {
    let store = try F.store { session in
      if session["trainee"] as? String == "Priya Raman" {
        session["trainee"] = "<script>alert('x')</script> & \"Pri\""
        session["cohort"] = "Nov <b>"
      }
    }
    let name = "<script>alert('x')</script> & \"Pri\""
    let html = try F.report(.trainee(name), store: store).html()
    let (script, bold) = (html.contains("<script>"), html.contains("<b>"))
    #expect(!script && !bold)
    let escaped = html.contains(
      "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;Pri&quot;")
    #expect(escaped)
    let cohort = try F.report(.cohort("Nov <b>"), store: store).html()
    let title = cohort.contains("Cohort report: Nov &lt;b&gt;")
    #expect(title)
  }

  @Test func aTraineeWithOnlyAnInterruptedAttemptGetsAPageWithoutCharts() throws {
    let store = try F.store()
    let active = try store.sessions(SessionFilter(trainee: "Sam Lee", statuses: [.active]))
    let report = TrainingReport(subject: .trainee("Sam Lee"), sessions: active)
    #expect(report.figures.scored == 0)
    #expect(report.deviationRates.isEmpty)
    let html = try report.html()
    let hasChart = html.contains("<svg")
    let listsTheAttempt = html.contains("<h2>Attempts</h2>")
    #expect(!hasChart)
    #expect(listsTheAttempt)
    let summary = report.text.contains("1 (0 scored, 0 abandoned, 1 in progress)\n")
    #expect(summary)
  }

  @Test func theScoreTrendMarksThisSession() throws {
    let html = try #require(try Self.pages().first { $0.kind == "session" }?.html)
    #expect(html.components(separatedBy: "stroke=\"#111111\" stroke-width=\"3\"").count == 2)
    #expect(html.contains("<tr class=\"focus\">"))
  }
}
