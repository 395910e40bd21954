import CurriculumKit
import Foundation

/// A curriculum as a cmi5 course structure (`cmi5.xml`), the file an LMS imports to list a
/// course: the course, its objectives, a block per part and an assignable unit (AU) per
/// scenario of the part.
///
/// What maps to what:
/// - course and block ids are the IRIs the xAPI statements use as `grouping` and `parent`, so
///   an LMS can put imported statements under the course it lists;
/// - each part's objectives (capability and critical tasks) become course objectives that the
///   part's block references;
/// - an AU's id is qualified by its part (cmi5 wants AU ids unique in the course, and a
///   scenario may serve two parts), its `url` is a launch address under the home page, and
///   its `masteryScore` is the part's `min_score` as a fraction (left out when it is 0);
/// - every AU moves on when `CompletedAndPassed`, in its own window.
///
/// cmi5 cannot say everything a part's mastery rule says (a compliance level, no critical
/// deviation, attempts in a row, every scenario, attempts allowed) nor prerequisites between
/// parts, so the block's description says them in words; `hotline-sim train` stays the
/// authority on mastery.
public enum CMI5CourseStructure {
  /// The namespace of cmi5 (Quartz) course structures.
  public static let namespace = "https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd"

  /// The `cmi5.xml` text of one curriculum (UTF-8, LF line ends, two-space indents).
  ///
  /// - Parameters:
  ///   - scenarios: Titles and descriptions for the AUs; a scenario not given is named by id.
  public static func xml(
    _ curriculum: Curriculum, scenarios: [ExportScenario] = [],
    homePage: ExportHomePage = .fictional
  ) -> String {
    let labels = Dictionary(scenarios.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
    var out = XMLWriter()
    out.line(0, "<?xml version=\"1.0\" encoding=\"utf-8\"?>")
    out.line(0, "<courseStructure xmlns=\"\(XMLWriter.escaped(namespace))\">")
    out.open(1, "course", [("id", homePage.curriculum(curriculum.id))])
    out.text(2, "title", curriculum.title)
    out.text(2, "description", curriculum.description)
    out.close(1, "course")
    let objectives = curriculum.parts.flatMap { part in
      part.objectives.enumerated().map { (part, $0.offset + 1, $0.element) }
    }
    if !objectives.isEmpty {
      out.open(1, "objectives")
      for (part, number, objective) in objectives {
        out.open(2, "objective", [("id", objectiveID(curriculum, part, number, homePage))])
        out.text(3, "title", objective.capability)
        out.text(3, "description", objective.tasks.joined(separator: "\n"))
        out.close(2, "objective")
      }
      out.close(1, "objectives")
    }
    for part in curriculum.parts {
      out.open(1, "block", [("id", homePage.part(curriculum.id, part.id))])
      out.text(2, "title", part.title)
      out.text(2, "description", blockDescription(part))
      if !part.objectives.isEmpty {
        out.open(2, "objectives")
        for number in part.objectives.indices {
          out.empty(
            3, "objective", [("idref", objectiveID(curriculum, part, number + 1, homePage))])
        }
        out.close(2, "objectives")
      }
      for scenarioID in part.scenarios.map(\.id) {
        let label = labels[scenarioID] ?? .unknown(scenarioID)
        var attributes: [(String, String)] = [
          (
            "id",
            homePage.iri(["curricula", curriculum.id, "parts", part.id, "scenarios", scenarioID])
          ),
          ("moveOn", "CompletedAndPassed"),
        ]
        if part.mastery.minScore > 0 {
          attributes.append(("masteryScore", masteryScore(part.mastery.minScore)))
        }
        attributes += [
          ("launchMethod", "OwnWindow"), ("activityType", XAPIStatements.simulationType),
        ]
        out.open(2, "au", attributes)
        out.text(3, "title", label.title)
        out.text(3, "description", label.description)
        out.element(
          3, "url", homePage.iri(["launch", curriculum.id, part.id, scenarioID]))
        out.close(2, "au")
      }
      out.close(1, "block")
    }
    out.line(0, "</courseStructure>")
    return out.text
  }

  /// `70` as `0.7`, `75` as `0.75`, `100` as `1`: cmi5's scaled decimal (at most four places).
  static func masteryScore(_ minScore: Int) -> String {
    let clamped = min(max(minScore, 0), 100)
    if clamped == 100 { return "1" }
    var digits = String(clamped < 10 ? "0\(clamped)" : "\(clamped)")
    while digits.hasSuffix("0") { digits.removeLast() }
    return digits.isEmpty ? "0" : "0." + digits
  }

  private static func objectiveID(
    _ curriculum: Curriculum, _ part: Part, _ number: Int, _ homePage: ExportHomePage
  ) -> String {
    homePage.iri(["curricula", curriculum.id, "parts", part.id, "objectives", String(number)])
  }

  /// The part's own description, then its mode, its rule and its prerequisites in words.
  private static func blockDescription(_ part: Part) -> String {
    var lines: [String] = []
    if let description = part.description?.trimmingCharacters(in: .whitespacesAndNewlines),
      !description.isEmpty
    {
      lines.append(description)
    }
    lines.append(
      part.mode == .practice ? "Mode: practice (hints allowed)." : "Mode: assessment (no hints).")
    lines.append("Mastered with \(part.mastery.summary).")
    let requires = part.requires.map(\.id)
    if !requires.isEmpty {
      lines.append("Requires: \(requires.joined(separator: ", ")).")
    }
    return lines.joined(separator: "\n")
  }
}

/// Writes indented XML with every text and attribute escaped.
private struct XMLWriter {
  var text = ""

  mutating func line(_ depth: Int, _ content: String) {
    text += String(repeating: "  ", count: depth) + content + "\n"
  }

  mutating func open(_ depth: Int, _ name: String, _ attributes: [(String, String)] = []) {
    line(depth, "<\(name)\(Self.attributes(attributes))>")
  }

  mutating func empty(_ depth: Int, _ name: String, _ attributes: [(String, String)]) {
    line(depth, "<\(name)\(Self.attributes(attributes))/>")
  }

  mutating func close(_ depth: Int, _ name: String) {
    line(depth, "</\(name)>")
  }

  mutating func element(_ depth: Int, _ name: String, _ value: String) {
    line(depth, "<\(name)>\(Self.escaped(value))</\(name)>")
  }

  /// A cmi5 text element: one `en-US` langstring, trimmed (LMSs trim on import anyway).
  mutating func text(_ depth: Int, _ name: String, _ value: String) {
    let trimmed = value.trimmingCharacters(in: .whitespacesAndNewlines)
    line(
      depth,
      "<\(name)><langstring lang=\"en-US\">\(Self.escaped(trimmed))</langstring></\(name)>")
  }

  private static func attributes(_ pairs: [(String, String)]) -> String {
    pairs.map { " \($0.0)=\"\(escaped($0.1, inAttribute: true))\"" }.joined()
  }

  /// `text` safe in element content, or in a double-quoted attribute. A parser would turn a
  /// raw CR into LF, and whitespace in an attribute into spaces, so those go as character
  /// references. Characters XML 1.0 cannot carry at all (other C0 controls, U+FFFE, U+FFFF)
  /// become U+FFFD, since even a reference to them is ill-formed.
  static func escaped(_ text: String, inAttribute: Bool = false) -> String {
    var out = ""
    out.reserveCapacity(text.utf8.count)
    for scalar in text.unicodeScalars {
      switch scalar {
      case "&": out += "&amp;"
      case "<": out += "&lt;"
      case ">": out += "&gt;"
      case "\"": out += "&quot;"
      case "'": out += "&apos;"
      case "\r": out += "&#13;"
      case "\n" where inAttribute: out += "&#10;"
      case "\t" where inAttribute: out += "&#9;"
      case "\t", "\n": out.unicodeScalars.append(scalar)
      case let control where control.value < 0x20: out += "\u{FFFD}"
      case "\u{FFFE}", "\u{FFFF}": out += "\u{FFFD}"
      default: out.unicodeScalars.append(scalar)
      }
    }
    return out
  }
}
