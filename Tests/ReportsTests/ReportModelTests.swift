import Foundation
import Reports
import ResultsStore
import Testing

@Suite("Report model")
struct ReportModelTests {
  typealias F = ReportFixture

  @Test func aCohortsFiguresCountOnlyScoredAttempts() throws {
    let store = try F.store()
    let report = try F.report(.cohort("Nov"), store: store)
    #expect(report.title == "Cohort report: Nov")
    #expect(report.subtitle == "4 trainees · 33 attempts · from 2026-11-02 to 2026-11-18")
    let figures = report.figures
    #expect(figures.attempts == 33)
    #expect(figures.scored == 33)
    #expect(figures.trainees == 4)
    #expect(figures.scenarios == 5)
    #expect(figures.criticalAttempts == 9)
    #expect(abs((figures.meanScore ?? 0) - 2102.0 / 33) < 0.0001)
    #expect(abs((figures.compliantShare ?? 0) - 13.0 / 33) < 0.0001)

    // Sam Lee's abandoned attempt has a score, but only submitted attempts count.
    let dec = try F.report(.cohort("Dec"), store: store).figures
    #expect(dec.attempts == 4)
    #expect(dec.scored == 2)
    #expect(dec.abandoned == 1)
    #expect(dec.active == 1)
  }

  @Test func complianceLevelsFollowTheCurriculumsScenarioOrder() throws {
    let report = try F.report(.cohort("Nov"), store: try F.store())
    let rows = report.complianceByScenario
    #expect(
      rows.map(\.scenarioID) == [
        "adult-text-no-consent", "tx-wrong-caller", "tx-minor-online-ad", "tx-spanish-caller",
        "tx-motel-whisper",
      ])
    // high_compliance, compliant, partial, low, non_compliant
    #expect(rows[0].counts == [5, 0, 0, 5, 0])
    #expect(rows[1].counts == [3, 0, 0, 0, 8])
    #expect(rows[1].title == F.titles["tx-wrong-caller"])
    #expect(rows.allSatisfy { $0.notScored == 0 })
  }

  @Test func deviationRatesCoverEveryCategoryInTheScorersOrder() throws {
    let report = try F.report(.cohort("Nov"), store: try F.store())
    let rates = report.deviationRates
    #expect(
      rates.map(\.category) == [
        "escalation", "referral", "protocol", "key_fact", "conduct", "timeliness", "choice",
      ])
    let escalation = try #require(rates.first)
    #expect(escalation.attemptsWith == 16)
    #expect(escalation.scored == 33)
    #expect(rates.first { $0.category == "referral" }?.deviations == 27)
    #expect(rates.first { $0.category == "timeliness" }?.rate == 0)
  }

  @Test func aCohortsTrendAveragesEachTraineesNthAttempt() throws {
    let trend = try F.report(.cohort("Nov"), store: try F.store()).trend
    #expect(trend.kind == .cohortMean)
    #expect(trend.points.count == 9)
    let first = try #require(trend.points.first)
    #expect(first.count == 4)
    #expect(first.score == 80)
    #expect(first.low == 60)
    #expect(first.high == 100)
    // Only the two trainees with nine attempts reach the last point.
    #expect(trend.points.last?.count == 2)
  }

  @Test func aTraineesTrendHasEachScoredAttemptInOrder() throws {
    let report = try F.report(.trainee("Luis Ortega"), store: try F.store())
    #expect(report.trend.kind == .attempts)
    #expect(report.trend.points.map { Int($0.score) } == [60, 100, 12, 12, 12, 12, 12])
    #expect(
      report.trend.points.map(\.compliance) == ["low", "high_compliance"]
        + Array(repeating: "non_compliant", count: 5))
    #expect(report.attempts.count == 7)
    #expect(report.trainees.isEmpty)
  }

  @Test func theMostMissedKeyQuestionGroupsAttemptsAndLinksToTheProtocol() throws {
    let report = try F.report(.cohort("Nov"), store: try F.store())
    let top = try #require(report.missedQuestions.first)
    #expect(
      top.text == "When is her birthday - what year was she born? What grade would she be in?")
    #expect(top.scenarioID == "tx-wrong-caller")
    #expect(top.count == 8)
    #expect(top.outOf == 11)
    #expect(top.severity == "moderate")
    #expect(top.detail == "The caller was wrong and it was not confirmed")
    // The reason quoted is TX-MINOR-01's, not every protocol the sentence names.
    #expect(top.reasonAnchors == ["reason-TX-MINOR-01"])
    let reason = try #require(report.reasons.first { $0.anchor == "reason-TX-MINOR-01" })
    #expect(reason.because.hasPrefix("In Texas anyone who suspects a child is being abused"))
    #expect(reason.scenarios.contains(F.titles["tx-wrong-caller"] ?? ""))
    // A question never asked says what it would have told.
    let danger = try #require(report.missedQuestions.first { $0.scenarioID == "tx-motel-whisper" })
    #expect(danger.detail.hasPrefix("Not asked; it tells you whether someone is in danger"))
    #expect(danger.reasonAnchors == ["reason-US-DANGER-01"])
  }

  @Test func anEscalationWrongOnConsentLinksToTheConsentRule() throws {
    let report = try F.report(.cohort("Nov"), store: try F.store())
    let wrong = report.wrongEscalations
    #expect(wrong.first?.text == "Services referral instead of mandated report")
    #expect(wrong.first?.severity == "critical")
    let police = try #require(wrong.first { $0.scenarioID == "adult-text-no-consent" })
    #expect(police.text == "Law enforcement referral instead of services referral")
    #expect(police.detail == "Escalated higher than the situation calls for")
    #expect(police.count == 5)
    #expect(police.outOf == 10)
    let anchor = try #require(police.reasonAnchors.first)
    let rule = try #require(report.reasons.first { $0.anchor == anchor })
    #expect(rule.protocolID == nil)
    #expect(rule.title == "Consent rule")
    #expect(rule.because.hasPrefix("Consent rule: an adult victim decides"))
  }

  @Test func everyLinkedReasonIsInTheReport() throws {
    let store = try F.store()
    for subject in [ReportSubject.cohort("Nov"), .cohort(nil), .trainee("Dana Whitfield")] {
      let report = try F.report(subject, store: store)
      let anchors = Set(report.reasons.map(\.anchor))
      for finding in report.missedQuestions + report.wrongEscalations {
        #expect(!finding.reasonAnchors.isEmpty, "\(finding.text)")
        #expect(Set(finding.reasonAnchors).isSubset(of: anchors), "\(finding.text)")
      }
      #expect(Set(anchors).count == report.reasons.count)
    }
  }

  @Test func aSessionPutsTheEnginesDecisionBesideTheTrainees() throws {
    let store = try F.store()
    let id = try F.sessionID("Luis Ortega", "tx-wrong-caller", 2, in: store)
    let report = try F.report(.session(id), store: store)
    #expect(report.title == "Session report: \(F.titles["tx-wrong-caller"] ?? "")")
    let detail = try #require(report.session)
    #expect(detail.sessionID == id)
    #expect(detail.score == 12)
    #expect(detail.expectedEscalation == "mandated_report")
    #expect(detail.traineeEscalation == "services_referral")
    #expect(detail.extraReferrals == ["tx-travis-case-management"])
    let dfps = try #require(detail.referrals.first { $0.contact == "tx-dfps-intake" })
    #expect(!dfps.made && dfps.answerable)
    // The FBI is not a telecommunicator's to call: shown, not scored.
    let fbi = try #require(detail.referrals.first { $0.contact == "tx-fbi" })
    #expect(!fbi.answerable)
    #expect(detail.deviations.map(\.severity) == ["moderate", "critical", "major", "major"])
    #expect(detail.deviations[1].reasonAnchors == ["reason-TX-MINOR-01"])
    #expect(detail.journal.last?.input == "submit")
    // The trend is the trainee's attempts at this scenario, this one marked.
    #expect(report.trend.points.count == 5)
    #expect(report.trend.points.filter(\.isFocus).map(\.number) == [3])
    #expect(report.attempts.filter(\.isFocus).map(\.sessionID) == [id])
    #expect(report.missedQuestions.isEmpty && report.wrongEscalations.isEmpty)
  }

  @Test func progressFollowsTheCurriculumsMasteryRules() throws {
    let report = try F.report(.cohort("Nov"), store: try F.store())
    let course = try #require(report.courses.first)
    #expect(course.curriculumID == "texas-911-dispatch")
    #expect(course.parts.map(\.id) == ["recognise", "respond", "refer"])
    #expect(
      course.rows.map(\.trainee) == [
        "Dana Whitfield", "Luis Ortega", "Marcus Okafor", "Priya Raman",
      ])
    let luis = try #require(course.rows.first { $0.trainee == "Luis Ortega" })
    #expect(luis.cells.map(\.state) == ["in_progress", "locked", "locked"])
    let marcus = try #require(report.trainees.first { $0.name == "Marcus Okafor" })
    #expect(marcus.mastery == "1 of 3 parts")
    #expect(marcus.latestCompliance == "high_compliance")
  }

  @Test func anUnreadableRecordIsShownWithoutDetailsRatherThanRefused() throws {
    let store = try F.store()
    let summaries = try store.sessions(SessionFilter(trainee: "Priya Raman"))
    var broken = try #require(summaries.first)
    broken.score?.record = "not json"
    let report = TrainingReport(
      subject: .session(broken.session.id), sessions: [broken], scenarioTitles: F.titles)
    let detail = try #require(report.session)
    #expect(!detail.hasRecord)
    #expect(detail.score == broken.score?.score)
    #expect(report.text.contains("could not be read"))
    #expect(try report.html().contains("could not be read"))
  }

  @Test func sessionsInAnyOrderGiveTheSameReport() throws {
    let store = try F.store()
    let sessions = try store.sessions(SessionFilter(cohort: "Nov"))
    let forward = TrainingReport(
      subject: .cohort("Nov"), sessions: sessions, scenarioTitles: F.titles,
      curricula: try F.curricula())
    let backward = TrainingReport(
      subject: .cohort("Nov"), sessions: sessions.reversed(), scenarioTitles: F.titles,
      curricula: try F.curricula())
    #expect(forward == backward)
    #expect(forward.text == backward.text)
    #expect(try forward.html() == backward.html())
  }

  @Test func aScenarioWithoutATitleShowsItsID() throws {
    let store = try F.store()
    let report = TrainingReport(
      subject: .trainee("Sam Lee"), sessions: try store.sessions(SessionFilter(trainee: "Sam Lee")))
    #expect(report.complianceByScenario.map(\.title).contains("tx-motel-whisper"))
    // The interrupted attempt is listed, not scored.
    #expect(report.attempts.map(\.status).contains("active"))
    #expect(report.figures.active == 1)
  }
}
