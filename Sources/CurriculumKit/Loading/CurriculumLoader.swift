import ProtocolEngine
import ScenarioKit
import Yams

/// Reads curriculum YAML into a `Curriculum`, collecting every problem as a located
/// diagnostic (the scenario codes where the meaning is the same: HS0001-HS0006).
///
/// Checks that need other files (scenario ids, audiences, duplicate curriculum ids) are in
/// ``CurriculumCheck``; this reads one file on its own.
public enum CurriculumLoader {
  static let keys = ["id", "title", "version", "audience", "description", "parts"]
  static let partKeys = [
    "id", "title", "description", "requires", "mode", "objectives", "scenarios", "mastery",
  ]
  static let objectiveKeys = ["capability", "tasks"]
  static let masteryKeys = [
    "level", "min_score", "consecutive", "no_critical", "every_scenario", "attempts",
  ]

  /// Parses a curriculum.
  ///
  /// - Returns: the curriculum when the file has no errors, and every diagnostic.
  public static func parse(_ text: String, path: String) -> (Curriculum?, [ScenarioDiagnostic]) {
    var parser = Parser(path: path)
    let curriculum = parser.parse(text)
    let diagnostics = parser.diagnostics.sorted()
    guard !diagnostics.contains(where: { $0.severity == .error }) else { return (nil, diagnostics) }
    return (curriculum, diagnostics)
  }

  /// Whether `text` looks like a curriculum rather than a scenario: a mapping with `parts`.
  /// Lint uses it to sort the files it is given.
  public static func looksLikeCurriculum(_ text: String) -> Bool {
    guard let node = try? composeYAML(text), case .mapping(let mapping) = node else {
      return false
    }
    return mapping.keys.contains { $0.string == "parts" }
  }

  private struct Parser {
    let path: String
    var diagnostics: [ScenarioDiagnostic] = []

    init(path: String) { self.path = path }

    mutating func add(
      _ severity: Severity, _ code: ScenarioCode, _ position: SourcePosition, _ message: String
    ) {
      diagnostics.append(
        ScenarioDiagnostic(
          severity, code, at: SourceLocation(file: path, position: position), message))
    }

    mutating func record(_ issue: FieldIssue) {
      let code: ScenarioCode =
        switch issue.code {
        case .syntax: .syntax
        case .unknownKey: .unknownKey
        case .missingKey: .missingKey
        case .wrongType: .wrongType
        default: .invalidValue
        }
      add(.error, code, issue.position, issue.text)
    }

    /// Runs `body`, recording its issue; nil on error.
    mutating func field<T>(_ body: () throws(FieldIssue) -> T) -> T? {
      do { return try body() } catch {
        record(error)
        return nil
      }
    }

    mutating func parse(_ text: String) -> Curriculum? {
      let map: YAMLMapping
      do throws(FieldIssue) {
        guard let node = try composeYAML(text) else {
          throw FieldIssue(
            .missingKey, at: SourcePosition(line: 1, column: 1), field: "",
            "empty curriculum file")
        }
        map = try YAMLMapping(node, field: "")
      } catch {
        record(error)
        return nil
      }
      unknownKeys(map, allowed: CurriculumLoader.keys)
      let id = field { () throws(FieldIssue) -> String in
        try Parser.slug(
          try map.required("id"), field: "id", what: "curriculum id", underscore: false)
      }
      let title = field { () throws(FieldIssue) in try Parser.text(map, "title", field: "title") }
      let version = field { () throws(FieldIssue) -> Int in
        let node = try map.required("version")
        let version = try YAMLValue.int(node, field: "version")
        guard version >= 1 else {
          throw FieldIssue(
            .invalidValue, at: node.position, field: "version",
            "\(version) is not a version (a whole number from 1)")
        }
        return version
      }
      let audience = field { () throws(FieldIssue) in
        try YAMLValue.choice(try map.required("audience"), field: "audience", as: Audience.self)
      }
      let description = field { () throws(FieldIssue) in
        try Parser.text(map, "description", field: "description")
      }
      let parts = field { () throws(FieldIssue) -> [Node] in
        let node = try map.required("parts")
        let items = try YAMLValue.sequence(node, field: "parts")
        guard !items.isEmpty else {
          throw FieldIssue(
            .invalidValue, at: node.position, field: "parts", "name at least one part")
        }
        return items
      }.map { nodes in nodes.enumerated().compactMap { part($1, field: "parts[\($0)]") } }
      if let parts {
        var seen: [String: SourcePosition] = [:]
        for part in parts {
          if let first = seen[part.id] {
            add(
              .error, .duplicateID, part.position,
              "part id '\(part.id)' is already used at line \(first.line)")
          } else {
            seen[part.id] = part.position
          }
        }
      }
      guard let id, let title, let version, let audience, let description, let parts else {
        return nil
      }
      var curriculum = Curriculum(
        id: id, title: title, version: version, audience: audience, description: description,
        parts: parts, path: path)
      curriculum.position = map.node.position
      return curriculum
    }

    mutating func part(_ node: Node, field path: String) -> Part? {
      guard let map = field({ () throws(FieldIssue) in try YAMLMapping(node, field: path) }) else {
        return nil
      }
      unknownKeys(map, allowed: CurriculumLoader.partKeys)
      let id = field { () throws(FieldIssue) -> String in
        try Parser.slug(
          try map.required("id"), field: "\(path).id", what: "part id", underscore: true)
      }
      let title = field { () throws(FieldIssue) in
        try Parser.text(map, "title", field: "\(path).title")
      }
      let description = field { () throws(FieldIssue) -> String? in
        guard map.optional("description") != nil else { return nil }
        return try Parser.text(map, "description", field: "\(path).description")
      }
      let requires = field { () throws(FieldIssue) -> [Located<String>] in
        guard let node = map.optional("requires") else { return [] }
        return try Parser.ids(node, field: "\(path).requires", what: "part id", underscore: true)
      }
      let mode = field { () throws(FieldIssue) in
        try YAMLValue.choice(try map.required("mode"), field: "\(path).mode", as: PlayMode.self)
      }
      let objectives = field { () throws(FieldIssue) -> [Node] in
        let node = try map.required("objectives")
        let items = try YAMLValue.sequence(node, field: "\(path).objectives")
        guard !items.isEmpty else {
          throw FieldIssue(
            .invalidValue, at: node.position, field: "\(path).objectives",
            "name at least one objective")
        }
        return items
      }.map { nodes in
        nodes.enumerated().compactMap { objective($1, field: "\(path).objectives[\($0)]") }
      }
      let scenarios = field { () throws(FieldIssue) -> [Located<String>] in
        let node = try map.required("scenarios")
        let list = try Parser.ids(
          node, field: "\(path).scenarios", what: "scenario id", underscore: false)
        guard !list.isEmpty else {
          throw FieldIssue(
            .invalidValue, at: node.position, field: "\(path).scenarios",
            "name at least one scenario")
        }
        return list
      }
      let mastery: MasteryRule?
      if let rule = map.optional("mastery") {
        mastery = self.mastery(rule, field: "\(path).mastery")
      } else {
        mastery = MasteryRule.at(node.position)
      }
      guard let id, let title, let description, let requires, let mode, let objectives,
        let scenarios, let mastery
      else { return nil }
      return Part(
        id: id, title: title, description: description, requires: requires, mode: mode,
        objectives: objectives, scenarios: scenarios, mastery: mastery, position: node.position)
    }

    mutating func objective(_ node: Node, field path: String) -> Objective? {
      guard let map = field({ () throws(FieldIssue) in try YAMLMapping(node, field: path) }) else {
        return nil
      }
      unknownKeys(map, allowed: CurriculumLoader.objectiveKeys)
      let capability = field { () throws(FieldIssue) in
        try Parser.text(map, "capability", field: "\(path).capability")
      }
      let tasks = field { () throws(FieldIssue) -> [String] in
        let node = try map.required("tasks")
        let items = try YAMLValue.sequence(node, field: "\(path).tasks")
        guard !items.isEmpty else {
          throw FieldIssue(
            .invalidValue, at: node.position, field: "\(path).tasks", "name at least one task")
        }
        var tasks: [String] = []
        for (index, item) in items.enumerated() {
          tasks.append(try Parser.nonEmpty(item, field: "\(path).tasks[\(index)]"))
        }
        return tasks
      }
      guard let capability, let tasks else { return nil }
      return Objective(capability: capability, tasks: tasks)
    }

    mutating func mastery(_ node: Node, field path: String) -> MasteryRule? {
      guard let map = field({ () throws(FieldIssue) in try YAMLMapping(node, field: path) }) else {
        return nil
      }
      unknownKeys(map, allowed: CurriculumLoader.masteryKeys)
      var rule = MasteryRule.at(node.position)
      var failed = false
      func count(_ key: String, _ range: ClosedRange<Int>, _ what: String) throws(FieldIssue)
        -> Int?
      {
        guard let node = map.optional(key) else { return nil }
        let value = try YAMLValue.int(node, field: "\(path).\(key)")
        guard range.contains(value) else {
          throw FieldIssue(
            .invalidValue, at: node.position, field: "\(path).\(key)",
            "\(value) is not \(what)")
        }
        return value
      }
      if let level = field({ () throws(FieldIssue) -> Compliance? in
        guard let node = map.optional("level") else { return nil }
        return try YAMLValue.choice(node, field: "\(path).level", as: Compliance.self)
      }) {
        if let level { rule.level = level }
      } else {
        failed = true
      }
      let numbers: [(String, ClosedRange<Int>, String, WritableKeyPath<MasteryRule, Int>)] = [
        ("min_score", 0...100, "a score (0 to 100)", \.minScore),
        ("consecutive", 1...1_000, "a number of attempts (1 to 1000)", \.consecutive),
      ]
      for (key, range, what, keyPath) in numbers {
        if let value = field({ () throws(FieldIssue) in try count(key, range, what) }) {
          if let value { rule[keyPath: keyPath] = value }
        } else {
          failed = true
        }
      }
      if let value = field({ () throws(FieldIssue) in
        try count("attempts", 1...1_000, "a number of attempts (1 to 1000)")
      }) {
        rule.attempts = value
      } else {
        failed = true
      }
      let flags: [(String, WritableKeyPath<MasteryRule, Bool>)] = [
        ("no_critical", \.noCritical), ("every_scenario", \.everyScenario),
      ]
      for (key, keyPath) in flags {
        if let value = field({ () throws(FieldIssue) -> Bool? in
          guard let node = map.optional(key) else { return nil }
          return try YAMLValue.bool(node, field: "\(path).\(key)")
        }) {
          if let value { rule[keyPath: keyPath] = value }
        } else {
          failed = true
        }
      }
      return failed ? nil : rule
    }

    /// Records an unknown key (with a suggestion) without stopping: the rest is still read.
    mutating func unknownKeys(_ map: YAMLMapping, allowed: [String]) {
      for entry in map.entries where !allowed.contains(entry.key) {
        add(
          .error, .unknownKey, entry.keyNode.position,
          "\(fieldPath(map.field, entry.key)): unknown key\(suggestion(entry.key, allowed))")
      }
    }

    static func text(_ map: YAMLMapping, _ key: String, field: String) throws(FieldIssue) -> String
    {
      try Parser.nonEmpty(try map.required(key), field: field)
    }

    static func nonEmpty(_ node: Node, field: String) throws(FieldIssue) -> String {
      let value = try YAMLValue.string(node, field: field)
      guard !value.trimming(" \t\r\n").isEmpty else {
        throw FieldIssue(.invalidValue, at: node.position, field: field, "must not be empty")
      }
      return value
    }

    static func ids(_ node: Node, field: String, what: String, underscore: Bool) throws(FieldIssue)
      -> [Located<String>]
    {
      var list: [Located<String>] = []
      for (index, item) in try YAMLValue.sequence(node, field: field).enumerated() {
        let id = try Parser.slug(
          item, field: "\(field)[\(index)]", what: what, underscore: underscore)
        list.append(Located(id, at: item.position))
      }
      return list
    }

    /// An id of lowercase letters, digits and '-' (and '_' where `underscore`).
    static func slug(_ node: Node, field: String, what: String, underscore: Bool)
      throws(FieldIssue) -> String
    {
      let value = try YAMLValue.string(node, field: field)
      let allowed = value.unicodeScalars.allSatisfy {
        ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-"
          || (underscore && $0 == "_")
      }
      guard !value.isEmpty, allowed else {
        throw FieldIssue(
          .invalidValue, at: node.position, field: field,
          "'\(value)' is not a \(what) (a-z, 0-9, '-'\(underscore ? ", '_'" : ""))")
      }
      return value
    }
  }
}

extension MasteryRule {
  static func at(_ position: SourcePosition) -> MasteryRule {
    var rule = MasteryRule()
    rule.position = position
    return rule
  }
}
