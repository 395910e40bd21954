/// The type of a fact or expression in the protocol language.
enum FactType: Sendable, Hashable, CustomStringConvertible {
  case bool, int, string
  /// One of a closed list of values (compared by position).
  case enumeration(name: String, values: [String])
  case indicators
  case victims

  var description: String {
    switch self {
    case .bool: "true/false"
    case .int: "a number"
    case .string: "text"
    case .enumeration(let name, _): "a \(name)"
    case .indicators: "a list of indicators"
    case .victims: "the list of victims"
    }
  }
}

/// A scalar fact of the report (or of the policy).
enum ReportFact: String, Sendable, Hashable, CaseIterable {
  case id
  case channel
  case relationship = "reporter.relationship"
  case mandatedReporter = "reporter.mandated_reporter"
  case consentsToShare = "reporter.consents_to_share"
  case country = "location.country"
  case state = "location.state"
  case county = "location.county"
  case city = "location.city"
  case traffickingType = "trafficking_type"
  case caregiver = "perpetrator.caregiver"
  case imminentDanger = "imminent_danger"
  case onlineExploitation = "online_exploitation"
  case forcedMarriage = "forced_marriage"
  case thirdPartyAdultTips = "policy.third_party_adult_tips"

  var type: FactType {
    switch self {
    case .id, .country, .state, .county, .city: .string
    case .channel: .enumeration(name: "channel", values: Channel.allCases.map(\.rawValue))
    case .relationship:
      .enumeration(name: "relationship", values: Relationship.allCases.map(\.rawValue))
    case .traffickingType:
      .enumeration(name: "trafficking type", values: TraffickingType.allCases.map(\.rawValue))
    case .thirdPartyAdultTips:
      .enumeration(name: "policy setting", values: ThirdPartyAdultTips.allCases.map(\.rawValue))
    case .mandatedReporter, .consentsToShare, .caregiver, .imminentDanger, .onlineExploitation,
      .forcedMarriage:
      .bool
    }
  }
}

/// A fact of one victim.
enum VictimFact: String, Sendable, Hashable, CaseIterable {
  case age
  case foreignNational = "foreign_national"
  case language
  case consentsToLawEnforcement = "consents_to_law_enforcement"

  var type: FactType {
    switch self {
    case .age: .int
    case .foreignNational, .consentsToLawEnforcement: .bool
    case .language: .string
    }
  }
}

/// A reference to a fact, resolved at load time.
enum FactRef: Sendable, Hashable {
  case report(ReportFact)
  /// A fact of the victim bound by `any`/`all` (`v.age`).
  case boundVictim(VictimFact)
  /// A fact of one victim by position (`victims[0].age`).
  case victim(Int, VictimFact)
  case victims
  case indicators

  var type: FactType {
    switch self {
    case .report(let fact): fact.type
    case .boundVictim(let fact), .victim(_, let fact): fact.type
    case .victims: .victims
    case .indicators: .indicators
    }
  }

  /// The path printed in `needs`, with the bound victim's position filled in.
  func path(victim: Int?) -> String {
    switch self {
    case .report(let fact): fact.rawValue
    case .boundVictim(let fact): "victims[\(victim ?? 0)].\(fact.rawValue)"
    case .victim(let index, let fact): "victims[\(index)].\(fact.rawValue)"
    case .victims: "victims"
    case .indicators: "indicators"
    }
  }
}

/// A typed value. Enumerated facts are `.code(position)` so comparing them costs an integer
/// comparison.
enum Scalar: Sendable, Hashable {
  case bool(Bool)
  case int(Int)
  case string(String)
  case code(Int)
}
