import Yams

extension Report {
  /// Decodes a report from JSON (or YAML) text, strictly: unknown keys, wrong types and
  /// impossible values are errors that name the field, e.g. `victims[0].age: -3 is not an age`.
  ///
  /// - Parameters:
  ///   - text: the report.
  ///   - file: the name printed in errors (`-` for standard input).
  ///   - geography: when given, a county must be one of its state's counties; the county
  ///     is normalised to the spelling in `geography.csv`.
  /// - Throws: `ProtocolEngineError.invalidReport` naming the file, position and field.
  public static func decode(
    _ text: String, file: String, geography: Geography? = nil
  ) throws(ProtocolEngineError) -> Report {
    do throws(FieldIssue) {
      guard let node = try composeYAML(text) else {
        throw FieldIssue(
          .syntax, at: SourcePosition(line: 1, column: 1), field: "", "the report is empty")
      }
      return try decode(node: node, field: "", geography: geography)
    } catch {
      throw .invalidReport(
        location: SourceLocation(file: file, position: error.position), field: error.field,
        message: error.message)
    }
  }

  static let keys = [
    "id", "received_at", "channel", "reporter", "location", "trafficking_type", "indicators",
    "victims", "perpetrator", "imminent_danger", "online_exploitation", "forced_marriage",
  ]

  /// Decodes a report from a YAML node (a scenario's truth, a protocol's inline test).
  public static func decode(node: Node, field: String, geography: Geography?) throws(FieldIssue)
    -> Report
  {
    let map = try YAMLMapping(node, field: field)
    try map.rejectUnknownKeys(allowed: keys)
    var report = Report()
    if let value = map.optional("id") {
      report.id = try YAMLValue.string(value, field: fieldPath(field, "id"))
    }
    if let value = map.optional("received_at") {
      let path = fieldPath(field, "received_at")
      let text = try YAMLValue.string(value, field: path)
      guard dayOfTimestamp(text) != nil else {
        throw FieldIssue(
          .invalidValue, at: value.position, field: path,
          "'\(text)' is not an RFC 3339 timestamp (e.g. 2026-11-29T01:00:00Z)")
      }
      report.receivedAt = text
    }
    if let value = map.optional("channel") {
      report.channel = try YAMLValue.choice(
        value, field: fieldPath(field, "channel"), as: Channel.self)
    }
    if let value = map.optional("reporter") {
      report.reporter = try decodeReporter(value, field: fieldPath(field, "reporter"))
    }
    if let value = map.optional("location") {
      report.location = try decodeLocation(
        value, field: fieldPath(field, "location"), geography: geography)
    }
    if let value = map.optional("trafficking_type") {
      let type = try YAMLValue.choice(
        value, field: fieldPath(field, "trafficking_type"), as: TraffickingType.self)
      report.traffickingType = type == .unknown ? nil : type
    }
    if let value = map.optional("indicators") {
      let path = fieldPath(field, "indicators")
      var set = IndicatorSet()
      for (index, item) in try YAMLValue.sequence(value, field: path).enumerated() {
        set.insert(try YAMLValue.choice(item, field: "\(path)[\(index)]", as: Indicator.self))
      }
      report.indicators = set
    }
    if let value = map.optional("victims") {
      let path = fieldPath(field, "victims")
      var victims: [Victim] = []
      for (index, item) in try YAMLValue.sequence(value, field: path).enumerated() {
        victims.append(try decodeVictim(item, field: "\(path)[\(index)]"))
      }
      // An empty list says nothing about the victims: it is unknown, like a missing one.
      report.victims = victims.isEmpty ? nil : victims
    }
    if let value = map.optional("perpetrator") {
      let path = fieldPath(field, "perpetrator")
      let perpetrator = try YAMLMapping(value, field: path)
      try perpetrator.rejectUnknownKeys(allowed: ["caregiver"])
      report.perpetrator = Perpetrator(
        caregiver: try perpetrator.optional("caregiver").map { (node) throws(FieldIssue) in
          try YAMLValue.bool(node, field: fieldPath(path, "caregiver"))
        })
    }
    if let value = map.optional("imminent_danger") {
      report.imminentDanger = try YAMLValue.bool(value, field: fieldPath(field, "imminent_danger"))
    }
    if let value = map.optional("online_exploitation") {
      report.onlineExploitation = try YAMLValue.bool(
        value, field: fieldPath(field, "online_exploitation"))
    }
    if let value = map.optional("forced_marriage") {
      report.forcedMarriage = try YAMLValue.bool(value, field: fieldPath(field, "forced_marriage"))
    }
    return report
  }

  private static func decodeReporter(_ node: Node, field: String) throws(FieldIssue) -> Reporter {
    let map = try YAMLMapping(node, field: field)
    try map.rejectUnknownKeys(allowed: ["relationship", "mandated_reporter", "consents_to_share"])
    var reporter = Reporter()
    if let value = map.optional("relationship") {
      reporter.relationship = try YAMLValue.choice(
        value, field: fieldPath(field, "relationship"), as: Relationship.self)
    }
    if let value = map.optional("mandated_reporter") {
      reporter.mandatedReporter = try YAMLValue.bool(
        value, field: fieldPath(field, "mandated_reporter"))
    }
    if let value = map.optional("consents_to_share") {
      reporter.consentsToShare = try YAMLValue.bool(
        value, field: fieldPath(field, "consents_to_share"))
    }
    return reporter
  }

  private static func decodeLocation(
    _ node: Node, field: String, geography: Geography?
  ) throws(FieldIssue) -> Location {
    let map = try YAMLMapping(node, field: field)
    try map.rejectUnknownKeys(allowed: ["country", "state", "county", "city"])
    var location = Location()
    if let value = map.optional("country") {
      let path = fieldPath(field, "country")
      let text = try YAMLValue.string(value, field: path).trimmingSpaces.uppercased()
      guard text.count == 2, text.allSatisfy({ $0.isASCII && $0.isLetter }) else {
        throw FieldIssue(
          .invalidValue, at: value.position, field: path,
          "'\(try YAMLValue.string(value, field: path))' is not an ISO 3166 country code (e.g. US, MX)"
        )
      }
      location.country = text
    }
    // Puerto Rico and the other territories are U.S. jurisdictions, not abroad.
    if let country = location.country, country != Jurisdiction.homeCountry,
      USStates.codes[country] != nil
    {
      location.country = Jurisdiction.homeCountry
      if map.optional("state") == nil { location.state = country }
    }
    if let value = map.optional("state") {
      let path = fieldPath(field, "state")
      let text = try YAMLValue.string(value, field: path)
      if location.country == nil || location.country == Jurisdiction.homeCountry {
        guard let code = USStates.code(for: text) else {
          throw FieldIssue(
            .invalidValue, at: value.position, field: path,
            "'\(text)' is not a U.S. state code\(suggestion(text, USStates.codes.keys.sorted()))")
        }
        location.state = code
      } else {
        // A U.S. state in another country is a contradiction, not a foreign region.
        if USStates.codes[text.trimmingSpaces.uppercased()] != nil {
          throw FieldIssue(
            .invalidValue, at: value.position, field: path,
            "'\(text)' is a U.S. state but location.country is '\(location.country ?? "")'; give country US, or the region's own name abroad"
          )
        }
        location.state = text.trimmingSpaces
      }
    }
    if let value = map.optional("county") {
      let path = fieldPath(field, "county")
      let text = try YAMLValue.string(value, field: path).trimmingSpaces
      guard location.state != nil || location.isAbroad else {
        throw FieldIssue(
          .invalidValue, at: value.position, field: path, "a county needs location.state")
      }
      if let geography, let state = location.state, !location.isAbroad,
        geography.hasCounties(state: state)
      {
        guard let canonical = geography.county(named: text, state: state) else {
          throw FieldIssue(
            .invalidValue, at: value.position, field: path,
            "'\(text)' is not a county of \(state)"
              + suggestion(text, geography.counties(state: state)))
        }
        location.county = canonical
      } else {
        location.county = Geography.stripCountySuffix(text)
      }
    }
    if let value = map.optional("city") {
      let path = fieldPath(field, "city")
      // A city without its county still routes at the state level; the county becomes a
      // need of the protocols scoped below the state.
      location.city = try YAMLValue.string(value, field: path).trimmingSpaces
    }
    return location
  }

  private static func decodeVictim(_ node: Node, field: String) throws(FieldIssue) -> Victim {
    let map = try YAMLMapping(node, field: field)
    try map.rejectUnknownKeys(allowed: [
      "age", "foreign_national", "language", "consents_to_law_enforcement",
    ])
    var victim = Victim()
    if let value = map.optional("age") {
      let path = fieldPath(field, "age")
      let age = try YAMLValue.int(value, field: path)
      guard (0...Victim.maximumAge).contains(age) else {
        throw FieldIssue(
          .invalidValue, at: value.position, field: path,
          age < 0 ? "\(age) is not an age" : "\(age) is not an age (over \(Victim.maximumAge))")
      }
      victim.age = age
    }
    if let value = map.optional("foreign_national") {
      victim.foreignNational = try YAMLValue.bool(
        value, field: fieldPath(field, "foreign_national"))
    }
    if let value = map.optional("language") {
      let path = fieldPath(field, "language")
      let text = try YAMLValue.string(value, field: path).trimmingSpaces
      guard (2...3).contains(text.count), text.allSatisfy({ $0.isASCII && $0.isLetter }) else {
        throw FieldIssue(
          .invalidValue, at: value.position, field: path,
          "'\(text)' is not an ISO 639 language code (e.g. en, es, vi)")
      }
      victim.language = text.lowercased()
    }
    if let value = map.optional("consents_to_law_enforcement") {
      victim.consentsToLawEnforcement = try YAMLValue.bool(
        value, field: fieldPath(field, "consents_to_law_enforcement"))
    }
    return victim
  }
}
