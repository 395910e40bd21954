import ProtocolEngine
import Yams

/// Reads scenario YAML into a `Scenario`, collecting every problem as a located diagnostic.
public enum ScenarioLoader {
  static let keys = [
    "id", "title", "version", "audience", "channel", "difficulty", "content_warning", "summary",
    "time_limit", "emergency_within", "caller", "clock", "truth", "known", "opening", "topics",
    "events", "choices", "conduct", "unmatched", "transcripts",
  ]

  /// The longest time a scenario may give (`time_limit`, an event's `at`, a rule's
  /// `seconds`, a verb's cost): 24 hours, `1440:00` or 86400 seconds.
  public static let maximumSeconds = 24 * 60 * 60
  /// The longest scenario id (it names files and rows in the results store).
  public static let maximumIDLength = 64
  /// The longest title (it heads the transcript and a row of `list`).
  public static let maximumTitleLength = 200

  /// Parses a scenario.
  ///
  /// - Parameters:
  ///   - text: the file's contents.
  ///   - path: the name printed in diagnostics.
  ///   - geography: validates the truth's county (the protocol set's geography).
  /// - Returns: the scenario when there are no errors, and every diagnostic.
  public static func parse(_ text: String, path: String, geography: Geography? = nil)
    -> (Scenario?, [ScenarioDiagnostic])
  {
    var parser = Parser(path: path, geography: geography)
    let scenario = parser.parse(text)
    let diagnostics = parser.diagnostics.sorted()
    guard !diagnostics.contains(where: { $0.severity == .error }) else { return (nil, diagnostics) }
    return (scenario, diagnostics)
  }

  private struct Parser {
    let path: String
    let geography: Geography?
    var diagnostics: [ScenarioDiagnostic] = []
    /// The file's lines, to place findings inside block text (a transcript's verbs).
    var lines: [Substring] = []

    init(path: String, geography: Geography?) {
      self.path = path
      self.geography = geography
    }

    mutating func add(
      _ severity: Severity, _ code: ScenarioCode, _ position: SourcePosition, _ message: String
    ) {
      diagnostics.append(
        ScenarioDiagnostic(
          severity, code, at: SourceLocation(file: path, position: position), message))
    }

    mutating func record(_ issue: FieldIssue, as override: ScenarioCode? = nil) {
      // A missing key is always HS0003, whatever section it is missing from.
      let code = issue.code == .missingKey ? .missingKey : override ?? Parser.code(for: issue.code)
      add(.error, code, issue.position, issue.text)
    }

    static func code(for code: DiagnosticCode) -> ScenarioCode {
      switch code {
      case .syntax: .syntax
      case .unknownKey: .unknownKey
      case .missingKey: .missingKey
      case .wrongType: .wrongType
      case .unknownFact: .invalidFact
      case .expressionSyntax, .expressionType: .invalidCondition
      default: .invalidValue
      }
    }

    /// Runs `body`, recording its issue; nil on error.
    mutating func field<T>(_ body: () throws(FieldIssue) -> T) -> T? {
      field(as: nil, body)
    }

    /// Runs `body`, recording its issue under `override` (or its own code); nil on error.
    mutating func field<T>(as override: ScenarioCode?, _ body: () throws(FieldIssue) -> T) -> T? {
      do { return try body() } catch {
        record(error, as: override)
        return nil
      }
    }

    mutating func parse(_ text: String) -> Scenario? {
      lines = text.split(separator: "\n", omittingEmptySubsequences: false)
      let map: YAMLMapping
      do throws(FieldIssue) {
        guard let node = try composeYAML(text) else {
          throw FieldIssue(
            .missingKey, at: SourcePosition(line: 1, column: 1), field: "", "empty scenario file")
        }
        map = try YAMLMapping(node, field: "")
        try map.rejectUnknownKeys(allowed: ScenarioLoader.keys)
      } catch {
        record(error)
        return nil
      }
      let id = field { () throws(FieldIssue) -> String in
        let node = try map.required("id")
        let id = try YAMLValue.string(node, field: "id")
        guard Parser.isSlug(id, allowUnderscore: false) else {
          throw FieldIssue(
            .invalidValue, at: node.position, field: "id",
            "'\(Parser.clipped(id))' is not a scenario id (a-z, 0-9, '-')")
        }
        try Parser.checkLength(id, node: node, field: "id", at: ScenarioLoader.maximumIDLength)
        return id
      }
      let title = field { () throws(FieldIssue) -> String in
        let node = try map.required("title")
        let title = try YAMLValue.string(node, field: "title")
        try Parser.checkLength(
          title, node: node, field: "title", at: ScenarioLoader.maximumTitleLength)
        return title
      }
      let version = field { () throws(FieldIssue) -> Int in
        let node = try map.required("version")
        let version = try YAMLValue.int(node, field: "version")
        guard version >= 1 else {
          throw FieldIssue(
            .invalidValue, at: node.position, field: "version",
            "\(version) is not a version (a whole number, 1 or more)")
        }
        return version
      }
      let audience = field { () throws(FieldIssue) -> [Audience] in
        let node = try map.required("audience")
        var values: [Audience] = []
        for (index, item) in try YAMLValue.sequence(node, field: "audience").enumerated() {
          values.append(try YAMLValue.choice(item, field: "audience[\(index)]", as: Audience.self))
        }
        guard !values.isEmpty else {
          throw FieldIssue(
            .invalidValue, at: node.position, field: "audience", "name at least one audience")
        }
        return values
      }
      let channel = field { () throws(FieldIssue) in
        try YAMLValue.choice(try map.required("channel"), field: "channel", as: Channel.self)
      }
      let difficulty = field { () throws(FieldIssue) in
        try YAMLValue.choice(
          try map.required("difficulty"), field: "difficulty", as: Difficulty.self)
      }
      let warning = field { () throws(FieldIssue) in
        Parser.prose(
          try YAMLValue.string(try map.required("content_warning"), field: "content_warning"))
      }
      let summary = field { () throws(FieldIssue) in
        try map.optional("summary").map { (node) throws(FieldIssue) in
          Parser.prose(try YAMLValue.string(node, field: "summary"))
        }
      }
      let timeLimit = field { () throws(FieldIssue) in
        try map.optional("time_limit").map { (node) throws(FieldIssue) in
          try Parser.seconds(node, field: "time_limit")
        }
      }
      let emergencyWithin = field { () throws(FieldIssue) in
        try map.optional("emergency_within").map { (node) throws(FieldIssue) in
          try Parser.seconds(node, field: "emergency_within")
        }
      }
      let caller = field { () throws(FieldIssue) in
        try map.optional("caller").map { (node) throws(FieldIssue) in
          try YAMLValue.string(node, field: "caller")
        }
      }
      let unmatched = field { () throws(FieldIssue) in
        try map.optional("unmatched").map { (node) throws(FieldIssue) in
          try YAMLValue.string(node, field: "unmatched")
        }
      }
      let clock = field { () throws(FieldIssue) -> [Verb: Int] in
        guard let node = map.optional("clock") else { return [:] }
        let clockMap = try YAMLMapping(node, field: "clock")
        try clockMap.rejectUnknownKeys(allowed: Verb.allCases.map(\.rawValue))
        var costs: [Verb: Int] = [:]
        for entry in clockMap.entries {
          guard let verb = Verb(rawValue: entry.key) else { continue }
          let seconds = try Parser.seconds(entry.value, field: "clock.\(entry.key)")
          costs[verb] = seconds
        }
        return costs
      }
      let geography = self.geography
      let truth = field(as: .invalidTruth) { () throws(FieldIssue) in
        try Report.decode(node: try map.required("truth"), field: "truth", geography: geography)
      }
      let known = map.optional("known").flatMap { assignments($0, field: "known") } ?? []
      let opening = field { () throws(FieldIssue) in
        try YAMLValue.string(try map.required("opening"), field: "opening")
      }
      let topics =
        map["topics"].map { parseTopics($0) }
        ?? {
          add(.error, .missingKey, map.node.position, "missing required key 'topics'")
          return []
        }()
      let events = map.optional("events").map { parseEvents($0) } ?? []
      let choices = map.optional("choices").map { parseChoices($0) } ?? []
      let conduct = map.optional("conduct").map { parseConduct($0) } ?? []
      let transcripts = map.optional("transcripts").map { parseTranscripts($0) } ?? []

      checkReferences(topics: topics, events: events, choices: choices, conduct: conduct, map: map)
      if let truth {
        let changes =
          events.flatMap(\.effect.sets) + topics.flatMap { $0.answers.flatMap(\.effect.sets) }
          + choices.flatMap { $0.options.flatMap(\.effect.sets) }
        checkMisinformation(truth: truth, changes: changes, map: map)
      }

      guard let id, let title, let version, let audience, let channel, let difficulty, let warning,
        let summary, let timeLimit, let emergencyWithin, let caller, let clock, let truth,
        let opening
      else { return nil }
      let label: String
      switch channel {
      case .call: label = "Caller"
      case .text, .chat: label = "Texter"
      case .webform, .email: label = "Sender"
      }
      return Scenario(
        id: id, title: title, version: version, audience: audience, channel: channel,
        difficulty: difficulty, contentWarning: warning, summary: summary ?? "",
        timeLimit: timeLimit ?? 15 * 60, emergencyWithin: emergencyWithin ?? 120,
        caller: caller ?? label, clock: clock, truth: truth, known: known, opening: opening,
        topics: topics, events: events, choices: choices, conduct: conduct, path: path,
        unmatchedReply: unmatched ?? nil, sha256: sha256Hex(Array(text.utf8)),
        transcripts: transcripts, truthPosition: map["truth"]?.position ?? map.node.position,
        idPosition: map["id"]?.position ?? map.node.position)
    }

    // MARK: - Sections

    mutating func parseTopics(_ node: Node) -> [Topic] {
      guard
        let items = field({ () throws(FieldIssue) in try YAMLValue.sequence(node, field: "topics") }
        )
      else {
        return []
      }
      if items.isEmpty {
        add(.error, .missingKey, node.position, "topics: a scenario needs at least one topic")
      }
      var topics: [Topic] = []
      var seen: Set<String> = []
      for (index, item) in items.enumerated() {
        let path = "topics[\(index)]"
        guard let map = field({ () throws(FieldIssue) in try YAMLMapping(item, field: path) })
        else { continue }
        _ = field { () throws(FieldIssue) in
          try map.rejectUnknownKeys(allowed: ["id", "question", "keywords", "answers", "cost"])
        }
        guard let id = slug(map, path: path, seen: &seen) else { continue }
        let question = field { () throws(FieldIssue) in
          try YAMLValue.string(try map.required("question"), field: "\(path).question")
        }
        let keywords = field { () throws(FieldIssue) in
          try map.optional("keywords").map { (node) throws(FieldIssue) in
            try YAMLValue.stringList(node, field: "\(path).keywords").map { $0.lowercased() }
          } ?? []
        }
        let cost = field { () throws(FieldIssue) in
          try map.optional("cost").map { (node) throws(FieldIssue) in
            try Parser.seconds(node, field: "\(path).cost")
          }
        }
        var answers: [Answer] = []
        if let answersNode = map["answers"],
          let list = field({ () throws(FieldIssue) in
            try YAMLValue.sequence(answersNode, field: "\(path).answers")
          })
        {
          for (answerIndex, answerNode) in list.enumerated() {
            let answerPath = "\(path).answers[\(answerIndex)]"
            guard
              let answerMap = field({ () throws(FieldIssue) in
                try YAMLMapping(answerNode, field: answerPath)
              })
            else { continue }
            _ = field { () throws(FieldIssue) in
              try answerMap.rejectUnknownKeys(allowed: [
                "when", "say", "reveals", "sets", "offers", "ends",
              ])
            }
            let when = answerMap.optional("when").flatMap {
              condition($0, field: "\(answerPath).when")
            }
            answers.append(
              Answer(
                when: when, effect: effect(answerMap, path: answerPath),
                position: answerNode.position))
          }
          if !answers.isEmpty, !answers.contains(where: { $0.when == nil }) {
            add(
              .warning, .noDefaultAnswer, answersNode.position,
              "\(path).answers: topic '\(id)' has no answer without a condition; the caller may say nothing"
            )
          }
        } else {
          add(.error, .missingKey, item.position, "\(path): missing required key 'answers'")
        }
        guard let question, let keywords, let cost else { continue }
        topics.append(
          Topic(
            id: id, question: question, keywords: keywords, answers: answers, cost: cost,
            position: item.position))
      }
      return topics
    }

    mutating func parseEvents(_ node: Node) -> [ScenarioEvent] {
      guard
        let items = field({ () throws(FieldIssue) in try YAMLValue.sequence(node, field: "events") }
        )
      else {
        return []
      }
      var events: [ScenarioEvent] = []
      var seen: Set<String> = []
      for (index, item) in items.enumerated() {
        let path = "events[\(index)]"
        guard let map = field({ () throws(FieldIssue) in try YAMLMapping(item, field: path) })
        else { continue }
        _ = field { () throws(FieldIssue) in
          try map.rejectUnknownKeys(allowed: [
            "id", "at", "when", "say", "reveals", "sets", "offers", "ends",
          ])
        }
        guard let id = slug(map, path: path, seen: &seen) else { continue }
        let at = field { () throws(FieldIssue) in
          try map.optional("at").map { (node) throws(FieldIssue) in
            try Parser.seconds(node, field: "\(path).at")
          }
        }
        let when = map.optional("when").flatMap { condition($0, field: "\(path).when") }
        if map.optional("at") == nil, map.optional("when") == nil {
          add(
            .error, .missingKey, item.position,
            "\(path): an event needs 'at' (a time) or 'when' (a condition)")
        }
        guard let at else { continue }
        events.append(
          ScenarioEvent(
            id: id, at: at, when: when, effect: effect(map, path: path), position: item.position))
      }
      return events
    }

    mutating func parseChoices(_ node: Node) -> [Choice] {
      let parsed = field { () throws(FieldIssue) in
        try YAMLValue.sequence(node, field: "choices")
      }
      guard let items = parsed else { return [] }
      var choices: [Choice] = []
      var seen: Set<String> = []
      var seenOptions: Set<String> = []
      for (index, item) in items.enumerated() {
        let path = "choices[\(index)]"
        guard let map = field({ () throws(FieldIssue) in try YAMLMapping(item, field: path) })
        else { continue }
        _ = field { () throws(FieldIssue) in
          try map.rejectUnknownKeys(allowed: ["id", "prompt", "options"])
        }
        guard let id = slug(map, path: path, seen: &seen) else { continue }
        let prompt = field { () throws(FieldIssue) in
          try YAMLValue.string(try map.required("prompt"), field: "\(path).prompt")
        }
        var options: [ChoiceOption] = []
        if let list = field({ () throws(FieldIssue) in
          try YAMLValue.sequence(try map.required("options"), field: "\(path).options")
        }) {
          if list.count < 2 {
            add(
              .error, .invalidValue, item.position,
              "\(path).options: a choice needs two options or more")
          }
          for (optionIndex, optionNode) in list.enumerated() {
            let optionPath = "\(path).options[\(optionIndex)]"
            guard
              let optionMap = field({ () throws(FieldIssue) in
                try YAMLMapping(optionNode, field: optionPath)
              })
            else { continue }
            _ = field { () throws(FieldIssue) in
              try optionMap.rejectUnknownKeys(allowed: [
                "id", "text", "say", "reveals", "sets", "offers", "ends", "deviation",
              ])
            }
            guard let optionID = slug(optionMap, path: optionPath, seen: &seenOptions) else {
              continue
            }
            let text = field { () throws(FieldIssue) in
              try YAMLValue.string(try optionMap.required("text"), field: "\(optionPath).text")
            }
            let deviation = field { () throws(FieldIssue) -> (DeviationSeverity, String)? in
              guard let node = optionMap.optional("deviation") else { return nil }
              let deviationMap = try YAMLMapping(node, field: "\(optionPath).deviation")
              try deviationMap.rejectUnknownKeys(allowed: ["severity", "message"])
              return (
                try YAMLValue.choice(
                  try deviationMap.required("severity"), field: "\(optionPath).deviation.severity",
                  as: DeviationSeverity.self),
                Parser.prose(
                  try YAMLValue.string(
                    try deviationMap.required("message"), field: "\(optionPath).deviation.message"))
              )
            }
            guard let text, let deviation else { continue }
            options.append(
              ChoiceOption(
                id: optionID, text: text, effect: effect(optionMap, path: optionPath),
                deviation: deviation.map { (severity: $0.0, message: $0.1) },
                position: optionNode.position))
          }
        }
        guard let prompt else { continue }
        choices.append(
          Choice(id: id, prompt: prompt, options: options, position: item.position))
      }
      return choices
    }

    mutating func parseConduct(_ node: Node) -> [ConductRule] {
      let parsed = field { () throws(FieldIssue) in
        try YAMLValue.sequence(node, field: "conduct")
      }
      guard let items = parsed else { return [] }
      var rules: [ConductRule] = []
      var seen: Set<String> = []
      for (index, item) in items.enumerated() {
        let path = "conduct[\(index)]"
        guard let map = field({ () throws(FieldIssue) in try YAMLMapping(item, field: path) })
        else { continue }
        _ = field { () throws(FieldIssue) in
          try map.rejectUnknownKeys(allowed: [
            "id", "kind", "first", "then", "topic", "seconds", "severity", "message",
          ])
        }
        guard let id = slug(map, path: path, seen: &seen) else { continue }
        let rule = field { () throws(FieldIssue) -> ConductRule in
          let kindNode = try map.required("kind")
          let kindText = try YAMLValue.string(kindNode, field: "\(path).kind")
          let kind: ConductRule.Kind
          switch kindText {
          case "before":
            let first = try YAMLValue.string(try map.required("first"), field: "\(path).first")
            let thenNode = try map.required("then")
            let then: [String]
            if case .scalar = thenNode {
              then = [try YAMLValue.string(thenNode, field: "\(path).then")]
            } else {
              then = try YAMLValue.stringList(thenNode, field: "\(path).then")
            }
            kind = .before(first: first, then: then)
          case "never":
            kind = .never(
              topic: try YAMLValue.string(try map.required("topic"), field: "\(path).topic"))
          case "within":
            kind = .within(
              topic: try YAMLValue.string(try map.required("topic"), field: "\(path).topic"),
              seconds: try Parser.seconds(try map.required("seconds"), field: "\(path).seconds"))
          default:
            throw FieldIssue(
              .invalidValue, at: kindNode.position, field: "\(path).kind",
              "'\(kindText)' is not one of before, never, within\(suggestion(kindText, ["before", "never", "within"]))"
            )
          }
          let severity = try YAMLValue.choice(
            try map.required("severity"), field: "\(path).severity", as: DeviationSeverity.self)
          let message = Parser.prose(
            try YAMLValue.string(try map.required("message"), field: "\(path).message"))
          return ConductRule(
            id: id, kind: kind, severity: severity, message: message, position: item.position)
        }
        if let rule { rules.append(rule) }
      }
      return rules
    }

    mutating func parseTranscripts(_ node: Node) -> [Transcript] {
      let parsed = field { () throws(FieldIssue) in
        try YAMLValue.sequence(node, field: "transcripts")
      }
      guard let items = parsed else { return [] }
      var transcripts: [Transcript] = []
      var seen: Set<String> = []
      for (index, item) in items.enumerated() {
        let path = "transcripts[\(index)]"
        guard let map = field({ () throws(FieldIssue) in try YAMLMapping(item, field: path) })
        else { continue }
        _ = field { () throws(FieldIssue) in
          try map.rejectUnknownKeys(allowed: [
            "id", "note", "audience", "mode", "seed", "expect", "verbs",
          ])
        }
        guard let id = slug(map, path: path, seen: &seen) else { continue }
        let note = field { () throws(FieldIssue) in
          try map.optional("note").map { (node) throws(FieldIssue) in
            Parser.prose(try YAMLValue.string(node, field: "\(path).note"))
          } ?? ""
        }
        let audience = field { () throws(FieldIssue) in
          try map.optional("audience").map { (node) throws(FieldIssue) in
            try YAMLValue.choice(node, field: "\(path).audience", as: Audience.self)
          }
        }
        let mode = field { () throws(FieldIssue) in
          try map.optional("mode").map { (node) throws(FieldIssue) in
            try YAMLValue.choice(node, field: "\(path).mode", as: PlayMode.self)
          } ?? .assessment
        }
        let seed = field { () throws(FieldIssue) -> UInt64 in
          guard let node = map.optional("seed") else { return 1 }
          let value = try YAMLValue.int(node, field: "\(path).seed")
          guard value >= 0 else {
            throw FieldIssue(
              .invalidValue, at: node.position, field: "\(path).seed",
              "\(value) is not a seed (0 or more)")
          }
          return UInt64(value)
        }
        let expectation = field { () throws(FieldIssue) -> ([Compliance], ClosedRange<Int>) in
          let node = try map.required("expect")
          let expect = try YAMLMapping(node, field: "\(path).expect")
          try expect.rejectUnknownKeys(allowed: ["compliance", "score"])
          let levels = try Parser.complianceRange(
            try expect.required("compliance"), field: "\(path).expect.compliance")
          let score = try expect.optional("score").map { (node) throws(FieldIssue) in
            try Parser.scoreRange(node, field: "\(path).expect.score")
          }
          return (levels, score ?? 0...100)
        }
        let verbs = field { () throws(FieldIssue) -> [(text: String, line: Int)] in
          let node = try map.required("verbs")
          return try Parser.verbLines(node, field: "\(path).verbs")
        }
        if let verbs {
          for verb in verbs {
            let word = Player.split(verb.text).0.lowercased()
            if Verb(rawValue: word) == nil {
              // The verb's own column: where the text starts on its line.
              let column =
                verb.line <= lines.count
                ? lines[verb.line - 1].prefix { $0 == " " || $0 == "\t" }.count + 1 : 1
              add(
                .error, .invalidTranscript, SourcePosition(line: verb.line, column: column),
                "\(path).verbs: '\(word)' is not a verb\(suggestion(word, Verb.allCases.map(\.rawValue)))"
              )
            }
          }
          if verbs.isEmpty {
            add(
              .error, .invalidTranscript, item.position, "\(path).verbs: a transcript needs verbs")
          }
        }
        guard let note, let audience, let mode, let seed, let expectation, let verbs else {
          continue
        }
        transcripts.append(
          Transcript(
            id: id, note: note, audience: audience, mode: mode, seed: seed,
            compliance: expectation.0, score: expectation.1, verbs: verbs,
            position: item.position))
      }
      return transcripts
    }

    /// `compliant`, `high_compliance..compliant` or a list of adjacent levels.
    static func complianceRange(_ node: Node, field: String) throws(FieldIssue) -> [Compliance] {
      let all = Compliance.allCases
      var names: [(String, SourcePosition)] = []
      if case .sequence(let items) = node {
        for (index, item) in items.enumerated() {
          names.append((try YAMLValue.string(item, field: "\(field)[\(index)]"), item.position))
        }
      } else {
        let text = try YAMLValue.string(node, field: field)
        names = text.components(separatedBy: "..").map {
          ($0.trimming(" "), node.position)
        }
      }
      var indices: [Int] = []
      for (name, position) in names {
        guard let index = all.firstIndex(where: { $0.rawValue == name }) else {
          throw FieldIssue(
            .invalidValue, at: position, field: field,
            "'\(name)' is not a compliance level (\(all.map(\.rawValue).joined(separator: ", ")))\(suggestion(name, all.map(\.rawValue)))"
          )
        }
        indices.append(index)
      }
      guard let low = indices.min(), let high = indices.max() else {
        throw FieldIssue(.invalidValue, at: node.position, field: field, "name a compliance level")
      }
      return Array(all[low...high])
    }

    /// `90..100`, or one number.
    static func scoreRange(_ node: Node, field: String) throws(FieldIssue) -> ClosedRange<Int> {
      let text: String
      if case .scalar(let scalar) = node { text = scalar.string } else { text = "" }
      let parts = text.components(separatedBy: "..").map {
        Int($0.trimming(" "))
      }
      guard parts.count <= 2, let low = parts.first ?? nil, let high = parts.last ?? nil,
        low <= high, low >= 0, high <= 100
      else {
        throw FieldIssue(
          .invalidValue, at: node.position, field: field,
          "'\(text)' is not a score range (e.g. 80..100, within 0 to 100)")
      }
      return low...high
    }

    /// A transcript's verbs: a block of lines (`|`) or a list; blank lines and `#` comments
    /// are skipped.
    static func verbLines(_ node: Node, field: String) throws(FieldIssue) -> [(
      text: String, line: Int
    )] {
      var result: [(text: String, line: Int)] = []
      if case .sequence(let items) = node {
        for (index, item) in items.enumerated() {
          let text = try YAMLValue.string(item, field: "\(field)[\(index)]")
          result.append((text.trimming(" \t"), item.position.line))
        }
      } else {
        let text = try YAMLValue.string(node, field: field)
        var isBlock = false
        if case .scalar(let scalar) = node { isBlock = scalar.style == .literal }
        for (offset, line) in text.split(separator: "\n", omittingEmptySubsequences: false)
          .enumerated()
        {
          result.append(
            (
              String(line).trimming(" \t"),
              node.position.line + (isBlock ? offset + 1 : 0)
            ))
        }
      }
      return result.filter { !$0.text.isEmpty && !$0.text.hasPrefix("#") }
    }

    // MARK: - Pieces

    /// Reads and checks an `id`, recording duplicates.
    mutating func slug(_ map: YAMLMapping, path: String, seen: inout Set<String>) -> String? {
      let result = field { () throws(FieldIssue) -> (String, SourcePosition) in
        let node = try map.required("id")
        let id = try YAMLValue.string(node, field: "\(path).id")
        guard Parser.isSlug(id, allowUnderscore: true) else {
          throw FieldIssue(
            .invalidValue, at: node.position, field: "\(path).id",
            "'\(id)' is not an id (a-z, 0-9, '_')")
        }
        return (id, node.position)
      }
      guard let (id, position) = result else { return nil }
      guard seen.insert(id).inserted else {
        add(.error, .duplicateID, position, "\(path).id: '\(id)' is already used")
        return nil
      }
      return id
    }

    /// A scenario id is `[a-z0-9-]+`; the ids inside a scenario (topics, events, choices,
    /// options, rules, transcripts) are `[a-z0-9_]+`, as the README and the schema say.
    static func isSlug(_ text: String, allowUnderscore: Bool) -> Bool {
      !text.isEmpty
        && text.allSatisfy {
          ($0.isLowercase && $0.isASCII) || ($0.isNumber && $0.isASCII)
            || (allowUnderscore ? $0 == "_" : $0 == "-")
        }
    }

    mutating func effect(_ map: YAMLMapping, path: String) -> Effect {
      var effect = Effect()
      if let node = map.optional("say") {
        effect.say =
          field { () throws(FieldIssue) -> Reply in
            let variants: [String]
            if case .sequence = node {
              variants = try YAMLValue.stringList(node, field: "\(path).say").map(Parser.trimmed)
            } else {
              variants = [Parser.trimmed(try YAMLValue.string(node, field: "\(path).say"))]
            }
            // A `say` that says nothing is a mistake: leave the key out for silence.
            guard !variants.isEmpty else {
              throw FieldIssue(
                .invalidValue, at: node.position, field: "\(path).say",
                "an empty list; give at least one wording, or leave 'say' out")
            }
            if let blank = variants.firstIndex(where: { $0.trimming(" \t\n").isEmpty }) {
              var position = node.position
              if case .sequence(let items) = node, blank < items.count {
                position = items[blank].position
              }
              throw FieldIssue(
                .invalidValue, at: position,
                field: variants.count > 1 ? "\(path).say[\(blank)]" : "\(path).say",
                "an empty reply; write what is said, or leave 'say' out")
            }
            return Reply(variants: variants)
          } ?? Reply(variants: [])
      }
      if let node = map.optional("reveals") {
        effect.reveals = assignments(node, field: "\(path).reveals") ?? []
      }
      if let node = map.optional("sets") {
        effect.sets = assignments(node, field: "\(path).sets") ?? []
      }
      effect.offers =
        field { () throws(FieldIssue) in
          try map.optional("offers").map { (node) throws(FieldIssue) in
            try YAMLValue.string(node, field: "\(path).offers")
          }
        } ?? nil
      effect.ends =
        field { () throws(FieldIssue) -> EndReason? in
          guard let node = map.optional("ends") else { return nil }
          let text = try YAMLValue.string(node, field: "\(path).ends")
          switch text {
          case "hang_up": return .hungUp
          case "disconnected": return .disconnected
          default:
            throw FieldIssue(
              .invalidValue, at: node.position, field: "\(path).ends",
              "'\(text)' is not one of hang_up, disconnected\(suggestion(text, ["hang_up", "disconnected"]))"
            )
          }
        } ?? nil
      return effect
    }

    static func trimmed(_ text: String) -> String {
      var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
      while lines.last?.isEmpty == true { lines.removeLast() }
      return lines.joined(separator: "\n")
    }

    mutating func assignments(_ node: Node, field path: String) -> [FactAssignment]? {
      guard let map = field({ () throws(FieldIssue) in try YAMLMapping(node, field: path) }) else {
        return nil
      }
      var result: [FactAssignment] = []
      let geography = self.geography
      for entry in map.entries {
        let assignment = field(as: .invalidFact) { () throws(FieldIssue) in
          // The engine refuses a victim index over `Report.Limits.victims` here, before
          // anything is built for it (`victims[100000000]` would make 10^8 victims).
          try FactAssignment.parse(
            path: entry.key, value: entry.value, field: "\(path).\(entry.key)",
            pathPosition: entry.keyNode.position, geography: geography)
        }
        if let assignment { result.append(assignment) }
      }
      return result
    }

    mutating func condition(_ node: Node, field path: String) -> ScenarioCondition? {
      guard let text = field({ () throws(FieldIssue) in try YAMLValue.string(node, field: path) })
      else { return nil }
      do {
        return ScenarioCondition(
          expression: try Expression(text, hostFunctions: ScenarioCondition.functions))
      } catch {
        var position = node.position
        if case .scalar(let scalar) = node,
          scalar.style == .plain || scalar.style == .doubleQuoted
            || scalar.style == .singleQuoted, !text.contains("\n")
        {
          position.column += error.offset + (scalar.style == .plain ? 0 : 1)
        }
        add(.error, .invalidCondition, position, "\(path): \(error.message)")
        return nil
      }
    }

    /// A time: seconds as a plain whole number (`90`), or `"mm:ss"` (`"15:00"`, `"1:30"`,
    /// seconds 00 to 59), ASCII digits only (no sign, no spaces), at most
    /// ``ScenarioLoader/maximumSeconds``.
    static func seconds(_ node: Node, field: String) throws(FieldIssue) -> Int {
      let text = try YAMLValue.string(node, field: field)
      var isPlain = false
      if case .scalar(let scalar) = node { isPlain = scalar.style == .plain }
      let parts = text.split(separator: ":", omittingEmptySubsequences: false)
      let isDigits = parts.allSatisfy { part in
        !part.isEmpty && part.allSatisfy { $0.isASCII && $0.isNumber }
      }
      let wellFormed =
        isDigits
        && ((parts.count == 1 && isPlain) || (parts.count == 2 && parts[1].count == 2))
      guard wellFormed else {
        throw FieldIssue(
          .invalidValue, at: node.position, field: field,
          "'\(clipped(text))' is not a time (\"mm:ss\" or seconds)")
      }
      // Digits beyond what 24 hours needs are over the limit, whatever their value.
      let numbers = parts.map { $0.count > 9 ? nil : Int($0) }
      var value: Int?
      if numbers.count == 1 {
        value = numbers[0]
      } else if let minutes = numbers[0], let seconds = numbers[1] {
        guard seconds < 60 else {
          throw FieldIssue(
            .invalidValue, at: node.position, field: field,
            "'\(text)' is not a time (\"mm:ss\" or seconds)")
        }
        value = minutes * 60 + seconds
      }
      guard let value, value <= ScenarioLoader.maximumSeconds else {
        throw FieldIssue(
          .invalidValue, at: node.position, field: field,
          "'\(clipped(text))' is longer than 24 hours (\"1440:00\" or 86400 seconds), the longest time a scenario may give"
        )
      }
      return value
    }

    /// `text` cut to 40 characters for a message, with an ellipsis when cut.
    static func clipped(_ text: String) -> String {
      text.count > 40 ? String(text.prefix(40)) + "…" : text
    }

    /// Throws when `text` is longer than `limit` characters.
    static func checkLength(_ text: String, node: Node, field: String, at limit: Int)
      throws(FieldIssue)
    {
      guard text.count > limit else { return }
      throw FieldIssue(
        .invalidValue, at: node.position, field: field,
        "\(text.count) characters; at most \(limit)")
    }

    static func prose(_ text: String) -> String {
      text.split(whereSeparator: { $0 == "\n" || $0 == " " }).joined(separator: " ")
    }

    // MARK: - Cross-references and content checks

    mutating func checkReferences(
      topics: [Topic], events: [ScenarioEvent], choices: [Choice], conduct: [ConductRule],
      map: YAMLMapping
    ) {
      let topicIDs = topics.map(\.id)
      let eventIDs = events.map(\.id)
      let choiceIDs = choices.map(\.id)
      let optionIDs = choices.flatMap { $0.options.map(\.id) }
      let position = map.node.position
      func check(_ kind: String, _ name: String, in ids: [String], context: String) {
        guard !ids.contains(name) else { return }
        add(
          .error, .unknownReference, position,
          "\(context): no \(kind) '\(name)'\(suggestion(name, ids))")
      }
      func checkCondition(_ condition: ScenarioCondition?, context: String) {
        for call in condition?.expression.hostCalls ?? [] {
          switch call.name {
          case "asked": check("topic", call.argument, in: topicIDs, context: context)
          case "fired": check("event", call.argument, in: eventIDs, context: context)
          case "chose": check("option", call.argument, in: optionIDs, context: context)
          case "escalated":
            check(
              "escalation level", call.argument, in: Escalation.allCases.map(\.rawValue),
              context: context)
          case "referred":
            check("role", call.argument, in: Role.allCases.map(\.rawValue), context: context)
          default: break
          }
        }
      }
      func checkEffect(_ effect: Effect, context: String) {
        if let offers = effect.offers { check("choice", offers, in: choiceIDs, context: context) }
      }
      for topic in topics {
        for answer in topic.answers {
          checkCondition(answer.when, context: "topic '\(topic.id)'")
          checkEffect(answer.effect, context: "topic '\(topic.id)'")
        }
      }
      for event in events {
        checkCondition(event.when, context: "event '\(event.id)'")
        checkEffect(event.effect, context: "event '\(event.id)'")
      }
      for choice in choices {
        for option in choice.options {
          checkEffect(option.effect, context: "option '\(option.id)'")
        }
      }
      for rule in conduct {
        switch rule.kind {
        case .before(let first, let then):
          for topic in [first] + then {
            check("topic", topic, in: topicIDs, context: "conduct rule '\(rule.id)'")
          }
        case .never(let topic), .within(let topic, _):
          check("topic", topic, in: topicIDs, context: "conduct rule '\(rule.id)'")
        }
      }
    }

    /// Notes every `reveals` value that differs from the truth (the caller is wrong).
    mutating func checkMisinformation(truth: Report, changes: [FactAssignment], map: YAMLMapping) {
      // A value some event or option sets later is not a mistake.
      var changed = truth
      for fact in changes { fact.apply(to: &changed) }
      let truths = [truth, changed]
      // Only where `reveals` may be written is looked at (answers, events, options), never the
      // whole tree: a tree of repeated aliases can be exponentially large.
      func checkReveals(in node: Node, path: String) {
        guard case .mapping = node, let owner = try? YAMLMapping(node, field: path),
          let value = owner["reveals"], let reveals = try? YAMLMapping(value, field: path)
        else { return }
        for fact in reveals.entries {
          guard
            let assignment = try? FactAssignment.parse(
              path: fact.key, value: fact.value, field: fact.key,
              pathPosition: fact.keyNode.position,
              geography: geography)
          else { continue }
          let differs = truths.allSatisfy { candidate in
            var revealed = candidate
            assignment.apply(to: &revealed)
            return revealed != candidate
          }
          if differs {
            add(
              .note, .misinformation, fact.value.position,
              assignment.isUncertain
                ? "\(path).reveals.\(fact.key): \(assignment.displayValue): the caller is unsure here, so the fact stays unknown until it is confirmed"
                : "\(path).reveals.\(fact.key): \(assignment.displayValue) differs from the truth (the caller is wrong here)"
            )
          }
        }
      }
      /// The items of a list, or none.
      func items(_ node: Node?) -> [Node] {
        if case .sequence(let items) = node { return Array(items) }
        return []
      }
      /// A key of a mapping, or nil.
      func child(_ node: Node, _ key: String) -> Node? {
        guard case .mapping = node else { return nil }
        return (try? YAMLMapping(node, field: ""))?[key]
      }
      for (index, topic) in items(map["topics"]).enumerated() {
        for (answerIndex, answer) in items(child(topic, "answers")).enumerated() {
          checkReveals(in: answer, path: "topics[\(index)].answers[\(answerIndex)]")
        }
      }
      for (index, event) in items(map["events"]).enumerated() {
        checkReveals(in: event, path: "events[\(index)]")
      }
      for (index, choice) in items(map["choices"]).enumerated() {
        for (optionIndex, option) in items(child(choice, "options")).enumerated() {
          checkReveals(in: option, path: "choices[\(index)].options[\(optionIndex)]")
        }
      }
    }
  }
}
