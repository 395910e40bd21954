import Foundation

/// A calendar day (`YYYY-MM-DD`), used for effective and expiry dates and `--as-of`.
public struct Day: Sendable, Hashable, Comparable, CustomStringConvertible {
  public let year: Int
  public let month: Int
  public let day: Int

  /// Parses `YYYY-MM-DD`, rejecting impossible days such as `2026-02-30`.
  public init?(_ text: String) {
    let parts = text.split(separator: "-", omittingEmptySubsequences: false)
    guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
      parts.allSatisfy({ $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }),
      let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2])
    else { return nil }
    self.init(year: year, month: month, day: day)
  }

  public init?(year: Int, month: Int, day: Int) {
    guard (1...9999).contains(year), (1...12).contains(month), day >= 1,
      day <= Day.daysIn(month: month, year: year)
    else { return nil }
    self.year = year
    self.month = month
    self.day = day
  }

  /// Today's date in UTC.
  public static func today() -> Day {
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = TimeZone(identifier: "UTC") ?? calendar.timeZone
    let parts = calendar.dateComponents([.year, .month, .day], from: Date())
    return Day(year: parts.year ?? 2000, month: parts.month ?? 1, day: parts.day ?? 1)
      ?? Day.epoch
  }

  static let epoch = Day(unchecked: 1970, 1, 1)

  private init(unchecked year: Int, _ month: Int, _ day: Int) {
    self.year = year
    self.month = month
    self.day = day
  }

  static func daysIn(month: Int, year: Int) -> Int {
    switch month {
    case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
    case 4, 6, 9, 11: 30
    default: 31
    }
  }

  public static func < (lhs: Day, rhs: Day) -> Bool {
    (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
  }

  public var description: String {
    func pad(_ value: Int, _ width: Int) -> String {
      let text = String(value)
      return String(repeating: "0", count: max(0, width - text.count)) + text
    }
    return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))"
  }
}

/// Validates an RFC 3339 timestamp (`2026-11-29T01:00:00Z`) and returns its calendar day.
func dayOfTimestamp(_ text: String) -> Day? {
  let scalars = Array(text.utf8)
  guard scalars.count >= 20, scalars[10] == UInt8(ascii: "T") || scalars[10] == UInt8(ascii: "t")
  else { return nil }
  guard let day = Day(String(decoding: scalars[0..<10], as: UTF8.self)) else { return nil }
  func number(_ range: Range<Int>, max: Int) -> Bool {
    guard range.upperBound <= scalars.count else { return false }
    let digits = scalars[range]
    guard digits.allSatisfy({ $0 >= 48 && $0 <= 57 }),
      let value = Int(String(decoding: digits, as: UTF8.self))
    else { return false }
    return value <= max
  }
  guard number(11..<13, max: 23), scalars[13] == UInt8(ascii: ":"), number(14..<16, max: 59),
    scalars[16] == UInt8(ascii: ":"), number(17..<19, max: 60)
  else { return nil }
  var index = 19
  if index < scalars.count, scalars[index] == UInt8(ascii: ".") {
    index += 1
    let start = index
    while index < scalars.count, scalars[index] >= 48, scalars[index] <= 57 { index += 1 }
    guard index > start else { return nil }
  }
  guard index < scalars.count else { return nil }
  switch scalars[index] {
  case UInt8(ascii: "Z"), UInt8(ascii: "z"):
    return index + 1 == scalars.count ? day : nil
  case UInt8(ascii: "+"), UInt8(ascii: "-"):
    guard index + 6 == scalars.count, number(index + 1..<index + 3, max: 23),
      scalars[index + 3] == UInt8(ascii: ":"), number(index + 4..<index + 6, max: 59)
    else { return nil }
    return day
  default:
    return nil
  }
}
