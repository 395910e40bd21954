import Foundation
import ProtocolEngine

/// Matches a trainee's own question (`ask does he have a gun?`) to a scenario topic.
///
/// Counting keyword hits let any shared word decide: "does he have a weapon, yes or no" went
/// to a yes/no topic as readily as to the weapon one, because "yes" and "no" counted as much
/// as "weapon". So each topic is a small document and a question is scored against it with
/// BM25: a word counts by how few of the scenario's topics use it (IDF, so "yes" or "right"
/// that many topics share count for little), and by where the topic uses it: a keyword on
/// its own counts most, a word inside a keyword phrase less, a word of the display question
/// or id least (the author did not write those for matching). A word listed in five variants
/// counts once, and long keyword lists are damped, so a topic does not win by listing more.
/// Words are compared after dropping function words and a small, deterministic stemming
/// (plurals, possessives, -ing, -ed, contractions, negations as "not"), so "hurting" meets
/// "hurt" and "didn't" meets "don't". A keyword of several words that appears in the
/// question as a phrase (all its words side by side, or its content words side by side)
/// earns a bonus worth its words again: the author wrote it as one idea. A question must
/// reach a minimum score that scales with the number of topics, so "what's the weather like"
/// matches nothing instead of the least unlikely topic. The answers' text is left out: it
/// holds the caller's words (places, names), not the trainee's, and matched worse with it.
///
/// Trap topics (those a `never` conduct rule punishes) are decided before the ranking: a
/// trainee who asks the harmful question in words a harmless topic also uses must still be
/// scored on the harmful question, never quietly given the harmless answer. A trap is asked
/// when one of its several-word keywords appears as a phrase, or one of its one-word
/// keywords appears that no harmless topic uses (in its keywords, question or id), since only
/// such a word says the trap and nothing else. Among several traps asked, the best scored
/// wins. Ties everywhere go to the topic listed first, and no sum depends on a dictionary's
/// order, so the same question always lands on the same topic.
public enum TopicMatcher {
  /// How much a word counts in a topic: a keyword on its own says the topic; a word inside a
  /// keyword phrase says it only with the rest of the phrase (which earns the phrase bonus);
  /// the display question was not written for matching.
  static let keywordWeight = 3.0
  static let phraseWordWeight = 1.5
  static let questionWeight = 1.0
  /// BM25's term saturation and length normalisation (the usual values; topics are short).
  static let k1 = 1.2
  static let lengthNormalisation = 0.5
  /// A phrase's bonus, as a share of the IDF of its words.
  static let phraseBonus = 1.0
  /// The score below which a question matches nothing, as a share of the IDF of a word
  /// only one topic uses: one such word is enough, even if only the topic's question has it;
  /// a word that most topics use is not.
  static let threshold = 0.5

  /// The topic a question is about, without trap priority (see
  /// ``match(_:in:traps:)``): by id, else the best scored topic above the threshold.
  public static func match(_ question: String, in topics: [Topic]) -> Topic? {
    match(question, in: topics, traps: [])
  }

  /// The topic a question is about.
  ///
  /// - Parameters:
  ///   - question: the trainee's words, or a topic id (`location`, `why not leave`).
  ///   - topics: the scenario's topics, in file order (ties go to the earlier).
  ///   - traps: the ids of topics the trainee must never ask (``Scenario/trapTopics``); a
  ///     question that uses a trap's keywords lands on the trap even if a harmless topic
  ///     scores higher.
  /// - Returns: the topic, or nil when no topic scores at least the threshold.
  /// - Complexity: O(size of the topics' text); the index is built on every call.
  public static func match(_ question: String, in topics: [Topic], traps: Set<String>) -> Topic? {
    if let topic = byID(question, in: topics) { return topic }
    let index = Index(topics, traps: traps)
    guard let best = index.rank(question).first, best.asksTrap || best.score >= index.threshold
    else { return nil }
    return best.topic
  }

  /// Every topic the question's words touch, best first: the traps it asks (see
  /// ``match(_:in:traps:)``), then by score, ties in topic order. Scores below the match
  /// threshold are included, so a hint can offer the close topics of an unmatched question;
  /// such a hint should leave out the `traps`, lest it suggest the harmful question.
  public static func ranked(
    _ question: String, in topics: [Topic], traps: Set<String> = []
  ) -> [(topic: Topic, score: Double)] {
    Index(topics, traps: traps).rank(question).map { (topic: $0.topic, score: $0.score) }
  }

  /// The topic whose id is the question, or the id with spaces for underscores.
  static func byID(_ question: String, in topics: [Topic]) -> Topic? {
    if let exact = topics.first(where: { $0.id == question }) { return exact }
    let trimmed = question.trimming(" \t?.!")
    let asID = trimmed.lowercased().replacingOccurrences(of: " ", with: "_")
    return topics.first { $0.id == asID }
  }

  /// Lower-cased words of letters and digits ("She's 16?" -> she, s, 16).
  static func tokens(_ text: String) -> [String] {
    text.lowercased().split(whereSeparator: { !($0.isLetter || $0.isNumber) }).map(String.init)
  }
}

// MARK: - Scoring

extension TopicMatcher {
  struct Ranked {
    var topic: Topic
    var score: Double
    /// The topic is a trap and the question uses its words.
    var asksTrap: Bool
    var position: Int
  }

  /// The topics as BM25 documents, with their phrases and the words that say a trap.
  struct Index {
    struct Document {
      var topic: Topic
      var position: Int
      var isTrap: Bool
      /// Each word's weight: the keyword or phrase-word weight if a keyword uses it, plus the
      /// question weight if the question does (a word listed in five variants is one word).
      var weights: [String: Double] = [:]
      var length = 0.0
      /// Keywords of two or more words.
      var phrases: [Phrase] = []
      /// Keywords of one content word.
      var singles: Set<String> = []
    }

    var documents: [Document]
    var idf: [String: Double] = [:]
    var averageLength = 1.0
    /// The least score that matches: ``TopicMatcher/threshold`` of the IDF of a word only
    /// one topic uses, so that it scales with the number of topics.
    var threshold = 0.0
    /// Words a harmless topic uses; a trap's one-word keyword among them does not say the
    /// trap.
    var harmlessWords: Set<String> = []

    init(_ topics: [Topic], traps: Set<String>) {
      documents = topics.enumerated().map { position, topic in
        var document = Document(topic: topic, position: position, isTrap: traps.contains(topic.id))
        var phraseWords: Set<String> = []
        for keyword in topic.keywords {
          let phrase = Phrase(keyword)
          if phrase.words.count > 1 {
            phraseWords.formUnion(phrase.content)
            if !document.phrases.contains(phrase) { document.phrases.append(phrase) }
          } else if let word = phrase.content.first {
            document.singles.insert(word)
          }
        }
        let id = topic.id.replacingOccurrences(of: "_", with: " ")
        let questionWords = TopicMatcher.contentWords(topic.question + " " + id)
        for word in document.singles { document.weights[word, default: 0] += keywordWeight }
        for word in phraseWords.subtracting(document.singles) {
          document.weights[word, default: 0] += phraseWordWeight
        }
        for word in Set(questionWords) { document.weights[word, default: 0] += questionWeight }
        document.length = document.weights.keys.sorted().reduce(0) {
          $0 + document.weights[$1, default: 0]
        }
        return document
      }
      guard !documents.isEmpty else { return }
      averageLength = max(documents.map(\.length).reduce(0, +) / Double(documents.count), 1)
      let total = Double(documents.count)
      threshold = TopicMatcher.threshold * log(1 + (total - 0.5) / 1.5)
      var counts: [String: Int] = [:]
      for document in documents {
        for word in document.weights.keys { counts[word, default: 0] += 1 }
        if !document.isTrap { harmlessWords.formUnion(document.weights.keys) }
      }
      for (word, count) in counts {
        let count = Double(count)
        idf[word] = log(1 + (total - count + 0.5) / (count + 0.5))
      }
    }

    /// The topics the question touches: traps it asks first, then by score, then position.
    func rank(_ question: String) -> [Ranked] {
      let question = Phrase(question)
      var unique: [String] = []
      for word in question.content where !unique.contains(word) { unique.append(word) }
      var ranked: [Ranked] = []
      for document in documents {
        let score = self.score(document, unique: unique, question: question)
        guard score > 0 else { continue }
        ranked.append(
          Ranked(
            topic: document.topic, score: score,
            asksTrap: document.isTrap && asks(document, question: question),
            position: document.position))
      }
      return ranked.sorted { lhs, rhs in
        if lhs.asksTrap != rhs.asksTrap { return lhs.asksTrap }
        if lhs.score != rhs.score { return lhs.score > rhs.score }
        return lhs.position < rhs.position
      }
    }

    /// BM25 over the question's distinct words, plus the bonus of each phrase present.
    func score(_ document: Document, unique: [String], question: Phrase) -> Double {
      let norm =
        k1 * (1 - lengthNormalisation + lengthNormalisation * document.length / averageLength)
      var score = 0.0
      for word in unique {
        guard let weight = document.weights[word], let idf = idf[word] else { continue }
        score += idf * weight * (k1 + 1) / (weight + norm)
      }
      for phrase in document.phrases where question.contains(phrase) {
        score += phraseBonus * phrase.content.reduce(0) { $0 + (idf[$1] ?? 0) }
      }
      return score
    }

    /// Whether the question uses a trap's words: one of its phrases (with a content word),
    /// or one of its one-word keywords that no harmless topic uses.
    func asks(_ trap: Document, question: Phrase) -> Bool {
      trap.phrases.contains { !$0.content.isEmpty && question.contains($0) }
        || question.content.contains { trap.singles.contains($0) && !harmlessWords.contains($0) }
    }
  }

  /// A text as stemmed words, all of them and only the content words.
  struct Phrase: Equatable {
    /// Every word, stop words included ("talk to him").
    var words: [String]
    /// The words that carry meaning ("talk").
    var content: [String]

    init(_ text: String) {
      let all = TopicMatcher.words(text)
      words = all.map(TopicMatcher.stem)
      content = all.filter { !TopicMatcher.stopWords.contains($0) }.map(TopicMatcher.stem)
    }

    /// Whether a keyword phrase appears here: all its words side by side, or its content
    /// words side by side once the stop words are gone ("why didn't you leave" has "why
    /// don't you leave"), when it has two or more.
    func contains(_ phrase: Phrase) -> Bool {
      TopicMatcher.contains(words, phrase.words)
        || (phrase.content.count > 1 && TopicMatcher.contains(content, phrase.content))
    }
  }

  /// Whether `phrase` appears in `words` as a contiguous run.
  static func contains(_ words: [String], _ phrase: [String]) -> Bool {
    guard !phrase.isEmpty, phrase.count <= words.count else { return false }
    return (0...(words.count - phrase.count)).contains { start in
      words[start..<(start + phrase.count)].elementsEqual(phrase)
    }
  }
}

// MARK: - Words

extension TopicMatcher {
  /// The stemmed words of a text that carry meaning, in order.
  static func contentWords(_ text: String) -> [String] { Phrase(text).content }

  /// Lower-cased words with contractions resolved: "don't" and "cant" -> not, "she's" ->
  /// she, "you're" -> you, "okay" -> ok, number words from two to twenty -> digits ("one"
  /// is more often "the one who" than a number).
  static func words(_ text: String) -> [String] {
    let text = text.lowercased().replacingOccurrences(of: "\u{2019}", with: "'")
    let raw = text.split(whereSeparator: { !($0.isLetter || $0.isNumber || $0 == "'") })
    var words = raw.compactMap { token -> String? in
      let parts = token.split(separator: "'").map(String.init)
      guard let first = parts.first else { return nil }
      var word = parts.joined()
      if parts.count > 1, let last = parts.last {
        if last == "t", first.hasSuffix("n") {
          word = "not"
        } else if ["s", "ll", "re", "ve", "d", "m"].contains(last) {
          word = first
        }
      }
      if negations.contains(word) { return "not" }
      return synonyms[word] ?? word
    }
    // "ID" is a document ("does he have your ID?"); "id" typed for "I'd" is followed by what
    // the speaker would do ("id like to ask"). The document is spelled out so that it is a
    // content word; "I'd" stays a stop word.
    for index in words.indices where words[index] == "id" || words[index] == "ids" {
      let next = index + 1 < words.count ? words[index + 1] : ""
      if !afterID.contains(next) { words[index] = "identification" }
    }
    return words
  }

  /// Words that follow "I'd" ("id like", "id rather"): then "id" is not a document.
  static let afterID: Set<String> = [
    "like", "love", "want", "rather", "be", "have", "need", "say", "think", "prefer", "suggest",
    "ask", "recommend", "guess", "just", "really", "also", "never", "probably", "better", "hate",
    "imagine", "expect",
  ]

  /// A light suffix stripper: the same word in its common forms meets itself ("hurting",
  /// "hurts" -> hurt; "making", "make" -> mak), and unrelated words rarely meet.
  static func stem(_ word: String) -> String {
    let stem = suffixStripped(word)
    return sameMeaning[stem] ?? stem
  }

  /// Plurals, -ing, -ed and a final e off, with the irregular forms looked up.
  static func suffixStripped(_ word: String) -> String {
    if let irregular = irregulars[word] { return irregular }
    guard word.count > 3, word.allSatisfy(\.isLetter) else { return word }
    var stem = word
    if stem.hasSuffix("ies") || stem.hasSuffix("ied"), stem.count > 4 {
      return String(stem.dropLast(3)) + "y"
    }
    if stem.hasSuffix("sses") {
      stem.removeLast(2)
    } else if stem.hasSuffix("es"),
      ["sh", "ch", "x", "z"].contains(where: { stem.dropLast(2).hasSuffix($0) })
    {
      stem.removeLast(2)
    } else if stem.hasSuffix("s"), !stem.hasSuffix("ss"), !stem.hasSuffix("us"),
      !stem.hasSuffix("is")
    {
      stem.removeLast()
    }
    if stem.hasSuffix("ing"), hasVowel(stem.dropLast(3)), stem.count >= 5 {
      stem = undoubled(String(stem.dropLast(3)))
    } else if stem.hasSuffix("ed"), !stem.hasSuffix("eed"), hasVowel(stem.dropLast(2)),
      stem.count >= 5
    {
      stem = undoubled(String(stem.dropLast(2)))
    }
    if stem.hasSuffix("e"), stem.count >= 4 { stem.removeLast() }
    return stem
  }

  static func hasVowel(_ text: Substring) -> Bool { text.contains { "aeiouy".contains($0) } }

  /// "stopp" -> stop, "gett" -> get; a double l, s or z stays ("call", "kiss").
  static func undoubled(_ stem: String) -> String {
    guard let last = stem.last, stem.count >= 3, stem.dropLast().last == last,
      !"lsz".contains(last), !"aeiou".contains(last)
    else { return stem }
    return String(stem.dropLast())
  }

  /// Function words: they say nothing about which topic is asked. "What", "how", "which"
  /// and "when" start every other question, and "get" serves every verb; "where", "who" and
  /// "why" are kept, as are "not", "yes", "no", "just", "with", reflexives ("do it
  /// yourself") and particles ("up", "out", "off", "over"), since keywords such as "where",
  /// "why not leave", "speak up" or "get out" are made of them.
  static let stopWords: Set<String> = [
    "a", "an", "the", "and", "or", "but", "if", "so", "than", "then", "too", "also", "as",
    "is", "are", "am", "was", "were", "be", "been", "being", "r",
    "do", "does", "did", "done", "doing", "have", "has", "had", "having",
    "i", "me", "my", "mine", "im", "ive", "id", "you", "your", "yours", "u", "ur", "ya", "youre",
    "he", "him", "his", "hes", "she", "her", "hers", "shes",
    "it", "its", "we", "us", "our", "ours", "they", "them", "their", "theirs",
    "this", "that", "these", "those", "there", "here", "theres",
    "to", "of", "in", "on", "at", "for", "from", "by", "about", "into", "onto",
    "can", "could", "would", "should", "will", "shall", "may", "might", "must",
    "what", "how", "which", "when", "get", "got", "gotten",
    "please", "really", "very", "like", "any", "some", "all", "lol", "hey", "hi", "um", "uh",
  ]

  static let negations: Set<String> = [
    "not", "cannot", "cant", "dont", "doesnt", "didnt", "wont", "wouldnt", "couldnt",
    "shouldnt", "isnt", "arent", "wasnt", "werent", "havent", "hasnt", "hadnt", "aint",
  ]

  static let synonyms: [String: String] = [
    "okay": "ok", "k": "ok", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6",
    "seven": "7", "eight": "8", "nine": "9", "ten": "10",
    "eleven": "11", "twelve": "12", "thirteen": "13", "fourteen": "14", "fifteen": "15",
    "sixteen": "16", "seventeen": "17", "eighteen": "18", "nineteen": "19", "twenty": "20",
  ]

  /// Stems that name the same act in a call ("can you speak freely" asks "can you talk").
  static let sameMeaning: [String: String] = ["speak": "talk", "spok": "talk"]

  /// Irregular forms the suffix rules cannot see, as the stem of their base form.
  static let irregulars: [String: String] = [
    "left": "leav", "sold": "sell", "went": "go", "gone": "go", "took": "tak", "taken": "tak",
    "told": "tell", "said": "say", "thought": "think",
    "brought": "bring", "kept": "keep", "men": "man", "women": "woman", "children": "child",
    "people": "person",
  ]
}

extension Scenario {
  /// The topics a `never` conduct rule punishes: asking one is the harm, so
  /// ``TopicMatcher/match(_:in:traps:)`` must never turn it into a harmless topic.
  public var trapTopics: Set<String> {
    Set(
      conduct.compactMap { rule in
        if case .never(let topic) = rule.kind { return topic }
        return nil
      })
  }
}
