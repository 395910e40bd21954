import ResultsStore

/// A line typed at a workshop: a facilitator verb, or the team's verb for the scenario.
public enum WorkshopCommand: Sendable, Hashable {
  /// Put the next timed inject to the team (the simulated clock jumps to it).
  case next
  /// An evaluator's rating of an objective (1-based).
  case rate(objective: Int, level: Rating.Level, evaluator: String, comment: String)
  /// End the exercise (the scenario in play is submitted) and write the report.
  case end
  /// The facilitator's verbs (the team's follow).
  case help
  /// A team verb, handed to the scenario.
  case team(String)

  /// The facilitator verbs, as `help` lists them.
  public static let helpLines = [
    "Facilitator verbs:",
    "  next                              put the next timed inject to the team",
    "  rate <objective> P|S|M|U [@evaluator] <comment>",
    "                                    rate an objective (P performed without challenges, S with some,",
    "                                    M with major challenges, U unable to be performed)",
    "  end                               end the exercise and write the after-action report",
    "The team's decisions use the trainee verbs (ask, escalate, refer, note, choose, submit...).",
  ]

  /// Reads a line.
  ///
  /// - Parameters:
  ///   - objectives: how many objectives there are to rate.
  ///   - evaluators: the evaluators named for the exercise; `@name` picks one (by a prefix
  ///     of the name, any case), else the rating is the first's (or the facilitator's).
  /// - Throws: a sentence saying what is wrong with a `rate` line.
  public static func parse(_ line: String, objectives: Int, evaluators: [String])
    throws(ReportsError) -> WorkshopCommand
  {
    let words = line.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
    guard let verb = words.first?.lowercased() else { return .team(line) }
    switch verb {
    case "next" where words.count == 1: return .next
    case "end" where words.count == 1: return .end
    case "help" where words.count == 1: return .help
    case "rate": break
    default: return .team(line)
    }
    let usage = "Usage: rate <objective 1-\(objectives)> P|S|M|U [@evaluator] <comment>"
    guard words.count >= 3, let number = Int(words[1]), (1...max(objectives, 1)).contains(number)
    else { throw .badRating(usage) }
    guard let level = Rating.Level(rawValue: words[2].uppercased()) else {
      throw .badRating("'\(words[2])' is not a rating: P, S, M or U. \(usage)")
    }
    var rest = Array(words.dropFirst(3))
    var evaluator = evaluators.first ?? "facilitator"
    if let first = rest.first, first.hasPrefix("@") {
      let wanted = first.dropFirst().lowercased()
      let matches = evaluators.filter {
        $0.lowercased().replacingOccurrences(of: " ", with: "").hasPrefix(wanted)
          || $0.lowercased().hasPrefix(wanted)
      }
      guard matches.count == 1 else {
        throw .badRating(
          matches.isEmpty
            ? "No evaluator '\(wanted)': \(evaluators.isEmpty ? "none were named (--evaluator)" : evaluators.joined(separator: ", "))."
            : "'\(wanted)' could be \(matches.joined(separator: " or ")).")
      }
      evaluator = matches[0]
      rest.removeFirst()
    }
    return .rate(
      objective: number, level: level, evaluator: evaluator,
      comment: rest.joined(separator: " "))
  }
}
