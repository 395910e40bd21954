/// How a signal reached the hotline.
public enum Channel: String, Sendable, Hashable, CaseIterable {
  case call, text, chat, webform, email
}

/// Who is reporting, relative to the victim.
public enum Relationship: String, Sendable, Hashable, CaseIterable {
  case victim, family, friend, professional
  case communityMember = "community_member"
  case anonymous
}

/// The kind of trafficking reported. `unknown` in a report means the same as leaving it out.
public enum TraffickingType: String, Sendable, Hashable, CaseIterable {
  case sex, labor, both, none, unknown
}

/// Indicators of trafficking (the "means" and other signs) a report can carry.
public enum Indicator: String, Sendable, Hashable, CaseIterable {
  case force, fraud, coercion
  case debtBondage = "debt_bondage"
  case documentConfiscation = "document_confiscation"
  case commercialSex = "commercial_sex"
  case restrictedMovement = "restricted_movement"
  case threatsImmigration = "threats_immigration"
  case wageTheft = "wage_theft"

  var bit: UInt16 {
    switch self {
    case .force: 1 << 0
    case .fraud: 1 << 1
    case .coercion: 1 << 2
    case .debtBondage: 1 << 3
    case .documentConfiscation: 1 << 4
    case .commercialSex: 1 << 5
    case .restrictedMovement: 1 << 6
    case .threatsImmigration: 1 << 7
    case .wageTheft: 1 << 8
    }
  }
}

/// A set of indicators, stored as bits so that `"force" in indicators` costs one AND.
public struct IndicatorSet: Sendable, Hashable {
  public private(set) var bits: UInt16 = 0

  public init(_ indicators: some Sequence<Indicator> = []) {
    for indicator in indicators { bits |= indicator.bit }
  }

  public func contains(_ indicator: Indicator) -> Bool { bits & indicator.bit != 0 }

  public mutating func insert(_ indicator: Indicator) { bits |= indicator.bit }

  /// The indicators in their canonical (declaration) order.
  public var sorted: [Indicator] { Indicator.allCases.filter(contains) }
}

/// The person who reports.
public struct Reporter: Sendable, Hashable {
  public var relationship: Relationship?
  public var mandatedReporter: Bool?
  public var consentsToShare: Bool?

  public init(
    relationship: Relationship? = nil, mandatedReporter: Bool? = nil, consentsToShare: Bool? = nil
  ) {
    self.relationship = relationship
    self.mandatedReporter = mandatedReporter
    self.consentsToShare = consentsToShare
  }
}

/// Where the situation is. `country` other than `US` means abroad.
public struct Location: Sendable, Hashable {
  public var country: String?
  public var state: String?
  public var county: String?
  public var city: String?

  public init(
    country: String? = nil, state: String? = nil, county: String? = nil, city: String? = nil
  ) {
    self.country = country
    self.state = state
    self.county = county
    self.city = city
  }

  /// The country. A national U.S. hotline takes a report with no country to be in the U.S.;
  /// a situation abroad must say so.
  public var effectiveCountry: String { country ?? Jurisdiction.homeCountry }

  /// Whether the situation is abroad.
  public var isAbroad: Bool { effectiveCountry != Jurisdiction.homeCountry }
}

/// One victim (or potential victim) in a report.
public struct Victim: Sendable, Hashable {
  public var age: Int?
  public var foreignNational: Bool?
  public var language: String?
  public var consentsToLawEnforcement: Bool?

  public init(
    age: Int? = nil, foreignNational: Bool? = nil, language: String? = nil,
    consentsToLawEnforcement: Bool? = nil
  ) {
    self.age = age
    self.foreignNational = foreignNational
    self.language = language
    self.consentsToLawEnforcement = consentsToLawEnforcement
  }

  /// Whether the victim is a minor (17 or under); `nil` when the age is unknown.
  public var isMinor: Bool? { age.map { $0 < 18 } }

  /// The oldest age a report may give; above it the age is a typing error.
  public static let maximumAge = 110
}

/// The person exploiting the victim.
public struct Perpetrator: Sendable, Hashable {
  public var caregiver: Bool?

  public init(caregiver: Bool? = nil) { self.caregiver = caregiver }
}

/// The engine's input: the facts of one report. Every fact is optional; a missing fact is
/// *unknown*, which is not the same as false.
public struct Report: Sendable, Hashable {
  public var id: String?
  public var receivedAt: String?
  public var channel: Channel?
  public var reporter: Reporter?
  public var location: Location?
  public var traffickingType: TraffickingType?
  public var indicators: IndicatorSet?
  public var victims: [Victim]?
  public var perpetrator: Perpetrator?
  public var imminentDanger: Bool?
  public var onlineExploitation: Bool?
  public var forcedMarriage: Bool?

  public init(
    id: String? = nil, receivedAt: String? = nil, channel: Channel? = nil,
    reporter: Reporter? = nil, location: Location? = nil, traffickingType: TraffickingType? = nil,
    indicators: IndicatorSet? = nil, victims: [Victim]? = nil, perpetrator: Perpetrator? = nil,
    imminentDanger: Bool? = nil, onlineExploitation: Bool? = nil, forcedMarriage: Bool? = nil
  ) {
    self.id = id
    self.receivedAt = receivedAt
    self.channel = channel
    self.reporter = reporter
    self.location = location
    self.traffickingType = traffickingType
    self.indicators = indicators
    self.victims = victims
    self.perpetrator = perpetrator
    self.imminentDanger = imminentDanger
    self.onlineExploitation = onlineExploitation
    self.forcedMarriage = forcedMarriage
  }

  /// The calendar day the report was received, when `received_at` is given.
  public var receivedDay: Day? { receivedAt.flatMap(dayOfTimestamp) }

  /// Whether the report is about a specific situation (someone, or something that happened),
  /// which makes it a `tip` even when no protocol applies yet, never `general_information`.
  public var describesSituation: Bool {
    if let type = traffickingType, type != .none { return true }
    if let indicators, indicators.bits != 0 { return true }
    if victims != nil { return true }
    return imminentDanger == true || forcedMarriage == true || onlineExploitation == true
  }

  /// Whether some victim is a minor: true if any is, false if all are known adults.
  var hasMinor: Bool? {
    guard let victims else { return nil }
    var unknown = false
    for victim in victims {
      switch victim.isMinor {
      case true?: return true
      case nil: unknown = true
      case false?: break
      }
    }
    return unknown ? nil : false
  }
}
