import Crypto
import Yams

/// The text of a protocol set's files, as read from disk (or made in a test).
public struct ProtocolSetSource: Sendable {
  /// A file's name as printed in diagnostics, and its text.
  public struct File: Sendable {
    public var path: String
    public var text: String

    public init(path: String, text: String) {
      self.path = path
      self.text = text
    }
  }

  public var policy: File
  public var protocols: [File]
  public var directory: [File]
  public var geography: File?
  /// An `HR0001` error for each file of the set that could not be read (and is left out of
  /// the lists above); parsing reports them with the rest.
  public var unreadable: [Diagnostic]

  public init(
    policy: File, protocols: [File], directory: [File], geography: File?,
    unreadable: [Diagnostic] = []
  ) {
    self.policy = policy
    self.protocols = protocols
    self.directory = directory
    self.geography = geography
    self.unreadable = unreadable
  }
}

/// A loaded, type-checked protocol set: the policy, protocols, directory and geography.
public struct ProtocolSet: Sendable {
  public var policy: Policy
  /// Sorted by id.
  public var protocols: [ReportingProtocol]
  /// Sorted by id.
  public var contacts: [Contact]
  public var geography: Geography
  /// sha256 of the normalised set (everything that can change a decision; not the tests).
  public var sha256: String

  /// Parses and type-checks a set. Returns the set only when there are no errors; the
  /// diagnostics (errors, and warnings about the files) come back either way.
  public static func parse(_ source: ProtocolSetSource) -> (ProtocolSet?, [Diagnostic]) {
    ProtocolSetParser.parse(source)
  }
}

enum ProtocolSetParser {
  static func parse(_ source: ProtocolSetSource) -> (ProtocolSet?, [Diagnostic]) {
    var diagnostics = source.unreadable
    var geography = Geography()
    if let file = source.geography {
      do {
        geography = try Geography.parse(file.text)
      } catch {
        diagnostics.append(error.diagnostic(file: file.path))
      }
    }
    // An unreadable policy.yaml is already an error; parsing its (empty) stand-in would
    // only add a second one.
    let policyUnreadable = source.unreadable.contains { $0.location.file == source.policy.path }
    let policy = policyUnreadable ? nil : parsePolicy(source.policy, into: &diagnostics)

    var protocols: [ReportingProtocol] = []
    var firstProtocol: [String: SourceLocation] = [:]
    for file in source.protocols {
      guard
        let parsed = parseProtocol(
          file, geography: geography, definitions: policy?.definitions ?? Definitions(),
          into: &diagnostics)
      else {
        continue
      }
      if let first = firstProtocol[parsed.id] {
        diagnostics.append(
          Diagnostic(
            .error, .duplicateProtocol, at: parsed.location,
            "protocol id '\(parsed.id)' is already used by \(first)"))
        continue
      }
      firstProtocol[parsed.id] = parsed.location
      protocols.append(parsed)
    }
    protocols.sort { $0.id < $1.id }

    var contacts: [Contact] = []
    var firstContact: [String: SourceLocation] = [:]
    for file in source.directory {
      let (parsed, problems) = DirectoryParser.parse(
        file.text, file: file.path, geography: geography)
      diagnostics += problems
      for contact in parsed {
        if let first = firstContact[contact.id] {
          diagnostics.append(
            Diagnostic(
              .error, .duplicateContact, at: contact.location,
              "contact id '\(contact.id)' is already used at \(first)"))
          continue
        }
        firstContact[contact.id] = contact.location
        contacts.append(contact)
      }
    }
    contacts.sort { $0.id < $1.id }

    diagnostics.sort()
    guard let policy, !diagnostics.contains(where: { $0.severity == .error }) else {
      return (nil, diagnostics)
    }
    let set = ProtocolSet(
      policy: policy, protocols: protocols, contacts: contacts, geography: geography,
      sha256: digest(policy: policy, protocols: protocols, contacts: contacts, geography: geography)
    )
    return (set, diagnostics)
  }

  // MARK: - policy.yaml

  private static func parsePolicy(
    _ file: ProtocolSetSource.File, into diagnostics: inout [Diagnostic]
  )
    -> Policy?
  {
    do throws(FieldIssue) {
      guard let node = try composeYAML(file.text) else {
        throw FieldIssue(
          .missingKey, at: SourcePosition(line: 1, column: 1), field: "", "empty policy file")
      }
      let map = try YAMLMapping(node, field: "")
      try map.rejectUnknownKeys(allowed: [
        "version", "name", "training_data", "settings", "definitions",
      ])
      let version = try nonEmptyText(try map.required("version"), field: "version")
      let name = try map.optional("name").map { (node) throws(FieldIssue) in
        try YAMLValue.string(node, field: "name")
      }
      let training = try map.optional("training_data").map { (node) throws(FieldIssue) in
        try YAMLValue.bool(node, field: "training_data")
      }
      var settings = PolicySettings()
      if let node = map.optional("settings") {
        settings = try parseSettings(node, field: "settings")
      }
      var definitions = Definitions()
      if let node = map.optional("definitions") {
        let entries = try YAMLMapping(node, field: "definitions")
        for (key, keyNode, value) in entries.entries {
          let path = fieldPath("definitions", key)
          let text = try YAMLValue.string(value, field: path)
          do throws(ExpressionError) {
            try definitions.add(name: key, text: text)
          } catch {
            let position =
              error.code == .invalidValue
              ? keyNode.position
              : sourcePosition(ofOffset: error.offset, in: value, fileText: file.text)
            throw FieldIssue(error.code, at: position, field: path, error.message)
          }
        }
      }
      return Policy(
        version: version, name: name ?? "", trainingData: training ?? false, settings: settings,
        definitions: definitions)
    } catch {
      diagnostics.append(error.diagnostic(file: file.path))
      return nil
    }
  }

  static func parseSettings(_ node: Node, field: String) throws(FieldIssue) -> PolicySettings {
    let map = try YAMLMapping(node, field: field)
    try map.rejectUnknownKeys(allowed: ["third_party_adult_tips"])
    var settings = PolicySettings()
    if let value = map.optional("third_party_adult_tips") {
      settings.thirdPartyAdultTips = try YAMLValue.choice(
        value, field: fieldPath(field, "third_party_adult_tips"), as: ThirdPartyAdultTips.self)
    }
    return settings
  }

  // MARK: - Protocol files

  static let protocolKeys = [
    "id", "title", "version", "effective", "expires", "scope", "for_each", "when", "then",
    "because", "cite", "tests",
  ]

  /// Parses one protocol file, adding every problem found to `diagnostics`.
  private static func parseProtocol(
    _ file: ProtocolSetSource.File, geography: Geography, definitions: Definitions,
    into diagnostics: inout [Diagnostic]
  ) -> ReportingProtocol? {
    let errorsBefore = diagnostics.count
    func record(_ issue: FieldIssue) { diagnostics.append(issue.diagnostic(file: file.path)) }
    let map: YAMLMapping
    do throws(FieldIssue) {
      guard let node = try composeYAML(file.text) else {
        throw FieldIssue(
          .missingKey, at: SourcePosition(line: 1, column: 1), field: "", "empty protocol file")
      }
      map = try YAMLMapping(node, field: "")
    } catch {
      record(error)
      return nil
    }
    do { try map.rejectUnknownKeys(allowed: protocolKeys) } catch { record(error) }

    func field<T>(_ body: () throws(FieldIssue) -> T) -> T? {
      do { return try body() } catch {
        record(error)
        return nil
      }
    }
    let id = field { () throws(FieldIssue) in
      let node = try map.required("id")
      let id = try YAMLValue.string(node, field: "id")
      // ASCII only: `isNumber` would also take Arabic-Indic or full-width digits.
      guard !id.isEmpty,
        id.unicodeScalars.allSatisfy({
          ("A"..."Z").contains($0) || ("0"..."9").contains($0) || $0 == "-" || $0 == "_"
        })
      else {
        throw FieldIssue(
          .invalidValue, at: node.position, field: "id",
          "'\(id)' is not a protocol id (A-Z, 0-9, '-')")
      }
      return id
    }
    let title = field { () throws(FieldIssue) in
      try nonEmptyText(try map.required("title"), field: "title")
    }
    let version = field { () throws(FieldIssue) in
      let node = try map.required("version")
      let version = try YAMLValue.int(node, field: "version")
      guard version >= 1 else {
        throw FieldIssue(
          .invalidValue, at: node.position, field: "version",
          "\(version) is not a version (1, 2, ...)")
      }
      return version
    }
    let effective = field { () throws(FieldIssue) in
      try YAMLValue.day(try map.required("effective"), field: "effective")
    }
    let expires = field { () throws(FieldIssue) -> Day? in
      guard let node = map.optional("expires") else { return nil }
      return try YAMLValue.day(node, field: "expires")
    }
    if let effective, let expires = expires ?? nil, expires < effective, let node = map["expires"] {
      record(
        FieldIssue(
          .invalidValue, at: node.position, field: "expires",
          "\(expires) is before effective \(effective)"))
    }
    let scope = field { () throws(FieldIssue) in
      let node = try map.required("scope")
      let text = try YAMLValue.string(node, field: "scope")
      guard let scope = Jurisdiction(text) else {
        throw FieldIssue(
          .invalidValue, at: node.position, field: "scope",
          "'\(text)' is not a scope (any, US, US/TX, US/TX/Travis, ...)")
      }
      if let problem = jurisdictionProblem(scope, geography: geography) {
        throw FieldIssue(.invalidValue, at: node.position, field: "scope", problem)
      }
      return DirectoryParser.canonical(scope, geography)
    }
    let perVictim =
      field { () throws(FieldIssue) -> Bool in
        guard let node = map.optional("for_each") else { return false }
        let text = try YAMLValue.string(node, field: "for_each")
        guard text == "victim" else {
          throw FieldIssue(
            .invalidValue, at: node.position, field: "for_each",
            "'\(text)' is not something a protocol can apply to one by one (for_each: victim)")
        }
        return true
      } ?? false
    let compiled = field { () throws(FieldIssue) in
      try compileWhen(
        try map.required("when"), fileText: file.text, perVictim: perVictim,
        definitions: definitions)
    }
    let then = field { () throws(FieldIssue) in try parseThen(try map.required("then")) }
    let because = field { () throws(FieldIssue) in
      normalizeProse(try nonEmptyText(try map.required("because"), field: "because"))
    }
    let cite = field { () throws(FieldIssue) in
      let node = try map.required("cite")
      if case .scalar = node { return [try nonEmptyText(node, field: "cite")] }
      let items = try YAMLValue.sequence(node, field: "cite")
      guard !items.isEmpty else {
        throw FieldIssue(
          .invalidValue, at: node.position, field: "cite", "a protocol cites at least one source")
      }
      var cites: [String] = []
      for (index, item) in items.enumerated() {
        cites.append(try nonEmptyText(item, field: "cite[\(index)]"))
      }
      return cites
    }
    var tests: [ProtocolTest] = []
    if let node = map.optional("tests") {
      do {
        for (index, item) in try YAMLValue.sequence(node, field: "tests").enumerated() {
          do {
            tests.append(
              try parseTest(item, field: "tests[\(index)]", file: file.path, geography: geography))
          } catch {
            diagnostics.append(
              Diagnostic(
                .error,
                error.code == .invalidValue || error.code == .wrongType || error.code == .unknownKey
                  ? .testReportInvalid : error.code,
                at: SourceLocation(file: file.path, position: error.position),
                error.field.isEmpty ? error.message : "\(error.field): \(error.message)"))
          }
        }
      } catch {
        record(error)
      }
    }
    guard diagnostics.count == errorsBefore, let id, let title, let version, let effective,
      let expires, let scope, let compiled, let then, let because, let cite
    else { return nil }
    return ReportingProtocol(
      id: id, title: title, version: version, effective: effective, expires: expires, scope: scope,
      perVictim: perVictim, whenText: compiled.text, escalation: then.escalation,
      category: then.category,
      referrals: then.referrals, because: because, cite: cite, tests: tests,
      location: SourceLocation(file: file.path, position: map.node.position),
      condition: compiled.condition, conjuncts: compiled.conjuncts,
      canonicalWhen: compiled.canonical,
      whenLocation: SourceLocation(file: file.path, position: compiled.position))
  }

  /// Text that must say something: empty or blank text is an `HR0005` error at the value.
  static func nonEmptyText(_ node: Node, field: String) throws(FieldIssue) -> String {
    let text = try YAMLValue.string(node, field: field)
    guard !text.trimmingSpaces.isEmpty else {
      throw FieldIssue(.invalidValue, at: node.position, field: field, "empty text")
    }
    return text
  }

  /// Folds the line breaks of a YAML block into single spaces.
  static func normalizeProse(_ text: String) -> String {
    text.split(whereSeparator: { $0 == "\n" || $0 == " " || $0 == "\t" }).joined(separator: " ")
  }

  /// A problem with a jurisdiction's country, state or county, or nil. Every jurisdiction but
  /// `any` is in the U.S. (the hotline's country): `US`, then a state code, then a county of
  /// that state in geography.csv (when it lists the state's counties), then a city.
  static func jurisdictionProblem(_ jurisdiction: Jurisdiction, geography: Geography) -> String? {
    let parts = jurisdiction.components
    guard let country = parts.first else { return nil }
    guard country.uppercased() == Jurisdiction.homeCountry else {
      let hint =
        USStates.codes[country.uppercased()] != nil
        ? " (did you mean '\(Jurisdiction.homeCountry)/\(country.uppercased())'?)" : ""
      return
        "'\(country)' is not a jurisdiction of this hotline: use any, \(Jurisdiction.homeCountry) or a path under it (\(Jurisdiction.homeCountry)/TX, \(Jurisdiction.homeCountry)/TX/Travis)\(hint)"
    }
    guard parts.count >= 2 else { return nil }
    guard USStates.codes[parts[1].uppercased()] != nil else {
      return "'\(parts[1])' is not a U.S. state code"
    }
    if parts.count >= 3, geography.hasCounties(state: parts[1]),
      geography.county(named: parts[2], state: parts[1]) == nil
    {
      return "'\(parts[2])' is not a county of \(parts[1].uppercased()) in geography.csv"
        + suggestion(parts[2], geography.counties(state: parts[1]))
    }
    return nil
  }

  private struct CompiledWhen {
    var text: String
    var condition: Condition
    var conjuncts: [Conjunct]
    var canonical: String
    var position: SourcePosition
  }

  private static func compileWhen(
    _ node: Node, fileText: String, perVictim: Bool, definitions: Definitions
  ) throws(FieldIssue) -> CompiledWhen {
    let text = try YAMLValue.string(node, field: "when")
    do throws(ExpressionError) {
      let syntax = try ExpressionParser.parse(text)
      let condition = try TypeChecker.check(
        syntax, perVictim: perVictim, definitions: definitions)
      let scalars = Array(text.unicodeScalars)
      var conjuncts: [Conjunct] = []
      for part in syntax.conjuncts {
        var slice = ""
        slice.unicodeScalars.append(contentsOf: scalars[part.range])
        conjuncts.append(
          Conjunct(
            condition: try TypeChecker.check(
              part, perVictim: perVictim, definitions: definitions),
            text: normalizeProse(slice),
            canonical: part.canonical))
      }
      return CompiledWhen(
        text: normalizeProse(text), condition: condition, conjuncts: conjuncts,
        canonical: syntax.canonical, position: node.position)
    } catch {
      throw FieldIssue(
        error.code, at: sourcePosition(ofOffset: error.offset, in: node, fileText: fileText),
        field: "when", error.message)
    }
  }

  /// Maps a scalar offset inside a YAML scalar's value to its line and column in the file,
  /// matching the value's non-blank characters against the source from the scalar's start.
  static func sourcePosition(ofOffset offset: Int, in node: Node, fileText: String)
    -> SourcePosition
  {
    guard case .scalar(let scalar) = node, let mark = scalar.mark else { return node.position }
    let value = Array(scalar.string.unicodeScalars)
    let wanted = value.prefix(offset).filter { !$0.properties.isWhitespace }.count
    let lines = fileText.split(separator: "\n", omittingEmptySubsequences: false)
    var line = mark.line
    var column = mark.column
    switch scalar.style {
    case .literal, .folded:
      line += 1
      column = 1
    case .singleQuoted, .doubleQuoted:
      column += 1
    default: break
    }
    var seen = 0
    // Just past the last character matched: where an expression that ends too early ends.
    var end = SourcePosition(line: mark.line, column: mark.column)
    while line <= lines.count {
      let source = Array(lines[line - 1].unicodeScalars)
      while column <= source.count {
        let character = source[column - 1]
        if !character.properties.isWhitespace {
          if seen == wanted { return SourcePosition(line: line, column: column) }
          seen += 1
          end = SourcePosition(line: line, column: column + 1)
        }
        column += 1
      }
      if seen == wanted, wanted > 0 { return end }
      line += 1
      column = 1
    }
    return end
  }

  private struct Then {
    var escalation: Escalation
    var category: Category?
    var referrals: [ReferralRule]
  }

  private static func parseThen(_ node: Node) throws(FieldIssue) -> Then {
    let map = try YAMLMapping(node, field: "then")
    try map.rejectUnknownKeys(allowed: ["escalation", "category", "referrals"])
    let escalation = try YAMLValue.choice(
      try map.required("escalation"), field: "then.escalation", as: Escalation.self)
    let category = try map.optional("category").map { (node) throws(FieldIssue) in
      try YAMLValue.choice(node, field: "then.category", as: Category.self)
    }
    var referrals: [ReferralRule] = []
    if let list = map.optional("referrals") {
      for (index, item) in try YAMLValue.sequence(list, field: "then.referrals").enumerated() {
        let path = "then.referrals[\(index)]"
        let rule = try YAMLMapping(item, field: path)
        try rule.rejectUnknownKeys(allowed: ["role", "consent", "topic", "because"])
        let role = try YAMLValue.choice(
          try rule.required("role"), field: "\(path).role", as: Role.self)
        let consent: ConsentRule
        if let node = rule.optional("consent") {
          consent = try YAMLValue.choice(node, field: "\(path).consent", as: ConsentRule.self)
        } else if role.kind == .provider {
          consent = .notRequiredServices
        } else {
          throw FieldIssue(
            .missingKey, at: item.position, field: path,
            "missing required key 'consent' (a \(role.rawValue) referral must say whose consent it needs)"
          )
        }
        let topic = try rule.optional("topic").map { (node) throws(FieldIssue) in
          let topic = try YAMLValue.string(node, field: "\(path).topic")
          guard Topic.all.contains(topic) else {
            throw FieldIssue(
              .invalidValue, at: node.position, field: "\(path).topic",
              "'\(topic)' is not a topic\(suggestion(topic, Topic.all))")
          }
          return topic
        }
        let because = try rule.optional("because").map { (node) throws(FieldIssue) in
          normalizeProse(try nonEmptyText(node, field: "\(path).because"))
        }
        referrals.append(ReferralRule(role: role, consent: consent, topic: topic, because: because))
      }
    }
    return Then(escalation: escalation, category: category, referrals: referrals)
  }

  private static func parseTest(
    _ node: Node, field: String, file: String, geography: Geography
  ) throws(FieldIssue) -> ProtocolTest {
    let map = try YAMLMapping(node, field: field)
    try map.rejectUnknownKeys(allowed: ["name", "report", "expect", "policy", "as_of"])
    let name = try map.optional("name").map { (node) throws(FieldIssue) in
      try YAMLValue.string(node, field: fieldPath(field, "name"))
    }
    let report = try Report.decode(
      node: try map.required("report"), field: fieldPath(field, "report"), geography: geography)
    let expectPath = fieldPath(field, "expect")
    let expectMap = try YAMLMapping(try map.required("expect"), field: expectPath)
    try expectMap.rejectUnknownKeys(allowed: [
      "applies", "escalation", "roles", "includes_roles", "excludes_roles", "needs",
    ])
    var expect = TestExpectation()
    if let value = expectMap.optional("applies") {
      expect.applies = try YAMLValue.bool(value, field: fieldPath(expectPath, "applies"))
    }
    if let value = expectMap.optional("escalation") {
      expect.escalation = try YAMLValue.choice(
        value, field: fieldPath(expectPath, "escalation"), as: Escalation.self)
    }
    func roles(_ key: String) throws(FieldIssue) -> [Role]? {
      guard let value = expectMap.optional(key) else { return nil }
      let path = fieldPath(expectPath, key)
      var roles: [Role] = []
      for (index, item) in try YAMLValue.sequence(value, field: path).enumerated() {
        roles.append(try YAMLValue.choice(item, field: "\(path)[\(index)]", as: Role.self))
      }
      return roles
    }
    expect.roles = try roles("roles")
    expect.includesRoles = try roles("includes_roles") ?? []
    expect.excludesRoles = try roles("excludes_roles") ?? []
    if let value = expectMap.optional("needs") {
      expect.needs = try YAMLValue.stringList(value, field: fieldPath(expectPath, "needs"))
    }
    let policy = try map.optional("policy").map { (node) throws(FieldIssue) in
      try parseSettings(node, field: fieldPath(field, "policy"))
    }
    let asOf = try map.optional("as_of").map { (node) throws(FieldIssue) in
      try YAMLValue.day(node, field: fieldPath(field, "as_of"))
    }
    return ProtocolTest(
      name: name ?? field, report: report, expect: expect, policy: policy, asOf: asOf,
      location: SourceLocation(file: file, position: node.position))
  }

  // MARK: - Normalised digest

  /// sha256 over a canonical rendering of everything that can change a decision, in a fixed
  /// order, so that reordering files or rows does not change it.
  static func digest(
    policy: Policy, protocols: [ReportingProtocol], contacts: [Contact], geography: Geography
  ) -> String {
    var lines: [String] = []
    lines.append("policy\t\(policy.version)\t\(policy.settings.thirdPartyAdultTips.rawValue)")
    for (name, text) in policy.definitions.texts {
      lines.append("definition\t\(name)\t\(normalizeProse(text))")
    }
    for p in protocols {
      let referrals = p.referrals.map {
        "\($0.role.rawValue)|\($0.consent.rawValue)|\($0.topic ?? "")|\($0.because ?? "")"
      }
      lines.append(
        [
          "protocol", p.id, p.title, String(p.version), p.effective.description,
          p.expires?.description ?? "", p.scope.description, p.perVictim ? "for_each:victim" : "",
          p.canonicalWhen, p.escalation.rawValue,
          p.category?.rawValue ?? "", referrals.joined(separator: ";"), p.because,
          p.cite.joined(separator: ";"),
        ].joined(separator: "\t"))
    }
    for c in contacts {
      lines.append(
        [
          "contact", c.id, c.name, c.role.rawValue, c.jurisdiction.description,
          c.topics.joined(separator: ";"), c.languages.joined(separator: ";"), c.hours, c.phone,
          c.email, c.activeFrom?.description ?? "", c.activeUntil?.description ?? "",
          String(c.trainingData),
        ].joined(separator: "\t"))
    }
    for state in geography.states {
      lines.append(
        "geography\t\(state)\t" + geography.counties(state: state).joined(separator: ";"))
    }
    return hex(Array((lines.joined(separator: "\n") + "\n").utf8))
  }

  static func hex(_ data: [UInt8]) -> String {
    SHA256.hash(data: data).map { byte in
      let hex = String(byte, radix: 16)
      return byte < 16 ? "0" + hex : hex
    }.joined()
  }
}
