import ProtocolEngine
import ScenarioKit
import Testing

@Suite("Player")
struct PlayerTests {
  func texts(_ lines: [OutputLine]) -> [String] { lines.map(\.text) }

  @Test func startShowsTheContentWarningAndOpening() throws {
    var player = try Fixtures.player()
    let lines = player.start()
    #expect(
      lines.contains { $0.text.hasPrefix("Content warning: Sexual exploitation of a minor.") })
    #expect(lines.contains(OutputLine(.caller, "Caller: I think my daughter is in trouble.")))
    #expect(player.state.clock == 0)
  }

  @Test func askByIDOrInYourOwnWords() throws {
    var player = try Fixtures.player()
    _ = player.start()
    let byID = player.handle("ask location")
    #expect(texts(byID) == ["Caller: Austin, in Travis County."])
    let byWords = player.handle("ask what grade is she in?")
    #expect(
      texts(byWords) == [
        "(asking about: What grade is she in?)",
        "Caller: She's a sophomore. Oh - she's sixteen, not nineteen.",
      ])
    #expect(player.state.asked.map(\.value) == ["location", "school"])
    #expect(player.state.revealed.location?.county == "Travis")
  }

  @Test func anUnmatchedQuestionSaysSoAndRevealsNothing() throws {
    var player = try Fixtures.player()
    let lines = player.handle("ask do you like pizza")
    // In character for a call: no one says "what do you mean?" out loud; it costs a moment.
    #expect(lines.map(\.kind) == [.event, .system])
    #expect(texts(lines).first == "(No answer; the question doesn't seem to land.)")
    #expect(texts(lines).last?.hasPrefix("No topic matches that question") == true)
    #expect(player.state.clock == 5)
    let scenario = try Fixtures.scenario()
    let secrets = scenario.topics.flatMap { $0.answers.flatMap(\.effect.say.variants) }
    for line in texts(lines) { #expect(!secrets.contains { line.contains($0) }) }
    #expect(player.state.revealed == scenario.knownReport)
  }

  @Test func questionsAndActionsCostTimeReadingYourOwnScreenDoesNot() throws {
    var player = try Fixtures.player()
    _ = player.handle("ask safe")
    #expect(player.state.clock == 20)
    _ = player.handle("ask what")
    #expect(player.state.clock == 50)
    _ = player.handle("facts")
    _ = player.handle("help")
    _ = player.handle("note")  // a usage error
    #expect(texts(player.handle("time")) == ["Clock 00:50 of 08:00 (07:10 left)."])
    _ = player.handle("note she sounds scared")
    #expect(player.state.clock == 60)
    #expect(player.state.journal.map(\.value).last == "note she sounds scared")
  }

  @Test func conditionsSeeWhatWasAsked() throws {
    var player = try Fixtures.player()
    #expect(
      player.handle("ask age").last?.text.contains("19") == true
        || player.state.revealed.victims?[0].age == 19)
    #expect(player.state.revealed.victims?.first?.age == 19)
    #expect(player.state.truth.victims?.first?.age == 16)
    _ = player.handle("ask school")
    _ = player.handle("ask age")
    #expect(player.state.revealed.victims?.first?.age == 16)
  }

  @Test func timedEventsFireOnceChangeTheTruthAndOfferAChoice() throws {
    var player = try Fixtures.player()
    for _ in 0..<5 { _ = player.handle("ask location") }
    #expect(player.state.truth.imminentDanger == false)
    let lines = player.handle("ask location")
    #expect(player.state.clock == 120)
    #expect(lines.contains(OutputLine(.event, "(A man shouts in the background.)")))
    #expect(lines.contains(OutputLine(.choice, "  2. Go and talk to him.")))
    #expect(player.state.truth.imminentDanger == true)
    #expect(player.state.revealed.imminentDanger == nil)
    #expect(player.state.pendingChoice == "stay_on")
    // The caller is living through the choice: it comes before any other question.
    #expect(
      texts(player.handle("ask safe")) == [
        "Caller is waiting for your answer first: `choose 1` to `choose 2`."
      ])
    _ = player.handle("choose 1")
    #expect(texts(player.handle("ask safe")).contains("Caller: No! He's here!"))
    #expect(player.state.revealed.imminentDanger == true)
    #expect(player.state.fired.map(\.value) == ["voice"])
  }

  @Test func choiceBeats() throws {
    var player = try Fixtures.player()
    #expect(texts(player.handle("choose 1")) == ["There is no choice to make right now."])
    for _ in 0..<6 { _ = player.handle("ask location") }
    #expect(texts(player.handle("choose 3")) == ["Choose a number from 1 to 2: `choose N`."])
    #expect(
      texts(player.handle("choose 1")) == [
        "You: Stay on the line and keep the door locked.", "Caller: Okay. Okay.",
      ])
    #expect(player.state.chosen.map(\.value) == ["stay"])
    #expect(player.state.pendingChoice == nil)
  }

  @Test func aHangUpEndsTheConversationNotTheAttempt() throws {
    var player = try Fixtures.player()
    _ = player.handle("choose 1")
    for _ in 0..<21 where player.state.conversationEnded == nil {
      _ = player.handle("ask location")
      if player.state.pendingChoice != nil { _ = player.handle("choose 1") }
    }
    #expect(player.state.conversationEnded?.value == .hungUp)
    #expect(player.state.conversationEnded?.at == 420)
    #expect(!player.isOver)
    // Wrap-up on the same clock: no more questions, but escalate, refer, note and submit.
    #expect(
      texts(player.handle("ask safe")) == [
        "The caller is gone (the line is dead). Wrap up: `escalate`, `refer`, `note`, then `submit`."
      ])
    #expect(texts(player.handle("escalate emergency")).first?.hasPrefix("Escalation set") == true)
    _ = player.handle("submit")
    #expect(player.state.ended == .submitted)
  }

  @Test func waitingStopsWhenSomethingHappens() throws {
    var player = try Fixtures.player()
    _ = player.handle("wait 600")
    #expect(player.state.clock == 120)
    #expect(player.state.pendingChoice == "stay_on")
  }

  @Test func theTimeLimitEndsTheAttempt() throws {
    var scenario = try Fixtures.scenario()
    scenario.events.removeAll { $0.id == "hangup" }
    var player = Player(
      scenario: scenario, engine: try Fixtures.engine(), mode: .practice, seed: 1,
      asOf: Fixtures.day)
    var last: [OutputLine] = []
    while !player.isOver {
      last = player.handle(player.state.pendingChoice == nil ? "ask location" : "choose 1")
    }
    #expect(player.state.ended == .timedOut)
    #expect(last.last == OutputLine(.event, "Time is up (08:00)."))
  }

  @Test func directoryVerbs() throws {
    var player = try Fixtures.player()
    #expect(
      texts(player.handle("refer tx-travis-so")).first?.hasPrefix(
        "Referred to Travis County Sheriff's Office") == true)
    #expect(texts(player.handle("refer tx-travis-so")) == ["Already referred to tx-travis-so."])
    #expect(
      texts(player.handle("refer tx-travis-sox")) == [
        "No contact 'tx-travis-sox'. Did you mean tx-travis-so? Try `lookup <words>`."
      ])
    #expect(
      texts(player.handle("refer tx-harris-so-old")) == [
        "tx-harris-so-old is not active on 2026-11-29; find its replacement with `lookup`."
      ])
    #expect(texts(player.handle("unrefer tx-travis-so")) == ["Referral to tx-travis-so withdrawn."])
    #expect(player.state.referrals.isEmpty)
    let lookup = texts(player.handle("lookup shelter travis"))
    #expect(lookup.first == "Contacts (3):")
    // Word stems: a plural or another form of the word finds the same contacts.
    #expect(texts(player.handle("lookup shelters travis")).first == "Contacts (3):")
    #expect(texts(player.handle("protocol t-minor")).first == "T-MINOR v1: Minor in commercial sex")
    #expect(player.state.protocolsNamed == ["T-MINOR"])
    #expect(
      texts(player.handle("escalate mandated report")) == [
        // The lines that could not be carried out (no such contact, not active) cost nothing.
        "Escalation set to MANDATED REPORT at 01:15."
      ])
    #expect(
      texts(player.handle("escalate urgent")).first?.hasPrefix("'urgent' is not a level.") == true)
  }

  @Test func unknownVerbsGetASuggestion() throws {
    var player = try Fixtures.player()
    #expect(
      texts(player.handle("refr tx-travis-so")) == [
        "Unknown verb 'refr'. Did you mean `refer`? Type `help` for the list."
      ])
    #expect(player.state.clock == 0)
    #expect(player.state.journal.isEmpty)
  }

  @Test func hintsOnlyInPractice() throws {
    var assessment = try Fixtures.player(mode: .assessment)
    #expect(texts(assessment.handle("hint")) == ["Hints are off in assessment mode."])
    var practice = try Fixtures.player()
    #expect(texts(practice.handle("hint")).first?.hasPrefix("Hint: ") == true)
  }

  @Test func theSameSeedAndInputsReplayExactly() throws {
    let inputs = [
      "ask safe", "ask age", "ask age", "ask location", "note checking", "escalate emergency",
      "submit",
    ]
    func run(_ seed: UInt64) throws -> ([[OutputLine]], PlayerState) {
      var player = try Fixtures.player(seed: seed)
      var outputs = [player.start()]
      for input in inputs { outputs.append(player.handle(input)) }
      return (outputs, player.state)
    }
    let first = try run(7)
    let second = try run(7)
    #expect(first.0 == second.0)
    #expect(first.1 == second.1)
    let variants = Set((1...8).map { seed in (try? run(UInt64(seed)))?.0[2].first?.text ?? "" })
    #expect(variants.count == 2)
  }

  @Test func topicMatching() throws {
    let topics = try Fixtures.scenario().topics
    #expect(TopicMatcher.match("How OLD is she?", in: topics)?.id == "age")
    #expect(TopicMatcher.match("what's going on with her", in: topics)?.id == "what")
    #expect(TopicMatcher.match("is she in any danger right now", in: topics)?.id == "safe")
    #expect(TopicMatcher.match("Boyfriends?", in: topics)?.id == "boyfriend")
    #expect(TopicMatcher.match("the weather", in: topics) == nil)
  }
}
