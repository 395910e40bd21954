import Foundation
import GRDB

/// An evaluator's rating of one objective in a workshop, as exercise evaluation guides rate
/// them.
public struct Rating: Sendable, Hashable {
  /// P, S, M or U.
  public enum Level: String, Sendable, Hashable, Codable, CaseIterable {
    /// Performed without challenges.
    case p = "P"
    /// Performed with some challenges.
    case s = "S"
    /// Performed with major challenges.
    case m = "M"
    /// Unable to be performed.
    case u = "U"

    /// The level's words, as an after-action report prints them.
    public var meaning: String {
      switch self {
      case .p: "performed without challenges"
      case .s: "performed with some challenges"
      case .m: "performed with major challenges"
      case .u: "unable to be performed"
      }
    }
  }

  /// 1, 2, 3... per session, assigned by the store.
  public var seq: Int
  /// The objective's number (1-based, as the workshop lists them).
  public var objective: Int
  public var level: Level
  public var evaluator: String
  public var comment: String
  /// The simulated clock when it was given.
  public var simulatedSeconds: Int
  public var wallTime: Date

  public init(
    seq: Int = 0, objective: Int, level: Level, evaluator: String, comment: String,
    simulatedSeconds: Int, wallTime: Date
  ) {
    self.seq = seq
    self.objective = objective
    self.level = level
    self.evaluator = evaluator
    self.comment = comment
    self.simulatedSeconds = simulatedSeconds
    self.wallTime = wallTime
  }
}

extension ResultsStore {
  /// Keeps an evaluator's rating with a session, active or finished (evaluators often rate
  /// after the last inject).
  ///
  /// - Returns: The rating with its seq.
  /// - Throws: `.noSuchSession`.
  public func rate(_ rating: Rating, in session: String) throws(StoreError) -> Rating {
    try backend.write { tx in
      try Self.requireSession(session, tx)
      var row = RatingRow(session: session, rating: rating)
      row.seq = (try tx.lastRatingSeq(session: session) ?? 0) + 1
      return try tx.insertRating(row).value
    }
  }

  /// A session's ratings, in the order they were given.
  ///
  /// - Throws: `.noSuchSession`.
  public func ratings(of session: String) throws(StoreError) -> [Rating] {
    try backend.read { tx in
      try Self.requireSession(session, tx)
      return try tx.ratings(session: session).map(\.value)
    }
  }
}

/// A row of `rating` (migration v2).
struct RatingRow: Codable, FetchableRecord, PersistableRecord {
  static let databaseTableName = "rating"

  var sessionID: String
  var seq: Int
  var objective: Int
  var rating: Rating.Level
  var evaluator: String
  var comment: String
  var simulatedSeconds: Int
  var wallTime: Date

  enum CodingKeys: String, CodingKey, ColumnExpression {
    case sessionID = "session_id"
    case seq, objective, rating, evaluator, comment
    case simulatedSeconds = "simulated_seconds"
    case wallTime = "wall_time"
  }

  var value: Rating {
    Rating(
      seq: seq, objective: objective, level: rating, evaluator: evaluator, comment: comment,
      simulatedSeconds: simulatedSeconds, wallTime: wallTime)
  }
}

extension RatingRow {
  init(session: String, rating: Rating) {
    sessionID = session
    seq = rating.seq
    objective = rating.objective
    self.rating = rating.level
    evaluator = rating.evaluator
    comment = rating.comment
    simulatedSeconds = rating.simulatedSeconds
    wallTime = rating.wallTime
  }
}
