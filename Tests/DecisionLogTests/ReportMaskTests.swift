import DecisionLog
import Foundation
import ProtocolEngine
import Testing

@Suite("Masking reports for the decision log")
struct ReportMaskTests {
  /// A report with every field set.
  static let full = Report(
    id: "case-123", receivedAt: "2026-11-29T01:00:00Z", channel: .call,
    reporter: Reporter(relationship: .family, mandatedReporter: false, consentsToShare: true),
    location: Location(country: "US", state: "TX", county: "Travis", city: "Austin"),
    traffickingType: .sex, indicators: IndicatorSet([.force, .commercialSex]),
    victims: [
      Victim(age: 16, foreignNational: false, language: "en", consentsToLawEnforcement: true)
    ],
    perpetrator: Perpetrator(caregiver: false), imminentDanger: false, onlineExploitation: true,
    forcedMarriage: false)

  @Test func keepsEveryFactAndDropsTheID() throws {
    let masked = ReportMask.mask(Self.full)
    let text = masked.rendered()
    #expect(!text.contains("case-123"))
    #expect(!text.contains("\"id\""))
    var expected = Self.full
    expected.id = nil
    // The masked report is a report: decoding it gives back every fact.
    #expect(try Report.decode(text, file: "masked.json") == expected)
    #expect(masked == expected.json)
  }

  @Test func aVictimWithNoKnownFactIsKept() throws {
    let masked = ReportMask.mask(Report(id: "x", victims: [Victim(), Victim(age: 30)]))
    #expect(masked.rendered() == #"{"victims":[{},{"age":30}]}"#)
  }

  @Test func aReportWithOnlyAnIDMasksToAnEmptyObject() {
    #expect(ReportMask.mask(Report(id: "only-id")).rendered() == "{}")
  }

  /// Fails when `Report` gains a field the policy does not classify (or the policy names a
  /// field that no longer exists): classify it in `ReportMask.policy` and docs/decision-log.md.
  @Test func everyFieldOfAReportIsClassified() {
    var paths = Set<String>()
    func collect(_ value: JSONValue, _ path: String) {
      switch value {
      case .object(let pairs):
        for (key, child) in pairs {
          let childPath = path.isEmpty ? key : "\(path).\(key)"
          if case .object = child {
            collect(child, childPath)
          } else if case .array(let items) = child, case .object? = items.first {
            for item in items { collect(item, childPath + "[]") }
          } else {
            paths.insert(childPath)
          }
        }
      default: break
      }
    }
    collect(Self.full.json, "")
    let classified = Set(ReportMask.policy.map(\.field))
    #expect(paths.subtracting(classified).isEmpty, "fields with no masking rule")
    #expect(classified.subtracting(paths).isEmpty, "rules for fields a report does not have")

    // The stored properties too, so a new field is caught even before report.json writes it.
    func snake(_ name: String) -> String {
      name.reduce(into: "") { out, character in
        if character.isUppercase {
          out += "_" + character.lowercased()
        } else {
          out.append(character)
        }
      }
    }
    var properties = Set<String>()
    func fields(of value: Any, _ prefix: String) {
      for child in Mirror(reflecting: value).children {
        guard let label = child.label else { continue }
        properties.insert(prefix + snake(label))
      }
    }
    fields(of: Report(), "")
    fields(of: Reporter(), "reporter.")
    fields(of: Location(), "location.")
    fields(of: Victim(), "victims[].")
    fields(of: Perpetrator(), "perpetrator.")
    let containers: Set<String> = ["reporter", "location", "victims", "perpetrator"]
    let unclassified = properties.subtracting(classified).subtracting(containers)
    #expect(
      unclassified.isEmpty, "Report properties with no masking rule: \(unclassified.sorted())")
  }

  @Test func aRecordMadeFromADecisionMasksItsReport() throws {
    let record = DecisionRecord(
      requestID: "r-1", report: Self.full,
      decision: Engine(try ProtocolSet.load(directory: Paths.protocols)).decide(
        Self.full, asOf: Fixtures.day))
    #expect(record.report == ReportMask.mask(Self.full))
    #expect(record.asOf == Fixtures.day)
    #expect(record.escalation == .mandatedReport)
    #expect(record.jsonLine.hasPrefix(#"{"request_id":"r-1","time":""#))
    #expect(record.jsonLine.contains(#""ruleset":{"version":"2026.11.0","sha256":""#))
    #expect(record.jsonLine.filter { $0 == "\n" }.count == 1)
  }
}

enum Paths {
  static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent()
  static let protocols = root.appendingPathComponent("Protocols").path
}
