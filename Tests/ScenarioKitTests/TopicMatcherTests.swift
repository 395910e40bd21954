import Foundation
import ProtocolEngine
import ScenarioKit
import Testing

/// The shipped scenarios and their paraphrase corpora.
enum Shipped {
  static let ids = ["tx-motel-whisper", "tx-minor-online-ad", "adult-text-no-consent"]

  static func scenario(_ id: String) throws -> Scenario {
    let catalog = ScenarioCatalog(root: Fixtures.root.appendingPathComponent("Scenarios").path)
    return try catalog.find(id, geography: nil)
  }

  /// A scenario made of the mini fixture's header and the given topics (and conduct rules).
  static func scenario(topics: String, conduct: String = "") throws -> Scenario {
    let text = """
      id: matcher-test
      title: Matcher test
      version: 1
      audience: [telecommunicator]
      channel: call
      difficulty: introductory
      content_warning: None.
      truth:
        reporter: { relationship: victim, consents_to_share: true }
        location: { country: US, state: TX, county: Travis, city: Austin }
        trafficking_type: sex
        indicators: [commercial_sex]
        victims: [ { age: 22, consents_to_law_enforcement: true } ]
        perpetrator: { caregiver: false }
        imminent_danger: false
      opening: Caller. Hi.
      topics:
      \(topics)
      """ + (conduct.isEmpty ? "" : "\nconduct:\n" + conduct)
    let (scenario, diagnostics) = ScenarioLoader.parse(text, path: "matcher-test.yaml")
    guard let scenario else { throw ScenarioError.invalid(diagnostics) }
    return scenario
  }
}

/// A paraphrase corpus (`Fixtures/paraphrases/<scenario>.yaml`): wordings a trainee might
/// type for each topic, and for each trap topic. The files use one plain subset of YAML
/// (`scenario:`, then `topics:` and `traps:` maps of block lists of double-quoted strings),
/// read here line by line because the test target does not depend on a YAML library.
struct ParaphraseCorpus {
  var scenario = ""
  var topics: [(id: String, wordings: [String])] = []
  var traps: [(id: String, wordings: [String])] = []

  struct FormatError: Error, CustomStringConvertible {
    var file: String
    var line: Int
    var text: String
    var description: String { "\(file):\(line): not a line of the corpus format: \(text)" }
  }

  static func load(_ id: String) throws -> ParaphraseCorpus {
    let path = Fixtures.folder.appendingPathComponent("Fixtures/paraphrases/\(id).yaml").path
    var corpus = ParaphraseCorpus()
    var section = ""
    let lines = try String(contentsOfFile: path, encoding: .utf8).split(
      separator: "\n", omittingEmptySubsequences: false)
    for (number, line) in lines.enumerated() {
      let trimmed = line.trimmingCharacters(in: .whitespaces)
      let error = FormatError(file: path, line: number + 1, text: String(line))
      if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
      if line.hasPrefix("scenario:") {
        corpus.scenario = String(line.dropFirst("scenario:".count)).trimmingCharacters(
          in: .whitespaces)
      } else if line == "topics:" || line == "traps:" {
        section = String(line.dropLast())
      } else if line.hasPrefix("  "), !line.hasPrefix("   "), trimmed.hasSuffix(":") {
        let entry = (id: String(trimmed.dropLast()), wordings: [String]())
        if section == "topics" { corpus.topics.append(entry) } else { corpus.traps.append(entry) }
      } else if line.hasPrefix("    - \""), trimmed.hasSuffix("\""), trimmed.count > 3 {
        let wording = String(trimmed.dropFirst(3).dropLast())
          .replacingOccurrences(of: "\\\"", with: "\"")
        if section == "topics", !corpus.topics.isEmpty {
          corpus.topics[corpus.topics.count - 1].wordings.append(wording)
        } else if section == "traps", !corpus.traps.isEmpty {
          corpus.traps[corpus.traps.count - 1].wordings.append(wording)
        } else {
          throw error
        }
      } else {
        throw error
      }
    }
    return corpus
  }
}

@Suite("Topic matcher")
struct TopicMatcherTests {
  /// Where each wording of a list landed, and a report of the misses.
  struct Tally {
    var total = 0
    var hits = 0
    var misses: [String] = []
    var accuracy: Double { total == 0 ? 1 : Double(hits) / Double(total) }

    mutating func add(_ id: String, _ wordings: [String], _ scenario: Scenario) {
      for wording in wordings {
        let found = TopicMatcher.match(wording, in: scenario.topics, traps: scenario.trapTopics)
        total += 1
        if found?.id == id {
          hits += 1
        } else {
          let close = TopicMatcher.ranked(wording, in: scenario.topics, traps: scenario.trapTopics)
            .prefix(3).map { "\($0.topic.id) \(($0.score * 100).rounded() / 100)" }
          misses.append(
            "  \(id): \"\(wording)\" -> \(found?.id ?? "nothing") (\(close.joined(separator: ", ")))"
          )
        }
      }
    }

    var summary: String {
      let percent = (accuracy * 1000).rounded() / 10
      return "\(hits)/\(total) (\(percent)%)"
    }
  }

  @Test(arguments: Shipped.ids)
  func paraphrasesLandOnTheirTopic(id: String) throws {
    let scenario = try Shipped.scenario(id)
    let corpus = try ParaphraseCorpus.load(id)
    #expect(corpus.scenario == id)
    // The corpus covers every topic, traps under `traps`, with at least 8 wordings each.
    let traps = scenario.trapTopics
    #expect(Set(corpus.traps.map(\.id)) == traps)
    #expect(Set(corpus.topics.map(\.id)) == Set(scenario.topics.map(\.id)).subtracting(traps))
    for entry in corpus.topics + corpus.traps {
      #expect(entry.wordings.count >= 8, "\(id): \(entry.id) has \(entry.wordings.count)")
    }

    var topics = Tally()
    for entry in corpus.topics { topics.add(entry.id, entry.wordings, scenario) }
    var trapTally = Tally()
    for entry in corpus.traps { trapTally.add(entry.id, entry.wordings, scenario) }
    let report =
      (["\(id): topics \(topics.summary), traps \(trapTally.summary)"]
      + topics.misses + trapTally.misses).joined(separator: "\n")
    print(report)
    #expect(topics.accuracy >= 0.9, "\(report)")
    #expect(trapTally.hits == trapTally.total, "\(report)")
  }

  @Test func trapTopicsAreTheNeverRules() throws {
    #expect(try Shipped.scenario("tx-motel-whisper").trapTopics == ["why_not_leave", "speak_up"])
    #expect(try Shipped.scenario("tx-minor-online-ad").trapTopics == ["send_pictures", "confront"])
    #expect(try Shipped.scenario("adult-text-no-consent").trapTopics == ["why_stay"])
    #expect(try Fixtures.scenario().trapTopics == ["blame"])
  }

  @Test func anExactIDWins() throws {
    let scenario = try Shipped.scenario(
      topics: """
          - id: police
            question: Do you want officers to come?
            keywords: [officers]
            answers: [ { say: "Yes." } ]
          - id: send_officers
            question: Shall I send the police?
            keywords: [police, send police, send the police]
            answers: [ { say: "Please." } ]
        """)
    #expect(TopicMatcher.match("police", in: scenario.topics)?.id == "police")
    #expect(TopicMatcher.match("  Police? ", in: scenario.topics)?.id == "police")
    #expect(TopicMatcher.match("send officers", in: scenario.topics)?.id == "send_officers")
    #expect(TopicMatcher.match("send_officers", in: scenario.topics)?.id == "send_officers")
    #expect(
      TopicMatcher.match("should I send the police", in: scenario.topics)?.id == "send_officers")
    let motel = try Shipped.scenario("tx-motel-whisper")
    #expect(
      TopicMatcher.match("why not leave", in: motel.topics, traps: motel.trapTopics)?.id
        == "why_not_leave")
    #expect(
      TopicMatcher.match("who is he", in: motel.topics, traps: motel.trapTopics)?.id
        == "who_is_he")
  }

  /// A word every topic shares ("yes", "no") must not outweigh the one word that says the
  /// topic ("weapon"); the old count of keyword hits sent this to `yes_no`.
  @Test func specificWordsOutweighSharedOnes() throws {
    let scenario = try Shipped.scenario(
      topics: """
          - id: yes_no
            question: Can you only answer yes or no?
            keywords: [yes or no, yes, no, answer yes, only answer]
            answers: [ { say: "Yes." } ]
          - id: weapon
            question: Does he have a weapon? Yes or no.
            keywords: [weapon, gun, knife]
            answers: [ { say: "Yes." } ]
        """)
    #expect(
      TopicMatcher.match("does he have a weapon, yes or no", in: scenario.topics)?.id == "weapon")
    #expect(
      TopicMatcher.match("can you only answer yes or no", in: scenario.topics)?.id == "yes_no")
    let motel = try Shipped.scenario("tx-motel-whisper")
    #expect(
      TopicMatcher.match(
        "does he have a weapon, yes or no", in: motel.topics, traps: motel.trapTopics)?.id
        == "weapon")
  }

  /// "ID" the document is a content word; "id" typed for "I'd" is not.
  @Test func anIDIsADocumentButIdLikeIsNot() throws {
    let scenario = try Shipped.scenario(
      topics: """
          - id: documents
            question: Do you keep your own ID and papers?
            keywords: [id, your id, papers, passport]
            answers: [ { say: "He has them." } ]
          - id: safe_now
            question: Are you safe right now?
            keywords: [safe, right now]
            answers: [ { say: "Yes." } ]
        """)
    for question in ["does he have your ID?", "did they take her IDs", "who keeps your id"] {
      #expect(TopicMatcher.match(question, in: scenario.topics)?.id == "documents", "\(question)")
    }
    #expect(
      TopicMatcher.match("id like to know if you are safe right now", in: scenario.topics)?.id
        == "safe_now")
  }

  @Test func sharingWithAShelterIsAskingConsent() throws {
    let scenario = try Shipped.scenario("adult-text-no-consent")
    let found = TopicMatcher.match(
      "can I share your information with a shelter", in: scenario.topics,
      traps: scenario.trapTopics)
    #expect(found?.id == "share_ok")
    #expect(
      TopicMatcher.match("do you need a shelter", in: scenario.topics, traps: scenario.trapTopics)?
        .id == "needs")
  }

  @Test(arguments: Shipped.ids)
  func anUnrelatedQuestionMatchesNothing(id: String) throws {
    let scenario = try Shipped.scenario(id)
    for question in ["what's the weather like", "do you like football", "", "?!"] {
      #expect(
        TopicMatcher.match(question, in: scenario.topics, traps: scenario.trapTopics) == nil,
        "\(id): \(question)")
    }
    #expect(TopicMatcher.ranked("what's the weather like", in: scenario.topics).isEmpty)
  }

  /// The harmless topic scores higher here; without trap priority the trainee would be
  /// answered as if they had asked it, and escape the deduction.
  @Test func aTrapQuestionThatSharesWordsGoesToTheTrap() throws {
    let scenario = try Shipped.scenario(
      topics: """
          - id: can_leave
            question: Can you get out of the room on your own?
            keywords: [leave, leave the room, can you leave, get out, door, room]
            answers: [ { say: "No." } ]
          - id: why_leave
            question: Why don't you just leave?
            keywords: [why don't you leave, just leave]
            answers: [ { say: "I can't." } ]
          - id: location
            question: Where are you?
            keywords: [where, address, motel]
            answers: [ { say: "The Oak Hollow Inn." } ]
          - id: weapon
            question: Does he have a weapon?
            keywords: [weapon, gun, knife]
            answers: [ { say: "Yes." } ]
        """,
      conduct: """
          - id: no_blame
            kind: never
            topic: why_leave
            severity: moderate
            message: Blames the victim.
        """)
    let question = "why don't you leave the room, can you get out the door"
    #expect(TopicMatcher.match(question, in: scenario.topics)?.id == "can_leave")
    let traps = scenario.trapTopics
    #expect(TopicMatcher.match(question, in: scenario.topics, traps: traps)?.id == "why_leave")
    let ranked = TopicMatcher.ranked(question, in: scenario.topics, traps: traps)
    #expect(ranked.map(\.topic.id) == ["why_leave", "can_leave"])
    #expect(ranked.count == 2 && ranked[1].score > ranked[0].score)
    // A trap's word that a harmless topic also uses ("leave") does not say the trap.
    #expect(
      TopicMatcher.match("can you leave the room", in: scenario.topics, traps: traps)?.id
        == "can_leave")

    let motel = try Shipped.scenario("tx-motel-whisper")
    for (question, trap) in [
      ("why can't you just leave the room", "why_not_leave"),
      ("I can't hear you, what's the room number? speak up", "speak_up"),
    ] {
      #expect(
        TopicMatcher.match(question, in: motel.topics, traps: motel.trapTopics)?.id == trap)
    }
  }

  @Test func rankingListsTouchedTopicsBestFirstWithTiesInTopicOrder() throws {
    let scenario = try Shipped.scenario(
      topics: """
          - id: first
            question: Is he there?
            keywords: [knife]
            answers: [ { say: "Yes." } ]
          - id: second
            question: Is he there?
            keywords: [knife]
            answers: [ { say: "Yes." } ]
          - id: third
            question: Where are you?
            keywords: [address]
            answers: [ { say: "Here." } ]
        """)
    let ranked = TopicMatcher.ranked("knife?", in: scenario.topics)
    #expect(ranked.map(\.topic.id) == ["first", "second"])
    #expect(ranked.allSatisfy { $0.score > 0 } && ranked[0].score == ranked[1].score)
    #expect(TopicMatcher.match("knife?", in: scenario.topics)?.id == "first")
  }

  @Test(arguments: Shipped.ids)
  func theSameQuestionAlwaysLandsOnTheSameTopic(id: String) throws {
    let scenario = try Shipped.scenario(id)
    let corpus = try ParaphraseCorpus.load(id)
    let questions = (corpus.topics + corpus.traps).flatMap(\.wordings)
    func run() -> [String] {
      questions.map { question in
        let ranked = TopicMatcher.ranked(question, in: scenario.topics, traps: scenario.trapTopics)
        let match = TopicMatcher.match(question, in: scenario.topics, traps: scenario.trapTopics)
        return "\(match?.id ?? "-") " + ranked.map { "\($0.topic.id):\($0.score)" }.joined()
      }
    }
    let first = run()
    for _ in 0..<3 { #expect(run() == first) }
  }
}
