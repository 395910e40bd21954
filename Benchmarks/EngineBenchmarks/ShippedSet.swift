import Foundation
import ProtocolEngine

/// The shipped protocol set (`Protocols/` of this checkout) and a corpus of realistic,
/// complete reports over it: every fact known, 1-3 victims, a real county of every state,
/// DC and Puerto Rico, the hotline's mix of sex and labor cases and of minors.
enum ShippedSet {
  static let directory = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Protocols").path

  static func source() -> ProtocolSetSource {
    do {
      return try ProtocolSetSource.read(directory: directory)
    } catch {
      fatalError("cannot read the shipped set at \(directory): \(error)")
    }
  }

  /// Complete reports: the shape a case system sends once an advocate has filled in a call.
  static func reports(over set: ProtocolSet, count: Int, seed: UInt64 = 0x5348_4950_0001)
    -> [Report]
  {
    var rng = SplitMix64(seed: seed)
    let places = set.geography.states.flatMap { state in
      set.geography.counties(state: state).map { (state, $0) }
    }
    return (0..<count).map { number in
      let (state, county) = rng.pick(places)
      var report = Report(id: "S-\(number)")
      report.channel = rng.pick([Channel.call, .call, .call, .text, .chat, .webform, .email])
      report.reporter = Reporter(
        relationship: rng.pick(Relationship.allCases), mandatedReporter: rng.chance(20),
        consentsToShare: rng.chance(70))
      report.location = Location(country: "US", state: state, county: county)
      let type = rng.below(100)
      report.traffickingType =
        type < 70 ? .sex : type < 85 ? .labor : type < 90 ? .both : TraffickingType.none
      var indicators = Indicator.allCases.filter { _ in rng.chance(20) }
      if report.traffickingType == .sex, rng.chance(60) { indicators.append(.commercialSex) }
      report.indicators = IndicatorSet(indicators)
      let minor = rng.chance(33)
      report.victims = (0..<(rng.chance(70) ? 1 : rng.within(2...3))).map { index in
        Victim(
          age: index == 0 && minor ? rng.within(12...17) : rng.within(18...55),
          foreignNational: rng.chance(25),
          language: rng.pick(["en", "en", "en", "es", "zh", "vi"]),
          consentsToLawEnforcement: rng.chance(55))
      }
      report.perpetrator = Perpetrator(caregiver: rng.chance(20))
      report.imminentDanger = rng.chance(10)
      report.onlineExploitation = rng.chance(15)
      report.forcedMarriage = rng.chance(4)
      return report
    }
  }
}
