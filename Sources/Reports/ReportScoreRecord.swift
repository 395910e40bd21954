import Foundation

/// The parts of a stored score record (the JSON `play --format json` prints) that reports
/// show: the engine's decision with its reasons, what the trainee did, and the attempt's
/// journal.
///
/// The store keeps the record as text so that it need not know the scorer's types; reports
/// read it back leniently, because a record written by an older hotline-sim may lack a key
/// this one added. Every field defaults to empty rather than failing the whole report.
public struct ScoreRecord: Sendable, Hashable {
  /// One protocol of the engine's decision, with the plain-language reason trainees are shown.
  public struct AppliedProtocol: Sendable, Hashable {
    public var id: String
    public var title: String
    public var because: String
  }

  /// One referral the engine expected now.
  public struct Referral: Sendable, Hashable {
    public var contact: String
    public var name: String
    public var role: String
    public var protocolID: String
    /// `given`, `not_required:minor`, ...
    public var consent: String
  }

  /// A referral outside the trainee's duties: what happens next, not scored.
  public struct NextStep: Sendable, Hashable {
    public var contact: String
    public var role: String
    public var protocolID: String
  }

  /// One verb of the attempt, at its simulated time (`mm:ss`).
  public struct Step: Sendable, Hashable {
    public var at: String
    public var input: String
  }

  public var expectedEscalation: String?
  public var expectedCategory: String?
  public var protocols: [AppliedProtocol] = []
  public var referrals: [Referral] = []
  /// The protocols the facts the trainee gathered would have applied.
  public var protocolsOnRevealed: [AppliedProtocol] = []
  public var traineeEscalation: String?
  public var traineeReferrals: [String] = []
  public var traineeProtocols: [String] = []
  public var asked: [String] = []
  public var notes: [String] = []
  public var whatHappensNext: [NextStep] = []
  public var credits: [String] = []
  public var journal: [Step] = []
  /// The simulated clock when the attempt ended (`mm:ss`).
  public var clock: String?
  public var scenarioVersion: Int?
  public var rulesetVersion: String?

  /// Reads a record; nil when the text is not a JSON object at all.
  public init?(json text: String) {
    guard let raw = try? JSONDecoder().decode(Raw.self, from: Data(text.utf8)) else { return nil }
    expectedEscalation = raw.expected?.escalation
    expectedCategory = raw.expected?.category
    protocols = raw.expected?.protocols?.map(\.applied) ?? []
    referrals = (raw.expected?.referrals ?? []).map {
      Referral(
        contact: $0.contact ?? "", name: $0.name ?? "", role: $0.role ?? "",
        protocolID: $0.protocol ?? "", consent: $0.consent ?? "")
    }
    protocolsOnRevealed = raw.expectedOnRevealed?.protocols?.map(\.applied) ?? []
    traineeEscalation = raw.trainee?.escalation
    traineeReferrals = raw.trainee?.referrals ?? []
    traineeProtocols = raw.trainee?.protocols ?? []
    asked = raw.trainee?.asked ?? []
    notes = raw.trainee?.notes ?? []
    whatHappensNext = (raw.attempt?.whatHappensNext ?? []).map {
      NextStep(contact: $0.contact ?? "", role: $0.role ?? "", protocolID: $0.protocol ?? "")
    }
    credits = raw.attempt?.credits ?? []
    journal = (raw.attempt?.journal ?? []).map { Step(at: $0.at ?? "", input: $0.input ?? "") }
    clock = raw.attempt?.clock
    scenarioVersion = raw.scenario?.version
    rulesetVersion = raw.ruleset?.version
  }

  // The record's JSON, every key optional.
  private struct Raw: Decodable {
    struct Scenario: Decodable { var version: Int? }
    struct Ruleset: Decodable { var version: String? }
    struct Decision: Decodable {
      var escalation: String?
      var category: String?
      var protocols: [ProtocolItem]?
      var referrals: [ReferralItem]?
    }
    struct ProtocolItem: Decodable {
      var id: String?
      var title: String?
      var because: String?
      var applied: AppliedProtocol {
        AppliedProtocol(id: id ?? "", title: title ?? "", because: because ?? "")
      }
    }
    struct ReferralItem: Decodable {
      var contact: String?
      var name: String?
      var role: String?
      var `protocol`: String?
      var consent: String?
    }
    struct Trainee: Decodable {
      var escalation: String?
      var referrals: [String]?
      var protocols: [String]?
      var asked: [String]?
      var notes: [String]?
    }
    struct Attempt: Decodable {
      struct Next: Decodable {
        var contact: String?
        var role: String?
        var `protocol`: String?
      }
      struct Entry: Decodable {
        var at: String?
        var input: String?
      }
      var clock: String?
      var credits: [String]?
      var journal: [Entry]?
      var whatHappensNext: [Next]?

      enum CodingKeys: String, CodingKey {
        case clock, credits, journal
        case whatHappensNext = "what_happens_next"
      }
    }
    var scenario: Scenario?
    var ruleset: Ruleset?
    var expected: Decision?
    var expectedOnRevealed: Decision?
    var trainee: Trainee?
    var attempt: Attempt?

    enum CodingKeys: String, CodingKey {
      case scenario, ruleset, expected, trainee, attempt
      case expectedOnRevealed = "expected_on_revealed"
    }
  }
}
