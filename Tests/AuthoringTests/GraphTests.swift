import Authoring
import Foundation
import ProtocolEngine
import ScenarioKit
import Testing

private typealias NodeID = ScenarioGraph.NodeID

@Suite("Scenario graphs")
struct GraphTests {
  static let shippedFiles = ScenarioCatalog(
    root: AuthoringFixtures.root.appendingPathComponent("Scenarios").path
  ).files

  @Test func thereAreShippedScenariosToDraw() {
    #expect(GraphTests.shippedFiles.count >= 3)
  }

  /// The graph's nodes and edges, worked out here from the scenario on their own.
  @Test(arguments: shippedFiles)
  func everyPartOfAShippedScenarioIsInTheGraph(file: String) throws {
    let scenario = try AuthoringFixtures.shipped(file)
    let graph = ScenarioGraph(scenario)

    var ids = [NodeID.start]
    var edges: [ScenarioGraph.Edge] = []
    func edge(_ from: String, _ to: String, _ kind: ScenarioGraph.EdgeKind, _ label: String) {
      edges.append(ScenarioGraph.Edge(from: from, to: to, kind: kind, label: label))
    }
    var effects: [(String, Effect)] = []
    var conditions: [(String, ScenarioCondition)] = []
    for topic in scenario.topics {
      ids.append(NodeID.topic(topic.id))
      edge(NodeID.start, NodeID.topic(topic.id), .ask, "")
      // The first answer whose condition holds is given: one without a condition always
      // holds, and the answers after it are never given.
      let always = topic.answers.firstIndex { $0.when == nil }
      for (index, answer) in topic.answers.enumerated() {
        let id = NodeID.answer(topic: topic.id, index: index)
        ids.append(id)
        let label =
          if let always, index > always {
            "never (an earlier answer always applies)"
          } else {
            answer.when?.text ?? (index == 0 ? "always" : "otherwise")
          }
        edge(NodeID.topic(topic.id), id, .answer, label)
        effects.append((id, answer.effect))
        if let when = answer.when { conditions.append((id, when)) }
      }
    }
    for event in scenario.events {
      ids.append(NodeID.event(event.id))
      if let at = event.at {
        edge(NodeID.start, NodeID.event(event.id), .clock, "at \(clockText(at))")
      }
      effects.append((NodeID.event(event.id), event.effect))
      if let when = event.when { conditions.append((NodeID.event(event.id), when)) }
    }
    for choice in scenario.choices {
      ids.append(NodeID.choice(choice.id))
      for (index, option) in choice.options.enumerated() {
        ids.append(NodeID.option(option.id))
        edge(NodeID.choice(choice.id), NodeID.option(option.id), .choose, "choose \(index + 1)")
        effects.append((NodeID.option(option.id), option.effect))
      }
    }
    for (id, effect) in effects {
      if let offers = effect.offers { edge(id, NodeID.choice(offers), .offers, "offers") }
      if let ends = effect.ends {
        edge(id, NodeID.end, .ends, ends == .hungUp ? "hang_up" : "disconnected")
      }
    }
    if effects.contains(where: { $0.1.ends != nil }) { ids.append(NodeID.end) }
    for (id, condition) in conditions {
      for call in condition.expression.hostCalls {
        let from =
          switch call.name {
          case "asked": NodeID.topic(call.argument)
          case "fired": NodeID.event(call.argument)
          case "chose": NodeID.option(call.argument)
          default: NodeID.action(call.name, call.argument)
          }
        if call.name == "escalated" || call.name == "referred" { ids.append(from) }
        edge(from, id, .dependency, call.name)
      }
    }

    #expect(Set(graph.nodes.map(\.id)) == Set(ids))
    #expect(graph.nodes.count == Set(ids).count, "a node is drawn twice")
    #expect(graph.legend.map(\.id) == scenario.conduct.map { NodeID.rule($0.id) })
    #expect(Set(graph.edges) == Set(edges))
    #expect(graph.edges.count == Set(graph.edges).count, "an edge is drawn twice")
    for topic in scenario.topics {
      let node = try #require(graph.nodes.first { $0.id == NodeID.topic(topic.id) })
      #expect(node.lines.first == "ask \(topic.id)")
    }
  }

  /// Graphviz reads every node, label and edge as the graph meant it.
  @Test(arguments: shippedFiles + ["graph/escaping.yaml"])
  func theDotOutputParsesWithGraphviz(file: String) throws {
    let scenario =
      file.hasPrefix("graph/")
      ? try AuthoringFixtures.scenario(file) : try AuthoringFixtures.shipped(file)
    let graph = ScenarioGraph(scenario)
    let drawn = try Graphviz.read(graph.dot())
    for node in graph.nodes + graph.legend {
      #expect(drawn.nodes[node.id] == node.lines, "node \(node.id)")
    }
    #expect(drawn.nodes.count == graph.nodes.count + graph.legend.count)
    // Graphviz lists the edges by their tail; compare them in one order.
    let edges = graph.edges.map { [$0.from, $0.to, $0.label] }
    #expect(
      drawn.edges.sorted { $0.lexicographicallyPrecedes($1) }
        == edges.sorted { $0.lexicographicallyPrecedes($1) })
    #expect(drawn.title == [graph.title])
  }

  /// Every Mermaid label reads back as the graph's own text: no quote, bracket or newline
  /// leaks out of its `["..."]`.
  @Test(arguments: shippedFiles + ["graph/escaping.yaml"])
  func theMermaidOutputReadsBack(file: String) throws {
    let scenario =
      file.hasPrefix("graph/")
      ? try AuthoringFixtures.scenario(file) : try AuthoringFixtures.shipped(file)
    let graph = ScenarioGraph(scenario)
    let text = graph.mermaid()
    let drawn = try MermaidReader.read(text)
    for node in graph.nodes + graph.legend {
      #expect(drawn.nodes[node.id] == node.lines, "node \(node.id)")
    }
    #expect(drawn.nodes.count == graph.nodes.count + graph.legend.count)
    #expect(drawn.edges == graph.edges.map { [$0.from, $0.to, $0.label] })
    #expect(text.hasPrefix("---\ntitle: \(JSONValue.string(graph.title).rendered())\n---\n"))
  }

  @Test func labelsAreShortenedAndKeepTheirSpecialCharacters() throws {
    let graph = ScenarioGraph(try AuthoringFixtures.scenario("graph/escaping.yaml"))
    func lines(_ id: String) -> [String] { graph.nodes.first { $0.id == id }?.lines ?? [] }
    #expect(graph.title == "Quotes \"and\" a back\\slash (graph-escaping v1)")
    // A block question's lines become one line.
    #expect(lines(NodeID.topic("path")) == ["ask path", "Line one \"quoted\" and \\ two"])
    // Forty characters are kept whole ...
    #expect(
      lines(NodeID.answer(topic: "path", index: 0)) == [
        "\"C:\\new\\temp \"x\" <b>&amp;</b> #1 | `tick`\""
      ])
    // ... a longer line is cut, and a list of wordings says how many more there are.
    #expect(
      lines(NodeID.answer(topic: "path", index: 1)) == [
        "\"This sentence is much longer than forty…\" (+1 more)", "sets imminent_danger = true",
      ])
    #expect(
      lines(NodeID.topic("long")) == [
        "ask long", "[brackets] {braces} (parens) #quot; é 🙂", "TRAP: never ask (no_long, MINOR)",
      ])
    #expect(graph.nodes.first { $0.id == NodeID.topic("long") }?.kind == .trap)
    #expect(lines(NodeID.option("b")) == ["2. b", "B \"quoted\"", "DEVIATION CRITICAL"])
    #expect(graph.nodes.first { $0.id == NodeID.option("b") }?.kind == .deviation)
    #expect(lines(NodeID.event("cut")) == ["event cut", "when escalated(\"emergency\")"])
    #expect(lines(NodeID.action("escalated", "emergency")) == ["trainee escalates to emergency"])

    let labels = Dictionary(
      graph.edges.filter { $0.kind == .answer }.map { ($0.to, $0.label) },
      uniquingKeysWith: { first, _ in first })
    #expect(labels[NodeID.answer(topic: "path", index: 0)] == "asked(\"long\") && !chose(\"b\")")
    #expect(labels[NodeID.answer(topic: "path", index: 1)] == "otherwise")
    #expect(
      labels[NodeID.answer(topic: "path", index: 2)] == "never (an earlier answer always applies)")
    #expect(
      graph.edges.contains(
        ScenarioGraph.Edge(
          from: NodeID.event("cut"), to: NodeID.end, kind: .ends, label: "disconnected")
      ))
    #expect(
      graph.edges.contains(
        ScenarioGraph.Edge(
          from: NodeID.option("a"), to: NodeID.choice("pick"), kind: .offers, label: "offers")))
  }

  @Test func theEscapedTextIsWhatEachNotationNeeds() throws {
    let graph = ScenarioGraph(try AuthoringFixtures.scenario("graph/escaping.yaml"))
    let dot = graph.dot()
    #expect(dot.hasPrefix("digraph \"graph-escaping\" {\n"))
    #expect(dot.contains("label=\"Quotes \\\"and\\\" a back\\\\slash (graph-escaping v1)\""))
    #expect(
      dot.contains(
        "  answer_1_path [label=\"\\\"C:\\\\new\\\\temp \\\"x\\\" <b>&amp;amp;</b> #1 | `tick`\\\"\""
      ))
    let mermaid = graph.mermaid()
    #expect(
      mermaid.contains(
        "  answer_1_path(\"#quot;C:\\new\\temp #quot;x#quot; #lt;b#gt;#amp;amp;#lt;/b#gt; #35;1 #124; #96;tick#96;#quot;\"):::answerNode\n"
      ))
    #expect(
      mermaid.contains(
        "  topic_long[\"ask long<br/>[brackets] {braces} (parens) #35;quot; é 🙂<br/>"))
    #expect(
      mermaid.contains(
        "  topic_path -->|\"asked(#quot;long#quot;) #amp;#amp; !chose(#quot;b#quot;)\"| answer_1_path\n"
      ))
  }

  @Test func nodeIDsAreSafeForAnyScenarioID() {
    #expect(NodeID.topic("safe_now") == "topic_safe_now")
    #expect(NodeID.answer(topic: "safe_now", index: 1) == "answer_2_safe_now")
    // An id that is not [a-z0-9_]+ (a scenario built in code) is spelled in hexadecimal,
    // which no real id can collide with.
    #expect(NodeID.topic("a\"b") == "topic_X612262")
    #expect(NodeID.topic("X612262") == "topic_X58363132323632")
  }

  /// Each run is a new process with its own hash seed: any Set or Dictionary order that
  /// leaked into the output would differ between them.
  @Test(arguments: ScenarioGraph.Format.allCases)
  func theCommandPrintsTheSameBytesEveryRun(format: ScenarioGraph.Format) throws {
    for file in GraphTests.shippedFiles {
      let arguments = ["graph", file, "--format", format.rawValue]
      let first = try ExternalTool.hotlineSim(arguments)
      let second = try ExternalTool.hotlineSim(arguments)
      #expect(first.status == 0, "\(first.stderr)")
      #expect(first.stdout == second.stdout)
      #expect(first.stdout == ScenarioGraph(try AuthoringFixtures.shipped(file)).render(format))
    }
    let byDefault = try ExternalTool.hotlineSim(["graph", "tx-motel-whisper"])
    #expect(byDefault.stdout.hasPrefix("digraph \"tx-motel-whisper\" {\n"))
  }

  @Test func badInputExitsWithTheDocumentedCodes() throws {
    let unknown = try ExternalTool.hotlineSim(["graph", "tx-motel-whispr"])
    #expect(unknown.status == 64)
    #expect(
      unknown.stderr.contains("no scenario 'tx-motel-whispr' (did you mean 'tx-motel-whisper'?)"))
    let format = try ExternalTool.hotlineSim(["graph", "tx-motel-whisper", "--format", "svg"])
    #expect(format.status == 64)
    #expect(format.stderr.contains("The value 'svg' is invalid for '--format <format>'"))
  }
}

/// Reads a graph back with the real Graphviz (`dot -Tjson`): each node's label lines,
/// each edge as [from, to, label], as Graphviz will draw them.
private enum Graphviz {
  struct Drawing {
    var title: [String] = []
    var nodes: [String: [String]] = [:]
    var edges: [[String]] = []
  }

  static func read(_ dot: String) throws -> Drawing {
    let folder = try ExternalTool.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let file = folder.appendingPathComponent("graph.dot")
    try dot.write(to: file, atomically: true, encoding: .utf8)
    let result = try ExternalTool.run("dot", ["-Tjson", file.path])
    guard result.status != 127 else {
      throw ExternalTool.Failure(
        reason: "Graphviz is needed to check the DOT output: apt-get install -y graphviz")
    }
    guard result.status == 0, result.stderr.isEmpty else {
      throw ExternalTool.Failure(reason: "dot -Tjson failed (\(result.status)): \(result.stderr)")
    }
    let json = try #require(
      try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    func texts(_ object: [String: Any]) -> [String] {
      let operations = object["_ldraw_"] as? [[String: Any]] ?? []
      return operations.compactMap { $0["op"] as? String == "T" ? $0["text"] as? String : nil }
    }
    var drawing = Drawing(title: texts(json))
    var names: [Int: String] = [:]
    for object in json["objects"] as? [[String: Any]] ?? [] {
      guard let name = object["name"] as? String, let id = object["_gvid"] as? Int,
        !name.hasPrefix("cluster_")
      else { continue }
      names[id] = name
      drawing.nodes[name] = texts(object)
    }
    for edge in json["edges"] as? [[String: Any]] ?? [] {
      let tail = (edge["tail"] as? Int).flatMap { names[$0] } ?? "?"
      let head = (edge["head"] as? Int).flatMap { names[$0] } ?? "?"
      drawing.edges.append([tail, head, texts(edge).joined(separator: "\n")])
    }
    return drawing
  }
}

/// Reads the nodes and edges of `ScenarioGraph.mermaid()` back, decoding Mermaid's entity
/// codes, and fails on any line it cannot read (a label that leaked out of its quotes).
private enum MermaidReader {
  struct Drawing {
    var nodes: [String: [String]] = [:]
    var edges: [[String]] = []
  }

  static func read(_ text: String) throws -> Drawing {
    let node =
      #/^ +([A-Za-z0-9_]+)(\(\[|\[/|\{\{|\(|\{|\[)"([^"]*)"(\]\)|/\]|\}\}|\)|\}|\]):::([A-Za-z]+)$/#
    let edge = #/^ +([A-Za-z0-9_]+) (-->|-\.->|==>)(?:\|"([^"]*)"\|)? ([A-Za-z0-9_]+)$/#
    var drawing = Drawing()
    var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    #expect(lines.first == "---")
    lines = Array(lines.drop { $0 != "flowchart LR" }.dropFirst())
    for line in lines where !line.isEmpty {
      if let match = line.wholeMatch(of: node) {
        let label = String(match.output.3)
        drawing.nodes[String(match.output.1)] = label.components(separatedBy: "<br/>").map(decode)
      } else if let match = line.wholeMatch(of: edge) {
        drawing.edges.append([
          String(match.output.1), String(match.output.4), decode(String(match.output.3 ?? "")),
        ])
      } else {
        let known =
          line.hasPrefix("  classDef ") || line == "  end"
          || line.hasPrefix("  subgraph conduct_rules [\"")
        #expect(known, "unreadable Mermaid line: \(line)")
      }
    }
    return drawing
  }

  /// `#quot;` -> `"`, `#35;` -> `#` ...: one pass, left to right, as Mermaid reads them.
  static func decode(_ text: String) -> String {
    let names = ["quot": "\"", "lt": "<", "gt": ">", "amp": "&"]
    var out = ""
    var rest = Substring(text)
    while let hash = rest.firstIndex(of: "#") {
      out += rest[..<hash]
      let after = rest[rest.index(after: hash)...]
      if let semicolon = after.firstIndex(of: ";"),
        case let name = String(after[..<semicolon]),
        let value = names[name] ?? UInt32(name).flatMap(Unicode.Scalar.init).map(String.init)
      {
        out += value
        rest = after[after.index(after: semicolon)...]
      } else {
        out += "#"
        rest = after
      }
    }
    return out + rest
  }
}
