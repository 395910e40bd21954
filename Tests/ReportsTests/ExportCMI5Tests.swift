import CurriculumKit
import Foundation
import Reports
import Testing

#if canImport(FoundationXML)
  import FoundationXML
#endif

@Suite("Export: cmi5 course structures")
struct ExportCMI5Tests {
  static let home = ExportHomePage("https://lms.example.gov/hotline") ?? .fictional
  static let namespace = "https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd"

  static func document(_ xml: String) throws -> XMLElement {
    let document = try XMLDocument(data: Data(xml.utf8), options: [])
    return try #require(document.rootElement())
  }

  static func children(_ element: XMLElement, _ name: String? = nil) -> [XMLElement] {
    (element.children ?? []).compactMap { $0 as? XMLElement }.filter {
      name == nil || $0.localName == name
    }
  }

  /// An attribute's value. (FoundationXML's `attribute(forName:)` finds nothing on Linux once
  /// the document has a default namespace, so the attributes are searched by name.)
  static func attribute(_ element: XMLElement?, _ name: String) -> String? {
    element?.attributes?.first { $0.name == name }?.stringValue
  }

  static func names(_ element: XMLElement) -> [String] {
    children(element).map { $0.localName ?? "" }
  }

  /// The one `en-US` langstring of a title or description.
  static func text(_ element: XMLElement, _ name: String) -> String? {
    children(element, name).first.flatMap { children($0, "langstring").first }?.stringValue
  }

  /// Parsed back, the titles and descriptions are the curriculum's own text, `& < > " '`
  /// and line breaks included: everything is escaped once, nothing twice.
  @Test func theCourseRoundTripsThroughAnXMLParser() throws {
    let curriculum = try ExportFixtures.curriculum()
    let xml = CMI5CourseStructure.xml(
      curriculum,
      scenarios: [
        ExportScenario(
          id: "tx-wrong-caller", title: "\"She's an adult\" & <more>", description: "d")
      ], homePage: Self.home)
    let root = try Self.document(xml)
    #expect(root.localName == "courseStructure")
    #expect(root.uri == Self.namespace)
    let course = try #require(Self.children(root, "course").first)
    #expect(
      Self.attribute(course, "id")
        == "https://lms.example.gov/hotline/curricula/export-fixture")
    #expect(Self.text(course, "title") == curriculum.title)
    #expect(
      Self.text(course, "description")
        == curriculum.description.trimmingCharacters(in: .whitespacesAndNewlines))
    #expect(curriculum.title.contains("&") && curriculum.title.contains("\""))

    let blocks = Self.children(root, "block")
    let blockIDs = blocks.map { Self.attribute($0, "id") ?? "" }
    #expect(blockIDs.map { $0.split(separator: "/").last ?? "" } == ["first", "second", "third"])
    let first = blocks[0]
    #expect(Self.text(first, "title") == "First - an adult & a minor")
    let aus = Self.children(first, "au")
    #expect(aus.count == 2)
    let wrongCaller = aus[1]
    #expect(Self.text(wrongCaller, "title") == "\"She's an adult\" & <more>")
    #expect(Self.attribute(wrongCaller, "moveOn") == "CompletedAndPassed")
    #expect(Self.attribute(wrongCaller, "masteryScore") == "0.75")
    #expect(Self.attribute(wrongCaller, "launchMethod") == "OwnWindow")
    #expect(
      Self.attribute(wrongCaller, "id")
        == "https://lms.example.gov/hotline/curricula/export-fixture/parts/first/scenarios/tx-wrong-caller"
    )
    #expect(
      Self.children(wrongCaller, "url").first?.stringValue
        == "https://lms.example.gov/hotline/launch/export-fixture/first/tx-wrong-caller")
    let described = try #require(Self.text(blocks[1], "description"))
    #expect(described.contains("Mode: assessment (no hints)."))
    #expect(described.contains("Requires: first."))
    #expect(described.contains("(2 attempts allowed)"))
    // The third part has no min_score: cmi5's masteryScore is left out rather than 0.
    #expect(Self.attribute(Self.children(blocks[2], "au").first, "masteryScore") == nil)
  }

  /// The order and the required elements of the cmi5 XSD (CourseStructure.xsd, section 13.2
  /// of the cmi5 specification): course (title, description), objectives, then blocks; a
  /// block is title, description, objectives, then AUs; an AU is title, description, url.
  /// Every objective a block references exists, and every id is unique.
  @Test(arguments: ["export-fixture", "shipped"])
  func everyCourseFollowsTheSchemasShape(which: String) throws {
    let curricula =
      which == "shipped"
      ? CurriculumCatalog(root: ExportFixtures.root.appendingPathComponent("Curricula").path)
        .loadAll().curricula
      : [try ExportFixtures.curriculum()]
    #expect(!curricula.isEmpty)
    for curriculum in curricula {
      let root = try Self.document(CMI5CourseStructure.xml(curriculum, homePage: Self.home))
      #expect(
        Self.names(root)
          == ["course", "objectives"] + curriculum.parts.map { _ in "block" })
      let course = try #require(Self.children(root, "course").first)
      #expect(Self.names(course) == ["title", "description"])
      var ids: [String] = []
      var defined: Set<String> = []
      for objective in Self.children(try #require(Self.children(root, "objectives").first)) {
        #expect(objective.localName == "objective")
        #expect(Self.names(objective) == ["title", "description"])
        let id = try #require(Self.attribute(objective, "id"))
        ids.append(id)
        defined.insert(id)
      }
      for (block, part) in zip(Self.children(root, "block"), curriculum.parts) {
        ids.append(try #require(Self.attribute(block, "id")))
        #expect(
          Self.names(block)
            == ["title", "description", "objectives"] + part.scenarios.map { _ in "au" })
        for reference in Self.children(try #require(Self.children(block, "objectives").first)) {
          let idref = try #require(Self.attribute(reference, "idref"))
          #expect(defined.contains(idref))
        }
        for au in Self.children(block, "au") {
          ids.append(try #require(Self.attribute(au, "id")))
          #expect(Self.names(au) == ["title", "description", "url"])
          for name in ["title", "description"] {
            #expect(Self.text(au, name)?.isEmpty == false)
            let langstring = try #require(
              Self.children(au, name).first.flatMap { Self.children($0, "langstring").first })
            #expect(Self.attribute(langstring, "lang") == "en-US")
          }
          if let score = Self.attribute(au, "masteryScore") {
            let value = try #require(Decimal(string: score))
            #expect(value > 0 && value <= 1)
            #expect(Decimal(part.mastery.minScore) / 100 == value)
          }
          #expect(
            ["NotApplicable", "Passed", "Completed", "CompletedAndPassed", "CompletedOrPassed"]
              .contains(Self.attribute(au, "moveOn") ?? ""))
          #expect(
            ["AnyWindow", "OwnWindow"].contains(
              Self.attribute(au, "launchMethod") ?? ""))
          let url = try #require(Self.children(au, "url").first?.stringValue)
          #expect(URL(string: url)?.scheme == "https")
        }
      }
      #expect(Set(ids).count == ids.count, "cmi5 wants ids unique within the course")
      #expect(ids.allSatisfy { URL(string: $0)?.host == "lms.example.gov" })
    }
  }

  /// A second parser, Python's `xml.etree` (expat), reads every shipped curriculum's
  /// cmi5.xml and finds the namespace and as many AUs as the curriculum lists scenarios.
  @Test func pythonsXMLParserAgrees() throws {
    let curricula =
      CurriculumCatalog(
        root: ExportFixtures.root.appendingPathComponent("Curricula").path
      ).loadAll().curricula + [try ExportFixtures.curriculum()]
    for curriculum in curricula {
      let python = try ExportFixtures.python(
        """
        import sys, xml.etree.ElementTree as ET
        ns = '{\(Self.namespace)}'
        root = ET.parse(sys.argv[1]).getroot()
        assert root.tag == ns + 'courseStructure', root.tag
        print(len(root.findall(f'{ns}block/{ns}au')))
        """, input: CMI5CourseStructure.xml(curriculum))
      #expect(python.status == 0, "\(curriculum.id): \(python.stderr)")
      #expect(
        python.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
          == String(curriculum.parts.map(\.scenarios.count).reduce(0, +)))
    }
  }

  /// Control characters XML 1.0 cannot carry (a pasted form feed, a NUL) do not make the
  /// file ill-formed; a CR survives as a character reference.
  @Test func textXMLCannotCarryIsReplaced() throws {
    var curriculum = try ExportFixtures.curriculum()
    curriculum.title = "Form\u{0C}feed, NUL\u{00} and CR\r here"
    let root = try Self.document(CMI5CourseStructure.xml(curriculum))
    let course = try #require(Self.children(root, "course").first)
    #expect(Self.text(course, "title") == "Form\u{FFFD}feed, NUL\u{FFFD} and CR\r here")
  }
}
