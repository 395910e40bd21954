import CurriculumKit
import ProtocolEngine
import ScenarioKit
import Testing

/// Mastery, locks, closing and the next scenario, from finished attempts.
@Suite("Course progress")
struct ProgressTests {
  static func course(
    first: MasteryRule = MasteryRule(level: .compliant, minScore: 70, consecutive: 2),
    second: MasteryRule = MasteryRule(everyScenario: true, attempts: 4)
  ) -> Curriculum {
    func part(_ id: String, _ requires: [String], _ mode: PlayMode, _ rule: MasteryRule) -> Part {
      Part(
        id: id, title: id.capitalized,
        requires: requires.map { Located($0, at: .init(line: 1, column: 1)) },
        mode: mode, objectives: [Objective(capability: "Operational Communications", tasks: ["t"])],
        scenarios: ["a", "b", "c"].map { Located($0, at: .init(line: 1, column: 1)) },
        mastery: rule)
    }
    return Curriculum(
      id: "course", title: "Course", version: 1, audience: .telecommunicator, description: "d",
      parts: [part("one", [], .practice, first), part("two", ["one"], .assessment, second)],
      path: "course.yaml")
  }

  static func attempt(
    _ part: String, _ scenario: String, _ compliance: Compliance = .compliant, score: Int = 90,
    critical: Bool = false
  ) -> Attempt {
    Attempt(
      session: "\(part)-\(scenario)-\(compliance)-\(score)", part: part, scenario: scenario,
      outcome: .scored(compliance: compliance, score: score, critical: critical))
  }

  static func abandoned(_ part: String, _ scenario: String) -> Attempt {
    Attempt(session: "x", part: part, scenario: scenario, outcome: .abandoned)
  }

  @Test func aNewTraineeStartsAtTheFirstScenarioAndTheSecondPartIsLocked() {
    let progress = CourseProgress(curriculum: Self.course(), attempts: [])
    #expect(progress.parts.map(\.state) == [.available, .locked])
    #expect(progress.parts[1].waitingFor == ["one"])
    #expect(progress.next?.part.id == "one" && progress.next?.scenario == "a")
    #expect(!progress.isComplete)
    #expect(progress.text(trainee: "T").contains("2. two [----------] locked      requires one"))
  }

  @Test func twoCountingAttemptsInARowMasterAndUnlock() {
    var attempts = [Self.attempt("one", "a")]
    var progress = CourseProgress(curriculum: Self.course(), attempts: attempts)
    #expect(progress.parts[0].state == .inProgress && progress.parts[0].run == 1)
    #expect(progress.parts[0].fraction == 0.5)
    #expect(progress.next?.scenario == "b")
    attempts.append(Self.attempt("one", "b"))
    progress = CourseProgress(curriculum: Self.course(), attempts: attempts)
    #expect(progress.parts.map(\.state) == [.mastered, .available])
    #expect(progress.next?.part.id == "two" && progress.next?.scenario == "a")
  }

  @Test func aFailOrAnAbandonBreaksTheRun() {
    let cases: [[Attempt]] = [
      [Self.attempt("one", "a"), Self.attempt("one", "b", .partial), Self.attempt("one", "c")],
      [Self.attempt("one", "a"), Self.attempt("one", "b", score: 69), Self.attempt("one", "c")],
      [Self.attempt("one", "a"), Self.abandoned("one", "b"), Self.attempt("one", "c")],
    ]
    for attempts in cases {
      let progress = CourseProgress(curriculum: Self.course(), attempts: attempts)
      #expect(progress.parts[0].state == .inProgress)
      #expect(progress.parts[0].run == 1 && progress.parts[0].attempts == 3)
      // b has no counting attempt yet: it comes next again.
      #expect(progress.next?.scenario == "b")
    }
  }

  @Test func aCriticalDeviationNeverCountsUnlessTheRuleAllowsIt() {
    let lenient = MasteryRule(level: .nonCompliant, consecutive: 1, noCritical: false)
    let strict = MasteryRule(level: .nonCompliant, consecutive: 1)
    let critical = [Self.attempt("one", "a", .nonCompliant, score: 40, critical: true)]
    #expect(
      CourseProgress(curriculum: Self.course(first: lenient), attempts: critical).parts[0].state
        == .mastered)
    #expect(
      CourseProgress(curriculum: Self.course(first: strict), attempts: critical).parts[0].state
        == .inProgress)
  }

  @Test func everyScenarioAndTheAttemptsAllowed() {
    let done = [Self.attempt("one", "a"), Self.attempt("one", "b")]
    // Two of three scenarios, then a fail: not mastered; the third comes next.
    var attempts =
      done + [
        Self.attempt("two", "a"), Self.attempt("two", "b"), Self.attempt("two", "c", .low),
      ]
    var progress = CourseProgress(curriculum: Self.course(), attempts: attempts)
    #expect(progress.parts[1].state == .inProgress)
    #expect(progress.parts[1].counted == ["a", "b"])
    #expect(progress.next?.scenario == "c")
    // The fourth and last attempt allowed fails too: closed, nothing to play.
    attempts.append(Self.attempt("two", "c", .low))
    progress = CourseProgress(curriculum: Self.course(), attempts: attempts)
    #expect(progress.parts[1].state == .closed)
    #expect(progress.next == nil)
    #expect(progress.text(trainee: "T").contains("See your instructor"))
    // Had it counted, the course would be complete.
    attempts[attempts.count - 1] = Self.attempt("two", "c")
    progress = CourseProgress(curriculum: Self.course(), attempts: attempts)
    #expect(progress.isComplete && progress.next == nil)
    #expect(progress.text(trainee: "T").contains("the curriculum is complete"))
  }

  @Test func attemptsBeyondTheAllowanceDoNotMaster() {
    let rule = MasteryRule(consecutive: 1, attempts: 2)
    let attempts = [
      Self.attempt("one", "a", .low), Self.attempt("one", "b", .low), Self.attempt("one", "c"),
    ]
    let progress = CourseProgress(curriculum: Self.course(first: rule), attempts: attempts)
    #expect(progress.parts[0].state == .closed)
  }

  @Test func whenEveryScenarioHasCountedTheNextOneCycles() {
    let rule = MasteryRule(consecutive: 4)
    let attempts = [
      Self.attempt("one", "a"), Self.attempt("one", "b"), Self.attempt("one", "c"),
    ]
    let progress = CourseProgress(curriculum: Self.course(first: rule), attempts: attempts)
    #expect(progress.parts[0].run == 3)
    #expect(progress.next?.scenario == "a")
    let after = CourseProgress(
      curriculum: Self.course(first: rule), attempts: attempts + [Self.attempt("one", "a")])
    #expect(after.parts[0].state == .mastered)
  }

  @Test func progressAsJSON() {
    let progress = CourseProgress(curriculum: Self.course(), attempts: [Self.attempt("one", "a")])
    let json = progress.json(trainee: "T").rendered()
    #expect(
      json.hasPrefix(
        #"{"curriculum":"course","version":1,"trainee":"T","complete":false,"next":{"part":"one","scenario":"b"}"#
      ))
    #expect(json.contains(#""state":"in_progress","attempts":1,"run":1,"counted":["a"]"#))
  }
}
