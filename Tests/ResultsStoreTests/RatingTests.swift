import Foundation
import GRDB
import Testing

@testable import ResultsStore

/// Evaluators' P/S/M/U ratings of a workshop's objectives (migration v2).
@Suite("Ratings")
struct RatingTests {
  @Test(arguments: TestBackend.all)
  func ratingsAreKeptInOrderAlsoAfterTheSessionEnds(backend: TestBackend) throws {
    try withStore(backend) { store throws in
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

  @Test(arguments: TestBackend.all)
  func aRatingForNoSessionIsRefused(backend: TestBackend) throws {
    try withStore(backend) { store throws in
      #expect(throws: StoreError.noSuchSession("nope")) {
        try store.rate(
          Rating(
            objective: 1, level: .u, evaluator: "E", comment: "", simulatedSeconds: 0,
            wallTime: Sample.date(0)), in: "nope")
      }
      #expect(throws: StoreError.noSuchSession("nope")) { try store.ratings(of: "nope") }
    }
  }

  /// A database a v1 build wrote gets v2 when a newer build opens it, and keeps its data.
  @Test(arguments: TestBackend.all)
  func aVersionOneDatabaseIsMigratedForward(backend: TestBackend) throws {
    try withDatabase(backend) { location throws in
      let first: SessionRecord
      switch backend {
      case .sqlite:
        let queue = try DatabaseQueue(path: location)
        try Schema.migrator.migrate(queue, upTo: "v1")
        try queue.close()
        first = try ResultsStore(path: location).begin(Sample.session(trainee: "Before"))
      case .postgres:
        let place = try #require(try PostgresLocation(parsing: location))
        let old = try PostgresBackend(place, migratingUpTo: "v1")
        #expect(try old.appliedMigrations() == ["v1"])
        #expect(try old.execute("SELECT (to_regclass('rating') IS NULL)::text") == [["true"]])
        first = try ResultsStore(backend: old).begin(Sample.session(trainee: "Before"))
      }
      let store = try ResultsStore(path: location)
      #expect(try store.appliedMigrations() == ["v1", "v2"])
      #expect(try store.session(first.id) == first)
      let session = try store.begin(Sample.session())
      #expect(try store.ratings(of: session.id).isEmpty)
      _ = try store.rate(
        Rating(
          objective: 1, level: .p, evaluator: "E", comment: "", simulatedSeconds: 0,
          wallTime: Sample.date(0)), in: first.id)
      #expect(try store.ratings(of: first.id).map(\.level) == [.p])
    }
  }
}
