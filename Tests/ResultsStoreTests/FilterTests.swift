import Foundation
import Testing

@testable import ResultsStore

/// Each filter narrows the list, and the order is the same on every run.
@Suite("Session filters")
struct FilterTests {
  /// Six sessions that differ in one field at a time, begun out of order.
  struct World {
    var store: ResultsStore
    var ana1, ana2, ben, cy, dee, eve: String
  }

  func withWorld(_ backend: TestBackend, _ body: (World) throws -> Void) throws {
    try withStore(backend) { store throws in
      let ana2 = try store.begin(
        Sample.session(trainee: "Ana", cohort: "spring", startedAt: Sample.date(200)),
        id: Sample.id("a2", 1))
      let ana1 = try store.begin(
        Sample.session(
          trainee: "Ana", cohort: "spring", curriculum: "basics", part: "p1",
          startedAt: Sample.date(100)),
        id: Sample.id("a1", 1))
      let ben = try store.begin(
        Sample.session(
          trainee: "Ben", cohort: "fall", curriculum: "basics", part: "p2",
          startedAt: Sample.date(300)),
        id: Sample.id("b0", 1))
      let cy = try store.begin(
        Sample.session(
          trainee: "Cy", cohort: "fall", scenario: "tx-farm-bunkhouse",
          startedAt: Sample.date(400)),
        id: Sample.id("c0", 1))
      // Dee and Eve start at the same moment: the id breaks the tie.
      let eve = try store.begin(
        Sample.session(
          trainee: "Eve", cohort: nil, curriculum: "advanced", part: "p1",
          startedAt: Sample.date(500)),
        id: Sample.id("e0", 1))
      let dee = try store.begin(
        Sample.session(trainee: "Dee", cohort: nil, startedAt: Sample.date(500)),
        id: Sample.id("d0", 1))
      try store.finish(
        ben.id, status: .submitted, endReason: "submitted", endedAt: Sample.date(350),
        score: Sample.score([Sample.deviation("major", "Late")]))
      try store.finish(
        cy.id, status: .abandoned, endReason: "hung_up", endedAt: Sample.date(450), score: nil)
      try body(
        World(
          store: store, ana1: ana1.id, ana2: ana2.id, ben: ben.id, cy: cy.id, dee: dee.id,
          eve: eve.id))
    }
  }

  func ids(_ world: World, _ filter: SessionFilter) throws -> [String] {
    try world.store.sessions(filter).map(\.session.id)
  }

  @Test(arguments: TestBackend.all)
  func noFilterListsEverySessionByStartThenID(backend: TestBackend) throws {
    try withWorld(backend) { w throws in
      #expect(try ids(w, SessionFilter()) == [w.ana1, w.ana2, w.ben, w.cy, w.dee, w.eve])
      let summaries = try w.store.sessions(SessionFilter())
      #expect(summaries.map { $0.score != nil } == [false, false, true, false, false, false])
      #expect(summaries[2].score?.deviations.map(\.message) == ["Late"])
    }
  }

  @Test(arguments: TestBackend.all)
  func eachFilterNarrows(backend: TestBackend) throws {
    try withWorld(backend) { w throws in
      #expect(try ids(w, SessionFilter(trainee: "Ana")) == [w.ana1, w.ana2])
      #expect(try ids(w, SessionFilter(trainee: "ana")).isEmpty)
      #expect(try ids(w, SessionFilter(cohort: "fall")) == [w.ben, w.cy])
      #expect(try ids(w, SessionFilter(curriculum: "basics")) == [w.ana1, w.ben])
      #expect(try ids(w, SessionFilter(part: "p1")) == [w.ana1, w.eve])
      #expect(try ids(w, SessionFilter(scenario: "tx-farm-bunkhouse")) == [w.cy])
      #expect(try ids(w, SessionFilter(since: Sample.date(300))) == [w.ben, w.cy, w.dee, w.eve])
      #expect(try ids(w, SessionFilter(since: Sample.date(300.001))) == [w.cy, w.dee, w.eve])
      #expect(try ids(w, SessionFilter(statuses: [.submitted])) == [w.ben])
      #expect(try ids(w, SessionFilter(statuses: [.submitted, .abandoned])) == [w.ben, w.cy])
      #expect(
        try ids(w, SessionFilter(statuses: [.active])) == [w.ana1, w.ana2, w.dee, w.eve])
      #expect(try ids(w, SessionFilter(statuses: [])).isEmpty)
    }
  }

  @Test(arguments: TestBackend.all)
  func filtersCombine(backend: TestBackend) throws {
    try withWorld(backend) { w throws in
      #expect(try ids(w, SessionFilter(curriculum: "basics", part: "p1")) == [w.ana1])
      #expect(try ids(w, SessionFilter(trainee: "Ana", since: Sample.date(150))) == [w.ana2])
      #expect(try ids(w, SessionFilter(cohort: "fall", statuses: [.active])).isEmpty)
      #expect(try ids(w, SessionFilter(trainee: "Ben", cohort: "spring")).isEmpty)
    }
  }

  /// The cohort filter follows the trainee's cohort now, like `trainees(cohort:)`.
  @Test(arguments: TestBackend.all)
  func theCohortFilterFollowsTheTraineesCurrentCohort(backend: TestBackend) throws {
    try withWorld(backend) { w throws in
      _ = try w.store.begin(
        Sample.session(trainee: "Ana", cohort: "fall", startedAt: Sample.date(600)),
        id: Sample.id("a3", 1))
      #expect(try ids(w, SessionFilter(cohort: "spring")).isEmpty)
      #expect(try ids(w, SessionFilter(cohort: "fall")).count == 5)
    }
  }
}
