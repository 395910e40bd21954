/// The counties of the states the set covers (`geography.csv`), used to validate reports and
/// scopes and to find jurisdictions with no contact for a role.
public struct Geography: Sendable, Hashable {
  /// State code -> canonical county names, sorted.
  public private(set) var countiesByState: [String: [String]] = [:]
  private var canonical: [String: String] = [:]

  public init() {}

  static let header = ["country", "state", "county", "fips"]

  /// The Census words for a county-equivalent, longest first. Independent cities keep "City"
  /// (`Baltimore City` differs from `Baltimore`).
  static let countySuffixes = [
    " City and Borough", " Census Area", " Municipality", " Municipio", " Borough", " County",
    " Parish",
  ]

  /// Removes a trailing " County", " Parish", " Borough", " Census Area", " Municipality" or
  /// " Municipio" (any case), so the Census name and the short name both match.
  static func stripCountySuffix(_ name: String) -> String {
    for suffix in countySuffixes
    where name.count > suffix.count && name.lowercased().hasSuffix(suffix.lowercased()) {
      return String(name.dropLast(suffix.count))
    }
    return name
  }

  private static func key(_ state: String, _ county: String) -> String {
    state.uppercased() + "/" + stripCountySuffix(county).lowercased()
  }

  /// Adds a county; returns false if it was already there.
  @discardableResult
  public mutating func add(state: String, county: String) -> Bool {
    let key = Geography.key(state, county)
    guard canonical[key] == nil else { return false }
    canonical[key] = county
    countiesByState[state.uppercased(), default: []].append(county)
    return true
  }

  mutating func sortCounties() {
    for state in countiesByState.keys { countiesByState[state]?.sort() }
  }

  public func hasCounties(state: String) -> Bool { countiesByState[state.uppercased()] != nil }

  public func counties(state: String) -> [String] { countiesByState[state.uppercased()] ?? [] }

  /// The canonical spelling of a county of `state`, matched without regard to case or suffix.
  public func county(named name: String, state: String) -> String? {
    canonical[Geography.key(state, name)]
  }

  public var states: [String] { countiesByState.keys.sorted() }

  /// Reads `geography.csv`.
  static func parse(_ text: String) throws(FieldIssue) -> Geography {
    let table = try CSVTable(text, expected: header)
    var geography = Geography()
    for row in table.rows {
      let country = table.value(row, "country")
      guard country == Jurisdiction.homeCountry else {
        throw FieldIssue(
          .invalidValue, at: table.position(row, "country"), field: "country",
          "'\(country)' is not supported; geography.csv lists U.S. counties")
      }
      let state = table.value(row, "state")
      guard USStates.codes[state] != nil else {
        throw FieldIssue(
          .invalidValue, at: table.position(row, "state"), field: "state",
          "'\(state)' is not a U.S. state code")
      }
      let county = table.value(row, "county")
      guard !county.isEmpty else {
        throw FieldIssue(
          .missingKey, at: table.position(row, "county"), field: "county", "empty county")
      }
      let fips = table.value(row, "fips")
      guard fips.utf8.count == 5, fips.utf8.allSatisfy({ (0x30...0x39).contains($0) }) else {
        throw FieldIssue(
          .invalidValue, at: table.position(row, "fips"), field: "fips",
          "'\(fips)' is not a five-digit FIPS code")
      }
      guard geography.add(state: state, county: county) else {
        throw FieldIssue(
          .duplicateContact, at: table.position(row, "county"), field: "county",
          "\(state)/\(county) is listed twice")
      }
    }
    geography.sortCounties()
    return geography
  }
}
