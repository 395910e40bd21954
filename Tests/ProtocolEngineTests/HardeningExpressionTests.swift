import Foundation
import ProtocolEngine
import Testing

/// Issue 13: hostile expressions end in a located HR0023 error (or a correct result), never
/// in a stack overflow, whichever pass would have recursed: parsing, type checking,
/// evaluation, canonical rendering, hashing or freeing the tree.
@Suite("Hardening: expression limits")
struct HardeningExpressionTests {
  /// The error `text` gets, or nil when it compiles.
  func failure(_ text: String) -> ExpressionError? {
    do {
      _ = try Expression(text)
      return nil
    } catch {
      return error
    }
  }

  @Test func aThousandNestedParenthesesAreAnErrorAtTheSixtyFifth() throws {
    let text =
      String(repeating: "(", count: 1_000) + "imminent_danger"
      + String(repeating: ")", count: 1_000)
    let error = try #require(failure(text))
    #expect(error.code == .expressionLimit)
    #expect(error.code.rawValue == "HR0023")
    #expect(error.offset == 64)
    #expect(
      error.description
        == "column 65: expression too deeply nested: more than 64 levels of parentheses, brackets, '!' and function calls"
    )
  }

  @Test func sixtyFourNestedParenthesesAreFine() throws {
    let text =
      String(repeating: "(", count: 64) + "imminent_danger"
      + String(repeating: ")", count: 64)
    let expression = try Expression(text)
    #expect(expression.canonical == "imminent_danger")
    #expect(expression.evaluate(try TestSupport.report(#"{"imminent_danger": true}"#)) == .true)
  }

  @Test(
    "Each kind of nesting counts: '!', '(', '[' and calls",
    arguments: [
      (String(repeating: "!", count: 3_000) + "imminent_danger", 64),
      (
        String(repeating: "!(", count: 40) + "imminent_danger" + String(repeating: ")", count: 40),
        64
      ),
      (String(repeating: "known(", count: 100) + "x" + String(repeating: ")", count: 100), 384),
      ("location.state in " + String(repeating: "[", count: 500), 18 + 64),
    ])
  func everyKindOfNestingIsBounded(text: String, offset: Int) throws {
    let error = try #require(failure(text))
    #expect(error.code == .expressionLimit)
    #expect(error.offset == offset)
  }

  @Test func anExpressionOverTheLengthLimitIsAnErrorWhereItCrossesIt() throws {
    // The 3,000-term chain of the issue (its text is 56,996 characters).
    let text = Array(repeating: "imminent_danger", count: 3_000).joined(separator: " && ")
    let error = try #require(failure(text))
    #expect(error.code == .expressionLimit)
    #expect(error.offset == ExpressionLimits.maximumLength)
    #expect(error.message == "expression too long: 56996 characters, over the limit of 4096")
    // Exactly at the limit is fine.
    let padded = "imminent_danger" + String(repeating: " ", count: 4_096 - 15)
    #expect(try Expression(padded).canonical == "imminent_danger")
  }

  @Test func aLongChainWithinTheLengthLimitCompilesAndEvaluatesWithoutRecursing() throws {
    // 682 operands: as a left-leaning binary tree this was 681 levels deep.
    let and = try Expression(Array(repeating: "true", count: 682).joined(separator: "&&"))
    let or = try Expression(
      Array(repeating: "false", count: 580).joined(separator: "||") + "||imminent_danger")
    let report = try TestSupport.report(#"{"imminent_danger": false}"#)
    #expect(and.evaluate(report) == .true)
    #expect(or.evaluate(report) == .false)
    #expect(or.evaluate(try TestSupport.report("{}")) == .unknown)
    #expect(or.unknownFacts(in: try TestSupport.report("{}")) == ["imminent_danger"])
    // Canonical rendering is as the binary tree rendered it: grouped from the left.
    #expect(and.canonical.hasPrefix(String(repeating: "(", count: 681) + "true && true)"))
    #expect(and.canonical.hasSuffix(" && true)"))
    // Hashing and equality walk the tree too.
    #expect(Set([and, and, or]).count == 2)
  }

  @Test(
    "Chains render exactly as the nested binary operators did (the ruleset digest uses it)",
    arguments: [
      ("A && B && C", "((A && B) && C)"),
      ("(A && B) && C", "((A && B) && C)"),
      ("A && (B && C)", "(A && (B && C))"),
      ("A || B && C || D", "((A || (B && C)) || D)"),
      ("!(A || B) && C", "(!(A || B) && C)"),
    ])
  func chainsRenderAsBefore(text: String, canonical: String) throws {
    func facts(_ text: String) -> String {
      text.replacingOccurrences(of: "A", with: "imminent_danger")
        .replacingOccurrences(of: "B", with: "forced_marriage")
        .replacingOccurrences(of: "C", with: "online_exploitation")
        .replacingOccurrences(of: "D", with: "perpetrator.caregiver")
    }
    let expected = facts(canonical)
    let facts = facts(text)
    #expect(try Expression(facts).canonical == expected)
  }

  // MARK: - Named conditions

  @Test func definitionsThatNestTooDeepAreAnErrorAtTheOutermostName() throws {
    var definitions = Definitions()
    try definitions.add(name: "d0", text: "imminent_danger")
    var failure: ExpressionError?
    for index in 1..<200 {
      do {
        try definitions.add(name: "d\(index)", text: "!d\(index - 1)")
      } catch {
        failure = error
        break
      }
    }
    let error = try #require(failure)
    #expect(error.code == .expressionLimit)
    #expect(error.offset == 1)
    #expect(error.message.hasPrefix("expression too deeply nested: more than 64 levels"))
    #expect(error.message.hasSuffix("once 'd31' is put in place"))
    #expect(definitions.names.count == 32)
  }

  @Test func definitionsThatDoubleEachOtherAreAnErrorNotAHang() throws {
    // d(n) = d(n-1) && !d(n-1): 2^40 conditions once expanded, if nothing stopped it.
    var definitions = Definitions()
    try definitions.add(name: "d0", text: "imminent_danger")
    var failure: ExpressionError?
    for index in 1...40 {
      do {
        try definitions.add(name: "d\(index)", text: "d\(index - 1) && !d\(index - 1)")
      } catch {
        failure = error
        break
      }
    }
    let error = try #require(failure)
    #expect(error.code == .expressionLimit)
    #expect(error.message.hasPrefix("expression too large: more than 10000 conditions"))
  }

  // MARK: - Through the protocol set (what `check` and `route` load)

  func whenErrors(_ when: String) throws -> [String] {
    let text = ProtocolSetDiagnosticsTests.edit(
      "when: online_exploitation", "when: \(when)")
    return try ProtocolSetDiagnosticsTests().errors(text)
  }

  @Test func aDeepWhenIsALocatedErrorInCheck() throws {
    let when =
      "'" + String(repeating: "(", count: 1_000) + "online_exploitation"
      + String(repeating: ")", count: 1_000) + "'"
    let errors = try whenErrors(when)
    #expect(
      errors == [
        "protocols/extra.yaml:6:72: error[HR0023]: when: expression too deeply nested: more than 64 levels of parentheses, brackets, '!' and function calls"
      ])
  }

  @Test func aLongWhenIsALocatedErrorInCheck() throws {
    let when = Array(repeating: "online_exploitation", count: 3_000).joined(separator: " && ")
    let errors = try whenErrors(when)
    #expect(
      errors == [
        "protocols/extra.yaml:6:4103: error[HR0023]: when: expression too long: 68996 characters, over the limit of 4096"
      ])
  }

  @Test func aDeepWhenInAFixtureFileIsALocatedErrorWhenLoading() throws {
    let set = TestSupport.testsFolder.appendingPathComponent("Fixtures/hardening/deep-when").path
    do {
      _ = try ProtocolSet.load(directory: set)
      Issue.record("a set with a 1,000-deep when loaded")
    } catch {
      guard case .invalidProtocolSet(let diagnostics) = error else {
        Issue.record("unexpected \(error)")
        return
      }
      #expect(
        diagnostics.map(\.description) == [
          "\(set)/protocols/deep.yaml:6:71: error[HR0023]: when: expression too deeply nested: more than 64 levels of parentheses, brackets, '!' and function calls"
        ])
    }
  }

  // MARK: - Integer extremes

  @Test func comparisonsWithTheExtremeIntegersDoNotOverflow() throws {
    for when in [
      "any(victims, v.age < -9223372036854775808)",
      "any(victims, v.age > 9223372036854775807)",
      "any(victims, -9223372036854775808 > v.age)",
    ] {
      let diagnostics = try ProtocolSetDiagnosticsTests().diagnostics(
        ProtocolSetDiagnosticsTests.edit("when: online_exploitation", "when: \(when)"))
      #expect(
        diagnostics.contains {
          $0.hasPrefix("protocols/extra.yaml:6:7: warning[HR0050]: T-EXTRA can never apply")
        }, "\(diagnostics)")
    }
    #expect(failure("victims[0].age < 9223372036854775808")?.message.contains("too large") == true)
  }
}
