import Foundation
import ProtocolEngine
import Testing

/// `JSONValue.renderedUTF8` writes bytes a run at a time (the service sends them as they
/// are); it must write exactly what the engine's first renderer wrote, a Unicode scalar at a
/// time, which is kept here as the reference.
@Suite("JSON rendering")
struct JSONRenderingTests {
  /// The reference: the scalar-at-a-time renderer the engine used before.
  static func reference(_ value: JSONValue, pretty: Bool, indent: Int = 0) -> String {
    func newline(_ indent: Int) -> String { "\n" + String(repeating: "  ", count: indent) }
    switch value {
    case .null: return "null"
    case .bool(let flag): return flag ? "true" : "false"
    case .int(let number): return String(number)
    case .double(let number):
      if number.isFinite, number == number.rounded(), abs(number) < 1e15 {
        return String(Int(number))
      }
      return number.isFinite ? String(number) : "null"
    case .string(let text): return string(text)
    case .array(let items):
      guard !items.isEmpty else { return "[]" }
      let inner = items.map {
        (pretty ? newline(indent + 1) : "") + reference($0, pretty: pretty, indent: indent + 1)
      }
      return "[" + inner.joined(separator: ",") + (pretty ? newline(indent) : "") + "]"
    case .object(let pairs):
      guard !pairs.isEmpty else { return "{}" }
      let inner = pairs.map {
        (pretty ? newline(indent + 1) : "") + string($0.0) + (pretty ? ": " : ":")
          + reference($0.1, pretty: pretty, indent: indent + 1)
      }
      return "{" + inner.joined(separator: ",") + (pretty ? newline(indent) : "") + "}"
    }
  }

  static func string(_ text: String) -> String {
    var out = "\""
    for scalar in text.unicodeScalars {
      switch scalar {
      case "\"": out += "\\\""
      case "\\": out += "\\\\"
      case "\n": out += "\\n"
      case "\r": out += "\\r"
      case "\t": out += "\\t"
      case let control where control.value < 0x20:
        let hex = String(control.value, radix: 16)
        out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
      default: out.unicodeScalars.append(scalar)
      }
    }
    return out + "\""
  }

  func same(_ value: JSONValue) {
    for pretty in [true, false] {
      let expected = Self.reference(value, pretty: pretty)
      #expect(value.renderedUTF8(pretty: pretty, suffix: "\n") == Array((expected + "\n").utf8))
      #expect(value.rendered(pretty: pretty) == expected)
    }
  }

  @Test func everyExampleDecisionRendersAsTheReferenceDoes() throws {
    let engine = Engine(try TestSupport.load(TestSupport.shippedSet))
    let folder = TestSupport.repositoryRoot.appendingPathComponent("Examples/reports")
    let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
    #expect(!names.isEmpty)
    for name in names where name.hasSuffix(".json") {
      let text = try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
      let report = try TestSupport.report(text, geography: engine.set.geography)
      for explain in [true, false] {
        let decision = engine.decide(report, asOf: TestSupport.day, explain: explain)
        same(decision.json)
      }
      same(report.json)
    }
  }

  @Test func everyEscapedCharacterRendersAsTheReferenceDoes() {
    let controls = String(
      String.UnicodeScalarView((0..<0x20).compactMap { Unicode.Scalar(UInt32($0)) }))
    let texts = [
      "", "plain", controls, "quote \" backslash \\ slash /", "\u{7F} DEL and \u{85} NEL",
      "é, 日本, 🚨 and a\u{301}", "tail\\", "\"", "\u{1B}[2J",
    ]
    for text in texts {
      same(.string(text))
      same(.object([(text, .string(text))]))
    }
  }

  @Test func everyKindOfValueRendersAsTheReferenceDoes() {
    same(
      .object([
        ("null", .null), ("true", .bool(true)), ("false", .bool(false)), ("int", .int(-42)),
        ("big", .int(Int.max)), ("whole", .double(3)), ("fraction", .double(0.25)),
        ("huge", .double(1e300)), ("nan", .double(.nan)), ("empty array", .array([])),
        ("empty object", .object([])),
        ("nested", .array([.array([.object([("a", .array([.int(1), .null]))])])])),
      ]))
    same(.array([]))
    same(.object([]))
  }
}
