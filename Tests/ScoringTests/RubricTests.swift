import ProtocolEngine
import ScenarioKit
import Testing

@testable import Scoring

/// What a trainee answers for depends on the audience; rubrics are data.
@Suite("Rubrics and audiences")
struct RubricTests {
  typealias F = ScoringFixtures

  /// The motel call's strong run: dispatch and police, no providers.
  func motel(_ audience: Audience) throws -> Score {
    let player = try F.shippedPlayer("tx-motel-whisper")
    return F.play(
      player, try F.golden("tx-motel-whisper", "strong"),
      rubric: try F.rubrics.get().rubric(for: audience))
  }

  @Test func aTelecommunicatorIsNotScoredOnShelterOrLegalAid() throws {
    let score = try motel(.telecommunicator)
    #expect(score.deviations.isEmpty, "\(score.deviations.map(\.message))")
    #expect(score.whatHappensNext.contains { $0.role == .shelter })
    #expect(score.whatHappensNext.contains { $0.role == .legalServices })
    #expect(score.debrief.contains("What happens next (not yours to do)"))
    // The dispatch is the escalation: no referral to one's own 911 centre is expected.
    #expect(!score.deviations.contains { $0.message.contains("emergency services") })
  }

  @Test func anAdvocateAnswersForTheWholeDecision() throws {
    let score = try motel(.advocate)
    #expect(score.deviations.contains { $0.message.hasPrefix("No referral to a shelter") })
    #expect(score.whatHappensNext.isEmpty)
  }

  @Test func namingProtocolsIsCreditNeverADeduction() throws {
    let score = try motel(.telecommunicator)
    #expect(!score.deviations.contains { $0.category == .protocol })
    let player = try F.shippedPlayer("tx-motel-whisper")
    let named = F.play(
      player, try F.golden("tx-motel-whisper", "strong").dropLast() + ["protocol US-DANGER-01"],
      rubric: try F.rubrics.get().rubric(for: .telecommunicator))
    #expect(named.credits.contains("Named the protocol US-DANGER-01."))
    #expect(named.score == score.score)
  }

  @Test func policeForAnAdultWhoSaidNoIsMajorAndQuotesTheConsentRule() throws {
    let player = try F.shippedPlayer("adult-text-no-consent")
    let score = F.play(
      player, try F.golden("adult-text-no-consent", "typical"),
      rubric: try F.rubrics.get().rubric(for: .advocate))
    let escalation = try #require(score.deviations.first { $0.category == .escalation })
    #expect(escalation.severity == .major)
    #expect(escalation.because.hasPrefix("Consent rule: an adult victim decides"))
  }

  @Test func anAttemptWithNoDecisionScoresZero() throws {
    for id in ["tx-motel-whisper", "tx-minor-online-ad", "adult-text-no-consent"] {
      let score = F.play(try F.shippedPlayer(id), ["submit"])
      #expect(score.score == 0, "\(id)")
      #expect(score.debrief.split(separator: "\n", omittingEmptySubsequences: false).count <= 60)
    }
  }

  @Test(arguments: [
    ("nurse:\n  title: x\n", "1:1", "nurse: unknown key"),
    ("advocate:\n  title: x\n  roles:\n    police: answerable\n", "4:5", "'police' is not a role"),
    (
      "advocate:\n  title: x\n  roles:\n    shelter: sometimes\n", "4:14",
      "'sometimes' is not one of answerable, credit_only, not_scored"
    ),
    (
      "advocate:\n  title: x\n  deadlines:\n    shelter: soon\n", "4:14",
      "'soon' is not a deadline (end, emergency_within, or mm:ss from the start)"
    ),
  ])
  func badRubricsAreLocated(text: String, position: String, message: String) throws {
    do {
      _ = try RubricBook.parse(text)
      Issue.record("\(text) parsed")
    } catch {
      #expect("\(error.position.line):\(error.position.column)" == position, "\(error.text)")
      #expect(error.text.contains(message), "\(error.text)")
    }
  }
}

@Suite struct FirstSentenceTests {
  @Test func abbreviationsEndNoSentence() {
    #expect(
      Scorer.firstSentence("A U.S. citizen abroad goes to consular services. Then more.")
        == "A U.S. citizen abroad goes to consular services.")
    #expect(
      Scorer.firstSentence(
        "Under North Carolina law (N.C. Gen. Stat. § 14-43.11) police decide. Next.")
        == "Under North Carolina law (N.C. Gen. Stat. § 14-43.11) police decide.")
    #expect(
      Scorer.firstSentence("Under California law (Cal. Penal Code § 236.1) she decides. More.")
        == "Under California law (Cal. Penal Code § 236.1) she decides.")
    #expect(Scorer.firstSentence("Plain. Second.") == "Plain.")
    #expect(Scorer.firstSentence("No stop at all") == "No stop at all")
  }
}
