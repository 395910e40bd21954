import ProtocolEngine

/// Drawing helpers over the engine's seeded generator, so that every run of the benchmarks
/// generates exactly the same protocol set and reports.
extension SplitMix64 {
  /// A number in `0..<bound` (the modulo bias is irrelevant here).
  mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }

  /// A number in `range`.
  mutating func within(_ range: ClosedRange<Int>) -> Int {
    range.lowerBound + below(range.count)
  }

  /// True with the given probability in percent.
  mutating func chance(_ percent: Int) -> Bool { below(100) < percent }

  mutating func pick<T>(_ items: [T]) -> T { items[below(items.count)] }

  /// `nil` (unknown) with probability `100 - knownPercent`, else true with `truePercent`.
  mutating func maybe(known knownPercent: Int, true truePercent: Int) -> Bool? {
    chance(knownPercent) ? chance(truePercent) : nil
  }
}

/// Generates a production-scale protocol set in memory: every state and DC, a few thousand
/// counties, ~500 protocols and ~4,000 contacts. All contacts are fictional (`555-01NN`
/// phone numbers, `example.org` e-mail addresses).
enum ProtocolSetGenerator {
  /// The 50 states and DC.
  static let states = [
    "AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "DC", "FL", "GA", "HI", "ID", "IL", "IN",
    "IA", "KS", "KY", "LA", "ME", "MD", "MA", "MI", "MN", "MS", "MO", "MT", "NE", "NV", "NH",
    "NJ", "NM", "NY", "NC", "ND", "OH", "OK", "OR", "PA", "RI", "SC", "SD", "TN", "TX", "UT",
    "VT", "VA", "WA", "WV", "WI", "WY",
  ]

  /// Counties per state in `geography.csv` (51 * 60 = 3,060 counties).
  static let countiesPerState = 60

  /// Counties (1...this) of each state that have their own sheriff; the others fall back to
  /// the state-level local law-enforcement line.
  static let countiesWithSheriff = 32

  static func county(_ number: Int) -> String { "County\(number)" }

  /// The city generated reports and city-scoped protocols use in `County1`.
  static let capital = "Capital"

  static let protocolEffective = "2024-01-01"

  /// The whole set as in-memory files.
  static func source(seed: UInt64 = 0x4854_4C53_494D_0001) -> ProtocolSetSource {
    var rng = SplitMix64(seed: seed)
    let protocols = protocolSpecs(rng: &rng).map {
      ProtocolSetSource.File(path: "generated/protocols/\($0.id.lowercased()).yaml", text: $0.yaml)
    }
    var directory = DirectoryBuilder(rng: rng)
    directory.build()
    return ProtocolSetSource(
      policy: .init(path: "generated/policy.yaml", text: policyYAML),
      protocols: protocols,
      directory: [
        .init(path: "generated/directory/law_enforcement.csv", text: directory.lawEnforcement.text),
        .init(path: "generated/directory/agencies.csv", text: directory.agencies.text),
        .init(path: "generated/directory/providers.csv", text: directory.providers.text),
      ],
      geography: .init(path: "generated/geography.csv", text: geographyCSV))
  }

  static let policyYAML = """
    # Generated for the engine benchmarks: TRAINING DATA, every contact is fictional.
    version: "2026.11.0-bench"
    name: HotlineSim benchmark ruleset (generated)
    training_data: true
    settings:
      third_party_adult_tips: victim_consent_required

    """

  static var geographyCSV: String {
    var lines = ["country,state,county,fips"]
    for (stateIndex, state) in states.enumerated() {
      for number in 1...countiesPerState {
        let fips = pad(stateIndex + 1, 2) + pad(2 * number - 1, 3)
        lines.append("US,\(state),\(county(number)),\(fips)")
      }
    }
    return lines.joined(separator: "\n") + "\n"
  }

  // MARK: - Protocols

  static func protocolSpecs(rng: inout SplitMix64) -> [ProtocolSpec] {
    var specs = nationalProtocols()
    for (index, state) in states.enumerated() {
      specs += stateProtocols(state, index: index)
      // Three county protocols per state: County1, County2 and one more.
      let counties = [1, 2, rng.within(3...countiesPerState)]
      for (variant, number) in counties.enumerated() {
        specs.append(countyProtocol(state, county: number, variant: index + variant))
      }
      if index % 3 == 0 {
        specs.append(
          ProtocolSpec(
            id: "\(state)-C1-CAPITAL-01", title: "\(state) capital police unit for adults at risk",
            scope: "US/\(state)/\(county(1))/\(capital)",
            when: "imminent_danger || (\"force\" in indicators && all(victims, v.age >= 18))",
            escalation: "law_enforcement_referral",
            referrals: [
              .init("local_law_enforcement", consent: "victim", topic: "sex_trafficking"),
              .init("shelter", topic: "adults"),
            ]))
      }
    }
    return specs
  }

  static func nationalProtocols() -> [ProtocolSpec] {
    [
      ProtocolSpec(
        id: "US-DANGER-01", title: "Anyone in imminent danger", scope: "US",
        when: "imminent_danger", escalation: "emergency", category: "crisis",
        referrals: [.init("emergency_services", consent: "not_required:imminent_danger")]),
      ProtocolSpec(
        id: "US-MINOR-SEX-01", title: "Minor in sex trafficking", scope: "US",
        when: "any(victims, v.age < 18) && trafficking_type == \"sex\"",
        escalation: "mandated_report", category: "crisis",
        referrals: [
          .init("child_protective_services", consent: "not_required:minor", topic: "minors"),
          .init("local_law_enforcement", consent: "not_required:minor", topic: "minors"),
        ]),
      ProtocolSpec(
        id: "US-MINOR-LABOR-01", title: "Minor in labor trafficking", scope: "US",
        when: "trafficking_type == \"labor\" && any(victims, v.age < 18)",
        escalation: "mandated_report",
        referrals: [
          .init("child_protective_services", consent: "not_required:minor", topic: "minors"),
          .init("labor_standards", consent: "not_required:minor"),
        ]),
      ProtocolSpec(
        id: "US-MINOR-BOTH-01", title: "Minor in sex and labor trafficking", scope: "US",
        when: "trafficking_type == \"both\" && any(victims, v.age < 18)",
        escalation: "mandated_report",
        referrals: [
          .init("child_protective_services", consent: "not_required:minor", topic: "minors"),
          .init("local_law_enforcement", consent: "not_required:minor"),
          .init("federal_law_enforcement", consent: "not_required:minor"),
        ]),
      ProtocolSpec(
        id: "US-ONLINE-01", title: "Online exploitation of a minor", scope: "any",
        when: "online_exploitation && any(victims, v.age < 18)",
        escalation: "mandated_report",
        referrals: [
          .init("cybertipline", consent: "not_required:minor", topic: "online_exploitation")
        ]),
      ProtocolSpec(
        id: "US-ADULT-SEX-01", title: "Adult sex trafficking by force, fraud or coercion",
        scope: "US",
        when: """
          trafficking_type in ["sex", "both"] && all(victims, v.age >= 18)
            && ("force" in indicators || "fraud" in indicators || "coercion" in indicators)
          """,
        escalation: "law_enforcement_referral",
        referrals: [
          .init("local_law_enforcement", consent: "victim", topic: "sex_trafficking"),
          .init("shelter", topic: "adults"),
          .init("legal_services", topic: "sex_trafficking"),
        ]),
      ProtocolSpec(
        id: "US-TIP-ADULT-01", title: "Third-party tip about an adult - victim consent",
        scope: "US",
        when: """
          "force" in indicators && reporter.relationship != "victim"
            && all(victims, v.age >= 18)
            && policy.third_party_adult_tips == "victim_consent_required"
          """,
        escalation: "law_enforcement_referral", category: "tip",
        referrals: [.init("local_law_enforcement", consent: "victim")]),
      ProtocolSpec(
        id: "US-TIP-ADULT-02", title: "Third-party tip about an adult - reporter consent",
        scope: "US",
        when: """
          "force" in indicators && reporter.relationship != "victim"
            && all(victims, v.age >= 18)
            && policy.third_party_adult_tips == "reporter_consent_sufficient"
          """,
        escalation: "law_enforcement_referral", category: "tip",
        referrals: [.init("local_law_enforcement", consent: "reporter")]),
      ProtocolSpec(
        id: "US-LABOR-01", title: "Adult labor trafficking with debt bondage or wage theft",
        scope: "US",
        when: """
          trafficking_type == "labor" && ("debt_bondage" in indicators || "wage_theft" in indicators)
          """,
        escalation: "services_referral",
        referrals: [
          .init("labor_standards", consent: "victim"),
          .init("legal_services", topic: "labor_trafficking"),
          .init("case_management", topic: "labor_trafficking"),
        ]),
      ProtocolSpec(
        id: "US-FOREIGN-01", title: "Foreign national victim - immigration relief", scope: "US",
        when: "any(victims, v.foreign_national) && trafficking_type != \"none\"",
        escalation: "services_referral",
        referrals: [.init("immigration_legal_services", topic: "immigration")]),
      ProtocolSpec(
        id: "US-FOREIGN-LE-01", title: "Foreign national threatened with immigration action",
        scope: "US",
        when: "any(victims, v.foreign_national) && \"threats_immigration\" in indicators",
        escalation: "law_enforcement_referral",
        referrals: [
          .init("federal_law_enforcement", consent: "victim"),
          .init("immigration_legal_services", topic: "immigration"),
        ]),
      ProtocolSpec(
        id: "US-DOCS-01", title: "Documents confiscated from a foreign national", scope: "US",
        when: "\"document_confiscation\" in indicators && any(victims, v.foreign_national)",
        escalation: "services_referral",
        referrals: [
          .init("immigration_legal_services", topic: "immigration"),
          .init("federal_immigration_law_enforcement", consent: "victim"),
        ]),
      ProtocolSpec(
        id: "US-FM-01", title: "Forced marriage", scope: "any", when: "forced_marriage",
        escalation: "services_referral",
        referrals: [.init("forced_marriage_services", topic: "forced_marriage")]),
      ProtocolSpec(
        id: "US-FM-MINOR-01", title: "Forced marriage of a minor", scope: "US",
        when: "forced_marriage && any(victims, v.age < 18)", escalation: "mandated_report",
        referrals: [
          .init("child_protective_services", consent: "not_required:minor", topic: "minors"),
          .init("forced_marriage_services", topic: "forced_marriage"),
        ]),
      ProtocolSpec(
        id: "US-INTERP-01", title: "A victim needs an interpreter", scope: "any",
        when: "any(victims, known(v.language) && v.language != \"en\")",
        escalation: "information", referrals: [.init("interpretation")]),
      ProtocolSpec(
        id: "US-ABROAD-01", title: "Situation abroad", scope: "any",
        when: "location.country != \"US\"", escalation: "information",
        referrals: [.init("consular_services", consent: "victim")]),
      ProtocolSpec(
        id: "US-ABROAD-MINOR-01", title: "Minor abroad", scope: "any",
        when: "location.country != \"US\" && any(victims, v.age < 18)",
        escalation: "mandated_report",
        referrals: [.init("consular_services", consent: "not_required:minor", topic: "minors")]),
      ProtocolSpec(
        id: "US-INFO-01", title: "No trafficking indicated - general information", scope: "any",
        when: "trafficking_type == \"none\"", escalation: "information",
        category: "general_information", referrals: [.init("hotline")]),
      ProtocolSpec(
        id: "US-CAREGIVER-01", title: "Caregiver trafficking a child", scope: "US",
        when: "perpetrator.caregiver && any(victims, v.age < 18)", escalation: "mandated_report",
        category: "crisis",
        referrals: [
          .init("child_protective_services", consent: "not_required:law", topic: "minors"),
          .init("local_law_enforcement", consent: "not_required:law"),
        ]),
      ProtocolSpec(
        id: "US-MANDATED-01", title: "Mandated reporter calling about a child", scope: "US",
        when: "reporter.mandated_reporter && any(victims, v.age < 18)",
        escalation: "mandated_report",
        referrals: [.init("child_protective_services", consent: "not_required:law")]),
      ProtocolSpec(
        id: "US-WEB-01", title: "Web or e-mail tip without consent to share", scope: "US",
        when: "channel in [\"webform\", \"email\"] && !known(reporter.consents_to_share)",
        escalation: "information", referrals: [.init("hotline")]),
      ProtocolSpec(
        id: "US-BIG-STATES-LABOR-01", title: "Labor trafficking in a large agricultural state",
        scope: "US",
        when: """
          location.state in ["TX", "CA", "FL", "NY", "GA", "NC", "WA"]
            && trafficking_type == "labor"
          """,
        escalation: "services_referral",
        referrals: [.init("case_management", topic: "labor_trafficking")]),
      ProtocolSpec(
        id: "US-SHELTER-01", title: "Restricted movement - safe housing", scope: "US",
        when: "imminent_danger == false && \"restricted_movement\" in indicators",
        escalation: "services_referral", referrals: [.init("shelter")]),
      ProtocolSpec(
        id: "US-CSEX-MINOR-01", title: "Commercial sex involving a minor", scope: "US",
        when: "\"commercial_sex\" in indicators && any(victims, v.age < 18)",
        escalation: "mandated_report",
        referrals: [
          .init("local_law_enforcement", consent: "not_required:minor", topic: "minors"),
          .init("shelter", topic: "minors"),
        ]),
      ProtocolSpec(
        id: "US-FEDERAL-COPY-01",
        title: "Copy federal agents on police reports about foreign nationals",
        scope: "US",
        when: "refers(\"local_law_enforcement\") && any(victims, v.foreign_national)",
        escalation: "law_enforcement_referral",
        referrals: [.init("federal_law_enforcement", consent: "not_required:law")]),
      ProtocolSpec(
        id: "US-VICTIM-CALLER-01", title: "Survivor calling for themselves", scope: "US",
        when: "reporter.relationship == \"victim\" && reporter.consents_to_share",
        escalation: "services_referral", referrals: [.init("case_management")]),
      ProtocolSpec(
        id: "US-YOUNG-ADULT-01", title: "Young adult in sex trafficking", scope: "US",
        when: """
          victims[0].age >= 18 && victims[0].age < 25 && trafficking_type == "sex"
          """,
        escalation: "services_referral",
        referrals: [.init("shelter", topic: "adults"), .init("case_management")]),
      ProtocolSpec(
        id: "US-LGBTQ-01", title: "Runaway youth - LGBTQ-affirming shelter", scope: "US",
        when: "all(victims, v.age >= 16 && v.age <= 24) && \"restricted_movement\" in indicators",
        escalation: "services_referral", referrals: [.init("shelter", topic: "lgbtq")]),
      ProtocolSpec(
        id: "US-RETIRED-01", title: "Retired national protocol (expired)", scope: "US",
        when: "trafficking_type == \"sex\"", escalation: "information",
        referrals: [.init("hotline")], effective: "2020-01-01", expires: "2023-12-31"),
      ProtocolSpec(
        id: "US-FUTURE-01", title: "Future national protocol (not yet in force)", scope: "US",
        when: "trafficking_type == \"labor\"", escalation: "information",
        referrals: [.init("hotline")], effective: "2027-06-01"),
    ]
  }

  static func stateProtocols(_ state: String, index: Int) -> [ProtocolSpec] {
    var specs = [
      ProtocolSpec(
        id: "\(state)-MINOR-01", title: "\(state) child-abuse report for a trafficked minor",
        scope: "US/\(state)",
        when: "any(victims, v.age < 18) && trafficking_type in [\"sex\", \"labor\", \"both\"]",
        escalation: "mandated_report", category: "crisis",
        referrals: [
          .init("child_protective_services", consent: "not_required:minor", topic: "minors"),
          .init("local_law_enforcement", consent: "not_required:minor", topic: "minors"),
        ]),
      ProtocolSpec(
        id: "\(state)-ADULT-01", title: "\(state) adult commercial sex trafficking",
        scope: "US/\(state)",
        when: """
          trafficking_type == "sex" && all(victims, v.age >= 18) && "commercial_sex" in indicators
          """,
        escalation: "law_enforcement_referral",
        referrals: [
          .init("local_law_enforcement", consent: "victim", topic: "sex_trafficking"),
          .init("shelter", topic: "adults"),
          .init("legal_services", topic: "sex_trafficking"),
        ]),
      ProtocolSpec(
        id: "\(state)-LABOR-01", title: "\(state) labor trafficking - wage claims",
        scope: "US/\(state)",
        when: """
          trafficking_type == "labor" && ("wage_theft" in indicators || "debt_bondage" in indicators)
          """,
        escalation: "services_referral",
        referrals: [
          .init("labor_standards", consent: "victim"),
          .init("case_management", topic: "labor_trafficking"),
        ]),
      ProtocolSpec(
        id: "\(state)-STATEPOLICE-01",
        title: "\(state) - copy the state police on every police referral",
        scope: "US/\(state)", when: "refers(\"local_law_enforcement\")",
        escalation: "law_enforcement_referral",
        referrals: [.init("state_law_enforcement", consent: "not_required:law")]),
      ProtocolSpec(
        id: "\(state)-DANGER-01", title: "\(state) violent situation in progress",
        scope: "US/\(state)", when: "imminent_danger && \"force\" in indicators",
        escalation: "emergency", category: "crisis",
        referrals: [
          .init("emergency_services", consent: "not_required:imminent_danger"),
          .init("shelter"),
        ]),
    ]
    if index % 2 == 0 {
      specs.append(
        ProtocolSpec(
          id: "\(state)-THIRDPARTY-01", title: "\(state) third-party tip about forced labor",
          scope: "US/\(state)",
          when: """
            "force" in indicators && reporter.relationship != "victim"
              && trafficking_type in ["labor", "both"] && all(victims, v.age >= 18)
            """,
          escalation: "law_enforcement_referral", category: "tip",
          referrals: [
            .init("local_law_enforcement", consent: "reporter"),
            .init("labor_standards", consent: "reporter"),
          ]))
    }
    if index % 3 == 1 {
      specs.append(
        ProtocolSpec(
          id: "\(state)-ONLINE-01", title: "\(state) online exploitation of a minor",
          scope: "US/\(state)", when: "online_exploitation && any(victims, v.age < 18)",
          escalation: "mandated_report",
          referrals: [
            .init(
              "local_law_enforcement", consent: "not_required:minor", topic: "online_exploitation"),
            .init("child_protective_services", consent: "not_required:minor", topic: "minors"),
          ]))
    }
    return specs
  }

  static func countyProtocol(_ state: String, county number: Int, variant: Int) -> ProtocolSpec {
    let scope = "US/\(state)/\(county(number))"
    let id = "\(state)-C\(number)-01"
    switch variant % 4 {
    case 0:
      return ProtocolSpec(
        id: id, title: "\(state) \(county(number)) commercial sexual exploitation of children",
        scope: scope, when: "any(victims, v.age < 18) && \"commercial_sex\" in indicators",
        escalation: "mandated_report", category: "crisis",
        referrals: [
          .init("local_law_enforcement", consent: "not_required:minor", topic: "minors"),
          .init("shelter", topic: "minors"),
        ])
    case 1:
      return ProtocolSpec(
        id: id, title: "\(state) \(county(number)) farmworker program", scope: scope,
        when: "trafficking_type == \"labor\" && any(victims, v.foreign_national)",
        escalation: "services_referral",
        referrals: [
          .init("case_management", topic: "labor_trafficking"),
          .init("immigration_legal_services", topic: "immigration"),
        ])
    case 2:
      return ProtocolSpec(
        id: id, title: "\(state) \(county(number)) task force for adults", scope: scope,
        when: """
          trafficking_type in ["sex", "both"] && "force" in indicators
            && reporter.relationship == "victim" && all(victims, v.consents_to_law_enforcement)
          """,
        escalation: "law_enforcement_referral",
        referrals: [
          .init("local_law_enforcement", consent: "victim", topic: "sex_trafficking"),
          .init("case_management"),
        ])
    default:
      return ProtocolSpec(
        id: id, title: "\(state) \(county(number)) Spanish-language services", scope: scope,
        when: "any(victims, v.language == \"es\") && trafficking_type != \"none\"",
        escalation: "services_referral",
        referrals: [.init("case_management", topic: "spanish"), .init("interpretation")])
    }
  }

  // MARK: - Reports

  /// `count` varied reports: every state, counties with and without their own contacts,
  /// cities, no location, abroad; minors and adults; consent given, refused and unknown;
  /// some imminent danger; many facts missing.
  static func reports(count: Int, seed: UInt64 = 0x5245_504F_5254_0001) -> [Report] {
    var rng = SplitMix64(seed: seed)
    return (0..<count).map { report(number: $0, rng: &rng) }
  }

  static func report(number: Int, rng: inout SplitMix64) -> Report {
    var report = Report(id: "R-\(pad(number, 6))")
    if rng.chance(50) {
      report.receivedAt = "2026-11-\(pad(rng.within(1...28), 2))T\(pad(rng.below(24), 2)):15:00Z"
    }
    if rng.chance(90) { report.channel = rng.pick(Channel.allCases) }
    if rng.chance(90) {
      report.reporter = Reporter(
        relationship: rng.chance(85) ? rng.pick(Relationship.allCases) : nil,
        mandatedReporter: rng.maybe(known: 50, true: 20),
        consentsToShare: rng.maybe(known: 60, true: 65))
    }
    report.location = location(rng: &rng)
    if rng.chance(85) {
      report.traffickingType = rng.pick([
        TraffickingType.sex, .sex, .labor, .labor, .both, TraffickingType.none, .unknown,
      ])
    }
    if rng.chance(85) {
      report.indicators = IndicatorSet(Indicator.allCases.filter { _ in rng.chance(25) })
    }
    let victimRoll = rng.below(100)
    if victimRoll >= 12 {
      let count = rng.chance(70) ? 1 : rng.within(2...3)
      report.victims = (0..<count).map { _ in victim(rng: &rng) }
    } else if victimRoll >= 8 {
      report.victims = []
    }
    if rng.chance(50) {
      report.perpetrator = Perpetrator(caregiver: rng.maybe(known: 70, true: 30))
    }
    report.imminentDanger = rng.chance(68) ? rng.chance(12) : nil
    report.onlineExploitation = rng.maybe(known: 60, true: 17)
    report.forcedMarriage = rng.maybe(known: 64, true: 6)
    return report
  }

  static func location(rng: inout SplitMix64) -> Location? {
    let roll = rng.below(100)
    let country: String? = rng.chance(50) ? "US" : nil
    let state = rng.pick(states)
    // County1...countiesPerState, skewed towards the first counties (where the county
    // protocols and most contacts are) the way reports cluster in big counties.
    let number = rng.chance(50) ? rng.within(1...4) : rng.within(1...countiesPerState)
    switch roll {
    case 0..<4: return nil
    case 4..<7: return Location(country: rng.pick(["MX", "PH", "GT", "IN", "NG"]))
    case 7..<12: return Location(country: country, state: state)
    case 12..<80: return Location(country: country, state: state, county: county(number))
    default:
      return Location(
        country: country, state: state, county: county(number),
        city: number == 1 && rng.chance(70) ? capital : "Town\(rng.within(1...9))")
    }
  }

  static func victim(rng: inout SplitMix64) -> Victim {
    var age: Int?
    if rng.chance(85) { age = rng.chance(32) ? rng.within(9...17) : rng.within(18...58) }
    return Victim(
      age: age, foreignNational: rng.maybe(known: 60, true: 30),
      language: rng.chance(40) ? rng.pick(["en", "en", "es", "zh", "vi", "tl", "ar"]) : nil,
      consentsToLawEnforcement: rng.chance(60) ? rng.chance(58) : nil)
  }
}

/// One generated protocol file.
struct ProtocolSpec {
  struct Referral {
    var role: String
    var consent: String?
    var topic: String?

    init(_ role: String, consent: String? = nil, topic: String? = nil) {
      self.role = role
      self.consent = consent
      self.topic = topic
    }
  }

  var id: String
  var title: String
  var scope: String
  var when: String
  var escalation: String
  var category: String?
  var referrals: [Referral]
  var effective = ProtocolSetGenerator.protocolEffective
  var expires: String?

  init(
    id: String, title: String, scope: String, when: String, escalation: String,
    category: String? = nil, referrals: [Referral], effective: String? = nil,
    expires: String? = nil
  ) {
    self.id = id
    self.title = title
    self.scope = scope
    self.when = when
    self.escalation = escalation
    self.category = category
    self.referrals = referrals
    if let effective { self.effective = effective }
    self.expires = expires
  }

  var yaml: String {
    var lines = [
      "# Generated for the engine benchmarks (training data).",
      "id: \(id)",
      "title: \(title)",
      "version: 1",
      "effective: \(effective)",
    ]
    if let expires { lines.append("expires: \(expires)") }
    lines.append("scope: \(scope)")
    lines.append("when: >-")
    for line in when.split(separator: "\n") { lines.append("  " + line) }
    lines.append("then:")
    lines.append("  escalation: \(escalation)")
    if let category { lines.append("  category: \(category)") }
    if !referrals.isEmpty {
      lines.append("  referrals:")
      for referral in referrals {
        lines.append("    - role: \(referral.role)")
        if let consent = referral.consent { lines.append("      consent: \(consent)") }
        if let topic = referral.topic { lines.append("      topic: \(topic)") }
        lines.append("      because: \(title) - refer to \(referral.role.replacingUnderscores).")
      }
    }
    lines += [
      "because: >",
      "  Generated benchmark protocol \(id). In a real set this paragraph explains to trainees",
      "  why the protocol applies and what the hotline advocate should do next.",
      "cite:",
      "  - Benchmark Code § \(id.lowercased())",
    ]
    return lines.joined(separator: "\n") + "\n"
  }
}

/// The three directory CSV files.
private struct DirectoryBuilder {
  struct Table {
    var rows: [String] = [
      "id,name,role,jurisdiction,topics,languages,hours,phone,email,active_from,active_until,"
        + "training_data"
    ]
    var count: Int { rows.count - 1 }
    var text: String { rows.joined(separator: "\n") + "\n" }
  }

  var rng: SplitMix64
  var lawEnforcement = Table()
  var agencies = Table()
  var providers = Table()
  private var phoneCounter = 0

  init(rng: SplitMix64) { self.rng = rng }

  enum File { case lawEnforcement, agencies, providers }

  mutating func add(
    _ file: File, id: String, name: String, role: String, jurisdiction: String,
    topics: [String] = [], languages: [String]? = nil, hours: String = "24/7",
    activeFrom: String = "2020-01-01", activeUntil: String = ""
  ) {
    phoneCounter += 1
    let area = 200 + (phoneCounter / 100) % 800
    let phone = "\(area)-555-01\(pad(phoneCounter % 100, 2))"
    let spoken = languages ?? (rng.chance(60) ? ["en", "es"] : ["en"])
    let row = [
      id, csvField(name), role, jurisdiction, topics.joined(separator: ";"),
      spoken.joined(separator: ";"), hours, phone, "\(id)@example.org", activeFrom, activeUntil,
      "true",
    ].joined(separator: ",")
    switch file {
    case .lawEnforcement: lawEnforcement.rows.append(row)
    case .agencies: agencies.rows.append(row)
    case .providers: providers.rows.append(row)
    }
  }

  mutating func build() {
    national()
    for state in ProtocolSetGenerator.states { self.state(state) }
  }

  private mutating func national() {
    add(
      .lawEnforcement, id: "us-fbi-htu", name: "Federal Human Trafficking Unit (national desk)",
      role: "federal_law_enforcement", jurisdiction: "US", languages: ["en", "es"])
    add(
      .lawEnforcement, id: "us-hsi-tipline", name: "Federal Immigration Investigations Tip Line",
      role: "federal_immigration_law_enforcement", jurisdiction: "US",
      languages: ["en", "es", "zh"])
    add(
      .lawEnforcement, id: "us-emergency", name: "National Emergency Dispatch Relay",
      role: "emergency_services", jurisdiction: "US", languages: ["en", "es"])
    add(
      .agencies, id: "us-cybertipline", name: "National Online Exploitation Tip Line",
      role: "cybertipline", jurisdiction: "US", topics: ["online_exploitation", "minors"])
    add(
      .agencies, id: "us-labor-standards", name: "Federal Wage and Hour Office",
      role: "labor_standards", jurisdiction: "US", hours: "Mon-Fri 08:00-17:00")
    for (code, languages) in [("mx", ["es", "en"]), ("ph", ["tl", "en"]), ("gt", ["es"])] {
      add(
        .agencies, id: "us-consular-\(code)",
        name: "Consular Assistance Desk (\(code.uppercased()))",
        role: "consular_services", jurisdiction: "US", languages: languages)
    }
    add(
      .agencies, id: "us-consular-minors", name: "Consular Desk for Unaccompanied Minors",
      role: "consular_services", jurisdiction: "US", topics: ["minors"])
    add(
      .providers, id: "us-hotline", name: "National Survivor Support Line", role: "hotline",
      jurisdiction: "US", languages: ["en", "es", "zh", "vi", "tl", "ar"])
    add(
      .providers, id: "us-interpretation", name: "National Telephone Interpreting Service",
      role: "interpretation", jurisdiction: "US", languages: ["es", "zh", "vi", "tl", "ar", "fr"])
    add(
      .providers, id: "us-forced-marriage", name: "National Forced Marriage Support Line",
      role: "forced_marriage_services", jurisdiction: "US", topics: ["forced_marriage"],
      languages: ["en", "ar", "ur", "hi"])
    add(
      .providers, id: "us-legal-services", name: "National Survivor Legal Network",
      role: "legal_services", jurisdiction: "US", hours: "Mon-Fri 09:00-17:00")
    add(
      .providers, id: "us-immigration-legal", name: "National Immigration Relief Clinic",
      role: "immigration_legal_services", jurisdiction: "US", topics: ["immigration"])
    add(
      .providers, id: "us-shelter-lgbtq", name: "National LGBTQ Youth Safe Housing Line",
      role: "shelter", jurisdiction: "US", topics: ["lgbtq"])
    add(
      .providers, id: "us-case-management", name: "National Survivor Case Management Network",
      role: "case_management", jurisdiction: "US", hours: "Mon-Fri 09:00-17:00")
  }

  private mutating func state(_ state: String) {
    let lower = state.lowercased()
    let scope = "US/\(state)"
    // Law enforcement: state police, the state 911 board, a federal field office, the
    // sheriffs' association line (local law enforcement for counties with no sheriff listed),
    // sheriffs, a few county trafficking units and the capital's police department.
    add(
      .lawEnforcement, id: "\(lower)-state-police", name: "\(state) State Police",
      role: "state_law_enforcement", jurisdiction: scope)
    add(
      .lawEnforcement, id: "\(lower)-911", name: "\(state) Emergency Communications Board",
      role: "emergency_services", jurisdiction: scope)
    add(
      .lawEnforcement, id: "\(lower)-fbi-field", name: "\(state) Federal Field Office",
      role: "federal_law_enforcement", jurisdiction: scope)
    add(
      .lawEnforcement, id: "\(lower)-sheriffs-assoc",
      name: "\(state) Sheriffs' Association Trafficking Line", role: "local_law_enforcement",
      jurisdiction: scope)
    for number in 1...ProtocolSetGenerator.countiesWithSheriff {
      let county = ProtocolSetGenerator.county(number)
      let countyScope = "\(scope)/\(county)"
      // Every 16th sheriff's listing was replaced this year: an expired row and its successor.
      if number % 16 == 5 {
        add(
          .lawEnforcement, id: "\(lower)-county\(number)-so-old",
          name: "\(county) Sheriff's Office (old line)", role: "local_law_enforcement",
          jurisdiction: countyScope, activeUntil: "2025-12-31")
        add(
          .lawEnforcement, id: "\(lower)-county\(number)-so",
          name: "\(county) Sheriff's Office", role: "local_law_enforcement",
          jurisdiction: countyScope, activeFrom: "2026-01-01")
      } else {
        add(
          .lawEnforcement, id: "\(lower)-county\(number)-so",
          name: "\(county) Sheriff's Office", role: "local_law_enforcement",
          jurisdiction: countyScope)
      }
      if number <= 3 {
        add(
          .lawEnforcement, id: "\(lower)-county\(number)-htu",
          name: "\(county) Human Trafficking Unit", role: "local_law_enforcement",
          jurisdiction: countyScope, topics: ["sex_trafficking", "minors", "online_exploitation"])
      }
    }
    add(
      .lawEnforcement, id: "\(lower)-capital-pd",
      name: "\(ProtocolSetGenerator.capital) Police Department", role: "local_law_enforcement",
      jurisdiction: "\(scope)/\(ProtocolSetGenerator.county(1))/\(ProtocolSetGenerator.capital)",
      languages: ["en", "es", "zh", "vi"])

    // Agencies: the state child-abuse hotline, county child welfare in the largest counties
    // and the state labor department.
    add(
      .agencies, id: "\(lower)-cps", name: "\(state) Child Abuse Hotline",
      role: "child_protective_services", jurisdiction: scope, topics: ["minors"])
    for number in 1...6 {
      let county = ProtocolSetGenerator.county(number)
      add(
        .agencies, id: "\(lower)-county\(number)-cws", name: "\(county) Child Welfare Services",
        role: "child_protective_services", jurisdiction: "\(scope)/\(county)", topics: ["minors"])
    }
    add(
      .agencies, id: "\(lower)-labor", name: "\(state) Department of Labor - Wage Claims",
      role: "labor_standards", jurisdiction: scope, hours: "Mon-Fri 08:00-17:00")

    // Providers at state level.
    let office = "Mon-Fri 09:00-17:00"
    add(
      .providers, id: "\(lower)-shelter-adults", name: "\(state) Survivor Residence (adults)",
      role: "shelter", jurisdiction: scope, topics: ["adults"])
    add(
      .providers, id: "\(lower)-shelter-minors", name: "\(state) Youth Safe House",
      role: "shelter", jurisdiction: scope, topics: ["minors"])
    add(
      .providers, id: "\(lower)-case-management", name: "\(state) Survivor Case Management",
      role: "case_management", jurisdiction: scope, hours: office)
    add(
      .providers, id: "\(lower)-case-labor", name: "\(state) Worker Survivor Program",
      role: "case_management", jurisdiction: scope, topics: ["labor_trafficking", "spanish"],
      hours: office)
    add(
      .providers, id: "\(lower)-legal-sex", name: "\(state) Record Relief Project",
      role: "legal_services", jurisdiction: scope, topics: ["sex_trafficking"], hours: office)
    add(
      .providers, id: "\(lower)-legal", name: "\(state) Legal Aid for Survivors",
      role: "legal_services", jurisdiction: scope, hours: office)
    add(
      .providers, id: "\(lower)-immigration-legal", name: "\(state) Immigrant Survivor Clinic",
      role: "immigration_legal_services", jurisdiction: scope, topics: ["immigration"],
      hours: office)
    add(
      .providers, id: "\(lower)-interpretation", name: "\(state) Community Interpreters",
      role: "interpretation", jurisdiction: scope, languages: ["es", "zh", "vi"], hours: office)

    // Providers at county level: shelters in ten counties, case management in six.
    for number in 1...10 {
      let county = ProtocolSetGenerator.county(number)
      let topics = [["adults"], ["minors"], [], ["lgbtq", "minors"]][number % 4]
      add(
        .providers, id: "\(lower)-county\(number)-shelter", name: "\(county) Safe Haven",
        role: "shelter", jurisdiction: "\(scope)/\(county)", topics: topics)
    }
    for number in 1...6 {
      let county = ProtocolSetGenerator.county(number)
      add(
        .providers, id: "\(lower)-county\(number)-case", name: "\(county) Survivor Navigators",
        role: "case_management", jurisdiction: "\(scope)/\(county)",
        topics: number % 3 == 0 ? ["labor_trafficking"] : [], hours: office)
    }
  }

  private func csvField(_ text: String) -> String {
    guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" }) else { return text }
    return "\"" + text.replacingQuotes + "\""
  }
}

/// Zero-pads `value` to `width` digits.
func pad(_ value: Int, _ width: Int) -> String {
  let text = String(value)
  return String(repeating: "0", count: max(0, width - text.count)) + text
}

extension String {
  fileprivate var replacingUnderscores: String {
    String(map { $0 == "_" ? " " : $0 })
  }

  fileprivate var replacingQuotes: String {
    var result = ""
    for character in self {
      result.append(character)
      if character == "\"" { result.append("\"") }
    }
    return result
  }
}
