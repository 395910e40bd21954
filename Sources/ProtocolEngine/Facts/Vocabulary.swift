/// What happens to a report, highest first. A decision takes the highest level any applying
/// protocol sets.
public enum Escalation: String, Sendable, Hashable, CaseIterable, Comparable {
  case emergency
  case mandatedReport = "mandated_report"
  case lawEnforcementReferral = "law_enforcement_referral"
  case servicesReferral = "services_referral"
  case information

  /// 4 for `emergency` down to 0 for `information`.
  public var rank: Int {
    switch self {
    case .emergency: 4
    case .mandatedReport: 3
    case .lawEnforcementReferral: 2
    case .servicesReferral: 1
    case .information: 0
    }
  }

  public static func < (lhs: Escalation, rhs: Escalation) -> Bool { lhs.rank < rhs.rank }
}

/// The hotline's contact categories.
public enum Category: String, Sendable, Hashable, CaseIterable, Comparable {
  case crisis, tip
  case highRisk = "high_risk"
  case generalInformation = "general_information"

  var rank: Int {
    switch self {
    case .crisis: 3
    case .tip: 2
    case .highRisk: 1
    case .generalInformation: 0
    }
  }

  public static func < (lhs: Category, rhs: Category) -> Bool { lhs.rank < rhs.rank }

  /// The category a protocol implies when it does not name one.
  static func implied(by escalation: Escalation) -> Category {
    switch escalation {
    case .emergency: .crisis
    case .mandatedReport, .lawEnforcementReferral, .servicesReferral: .tip
    case .information: .generalInformation
    }
  }
}

/// Who a referral goes to. Law-enforcement roles need an adult victim's consent unless
/// overridden; provider roles share nothing with police.
public enum Role: String, Sendable, Hashable, CaseIterable, Comparable {
  case emergencyServices = "emergency_services"
  case localLawEnforcement = "local_law_enforcement"
  case stateLawEnforcement = "state_law_enforcement"
  case federalLawEnforcement = "federal_law_enforcement"
  case federalImmigrationLawEnforcement = "federal_immigration_law_enforcement"
  case childProtectiveServices = "child_protective_services"
  case cybertipline
  case laborStandards = "labor_standards"
  case consularServices = "consular_services"
  case shelter
  case caseManagement = "case_management"
  case legalServices = "legal_services"
  case immigrationLegalServices = "immigration_legal_services"
  case forcedMarriageServices = "forced_marriage_services"
  case interpretation
  case hotline

  /// The three families of roles.
  public enum Kind: String, Sendable { case lawEnforcement = "law_enforcement", agency, provider }

  public var kind: Kind {
    switch self {
    case .emergencyServices, .localLawEnforcement, .stateLawEnforcement, .federalLawEnforcement,
      .federalImmigrationLawEnforcement:
      .lawEnforcement
    case .childProtectiveServices, .cybertipline, .laborStandards, .consularServices: .agency
    case .shelter, .caseManagement, .legalServices, .immigrationLegalServices,
      .forcedMarriageServices, .interpretation, .hotline:
      .provider
    }
  }

  public var isLawEnforcement: Bool { kind == .lawEnforcement }

  /// The emergency response: the only referrals that imminent danger makes without a consent
  /// (emergency services and the local police who answer the call).
  public var answersEmergencies: Bool {
    self == .emergencyServices || self == .localLawEnforcement
  }

  /// Position in declaration order, used as a stable sort key.
  public var order: Int { Role.allCases.firstIndex(of: self) ?? 0 }

  public static func < (lhs: Role, rhs: Role) -> Bool { lhs.order < rhs.order }

  var bit: UInt32 { 1 << UInt32(order) }
}

/// Whose consent a referral waits for (`consent:` in a protocol).
public enum ConsentRule: String, Sendable, Hashable, CaseIterable {
  case victim
  case reporter
  case notRequiredLaw = "not_required:law"
  case notRequiredMinor = "not_required:minor"
  case notRequiredImminentDanger = "not_required:imminent_danger"
  case notRequiredServices = "not_required:services"
}

/// Why a referral could be made, as printed in a decision's `consent`.
public enum ConsentBasis: String, Sendable, Hashable, CaseIterable {
  case given
  case notRequiredMinor = "not_required:minor"
  case notRequiredImminentDanger = "not_required:imminent_danger"
  case notRequiredLaw = "not_required:law"
  case notRequiredServices = "not_required:services"
}

/// The agency setting for third parties' tips about adults.
public enum ThirdPartyAdultTips: String, Sendable, Hashable, CaseIterable {
  case victimConsentRequired = "victim_consent_required"
  case reporterConsentSufficient = "reporter_consent_sufficient"
}

/// Agency-level settings a protocol set is evaluated under (`policy.yaml`'s `settings`).
public struct PolicySettings: Sendable, Hashable {
  public var thirdPartyAdultTips: ThirdPartyAdultTips

  public init(thirdPartyAdultTips: ThirdPartyAdultTips = .victimConsentRequired) {
    self.thirdPartyAdultTips = thirdPartyAdultTips
  }
}

// Positions in declaration order, which is how enumerated facts are compared (`.code`);
// written out so that reading a fact allocates nothing.
extension Channel {
  var ordinal: Int {
    switch self {
    case .call: 0
    case .text: 1
    case .chat: 2
    case .webform: 3
    case .email: 4
    }
  }
}

extension Relationship {
  var ordinal: Int {
    switch self {
    case .victim: 0
    case .family: 1
    case .friend: 2
    case .professional: 3
    case .communityMember: 4
    case .anonymous: 5
    }
  }
}

extension TraffickingType {
  var ordinal: Int {
    switch self {
    case .sex: 0
    case .labor: 1
    case .both: 2
    case .none: 3
    case .unknown: 4
    }
  }
}

extension ThirdPartyAdultTips {
  var ordinal: Int {
    switch self {
    case .victimConsentRequired: 0
    case .reporterConsentSufficient: 1
    }
  }
}
