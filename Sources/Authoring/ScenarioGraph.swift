import ProtocolEngine
import ScenarioKit

/// A scenario drawn as a graph an author can render: the opening, every topic with its
/// answers, the events, the choice beats and their options, what offers a choice, what ends
/// the conversation, and which question, event or option a condition waits for.
///
/// The graph is built once from the scenario (`nodes`, `edges`, `legend`) and rendered as
/// Graphviz DOT or Mermaid. Output is byte-identical run to run: everything is emitted in
/// the scenario's own order, and node ids come from the scenario's ids
/// (`topic_location`, `answer_2_location`, `event_man_voice`, `choice_cover_story`,
/// `option_keep_cover`), so a graph's diff follows the scenario's.
public struct ScenarioGraph: Sendable {
  /// The two notations.
  public enum Format: String, Sendable, CaseIterable {
    /// Graphviz (`dot -Tsvg`).
    case dot
    /// Mermaid (a ```` ```mermaid ```` block in Markdown).
    case mermaid
  }

  /// What a node stands for; it decides the node's shape and colour.
  public enum NodeKind: String, Sendable, CaseIterable {
    /// The opening.
    case start
    /// The conversation ends (a hang-up or a lost connection); the wrap-up goes on.
    case end
    case topic
    /// A topic a `never` conduct rule punishes.
    case trap
    case answer
    case event
    case choice
    case option
    /// An option scored as a deviation.
    case deviation
    /// Something the trainee does that a condition reads (`escalated`, `referred`).
    case action
    /// A conduct rule (drawn in the legend).
    case rule
  }

  /// One box of the graph.
  public struct Node: Sendable, Hashable {
    /// Stable and safe as a DOT and a Mermaid identifier.
    public var id: String
    public var kind: NodeKind
    /// The label, one line each (already shortened; escaped only when rendered).
    public var lines: [String]

    public init(id: String, kind: NodeKind, lines: [String]) {
      self.id = id
      self.kind = kind
      self.lines = lines
    }
  }

  /// What an edge means; it decides the edge's style.
  public enum EdgeKind: String, Sendable, CaseIterable {
    /// The opening to a topic: the trainee may ask it.
    case ask
    /// A topic to one of its answers, labelled with the answer's condition.
    case answer
    /// The opening to an event on the clock, labelled with its time.
    case clock
    /// A choice to one of its options (`choose N`).
    case choose
    /// An answer, event or option that opens a choice beat.
    case offers
    /// An answer, event or option that ends the conversation.
    case ends
    /// What a condition reads (`asked`, `fired`, `chose` ...) to the answer or event whose
    /// condition it is. Drawn dashed.
    case dependency
  }

  /// One arrow of the graph.
  public struct Edge: Sendable, Hashable {
    public var from: String
    public var to: String
    public var kind: EdgeKind
    public var label: String

    public init(from: String, to: String, kind: EdgeKind, label: String) {
      self.from = from
      self.to = to
      self.kind = kind
      self.label = label
    }
  }

  /// `title (id vN)`.
  public let title: String
  /// The scenario's id (the DOT graph's name).
  public let scenarioID: String
  /// Every node but the conduct rules, in the scenario's order.
  public private(set) var nodes: [Node] = []
  public private(set) var edges: [Edge] = []
  /// The conduct rules, drawn apart as a legend.
  public private(set) var legend: [Node] = []

  /// How long a caller's line or an option's text may be in a label.
  static let sayLength = 40
  /// How long a question, prompt, opening or rule message may be in a label.
  static let proseLength = 50

  /// Builds the graph of a scenario.
  public init(_ scenario: Scenario) {
    title = "\(scenario.title) (\(scenario.id) v\(scenario.version))"
    scenarioID = scenario.id
    build(scenario)
  }

  /// The graph in one notation, ending with a newline.
  public func render(_ format: Format) -> String {
    switch format {
    case .dot: dot()
    case .mermaid: mermaid()
    }
  }

  // MARK: - Node ids

  /// The node ids the graph gives to a scenario's parts, for tools and tests that look a
  /// part up in the output. Ids in the scenario are `[a-z0-9_]+`; any other id is spelled
  /// in upper-case hexadecimal (`topic_X4142`), which no scenario id can collide with.
  public enum NodeID {
    public static let start = "start"
    public static let end = "conversation_end"
    public static func topic(_ id: String) -> String { "topic_\(key(id))" }
    /// The answer at `index` (0-based) of a topic.
    public static func answer(topic: String, index: Int) -> String {
      "answer_\(index + 1)_\(key(topic))"
    }
    public static func event(_ id: String) -> String { "event_\(key(id))" }
    public static func choice(_ id: String) -> String { "choice_\(key(id))" }
    public static func option(_ id: String) -> String { "option_\(key(id))" }
    public static func rule(_ id: String) -> String { "rule_\(key(id))" }
    /// A trainee's action a condition reads: `escalated("emergency")`, `referred("shelter")`.
    public static func action(_ function: String, _ argument: String) -> String {
      "action_\(key(function))_\(key(argument))"
    }

    static func key(_ id: String) -> String {
      let isSlug =
        !id.isEmpty
        && id.unicodeScalars.allSatisfy {
          ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_"
        }
      guard !isSlug else { return id }
      let digits = Array("0123456789ABCDEF".unicodeScalars)
      var hex = "X"
      for byte in id.utf8 {
        hex.unicodeScalars.append(digits[Int(byte >> 4)])
        hex.unicodeScalars.append(digits[Int(byte & 0xF)])
      }
      return hex
    }
  }

  // MARK: - Building

  private mutating func build(_ scenario: Scenario) {
    let endsConversation =
      scenario.topics.contains { $0.answers.contains { $0.effect.ends != nil } }
      || scenario.events.contains { $0.effect.ends != nil }
      || scenario.choices.contains { $0.options.contains { $0.effect.ends != nil } }
    var opening = ["START: \(scenario.channel.rawValue), \(scenario.caller)"]
    opening.append(ScenarioGraph.short(scenario.opening, ScenarioGraph.proseLength))
    opening.append("time limit \(clockText(scenario.timeLimit))")
    nodes.append(Node(id: NodeID.start, kind: .start, lines: opening))

    let notes = ScenarioGraph.conductNotes(scenario.conduct)
    let traps = Set(
      scenario.conduct.compactMap { rule -> String? in
        if case .never(let topic) = rule.kind { return topic }
        return nil
      })
    for topic in scenario.topics {
      let id = NodeID.topic(topic.id)
      var lines = [
        "ask \(topic.id)", ScenarioGraph.short(topic.question, ScenarioGraph.proseLength),
      ]
      if let cost = topic.cost { lines.append("costs \(cost) s") }
      lines += notes.filter { $0.topic == topic.id }.map(\.text)
      nodes.append(Node(id: id, kind: traps.contains(topic.id) ? .trap : .topic, lines: lines))
      edges.append(Edge(from: NodeID.start, to: id, kind: .ask, label: ""))
      var alwaysAnswered = false
      for (index, answer) in topic.answers.enumerated() {
        let answerID = NodeID.answer(topic: topic.id, index: index)
        nodes.append(
          Node(id: answerID, kind: .answer, lines: ScenarioGraph.effectLines(answer.effect)))
        let label: String
        if alwaysAnswered {
          label = "never (an earlier answer always applies)"
        } else if let when = answer.when {
          label = ScenarioGraph.short(when.text, Int.max)
        } else {
          label = index == 0 ? "always" : "otherwise"
          alwaysAnswered = true
        }
        edges.append(Edge(from: id, to: answerID, kind: .answer, label: label))
      }
    }

    for event in scenario.events {
      let id = NodeID.event(event.id)
      var lines = ["event \(event.id)"]
      if let at = event.at { lines.append("at \(clockText(at))") }
      if let when = event.when { lines.append("when \(ScenarioGraph.short(when.text, Int.max))") }
      lines += ScenarioGraph.effectLines(event.effect, quietWhenSilent: true)
      nodes.append(Node(id: id, kind: .event, lines: lines))
      if let at = event.at {
        edges.append(Edge(from: NodeID.start, to: id, kind: .clock, label: "at \(clockText(at))"))
      }
    }

    for choice in scenario.choices {
      let id = NodeID.choice(choice.id)
      nodes.append(
        Node(
          id: id, kind: .choice,
          lines: [
            "choice \(choice.id)", ScenarioGraph.short(choice.prompt, ScenarioGraph.proseLength),
          ]))
      for (index, option) in choice.options.enumerated() {
        let optionID = NodeID.option(option.id)
        var lines = [
          "\(index + 1). \(option.id)", ScenarioGraph.short(option.text, ScenarioGraph.sayLength),
        ]
        lines += ScenarioGraph.effectLines(option.effect, quietWhenSilent: true)
        if let deviation = option.deviation {
          lines.append("DEVIATION \(deviation.severity.label)")
        }
        nodes.append(
          Node(id: optionID, kind: option.deviation == nil ? .option : .deviation, lines: lines))
        edges.append(Edge(from: id, to: optionID, kind: .choose, label: "choose \(index + 1)"))
      }
    }

    // What each answer, event and option does next: offer a choice, end the conversation.
    var effects: [(id: String, effect: Effect)] = []
    for topic in scenario.topics {
      for (index, answer) in topic.answers.enumerated() {
        effects.append((id: NodeID.answer(topic: topic.id, index: index), effect: answer.effect))
      }
    }
    effects += scenario.events.map { (id: NodeID.event($0.id), effect: $0.effect) }
    effects += scenario.choices.flatMap {
      $0.options.map { (id: NodeID.option($0.id), effect: $0.effect) }
    }
    let choiceIDs = Set(scenario.choices.map(\.id))
    for (id, effect) in effects {
      if let offers = effect.offers, choiceIDs.contains(offers) {
        edges.append(Edge(from: id, to: NodeID.choice(offers), kind: .offers, label: "offers"))
      }
    }
    if endsConversation {
      nodes.append(
        Node(
          id: NodeID.end, kind: .end,
          lines: ["End of conversation", "(the wrap-up goes on, on the same clock)"]))
      for (id, effect) in effects {
        guard let ends = effect.ends else { continue }
        let label = ends == .hungUp ? "hang_up" : ends.rawValue
        edges.append(Edge(from: id, to: NodeID.end, kind: .ends, label: label))
      }
    }

    addDependencies(scenario)

    for rule in scenario.conduct {
      legend.append(
        Node(
          id: NodeID.rule(rule.id), kind: .rule,
          lines: [
            "\(rule.id): \(ScenarioGraph.ruleSummary(rule.kind)) (\(rule.severity.label))",
            ScenarioGraph.short(rule.message, ScenarioGraph.proseLength),
          ]))
    }
  }

  /// Dashed edges from what a condition reads to the answer or event whose condition it is.
  private mutating func addDependencies(_ scenario: Scenario) {
    let topics = Set(scenario.topics.map(\.id))
    let events = Set(scenario.events.map(\.id))
    let options = Set(scenario.choices.flatMap { $0.options.map(\.id) })
    var conditions: [(target: String, condition: ScenarioCondition)] = []
    for topic in scenario.topics {
      for (index, answer) in topic.answers.enumerated() {
        if let when = answer.when {
          conditions.append((target: NodeID.answer(topic: topic.id, index: index), condition: when))
        }
      }
    }
    for event in scenario.events {
      if let when = event.when {
        conditions.append((target: NodeID.event(event.id), condition: when))
      }
    }
    var seen: Set<Edge> = []
    var actions: [Node] = []
    for (target, condition) in conditions {
      for call in condition.expression.hostCalls {
        let source: String
        switch call.name {
        case "asked" where topics.contains(call.argument): source = NodeID.topic(call.argument)
        case "fired" where events.contains(call.argument): source = NodeID.event(call.argument)
        case "chose" where options.contains(call.argument): source = NodeID.option(call.argument)
        case "escalated", "referred":
          source = NodeID.action(call.name, call.argument)
          if !actions.contains(where: { $0.id == source }) {
            let words = call.name == "escalated" ? "trainee escalates to" : "trainee refers to"
            actions.append(Node(id: source, kind: .action, lines: ["\(words) \(call.argument)"]))
          }
        default: continue
        }
        let edge = Edge(from: source, to: target, kind: .dependency, label: call.name)
        if seen.insert(edge).inserted { edges.append(edge) }
      }
    }
    nodes += actions
  }

  /// The caller's words (shortened), then what the effect reveals and sets.
  private static func effectLines(_ effect: Effect, quietWhenSilent: Bool = false) -> [String] {
    var lines: [String] = []
    if let first = effect.say.variants.first {
      var line = "\"\(short(first, sayLength))\""
      if effect.say.variants.count > 1 { line += " (+\(effect.say.variants.count - 1) more)" }
      lines.append(line)
    } else if !quietWhenSilent {
      lines.append("(says nothing)")
    }
    lines += effect.reveals.map { "reveals \($0.path) = \(short($0.displayValue, sayLength))" }
    lines += effect.sets.map { "sets \($0.path) = \(short($0.displayValue, sayLength))" }
    return lines
  }

  /// What each conduct rule says about a topic, for the topic's label.
  private static func conductNotes(_ rules: [ConductRule]) -> [(topic: String, text: String)] {
    var notes: [(String, String)] = []
    for rule in rules {
      let tag = "(\(rule.id), \(rule.severity.label))"
      switch rule.kind {
      case .never(let topic):
        notes.append((topic, "TRAP: never ask \(tag)"))
      case .within(let topic, let seconds):
        notes.append((topic, "ask within \(clockText(seconds)) \(tag)"))
      case .before(let first, let then):
        let later = short(then.joined(separator: ", "), proseLength)
        notes.append((first, "ask before \(later) \(tag)"))
        for topic in then { notes.append((topic, "ask after \(first) \(tag)")) }
      }
    }
    return notes
  }

  private static func ruleSummary(_ kind: ConductRule.Kind) -> String {
    switch kind {
    case .never(let topic): "never ask \(topic)"
    case .within(let topic, let seconds): "ask \(topic) within \(clockText(seconds))"
    case .before(let first, let then):
      "ask \(first) before \(then.joined(separator: ", "))"
    }
  }

  /// One line: white space (newlines included) collapsed, cut to `limit` characters with
  /// an ellipsis.
  static func short(_ text: String, _ limit: Int) -> String {
    let words = text.split(whereSeparator: { $0.isWhitespace || $0.isNewline })
    let line = words.joined(separator: " ")
    guard line.count > limit else { return line }
    var cut = String(line.prefix(max(limit - 1, 0)))
    while cut.last == " " { cut.removeLast() }
    return cut + "…"
  }
}

// MARK: - Graphviz

extension ScenarioGraph {
  /// The graph in Graphviz's DOT language (`hotline-sim graph ID | dot -Tsvg > graph.svg`).
  public func dot() -> String {
    var out = "digraph \(ScenarioGraph.dotString(scenarioID)) {\n"
    out += "  graph [rankdir=LR, fontname=\"Helvetica\", labelloc=t, "
    out += "label=\(ScenarioGraph.dotString(title))];\n"
    out += "  node [fontname=\"Helvetica\", fontsize=10, style=filled, fillcolor=\"#ffffff\"];\n"
    out += "  edge [fontname=\"Helvetica\", fontsize=9];\n"
    for node in nodes {
      out += "  \(node.id) [label=\(ScenarioGraph.dotLabel(node.lines)), "
      out += "\(ScenarioGraph.dotStyle(node.kind))];\n"
    }
    if !legend.isEmpty {
      out += "  subgraph cluster_conduct {\n"
      out += "    label=\"Conduct rules\";\n    style=dashed;\n    color=\"#888888\";\n"
      for node in legend {
        out += "    \(node.id) [label=\(ScenarioGraph.dotLabel(node.lines)), "
        out += "\(ScenarioGraph.dotStyle(node.kind))];\n"
      }
      out += "  }\n"
    }
    for edge in edges {
      var attributes: [String] = []
      if !edge.label.isEmpty { attributes.append("label=\(ScenarioGraph.dotString(edge.label))") }
      attributes.append(ScenarioGraph.dotStyle(edge.kind))
      out += "  \(edge.from) -> \(edge.to) [\(attributes.joined(separator: ", "))];\n"
    }
    out += "}\n"
    return out
  }

  /// A DOT double-quoted string: quotes and backslashes escaped, so a backslash in the
  /// scenario never becomes one of DOT's label escapes (`\n`, `\N`, `\G`), and `&` as
  /// `&amp;`, since Graphviz reads HTML entities in every label (`&amp;` would print `&`).
  static func dotString(_ text: String) -> String {
    "\"" + dotEscaped(text) + "\""
  }

  /// Lines joined with DOT's centred line break.
  static func dotLabel(_ lines: [String]) -> String {
    "\"" + lines.map(dotEscaped).joined(separator: "\\n") + "\""
  }

  private static func dotEscaped(_ text: String) -> String {
    var out = ""
    for scalar in text.unicodeScalars {
      switch scalar {
      case "\"": out += "\\\""
      case "\\": out += "\\\\"
      case "&": out += "&amp;"
      case "\n", "\r", "\t": out += " "
      case let control where control.value < 0x20 || control.value == 0x7F: out += " "
      default: out.unicodeScalars.append(scalar)
      }
    }
    return out
  }

  private static func dotStyle(_ kind: NodeKind) -> String {
    switch kind {
    case .start: "shape=oval, fillcolor=\"#e8e8e8\""
    case .end: "shape=doubleoctagon, fillcolor=\"#e8e8e8\""
    case .topic: "shape=box, style=\"rounded,filled\", fillcolor=\"#dbe9f6\""
    case .trap:
      "shape=box, style=\"rounded,filled,bold\", fillcolor=\"#f8d0d0\", color=\"#b00000\""
    case .answer: "shape=note, fillcolor=\"#fbfbfb\""
    case .event: "shape=hexagon, fillcolor=\"#fdebc8\""
    case .choice: "shape=diamond, fillcolor=\"#e6dcf5\""
    case .option: "shape=box, fillcolor=\"#f3eefb\""
    case .deviation: "shape=box, style=\"filled,bold\", fillcolor=\"#f8d0d0\", color=\"#b00000\""
    case .action: "shape=parallelogram, fillcolor=\"#e0f0e0\""
    case .rule: "shape=note, fillcolor=\"#fffbe6\""
    }
  }

  private static func dotStyle(_ kind: EdgeKind) -> String {
    switch kind {
    case .ask: "color=\"#aaaaaa\", arrowsize=0.6"
    case .answer: "color=\"#333333\""
    case .clock: "color=\"#a06000\", fontcolor=\"#a06000\""
    case .choose: "color=\"#6a3d9a\""
    case .offers: "style=bold, color=\"#6a3d9a\", fontcolor=\"#6a3d9a\""
    case .ends: "color=\"#b00000\", fontcolor=\"#b00000\""
    case .dependency: "style=dashed, color=\"#555555\", fontcolor=\"#555555\""
    }
  }
}

// MARK: - Mermaid

extension ScenarioGraph {
  /// The graph as a Mermaid flowchart (paste it into a ```` ```mermaid ```` block).
  public func mermaid() -> String {
    var out = "---\ntitle: \(JSONValue.string(title).rendered())\n---\nflowchart LR\n"
    for node in nodes {
      out +=
        "  \(node.id)\(ScenarioGraph.mermaidShape(node.kind, node.lines)):::\(ScenarioGraph.mermaidClass(node.kind))\n"
    }
    if !legend.isEmpty {
      out += "  subgraph conduct_rules [\"Conduct rules\"]\n"
      for node in legend {
        out +=
          "    \(node.id)\(ScenarioGraph.mermaidShape(node.kind, node.lines)):::\(ScenarioGraph.mermaidClass(node.kind))\n"
      }
      out += "  end\n"
    }
    for edge in edges {
      let arrow: String
      switch edge.kind {
      case .dependency: arrow = "-.->"
      case .offers: arrow = "==>"
      case .ask, .answer, .clock, .choose, .ends: arrow = "-->"
      }
      let label = edge.label.isEmpty ? "" : "|\"\(ScenarioGraph.mermaidEscaped(edge.label))\"|"
      out += "  \(edge.from) \(arrow)\(label) \(edge.to)\n"
    }
    for kind in NodeKind.allCases {
      out += "  classDef \(ScenarioGraph.mermaidClass(kind)) \(ScenarioGraph.mermaidStyle(kind))\n"
    }
    return out
  }

  /// A node's shape with its quoted label: `["..."]`, `("...")`, `{{"..."}}` ...
  static func mermaidShape(_ kind: NodeKind, _ lines: [String]) -> String {
    let text = "\"" + lines.map(mermaidEscaped).joined(separator: "<br/>") + "\""
    switch kind {
    case .start, .end: return "([\(text)])"
    case .answer: return "(\(text))"
    case .event: return "{{\(text)}}"
    case .choice: return "{\(text)}"
    case .action: return "[/\(text)/]"
    case .topic, .trap, .option, .deviation, .rule: return "[\(text)]"
    }
  }

  /// Text safe inside a Mermaid quoted label: quotes and the characters Mermaid or HTML
  /// would read (`#`, `<`, `>`, `&`, `|`, backquote) as Mermaid entity codes.
  static func mermaidEscaped(_ text: String) -> String {
    var out = ""
    for scalar in text.unicodeScalars {
      switch scalar {
      case "\"": out += "#quot;"
      case "#": out += "#35;"
      case "<": out += "#lt;"
      case ">": out += "#gt;"
      case "&": out += "#amp;"
      case "|": out += "#124;"
      case "`": out += "#96;"
      case "\n", "\r", "\t": out += " "
      case let control where control.value < 0x20 || control.value == 0x7F: out += " "
      default: out.unicodeScalars.append(scalar)
      }
    }
    return out
  }

  /// The class of a kind of node (`topicNode`: never `end`, a Mermaid keyword).
  static func mermaidClass(_ kind: NodeKind) -> String { kind.rawValue + "Node" }

  private static func mermaidStyle(_ kind: NodeKind) -> String {
    switch kind {
    case .start, .end: "fill:#e8e8e8,stroke:#666666"
    case .topic: "fill:#dbe9f6,stroke:#4a7ab0"
    case .trap: "fill:#f8d0d0,stroke:#b00000,stroke-width:2px"
    case .answer: "fill:#fbfbfb,stroke:#888888"
    case .event: "fill:#fdebc8,stroke:#a06000"
    case .choice: "fill:#e6dcf5,stroke:#6a3d9a"
    case .option: "fill:#f3eefb,stroke:#6a3d9a"
    case .deviation: "fill:#f8d0d0,stroke:#b00000,stroke-width:2px"
    case .action: "fill:#e0f0e0,stroke:#3a7a3a"
    case .rule: "fill:#fffbe6,stroke:#999999"
    }
  }
}
