import Yams

extension Report {
  /// How a report's text is written.
  public enum Format: Sendable, Hashable {
    /// JSON, strictly as RFC 8259 defines it: every report from a program or a `.json` file.
    case json
    /// YAML, for report files named `*.yaml` or `*.yml` (scenario truths and inline tests are
    /// YAML because the files they are in are).
    case yaml

    /// The format a report file's name says: YAML for `.yaml` and `.yml`, else JSON.
    public init(fileName: String) {
      let lowered = fileName.lowercased()
      self = lowered.hasSuffix(".yaml") || lowered.hasSuffix(".yml") ? .yaml : .json
    }
  }

  /// Decodes a report strictly: unknown keys, wrong types, impossible values and values over
  /// `Report.Limits` are errors that name the field, e.g. `victims[0].age: -3 is not an age`.
  /// JSON is RFC 8259 JSON and nothing else: YAML written in a `.json` report (comments,
  /// `True`, `+16`, `016`, `~`, tags, single quotes, unquoted keys) is a syntax error, and a
  /// JSON type is never taken for another (`"age": "16"` is not a number).
  ///
  /// - Parameters:
  ///   - text: the report.
  ///   - file: the name printed in errors (`<stdin>` for standard input).
  ///   - format: `.json` (the default), or `.yaml` for a `.yaml` file.
  ///   - geography: when given, a county must be one of its state's counties; the county
  ///     is normalised to the spelling in `geography.csv`.
  /// - Throws: `ProtocolEngineError.invalidReport` naming the file, position and field.
  public static func decode(
    _ text: String, file: String, format: Format = .json, geography: Geography? = nil
  ) throws(ProtocolEngineError) -> Report {
    var text = text
    return try text.withUTF8 {
      decodeResult($0, file: file, format: format, geography: geography)
    }.get()
  }

  /// Decodes a report from its bytes, as read from a file, standard input or a request. The
  /// bytes must be UTF-8: an invalid byte is an error at its line and column, never a
  /// replacement character.
  ///
  /// - Throws: `ProtocolEngineError.invalidReport` naming the file, position and field.
  public static func decode(
    utf8 bytes: [UInt8], file: String, format: Format = .json, geography: Geography? = nil
  ) throws(ProtocolEngineError) -> Report {
    try bytes.withUnsafeBufferPointer {
      decodeResult($0, file: file, format: format, geography: geography)
    }.get()
  }

  /// Checks that a report's bytes are UTF-8 text, for a reader that must tell "not text"
  /// apart from a bad field (`route` gives it its own code).
  ///
  /// - Throws: `ProtocolEngineError.invalidReport` at the first byte that is not UTF-8.
  public static func validateUTF8(_ bytes: [UInt8], file: String) throws(ProtocolEngineError) {
    let result = bytes.withUnsafeBufferPointer { (buffer) -> FieldIssue? in
      do throws(FieldIssue) {
        try StrictJSON.validateUTF8(buffer)
        return nil
      } catch {
        return error
      }
    }
    if let issue = result {
      throw .invalidReport(
        location: SourceLocation(file: file, position: issue.position), field: issue.field,
        message: issue.message)
    }
  }

  private static func decodeResult(
    _ bytes: UnsafeBufferPointer<UInt8>, file: String, format: Format,
    geography: Geography?
  ) -> Result<Report, ProtocolEngineError> {
    let start = SourcePosition(line: 1, column: 1)
    do throws(FieldIssue) {
      guard bytes.count <= Limits.bytes else {
        throw FieldIssue(
          .invalidValue, at: start, field: "",
          "the report is \(bytes.count) bytes, over the limit of \(Limits.bytes) (1 MiB)")
      }
      let empty = FieldIssue(.syntax, at: start, field: "", "the report is empty")
      switch format {
      case .json:
        guard let root = try StrictJSON.parse(bytes) else { throw empty }
        return .success(try decode(value: root, field: "", geography: geography))
      case .yaml:
        try StrictJSON.validateUTF8(bytes)
        guard let node = try composeYAML(String(decoding: bytes, as: UTF8.self)) else {
          throw empty
        }
        return .success(
          try decode(value: YAMLReportValue(node: node), field: "", geography: geography))
      }
    } catch {
      return .failure(
        .invalidReport(
          location: SourceLocation(file: file, position: error.position), field: error.field,
          message: error.message))
    }
  }

  static let keys = [
    "id", "received_at", "channel", "reporter", "location", "trafficking_type", "indicators",
    "victims", "perpetrator", "imminent_danger", "online_exploitation", "forced_marriage",
  ]

  /// Decodes a report from a YAML node (a scenario's truth, a protocol's inline test), by
  /// the same rules and limits as a JSON report.
  public static func decode(node: Node, field: String, geography: Geography?) throws(FieldIssue)
    -> Report
  {
    try decode(value: YAMLReportValue(node: node), field: field, geography: geography)
  }

  static func decode<Value: ReportValue>(value root: Value, field: String, geography: Geography?)
    throws(FieldIssue) -> Report
  {
    let map = try ReportObject(root, field: field)
    try map.rejectUnknownKeys(allowed: keys)
    var report = Report()
    if let value = map.optional("id") {
      report.id = try text(value, field: fieldPath(field, "id"))
    }
    if let value = map.optional("received_at") {
      let path = fieldPath(field, "received_at")
      let text = try text(value, field: path)
      guard dayOfTimestamp(text) != nil else {
        throw FieldIssue(
          .invalidValue, at: value.position, field: path,
          "'\(text)' is not an RFC 3339 timestamp (e.g. 2026-11-29T01:00:00Z)")
      }
      report.receivedAt = text
    }
    if let value = map.optional("channel") {
      report.channel = try choice(value, field: fieldPath(field, "channel"), as: Channel.self)
    }
    if let value = map.optional("reporter") {
      report.reporter = try decodeReporter(value, field: fieldPath(field, "reporter"))
    }
    if let value = map.optional("location") {
      report.location = try decodeLocation(
        value, field: fieldPath(field, "location"), geography: geography)
    }
    if let value = map.optional("trafficking_type") {
      let type = try choice(
        value, field: fieldPath(field, "trafficking_type"), as: TraffickingType.self)
      report.traffickingType = type == .unknown ? nil : type
    }
    if let value = map.optional("indicators") {
      let path = fieldPath(field, "indicators")
      let items = try value.list(field: path)
      guard items.count <= Limits.indicators else {
        throw FieldIssue(
          .invalidValue, at: value.position, field: path,
          "\(items.count) indicators, over the limit of \(Limits.indicators)")
      }
      var set = IndicatorSet()
      for (index, item) in items.enumerated() {
        set.insert(try choice(item, field: "\(path)[\(index)]", as: Indicator.self))
      }
      report.indicators = set
    }
    if let value = map.optional("victims") {
      let path = fieldPath(field, "victims")
      let items = try value.list(field: path)
      guard items.count <= Limits.victims else {
        throw FieldIssue(
          .invalidValue, at: value.position, field: path,
          "\(items.count) victims, over the limit of \(Limits.victims)")
      }
      var victims: [Victim] = []
      victims.reserveCapacity(items.count)
      for (index, item) in items.enumerated() {
        victims.append(try decodeVictim(item, field: "\(path)[\(index)]"))
      }
      // An empty list says nothing about the victims: it is unknown, like a missing one.
      report.victims = victims.isEmpty ? nil : victims
    }
    if let value = map.optional("perpetrator") {
      let path = fieldPath(field, "perpetrator")
      let perpetrator = try ReportObject(value, field: path)
      try perpetrator.rejectUnknownKeys(allowed: ["caregiver"])
      report.perpetrator = Perpetrator(
        caregiver: try perpetrator.optional("caregiver").map { (value) throws(FieldIssue) in
          try value.bool(field: fieldPath(path, "caregiver"))
        })
    }
    if let value = map.optional("imminent_danger") {
      report.imminentDanger = try value.bool(field: fieldPath(field, "imminent_danger"))
    }
    if let value = map.optional("online_exploitation") {
      report.onlineExploitation = try value.bool(field: fieldPath(field, "online_exploitation"))
    }
    if let value = map.optional("forced_marriage") {
      report.forcedMarriage = try value.bool(field: fieldPath(field, "forced_marriage"))
    }
    return report
  }

  /// A text fact, checked against `Limits.textLength` and for control characters.
  private static func text<Value: ReportValue>(_ value: Value, field: String) throws(FieldIssue)
    -> String
  {
    let text = try value.text(field: field)
    try checkText(text, at: value.position, field: field)
    return text
  }

  /// Looks a spelled value up among an enumeration's raw values, naming the choices if absent.
  private static func choice<Value: ReportValue, T: RawRepresentable & CaseIterable>(
    _ value: Value, field: String, as type: T.Type
  ) throws(FieldIssue) -> T where T.RawValue == String {
    let text = try text(value, field: field)
    if let choice = T(rawValue: text) { return choice }
    let choices = T.allCases.map(\.rawValue)
    throw FieldIssue(
      .invalidValue, at: value.position, field: field,
      "'\(text)' is not one of \(choices.joined(separator: ", "))\(suggestion(text, choices))")
  }

  private static func decodeReporter<Value: ReportValue>(_ value: Value, field: String)
    throws(FieldIssue) -> Reporter
  {
    let map = try ReportObject(value, field: field)
    try map.rejectUnknownKeys(allowed: ["relationship", "mandated_reporter", "consents_to_share"])
    var reporter = Reporter()
    if let value = map.optional("relationship") {
      reporter.relationship = try choice(
        value, field: fieldPath(field, "relationship"), as: Relationship.self)
    }
    if let value = map.optional("mandated_reporter") {
      reporter.mandatedReporter = try value.bool(field: fieldPath(field, "mandated_reporter"))
    }
    if let value = map.optional("consents_to_share") {
      reporter.consentsToShare = try value.bool(field: fieldPath(field, "consents_to_share"))
    }
    return reporter
  }

  private static func decodeLocation<Value: ReportValue>(
    _ value: Value, field: String, geography: Geography?
  ) throws(FieldIssue) -> Location {
    let map = try ReportObject(value, field: field)
    try map.rejectUnknownKeys(allowed: ["country", "state", "county", "city"])
    var location = Location()
    if let value = map.optional("country") {
      let path = fieldPath(field, "country")
      let written = try text(value, field: path)
      let code = written.trimmingSpaces.uppercased()
      guard code.count == 2, code.allSatisfy({ $0.isASCII && $0.isLetter }) else {
        throw FieldIssue(
          .invalidValue, at: value.position, field: path,
          "'\(written)' is not an ISO 3166 country code (e.g. US, MX)")
      }
      location.country = code
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
      let text = try text(value, field: path)
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
      let text = try text(value, field: path).trimmingSpaces
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
      // A city without its county still routes at the state level; the county becomes a
      // need of the protocols scoped below the state.
      location.city = try text(value, field: fieldPath(field, "city")).trimmingSpaces
    }
    return location
  }

  private static func decodeVictim<Value: ReportValue>(_ value: Value, field: String)
    throws(FieldIssue) -> Victim
  {
    let map = try ReportObject(value, field: field)
    try map.rejectUnknownKeys(allowed: [
      "age", "foreign_national", "language", "consents_to_law_enforcement",
    ])
    var victim = Victim()
    if let value = map.optional("age") {
      let path = fieldPath(field, "age")
      let age = try value.int(field: path)
      guard (0...Victim.maximumAge).contains(age) else {
        throw FieldIssue(
          .invalidValue, at: value.position, field: path,
          age < 0 ? "\(age) is not an age" : "\(age) is not an age (over \(Victim.maximumAge))")
      }
      victim.age = age
    }
    if let value = map.optional("foreign_national") {
      victim.foreignNational = try value.bool(field: fieldPath(field, "foreign_national"))
    }
    if let value = map.optional("language") {
      let path = fieldPath(field, "language")
      let text = try text(value, field: path).trimmingSpaces
      guard (2...3).contains(text.count), text.allSatisfy({ $0.isASCII && $0.isLetter }) else {
        throw FieldIssue(
          .invalidValue, at: value.position, field: path,
          "'\(text)' is not an ISO 639 language code (e.g. en, es, vi)")
      }
      victim.language = text.lowercased()
    }
    if let value = map.optional("consents_to_law_enforcement") {
      victim.consentsToLawEnforcement = try value.bool(
        field: fieldPath(field, "consents_to_law_enforcement"))
    }
    return victim
  }
}
