/// A place in the hierarchy country / state / county / city, written `US/TX/Travis/Austin`.
/// The empty path is `any`: everywhere, including abroad and an unknown location.
public struct Jurisdiction: Sendable, Hashable, Comparable, CustomStringConvertible {
  /// The hotline's own country: national contacts here also serve reports from abroad.
  public static let homeCountry = "US"

  /// Everywhere.
  public static let any = Jurisdiction(components: [])

  /// `["US", "TX", "Travis", "Austin"]`, most general first.
  public let components: [String]

  /// Lower-cased components joined by `/`, for case-insensitive lookups.
  public let key: String

  public init(components: [String]) {
    self.components = components
    self.key = components.map { $0.lowercased() }.joined(separator: "/")
  }

  /// Parses `any`, `US`, `US/TX`, `US/TX/Travis` or `US/TX/Travis/Austin`.
  public init?(_ text: String) {
    let trimmed = text.trimmingSpaces
    if trimmed == "any" {
      self = .any
      return
    }
    let parts = trimmed.split(separator: "/", omittingEmptySubsequences: false).map {
      String($0).trimmingSpaces
    }
    guard (1...4).contains(parts.count), parts.allSatisfy({ !$0.isEmpty }) else { return nil }
    self.init(components: parts)
  }

  /// 0 for `any`, 1 for a country ... 4 for a city.
  public var depth: Int { components.count }

  public var state: String? { components.count > 1 ? components[1] : nil }
  public var county: String? { components.count > 2 ? components[2] : nil }

  /// The jurisdiction one level up (`US/TX` for `US/TX/Travis`); `any` has none.
  public var parent: Jurisdiction? {
    components.isEmpty ? nil : Jurisdiction(components: Array(components.dropLast()))
  }

  /// Whether `other` lies within this jurisdiction (or is it).
  public func contains(_ other: Jurisdiction) -> Bool {
    guard other.components.count >= components.count else { return false }
    return zip(components, other.components).allSatisfy {
      $0.caseInsensitiveCompare($1) == .orderedSame
    }
  }

  public static func < (lhs: Jurisdiction, rhs: Jurisdiction) -> Bool { lhs.key < rhs.key }

  public var description: String { components.isEmpty ? "any" : components.joined(separator: "/") }
}

extension Location {
  /// The most specific known jurisdiction of the location (a city needs its county, and so on).
  public var jurisdiction: Jurisdiction {
    var parts = [effectiveCountry]
    if let state {
      parts.append(state)
      if let county {
        parts.append(county)
        if let city { parts.append(city) }
      }
    }
    return Jurisdiction(components: parts)
  }
}

/// The U.S. state, district and territory codes a report's `location.state` may use.
public enum USStates {
  public static let codes: [String: String] = [
    "AL": "Alabama", "AK": "Alaska", "AZ": "Arizona", "AR": "Arkansas", "CA": "California",
    "CO": "Colorado", "CT": "Connecticut", "DE": "Delaware", "DC": "District of Columbia",
    "FL": "Florida", "GA": "Georgia", "HI": "Hawaii", "ID": "Idaho", "IL": "Illinois",
    "IN": "Indiana", "IA": "Iowa", "KS": "Kansas", "KY": "Kentucky", "LA": "Louisiana",
    "ME": "Maine", "MD": "Maryland", "MA": "Massachusetts", "MI": "Michigan", "MN": "Minnesota",
    "MS": "Mississippi", "MO": "Missouri", "MT": "Montana", "NE": "Nebraska", "NV": "Nevada",
    "NH": "New Hampshire", "NJ": "New Jersey", "NM": "New Mexico", "NY": "New York",
    "NC": "North Carolina", "ND": "North Dakota", "OH": "Ohio", "OK": "Oklahoma",
    "OR": "Oregon", "PA": "Pennsylvania", "RI": "Rhode Island", "SC": "South Carolina",
    "SD": "South Dakota", "TN": "Tennessee", "TX": "Texas", "UT": "Utah", "VT": "Vermont",
    "VA": "Virginia", "WA": "Washington", "WV": "West Virginia", "WI": "Wisconsin",
    "WY": "Wyoming", "PR": "Puerto Rico", "GU": "Guam", "VI": "U.S. Virgin Islands",
    "AS": "American Samoa", "MP": "Northern Mariana Islands",
  ]

  /// The code for `text` given as a code in any case or as a full name ("texas").
  public static func code(for text: String) -> String? {
    let upper = text.trimmingSpaces.uppercased()
    if codes[upper] != nil { return upper }
    return codes.first { $0.value.uppercased() == upper }?.key
  }
}

extension String {
  /// The string without white space at either end. ASCII text (nearly every field of a
  /// protocol set) is trimmed byte by byte, without Unicode property lookups.
  var trimmingSpaces: String {
    let bytes = utf8
    guard let first = bytes.first, let last = bytes.last else { return self }
    func isASCIISpace(_ byte: UInt8) -> Bool { byte == 0x20 || (0x09...0x0D).contains(byte) }
    if first < 0x80, last < 0x80, !isASCIISpace(first), !isASCIISpace(last) { return self }
    var text = Substring(self)
    while let character = text.first, character.isWhitespace { text.removeFirst() }
    while let character = text.last, character.isWhitespace { text.removeLast() }
    return String(text)
  }
}
