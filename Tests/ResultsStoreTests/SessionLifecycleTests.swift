import Foundation
import Testing

@testable import ResultsStore

/// Begin, journal, finish, read back: what the player writes is what reports read.
@Suite("Session lifecycle")
struct SessionLifecycleTests {
  @Test(arguments: TestBackend.all)
  func beginRecordsTheSessionAndItsTrainee(backend: TestBackend) throws {
    try withStore(backend) { store throws in
      let new = Sample.session(curriculum: "tx-basics", part: "part-2", seed: 7)
      let session = try store.begin(new)
      #expect(UUID(uuidString: session.id) != nil)
      #expect(session.id == session.id.lowercased())
      #expect(session.traineeName == "Ana Ruiz")
      #expect(session.cohort == "spring-2026")
      #expect(session.scenarioID == new.scenarioID)
      #expect(session.scenarioVersion == 3)
      #expect(session.scenarioSHA256 == new.scenarioSHA256)
      #expect(session.scenarioPath == "Scenarios/tx-motel-whisper.yaml")
      #expect(session.rulesetVersion == "2026.1")
      #expect(session.rulesetSHA256 == new.rulesetSHA256)
      #expect(session.mode == "practice")
      #expect(session.audience == "telecommunicator")
      #expect(session.seed == 7)
      #expect(session.asOf == "2026-05-01")
      #expect(session.realTime == false)
      #expect(session.curriculumID == "tx-basics")
      #expect(session.curriculumVersion == 2)
      #expect(session.partID == "part-2")
      #expect(session.startedAt == new.startedAt)
      #expect(session.pid == 4242)
      #expect(session.host == "training-room-3")
      #expect(session.status == .active)
      #expect(session.endReason == nil)
      #expect(session.endedAt == nil)
      #expect(try store.session(session.id) == session)

      let trainee = try #require(try store.trainee(named: "Ana Ruiz"))
      #expect(trainee.cohort == "spring-2026")
      #expect(trainee.createdAt == new.startedAt)
      #expect(try store.trainee(named: "Nobody") == nil)
    }
  }

  @Test(arguments: TestBackend.all)
  func theJournalKeepsEveryEntryInOrder(backend: TestBackend) throws {
    try withStore(backend) { store throws in
      let session = try store.begin(Sample.session())
      let entries = [
        JournalEntry(kind: .verb, text: "greet", simulatedSeconds: 0, wallTime: Sample.date(1)),
        JournalEntry(
          kind: .verb, text: "ask location", simulatedSeconds: 45,
          wallTime: Sample.date(2.125)),
        JournalEntry(
          kind: .verb, text: "dispatch police", simulatedSeconds: 130,
          wallTime: Sample.date(3.5)),
        JournalEntry(
          kind: .end, text: "submitted", simulatedSeconds: 130, wallTime: Sample.date(4)),
      ]
      var appended: [JournalEntry] = []
      for entry in entries {
        appended.append(try store.append(entry, to: session.id))
      }
      #expect(appended.map(\.seq) == [1, 2, 3, 4])
      let journal = try store.journal(of: session.id)
      #expect(journal == appended)
      #expect(journal.map(\.kind) == [.verb, .verb, .verb, .end])
      #expect(journal.map(\.text) == entries.map(\.text))
      #expect(journal.map(\.simulatedSeconds) == [0, 45, 130, 130])
      #expect(journal.map(\.wallTime) == entries.map(\.wallTime))
    }
  }

  @Test(arguments: TestBackend.all)
  func finishingStoresTheScoreAndItsDeviationsInOrder(backend: TestBackend) throws {
    try withStore(backend) { store throws in
      let session = try store.begin(Sample.session())
      _ = try store.append(
        JournalEntry(kind: .verb, text: "submit", simulatedSeconds: 200, wallTime: Sample.date(9)),
        to: session.id)
      let score = Sample.score([
        Sample.deviation("minor", "Greeting was late", at: 5),
        Sample.deviation("critical", "No dispatch for a child at risk", at: 120),
        Sample.deviation("major", "Location not confirmed", at: 60),
        Sample.deviation("critical", "Caller put in danger", at: 150),
        Sample.deviation("moderate", "No callback number", at: 90),
      ])
      try store.finish(
        session.id, status: .submitted, endReason: "submitted", endedAt: Sample.date(10),
        score: score)

      let finished = try store.session(session.id)
      #expect(finished.status == .submitted)
      #expect(finished.endReason == "submitted")
      #expect(finished.endedAt == Sample.date(10))
      #expect(try store.score(of: session.id) == score)

      let summaries = try store.sessions(SessionFilter())
      #expect(summaries == [SessionSummary(session: finished, score: score)])
      let stored = try #require(summaries.first?.score)
      #expect(stored.deviations.map(\.message) == score.deviations.map(\.message))
      #expect(stored.worst?.message == "No dispatch for a child at risk")
      #expect(stored.record == #"{"score":72}"#)
    }
  }

  @Test(arguments: TestBackend.all)
  func anAbandonedSessionHasNoScore(backend: TestBackend) throws {
    try withStore(backend) { store throws in
      let session = try store.begin(Sample.session())
      try store.finish(
        session.id, status: .abandoned, endReason: "abandoned", endedAt: Sample.date(5),
        score: nil)
      #expect(try store.score(of: session.id) == nil)
      let summary = try #require(try store.sessions(SessionFilter()).first)
      #expect(summary.session.status == .abandoned)
      #expect(summary.score == nil)
    }
  }

  @Test(arguments: [
    ([String](), nil as String?),
    (["moderate"], "moderate"),
    (["minor", "major", "moderate"], "major"),
    (["major", "critical", "minor", "critical"], "critical"),
    (["unheard-of", "minor"], "minor"),
    (["unheard-of"], "unheard-of"),
  ])
  func worstIsTheFirstOfTheHighestSeverity(severities: [String], expected: String?) {
    let deviations = severities.enumerated().map { index, severity in
      Sample.deviation(severity, "\(severity) #\(index)")
    }
    let worst = Sample.score(deviations).worst
    #expect(worst?.severity == expected)
    if let expected {
      let first = severities.firstIndex(of: expected).map { "\(expected) #\($0)" }
      #expect(worst?.message == first)
    }
  }

  @Test(arguments: TestBackend.all)
  func aFinishedSessionTakesNothingMore(backend: TestBackend) throws {
    try withStore(backend) { store throws in
      let session = try store.begin(Sample.session())
      try store.finish(
        session.id, status: .submitted, endReason: "timed_out", endedAt: Sample.date(5),
        score: Sample.score())
      let expected = StoreError.notActive(session: session.id, status: .submitted)
      let entry = JournalEntry(kind: .verb, text: "hello?", simulatedSeconds: 9, wallTime: .now)
      #expect(throws: expected) { try store.append(entry, to: session.id) }
      #expect(throws: expected) {
        try store.finish(
          session.id, status: .abandoned, endReason: "abandoned", endedAt: Sample.date(6),
          score: nil)
      }
      #expect(throws: expected) { try store.claim(session.id, pid: 1, host: "other") }
      #expect(
        expected.description
          == "session \(session.id) is already submitted: it takes no more verbs and cannot be "
          + "ended or resumed again")
      // Nothing half-written: the first ending and score stand.
      #expect(try store.session(session.id).endReason == "timed_out")
      #expect(try store.score(of: session.id) == Sample.score())
      #expect(try store.journal(of: session.id).isEmpty)
    }
  }

  @Test func anAbandonedSessionSaysSo() {
    let error = StoreError.notActive(session: "abcd", status: .abandoned)
    #expect(
      error.description
        == "session abcd is already abandoned: it takes no more verbs and cannot be ended or "
        + "resumed again")
  }

  @Test(arguments: TestBackend.all)
  func finishingAsActiveIsRefused(backend: TestBackend) throws {
    try withStore(backend) { store throws in
      let session = try store.begin(Sample.session())
      #expect(throws: StoreError.stillActive(session: session.id)) {
        try store.finish(
          session.id, status: .active, endReason: "submitted", endedAt: Sample.date(1),
          score: nil)
      }
      #expect(try store.session(session.id).status == .active)
      #expect(
        StoreError.stillActive(session: "abcd").description
          == "session abcd cannot be finished as active: end it as submitted or abandoned")
    }
  }

  @Test(arguments: TestBackend.all)
  func claimingMovesTheSessionToItsNewOwner(backend: TestBackend) throws {
    try withStore(backend) { store throws in
      let session = try store.begin(Sample.session())
      try store.claim(session.id, pid: 777, host: "laptop-2")
      let claimed = try store.session(session.id)
      #expect(claimed.pid == 777)
      #expect(claimed.host == "laptop-2")
      #expect(claimed.status == .active)
    }
  }

  @Test(arguments: TestBackend.all)
  func anUnknownSessionIsReported(backend: TestBackend) throws {
    try withStore(backend) { store throws in
      let missing = StoreError.noSuchSession("0000dead-0000-0000-0000-000000000000")
      let id = "0000dead-0000-0000-0000-000000000000"
      let entry = JournalEntry(kind: .verb, text: "greet", simulatedSeconds: 0, wallTime: .now)
      #expect(throws: missing) { try store.append(entry, to: id) }
      #expect(throws: missing) {
        try store.finish(id, status: .submitted, endReason: "submitted", endedAt: .now, score: nil)
      }
      #expect(throws: missing) { try store.claim(id, pid: 1, host: "h") }
      #expect(throws: missing) { try store.journal(of: id) }
      #expect(throws: missing) { try store.score(of: id) }
      #expect(throws: missing) { try store.session(id) }
    }
  }

  @Test(arguments: TestBackend.all)
  func aSessionIsFoundByAUniquePrefix(backend: TestBackend) throws {
    try withStore(backend) { store throws in
      let first = try store.begin(Sample.session(), id: Sample.id("aaaa1", 1))
      let second = try store.begin(Sample.session(), id: Sample.id("aaaa2", 2))
      #expect(try store.session(first.id) == first)
      #expect(try store.session("aaaa1") == first)
      #expect(try store.session("AAAA2") == second)
      #expect(try store.session(first.id.uppercased()) == first)

      #expect(throws: StoreError.ambiguous("aaaa", matches: [first.id, second.id])) {
        try store.session("aaaa")
      }
      #expect(
        StoreError.ambiguous("aaaa", matches: [first.id, second.id]).description
          == "'aaaa' starts 2 session ids (\(first.id), \(second.id)): give more characters")

      #expect(throws: StoreError.noSuchSession("aaa")) { try store.session("aaa") }
      #expect(
        StoreError.noSuchSession("aaa").description
          == "no session has the id 'aaa' (a prefix needs at least 4 characters)")
      #expect(throws: StoreError.noSuchSession("bbbb")) { try store.session("bbbb") }
      #expect(
        StoreError.noSuchSession("bbbb").description
          == "no session has the id 'bbbb', nor an id starting with it")
      // LIKE's wildcards are taken literally.
      #expect(throws: StoreError.noSuchSession("aaa%")) { try store.session("aaa%") }
      #expect(throws: StoreError.noSuchSession("aaa_1")) { try store.session("aaa_1") }
    }
  }

  @Test(arguments: TestBackend.all)
  func aLongAmbiguityListsFiveAndCountsTheRest(backend: TestBackend) throws {
    try withStore(backend) { store throws in
      let ids = try (1...7).map { try store.begin(Sample.session(), id: Sample.id("dddd", $0)).id }
      #expect(throws: StoreError.ambiguous("dddd", matches: ids)) { try store.session("dddd") }
      #expect(
        StoreError.ambiguous("dddd", matches: ids).description
          == "'dddd' starts 7 session ids (\(ids[0...4].joined(separator: ", ")) and 2 more): "
          + "give more characters")
    }
  }

  @Test(arguments: TestBackend.all)
  func theTraineesCohortFollowsTheLatestOneGiven(backend: TestBackend) throws {
    try withStore(backend) { store throws in
      _ = try store.begin(Sample.session(trainee: "Ana Ruiz", cohort: "spring"))
      _ = try store.begin(Sample.session(trainee: "Ana Ruiz", cohort: nil))
      #expect(try store.trainee(named: "Ana Ruiz")?.cohort == "spring")
      let later = try store.begin(Sample.session(trainee: "Ana Ruiz", cohort: "fall"))
      #expect(try store.trainee(named: "Ana Ruiz")?.cohort == "fall")
      #expect(later.cohort == "fall")

      _ = try store.begin(Sample.session(trainee: "Zoe Park", cohort: "fall"))
      _ = try store.begin(Sample.session(trainee: "Ben Osei", cohort: nil))
      _ = try store.begin(Sample.session(trainee: "Cy Lund", cohort: "spring"))
      #expect(
        try store.trainees(cohort: nil).map(\.name) == [
          "Ana Ruiz", "Ben Osei", "Cy Lund", "Zoe Park",
        ])
      #expect(try store.trainees(cohort: "fall").map(\.name) == ["Ana Ruiz", "Zoe Park"])
      #expect(try store.trainees(cohort: "winter").isEmpty)
    }
  }

  @Test(arguments: TestBackend.all, [UInt64(Int64.max) + 1, UInt64.max, 0])
  func aSeedRoundTrips(backend: TestBackend, seed: UInt64) throws {
    try withStore(backend) { store throws in
      let session = try store.begin(Sample.session(seed: seed))
      #expect(session.seed == seed)
      #expect(try store.session(session.id).seed == seed)
      #expect(try store.sessions(SessionFilter()).map(\.session.seed) == [seed])
    }
  }

  /// Only a hand-edited file can hold a seed that is not a number; the store says so rather
  /// than inventing one.
  @Test(arguments: TestBackend.all)
  func aDamagedSeedIsReportedWithThePath(backend: TestBackend) throws {
    try withStore(backend) { store throws in
      let session = try store.begin(Sample.session())
      try store.sql("UPDATE session SET seed = 'forty-two'")
      let expected = StoreError.database(
        path: store.path,
        reason: "session \(session.id) has the seed 'forty-two', which is not a UInt64")
      #expect(throws: expected) { try store.session(session.id) }
      #expect(
        expected.description
          == "the results store \(store.path) failed: session \(session.id) has the seed "
          + "'forty-two', which is not a UInt64")
    }
  }
}
