import Foundation
import ProtocolEngine

/// An instant as the log writes it (RFC 3339 in UTC with milliseconds,
/// `2026-11-30T14:05:09.123Z`) and as `--since` reads it: a day or an RFC 3339 time with any
/// offset. Instants compare by the moment they name, whatever offset they were written with.
public struct LogInstant: Sendable, Hashable, Comparable, CustomStringConvertible {
  /// Milliseconds since 1970-01-01T00:00:00Z (finer fractions are truncated).
  public var milliseconds: Int64

  public init(milliseconds: Int64) { self.milliseconds = milliseconds }

  /// The instant of a `Date`, to the millisecond.
  public init(_ date: Date) {
    milliseconds = Int64((date.timeIntervalSince1970 * 1000).rounded(.down))
  }

  /// Midnight UTC at the start of a day.
  public init(startOf day: Day) {
    milliseconds = LogInstant.days(from: day) * 86_400_000
  }

  /// Parses an RFC 3339 time (`2026-11-29T01:00:00Z`, `2026-11-29T01:00:00.5-06:00`).
  public init?(rfc3339 text: String) {
    let bytes = Array(text.utf8)
    guard bytes.count >= 20, bytes.count <= 64, bytes[10] == 0x54 || bytes[10] == 0x74,
      let day = Day(String(decoding: bytes[0..<10], as: UTF8.self))
    else { return nil }
    func number(_ range: Range<Int>, max: Int) -> Int? {
      guard range.upperBound <= bytes.count, bytes[range].allSatisfy({ $0 >= 48 && $0 <= 57 }),
        let value = Int(String(decoding: bytes[range], as: UTF8.self)), value <= max
      else { return nil }
      return value
    }
    guard let hour = number(11..<13, max: 23), bytes[13] == 0x3A,
      let minute = number(14..<16, max: 59), bytes[16] == 0x3A,
      let second = number(17..<19, max: 60)
    else { return nil }
    var index = 19
    var fraction: Int64 = 0
    if index < bytes.count, bytes[index] == 0x2E {
      index += 1
      let start = index
      while index < bytes.count, bytes[index] >= 48, bytes[index] <= 57 { index += 1 }
      guard index > start else { return nil }
      // Milliseconds: the first three digits, padded.
      var digits = Array(bytes[start..<min(index, start + 3)])
      while digits.count < 3 { digits.append(48) }
      fraction = Int64(String(decoding: digits, as: UTF8.self)) ?? 0
    }
    guard index < bytes.count else { return nil }
    var offsetMinutes = 0
    switch bytes[index] {
    case 0x5A, 0x7A:
      guard index + 1 == bytes.count else { return nil }
    case 0x2B, 0x2D:
      guard index + 6 == bytes.count, let hours = number(index + 1..<index + 3, max: 23),
        bytes[index + 3] == 0x3A, let minutes = number(index + 4..<index + 6, max: 59)
      else { return nil }
      offsetMinutes = (hours * 60 + minutes) * (bytes[index] == 0x2D ? -1 : 1)
    default:
      return nil
    }
    let seconds =
      LogInstant.days(from: day) * 86_400 + Int64(hour * 3600 + minute * 60 + second)
      - Int64(offsetMinutes * 60)
    milliseconds = seconds * 1000 + fraction
  }

  /// `--since`: a day (its start, UTC) or an RFC 3339 time.
  public init?(since text: String) {
    if let day = Day(text) {
      self.init(startOf: day)
    } else {
      self.init(rfc3339: text)
    }
  }

  /// The current instant.
  public static func now() -> LogInstant { LogInstant(Date()) }

  public static func < (lhs: LogInstant, rhs: LogInstant) -> Bool {
    lhs.milliseconds < rhs.milliseconds
  }

  /// RFC 3339 in UTC with milliseconds: `2026-11-30T14:05:09.123Z`.
  public var description: String {
    let (days, rest) = milliseconds.quotientAndRemainderFlooring(dividingBy: 86_400_000)
    let (year, month, day) = LogInstant.civil(fromDays: days)
    let millisecond = rest % 1000
    let second = (rest / 1000) % 60
    let minute = (rest / 60_000) % 60
    let hour = rest / 3_600_000
    func pad(_ value: Int64, _ width: Int) -> String {
      let text = String(value)
      return String(repeating: "0", count: max(0, width - text.count)) + text
    }
    return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))T\(pad(hour, 2)):\(pad(minute, 2)):"
      + "\(pad(second, 2)).\(pad(millisecond, 3))Z"
  }

  /// The UTC day of the instant.
  public var day: Day? {
    let (days, _) = milliseconds.quotientAndRemainderFlooring(dividingBy: 86_400_000)
    let (year, month, day) = LogInstant.civil(fromDays: days)
    return Day(year: Int(year), month: Int(month), day: Int(day))
  }

  /// Days since 1970-01-01 (H. Hinnant's `days_from_civil`).
  static func days(from day: Day) -> Int64 {
    let year = Int64(day.month <= 2 ? day.year - 1 : day.year)
    let era = (year >= 0 ? year : year - 399) / 400
    let yearOfEra = year - era * 400
    let monthIndex = Int64((day.month + 9) % 12)
    let dayOfYear = (153 * monthIndex + 2) / 5 + Int64(day.day) - 1
    let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
    return era * 146_097 + dayOfEra - 719_468
  }

  /// The civil date of a day count (H. Hinnant's `civil_from_days`).
  static func civil(fromDays count: Int64) -> (Int64, Int64, Int64) {
    let shifted = count + 719_468
    let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
    let dayOfEra = shifted - era * 146_097
    let yearOfEra =
      (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
    let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
    let monthIndex = (5 * dayOfYear + 2) / 153
    let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
    let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
    return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
  }
}

extension Int64 {
  fileprivate func quotientAndRemainderFlooring(dividingBy divisor: Int64) -> (Int64, Int64) {
    var (quotient, remainder) = quotientAndRemainder(dividingBy: divisor)
    if remainder < 0 {
      quotient -= 1
      remainder += divisor
    }
    return (quotient, remainder)
  }
}
