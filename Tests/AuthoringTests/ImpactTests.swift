import Authoring
import Foundation
import ProtocolEngine
import ScenarioKit
import Testing

@Suite("Protocol-change impact")
struct ImpactTests {
  /// A copy of the shipped protocol set in a fresh temporary folder, changed by `edit`.
  final class ProtocolCopy {
    let folder: URL
    var path: String { folder.path }

    init(_ edit: (URL) throws -> Void = { _ in }) throws {
      let manager = FileManager.default
      let temporary = manager.temporaryDirectory.appendingPathComponent("impact-\(UUID())")
      try manager.createDirectory(at: temporary, withIntermediateDirectories: true)
      folder = temporary.appendingPathComponent("Protocols")
      try manager.copyItem(
        at: AuthoringFixtures.root.appendingPathComponent("Protocols"), to: folder)
      try edit(folder)
    }

    deinit { try? FileManager.default.removeItem(at: folder.deletingLastPathComponent()) }

    /// Replaces text that must occur exactly once in a file of the set.
    static func replace(_ old: String, with new: String, in file: URL) throws {
      let text = try String(contentsOf: file, encoding: .utf8)
      try #require(text.components(separatedBy: old).count == 2, "\(old) in \(file.path)")
      try text.replacingOccurrences(of: old, with: new).write(
        to: file, atomically: true, encoding: .utf8)
    }

    func engine() throws -> Engine { Engine(try ProtocolSet.load(directory: path)) }
  }

  /// The three first shipped scenarios, whose expectations these tests state exactly (the
  /// library grows; a change's reach over all of it is `LibraryTests`' and the command's).
  static let known = ["adult-text-no-consent", "tx-minor-online-ad", "tx-motel-whisper"]

  static func shippedScenarios() throws -> [Scenario] {
    let engine = try AuthoringFixtures.shippedEngine.get()
    let catalog = ScenarioCatalog(
      root: AuthoringFixtures.root.appendingPathComponent("Scenarios").path)
    let (scenarios, diagnostics) = catalog.loadAll(geography: engine.set.geography)
    try #require(!diagnostics.contains { $0.severity == .error }, "\(diagnostics)")
    return scenarios.filter { known.contains($0.id) }
  }

  static func impact(of copy: ProtocolCopy, on scenarios: [Scenario]) throws -> ImpactReport {
    ImpactReport(
      comparing: scenarios, baseline: try AuthoringFixtures.shippedEngine.get(),
      proposed: try copy.engine(), asOf: AuthoringFixtures.day)
  }

  static let texasOnline = "protocols/tx/tx-online-01.yaml"
  static let texasAdultSex = "protocols/tx/tx-adult-sex-01.yaml"

  @Test func anIdenticalCopyChangesNothing() throws {
    let scenarios = try ImpactTests.shippedScenarios()
    let report = try ImpactTests.impact(of: try ProtocolCopy(), on: scenarios)
    #expect(report.checked == scenarios.count && report.checked >= 3)
    #expect(report.changed.isEmpty)
    #expect(report.summary == "0 of \(scenarios.count) scenarios change")
    #expect(report.baseline == report.proposed)
  }

  @Test func anEscalationChangeNamesOnlyTheScenarioItTouches() throws {
    let copy = try ProtocolCopy {
      try ProtocolCopy.replace(
        "then:\n  escalation: mandated_report", with: "then:\n  escalation: emergency",
        in: $0.appendingPathComponent(ImpactTests.texasOnline))
    }
    let scenarios = try ImpactTests.shippedScenarios()
    let report = try ImpactTests.impact(of: copy, on: scenarios)
    #expect(report.changed.map(\.id) == ["tx-minor-online-ad"])
    let change = try #require(report.changed.first)
    #expect(change.onTruth.escalation?.from == .mandatedReport)
    #expect(change.onTruth.escalation?.to == .emergency)
    #expect(change.onTruth.protocolsAdded.isEmpty && change.onTruth.rolesAdded.isEmpty)
    #expect(change.onRevealed == change.onTruth)
    #expect(report.baseline.sha256 != report.proposed.sha256)
    let baseline = String(report.baseline.sha256.prefix(12))
    let proposed = String(report.proposed.sha256.prefix(12))
    #expect(
      report.text == """
        tx-minor-online-ad: A mother finds her daughter in an online ad (\(change.path))
          on the truth:
            escalation: mandated_report -> emergency
          on what a trainee can learn: the same

        1 of \(scenarios.count) scenarios change (ruleset 2026.11.0 (\(baseline)) -> 2026.11.0 (\(proposed)), as of 2026-11-29)

        """)
  }

  @Test func removingAProtocolRemovesItsRoleOnlyWhereNothingElseRefersTo() throws {
    let copy = try ProtocolCopy {
      try FileManager.default.removeItem(
        at: $0.appendingPathComponent("protocols/tx/tx-dps-copy.yaml"))
    }
    let report = try ImpactTests.impact(of: copy, on: try ImpactTests.shippedScenarios())
    #expect(report.changed.map(\.id) == ["tx-minor-online-ad", "tx-motel-whisper"])
    let minor = try #require(report.changed.first { $0.id == "tx-minor-online-ad" })
    let motel = try #require(report.changed.first { $0.id == "tx-motel-whisper" })
    #expect(minor.onTruth.protocolsRemoved == ["TX-DPS-COPY"])
    // The child's case still goes to the state police through the other Texas protocols.
    #expect(minor.onTruth.rolesRemoved.isEmpty && minor.onTruth.escalation == nil)
    #expect(motel.onTruth.protocolsRemoved == ["TX-DPS-COPY"])
    #expect(motel.onTruth.rolesRemoved == [.stateLawEnforcement])
    // With 911 called on the danger alone, the adult's consent only mattered for the copy.
    #expect(motel.onTruth.keyFactsRemoved == ["victims[0].consents_to_law_enforcement"])
  }

  @Test func aChangedWhenMovesTheKeyFactsEvenWhenTheOutcomeStays() throws {
    let copy = try ProtocolCopy {
      try ProtocolCopy.replace(
        "  && v.age >= 18\n", with: "  && v.age >= 18 && v.foreign_national == false\n",
        in: $0.appendingPathComponent(ImpactTests.texasAdultSex))
    }
    let report = try ImpactTests.impact(of: copy, on: try ImpactTests.shippedScenarios())
    // Both adult Texas survivors are U.S. citizens and say so; the child's case is untouched.
    #expect(report.changed.map(\.id) == ["adult-text-no-consent", "tx-motel-whisper"])
    for change in report.changed {
      #expect(change.onTruth.keyFactsAdded == ["victims[0].foreign_national"])
      #expect(change.onTruth.protocolsRemoved.isEmpty && change.onTruth.escalation == nil)
      #expect(change.onRevealed == change.onTruth)
    }
  }

  @Test func whatATraineeCanLearnIsComparedApartFromTheTruth() throws {
    let copy = try ProtocolCopy {
      try ProtocolCopy.replace(
        "  && v.age >= 18\n", with: "  && v.age >= 18 && v.foreign_national == false\n",
        in: $0.appendingPathComponent(ImpactTests.texasAdultSex))
    }
    let scenario = try AuthoringFixtures.scenario("impact/scenarios/impact-unrevealed.yaml")
    let report = try ImpactTests.impact(of: copy, on: [scenario])
    let change = try #require(report.changed.first)
    #expect(change.onTruth.keyFactsAdded == ["victims[0].foreign_national"])
    #expect(change.onTruth.protocolsRemoved.isEmpty)
    // The trainee can never learn her citizenship, so the Texas protocol no longer applies.
    #expect(change.onRevealed.protocolsRemoved == ["TX-ADULT-SEX-01"])
    let learned = ImpactReport.learnable(scenario)
    let after = Expectation(learned, engine: try copy.engine(), asOf: AuthoringFixtures.day)
    #expect(after.needs.contains("victims[0].foreign_national"))
    #expect(!after.protocols.contains("TX-ADULT-SEX-01"))
    #expect(
      report.text.contains(
        "  on what a trainee can learn:\n    protocols removed: TX-ADULT-SEX-01\n"))
  }

  @Test func learnableAppliesRevealsInFileOrderAndSkipsUnsureOnes() throws {
    let scenario = try AuthoringFixtures.scenario("impact/scenarios/impact-unrevealed.yaml")
    let learned = ImpactReport.learnable(scenario)
    // "19" first, then the sister's "27"; the later "26 or 27, I think" teaches nothing.
    #expect(learned.victims?.first?.age == 27)
    #expect(learned.victims?.first?.consentsToLawEnforcement == false)
    #expect(learned.victims?.first?.foreignNational == nil)
    #expect(learned.location?.county == "Dallas")
    #expect(learned.channel == .text)
  }

  @Test func keyFactsAreTheFactsWhoseAnswerMovesTheDecision() throws {
    let engine = try AuthoringFixtures.shippedEngine.get()
    let scenario = try AuthoringFixtures.shipped("adult-text-no-consent")
    let expectation = Expectation(scenario.truth, engine: engine, asOf: AuthoringFixtures.day)
    #expect(expectation.keyFacts.contains("victims[0].age"))
    #expect(expectation.keyFacts.contains("victims[0].consents_to_law_enforcement"))
    // Texting rather than calling, or Dallas rather than another Texas city, changes nothing.
    #expect(!expectation.keyFacts.contains("channel"))
    #expect(!expectation.keyFacts.contains("location.city"))
    #expect(expectation.keyFacts == expectation.keyFacts.sorted())
    #expect(expectation.needs.isEmpty)
  }

  @Test func aBrokenCopyDoesNotLoadAndNamesTheFileAndLine() throws {
    let copy = try ProtocolCopy {
      try ProtocolCopy.replace(
        "v.age < 18)", with: "v.age <)", in: $0.appendingPathComponent(ImpactTests.texasOnline))
    }
    #expect {
      _ = try copy.engine()
    } throws: { error in
      "\(error)".contains("\(copy.path)/\(ImpactTests.texasOnline):6:")
        && "\(error)".contains("error[HR0020]")
    }
  }

  @Test func theJSONIsDeterministicWithSortedKeys() throws {
    let copy = try ProtocolCopy {
      try FileManager.default.removeItem(
        at: $0.appendingPathComponent("protocols/tx/tx-dps-copy.yaml"))
    }
    let scenarios = try ImpactTests.shippedScenarios()
    let first = try ImpactTests.impact(of: copy, on: scenarios).json
    let second = try ImpactTests.impact(of: copy, on: Array(scenarios.reversed())).json
    #expect(first.rendered(pretty: true) == second.rendered(pretty: true))
    func keysAreSorted(_ value: JSONValue) -> Bool {
      switch value {
      case .object(let pairs):
        return pairs.map(\.0) == pairs.map(\.0).sorted() && pairs.allSatisfy { keysAreSorted($0.1) }
      case .array(let items): return items.allSatisfy(keysAreSorted)
      default: return true
      }
    }
    #expect(keysAreSorted(first))
    let parsed = try #require(
      try JSONSerialization.jsonObject(with: Data(first.rendered().utf8)) as? [String: Any])
    #expect(parsed["changed"] as? Int == 2)
    #expect(parsed["checked"] as? Int == scenarios.count)
    let listed = try #require(parsed["scenarios"] as? [[String: Any]])
    #expect(
      listed.compactMap { $0["id"] as? String } == ["tx-minor-online-ad", "tx-motel-whisper"])
    let truth = try #require(listed.last?["truth"] as? [String: Any])
    let roles = try #require(truth["referral_roles"] as? [String: [String]])
    #expect(roles["removed"] == ["state_law_enforcement"])
    #expect(truth["escalation"] is NSNull)
  }
}
