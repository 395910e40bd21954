import Foundation
import ProtocolEngine

/// Today and now in UTC, computed from the system clock without a `Calendar` (which costs
/// more than a decision): the day is the civil date of the Unix day number.
public enum UTCTime {
  /// Today's date in UTC (the same day as `Day.today()`).
  public static func today() -> Day { day(ofUnixSeconds: Int(now().seconds)) }

  /// Now as RFC 3339 in UTC with milliseconds: `2026-11-30T14:05:09.123Z`.
  public static func timestamp() -> String {
    let (seconds, nanoseconds) = now()
    return timestamp(unixSeconds: Int(seconds), milliseconds: Int(nanoseconds / 1_000_000))
  }

  static func timestamp(unixSeconds: Int, milliseconds: Int) -> String {
    let day = day(ofUnixSeconds: unixSeconds)
    let second = ((unixSeconds % 86_400) + 86_400) % 86_400
    func pad(_ value: Int, _ width: Int) -> String {
      let text = String(value)
      return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
    }
    return
      "\(day)T\(pad(second / 3600, 2)):\(pad(second / 60 % 60, 2)):\(pad(second % 60, 2))."
      + "\(pad(milliseconds, 3))Z"
  }

  /// The civil date of a Unix time (Howard Hinnant's days-to-civil algorithm).
  static func day(ofUnixSeconds seconds: Int) -> Day {
    let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
    let shifted = days + 719_468
    let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
    let dayOfEra = shifted - era * 146_097
    let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
    let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
    let monthIndex = (5 * dayOfYear + 2) / 153
    let dayOfMonth = dayOfYear - (153 * monthIndex + 2) / 5 + 1
    let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
    let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
    return Day(year: year, month: month, day: dayOfMonth) ?? Day.today()
  }

  private static func now() -> (seconds: Int64, nanoseconds: Int64) {
    var spec = timespec()
    clock_gettime(CLOCK_REALTIME, &spec)
    return (Int64(spec.tv_sec), Int64(spec.tv_nsec))
  }
}
