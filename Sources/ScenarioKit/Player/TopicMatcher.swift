import ProtocolEngine

/// Matches a trainee's question to a topic by the scenario's keywords.
public enum TopicMatcher {
  /// The topic a question is about: by id, else by the most keyword matches (first topic
  /// on a tie); nil when no keyword matches.
  public static func match(_ question: String, in topics: [Topic]) -> Topic? {
    let trimmed = question.trimming(" \t?.!")
    let asID = trimmed.lowercased().replacingOccurrences(of: " ", with: "_")
    if let topic = topics.first(where: { $0.id == asID }) { return topic }
    let words = tokens(question)
    guard !words.isEmpty else { return nil }
    let phrase = " " + words.joined(separator: " ") + " "
    var best: (topic: Topic, score: Int)?
    for topic in topics {
      var score = 0
      for keyword in topic.keywords {
        let keywordWords = tokens(keyword)
        guard !keywordWords.isEmpty else { continue }
        if keywordWords.count > 1 {
          if phrase.contains(" " + keywordWords.joined(separator: " ") + " ") { score += 2 }
        } else if let word = keywordWords.first, words.contains(where: { matches($0, word) }) {
          score += 1
        }
      }
      if score > (best?.score ?? 0) { best = (topic, score) }
    }
    return best?.topic
  }

  /// Lower-cased words of letters and digits ("She's 16?" -> she, s, 16).
  static func tokens(_ text: String) -> [String] {
    text.lowercased().split(whereSeparator: { !($0.isLetter || $0.isNumber) }).map(String.init)
  }

  /// A word matches a keyword exactly or as a simple plural.
  static func matches(_ word: String, _ keyword: String) -> Bool {
    word == keyword || word == keyword + "s" || word + "s" == keyword || word == keyword + "es"
  }
}
