import Foundation
import GRDB
import Testing

@testable import ResultsStore

/// Evaluators' P/S/M/U ratings of a workshop's objectives (migration v2).
@Suite("Ratings")
struct RatingTests {
  @Test func ratingsAreKeptInOrderAlsoAfterTheSessionEnds() throws {
    try withStore { store throws in
      let session = try store.begin(Sample.session(trainee: "Harbor County task force"))
      let first = try store.rate(
        Rating(
          objective: 2, level: .s, evaluator: "Evaluator A", comment: "escalated, but late",
          simulatedSeconds: 95, wallTime: Sample.date(10)), in: session.id)
      #expect(first.seq == 1)
      try store.finish(
        session.id, status: .submitted, endReason: "submitted", endedAt: Sample.date(20),
        score: nil)
      let second = try store.rate(
        Rating(
          objective: 1, level: .p, evaluator: "Evaluator B", comment: "asked safely first",
          simulatedSeconds: 300, wallTime: Sample.date(30)), in: session.id)
      #expect(second.seq == 2)
      let ratings = try store.ratings(of: session.id)
      #expect(ratings.map(\.objective) == [2, 1])
      #expect(ratings.map(\.level) == [.s, .p])
      #expect(ratings.first?.comment == "escalated, but late")
      #expect(ratings.first?.wallTime == Sample.date(10))
      #expect(Rating.Level.u.meaning == "unable to be performed")
    }
  }

  @Test func aRatingForNoSessionIsRefused() throws {
    try withStore { store throws in
      #expect(throws: StoreError.noSuchSession("nope")) {
        try store.rate(
          Rating(
            objective: 1, level: .u, evaluator: "E", comment: "", simulatedSeconds: 0,
            wallTime: Sample.date(0)), in: "nope")
      }
      #expect(throws: StoreError.noSuchSession("nope")) { try store.ratings(of: "nope") }
    }
  }

  /// A file a v1 build wrote gets v2 when a newer build opens it, and keeps its data.
  @Test func aVersionOneFileIsMigratedForward() throws {
    try withTemporaryFolder { folder throws in
      let path = folder.appendingPathComponent("results.sqlite").path
      let queue = try DatabaseQueue(path: path)
      try Schema.migrator.migrate(queue, upTo: "v1")
      try queue.close()
      let store = try ResultsStore(path: path)
      #expect(try store.appliedMigrations() == ["v1", "v2"])
      let session = try store.begin(Sample.session())
      #expect(try store.ratings(of: session.id).isEmpty)
    }
  }
}
