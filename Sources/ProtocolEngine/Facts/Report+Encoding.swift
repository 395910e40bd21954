extension Report {
  /// The known facts as `(path, value)` pairs in schema order, for a trainee's `facts`
  /// view and for debriefs. Unknown facts are left out.
  public var knownFacts: [(path: String, value: String)] {
    var facts: [(String, String)] = []
    func add(_ path: String, _ value: String?) {
      if let value { facts.append((path, value)) }
    }
    func flag(_ value: Bool?) -> String? { value.map { $0 ? "true" : "false" } }
    add("channel", channel?.rawValue)
    add("reporter.relationship", reporter?.relationship?.rawValue)
    add("reporter.mandated_reporter", flag(reporter?.mandatedReporter))
    add("reporter.consents_to_share", flag(reporter?.consentsToShare))
    add("location.country", location?.country)
    add("location.state", location?.state)
    add("location.county", location?.county)
    add("location.city", location?.city)
    add("trafficking_type", traffickingType?.rawValue)
    add("indicators", indicators.map { $0.sorted.map(\.rawValue).joined(separator: ", ") })
    for (index, victim) in (victims ?? []).enumerated() {
      add("victims[\(index)].age", victim.age.map(String.init))
      add("victims[\(index)].foreign_national", flag(victim.foreignNational))
      add("victims[\(index)].language", victim.language)
      add("victims[\(index)].consents_to_law_enforcement", flag(victim.consentsToLawEnforcement))
    }
    add("perpetrator.caregiver", flag(perpetrator?.caregiver))
    add("imminent_danger", flag(imminentDanger))
    add("online_exploitation", flag(onlineExploitation))
    add("forced_marriage", flag(forcedMarriage))
    return facts
  }

  /// The report as DESIGN.md's Report JSON (unknown facts omitted), keys in contract order.
  public var json: JSONValue {
    var pairs: [(String, JSONValue)] = []
    func object(_ fields: [(String, JSONValue?)]) -> JSONValue? {
      let present = fields.compactMap { key, value in value.map { (key, $0) } }
      return present.isEmpty ? nil : .object(present)
    }
    func add(_ key: String, _ value: JSONValue?) { if let value { pairs.append((key, value)) } }
    add("id", id.map(JSONValue.string))
    add("received_at", receivedAt.map(JSONValue.string))
    add("channel", channel.map { .string($0.rawValue) })
    add(
      "reporter",
      reporter.flatMap {
        object([
          ("relationship", $0.relationship.map { .string($0.rawValue) }),
          ("mandated_reporter", $0.mandatedReporter.map(JSONValue.bool)),
          ("consents_to_share", $0.consentsToShare.map(JSONValue.bool)),
        ])
      })
    add(
      "location",
      location.flatMap {
        object([
          ("country", $0.country.map(JSONValue.string)), ("state", $0.state.map(JSONValue.string)),
          ("county", $0.county.map(JSONValue.string)), ("city", $0.city.map(JSONValue.string)),
        ])
      })
    add("trafficking_type", traffickingType.map { .string($0.rawValue) })
    add("indicators", indicators.map { .array($0.sorted.map { .string($0.rawValue) }) })
    add(
      "victims",
      victims.map { list in
        .array(
          list.map {
            object([
              ("age", $0.age.map(JSONValue.int)),
              ("foreign_national", $0.foreignNational.map(JSONValue.bool)),
              ("language", $0.language.map(JSONValue.string)),
              ("consents_to_law_enforcement", $0.consentsToLawEnforcement.map(JSONValue.bool)),
            ]) ?? .object([])
          })
      })
    add(
      "perpetrator",
      perpetrator.flatMap { object([("caregiver", $0.caregiver.map(JSONValue.bool))]) })
    add("imminent_danger", imminentDanger.map(JSONValue.bool))
    add("online_exploitation", onlineExploitation.map(JSONValue.bool))
    add("forced_marriage", forcedMarriage.map(JSONValue.bool))
    return .object(pairs)
  }
}

/// Lower-case hexadecimal sha256 of some bytes (scenario and ruleset digests).
public func sha256Hex(_ bytes: some Sequence<UInt8>) -> String {
  ProtocolSetParser.hex(Array(bytes))
}
