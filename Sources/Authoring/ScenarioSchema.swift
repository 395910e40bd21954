import ProtocolEngine
import ScenarioKit
import Scoring

/// JSON Schemas (draft 2020-12) for the files authors write, so that an editor (VS Code's
/// YAML extension) completes and checks them as they are typed.
///
/// The schemas mirror the loaders (`ScenarioLoader`, `Report.decode`, `RubricBook.parse`):
/// the same keys, the same required keys, closed mappings where the loader rejects unknown
/// keys. Every list of values comes from the Swift enumeration the loader reads it with
/// (`Channel.allCases`, `Indicator.allCases`, `Role.allCases` ...), so a new value never
/// needs a schema edit. The loaders stay the judge: the schemas cannot see references
/// between ids, type-check conditions or check a county against the geography.
///
/// Text keys take any scalar (`say: 24` is the text "24"), as the loaders do; ids, fact
/// values and times are checked as the loaders check them. Written for YAML 1.2 (what
/// VS Code's YAML extension reads): an unquoted `12:00` is the text "12:00".
public enum ScenarioSchema {
  /// The files there is a schema for.
  public enum Document: String, Sendable, CaseIterable {
    /// A scenario (`Scenarios/**/*.yaml`).
    case scenario
    /// The audiences' rubrics (`Scenarios/rubrics.yaml`).
    case rubrics
    /// A curriculum (`Curricula/*.yaml`).
    case curriculum

    /// The schema's file name, in ``folder``.
    public var fileName: String { "\(rawValue).schema.json" }

    /// The folder of the files it describes, where the schema is kept.
    public var folder: String { self == .curriculum ? "Curricula" : "Scenarios" }
  }

  /// The JSON Schema dialect of every document.
  public static let dialect = "https://json-schema.org/draft/2020-12/schema"

  /// A schema as a JSON value (object keys in a fixed order).
  public static func json(_ document: Document) -> JSONValue {
    switch document {
    case .scenario: scenario
    case .rubrics: rubrics
    case .curriculum: curriculum
    }
  }

  /// A schema as the text `hotline-sim schema` prints and `Scenarios/*.schema.json` holds:
  /// pretty-printed, ending with a newline, byte-identical run to run.
  public static func text(_ document: Document) -> String {
    json(document).rendered(pretty: true) + "\n"
  }

  /// The fact paths `known`, `reveals` and `sets` may name, `victims[N]` written
  /// `victims[0]`, in the report's order.
  public static var factPaths: [String] {
    reportFields.filter(\.settable).map {
      $0.path.hasPrefix("victims[]") ? "victims[0]" + $0.path.dropFirst("victims[]".count) : $0.path
    }
  }

  // MARK: - Scenario

  static var scenario: JSONValue {
    let properties: Properties = [
      (
        "id",
        string(
          "Unique scenario id, [a-z0-9-]+; also the file's base name. A scenario is found by its id or its path.",
          pattern: "^[a-z0-9-]+$")
      ),
      ("title", ref("text", "Shown in `hotline-sim list`.")),
      ("version", schema("An integer; bump it on every change.", type: "integer")),
      (
        "audience",
        array(
          "Who the scenario is written for (at least one). The first chooses the rubric; `hotline-sim play --audience NAME` overrides it.",
          items: ref("audience"), minItems: 1)
      ),
      (
        "channel",
        enumeration(
          "How the contact reaches the hotline.", Channel.allCases.map(\.rawValue))
      ),
      (
        "difficulty",
        enumeration("How hard the scenario is.", Difficulty.allCases.map(\.rawValue))
      ),
      (
        "content_warning",
        ref("text", "Shown before play starts; the trainee may `pause` at any time.")
      ),
      ("summary", ref("text", "For instructors (`hotline-sim list`, `hotline-sim explain`).")),
      (
        "time_limit",
        ref(
          "time",
          "Simulated time before the attempt times out (and is scored): \"mm:ss\" or seconds; default 15:00."
        )
      ),
      (
        "emergency_within",
        ref(
          "time",
          "How soon an emergency must be escalated once the danger is known: \"mm:ss\" or seconds; default 02:00."
        )
      ),
      (
        "caller",
        ref(
          "text",
          "How the other party is labelled; default Caller (call), Texter (text, chat), Sender (webform, email)."
        )
      ),
      ("clock", clock),
      (
        "truth",
        ref(
          "report",
          "The hidden truth: a report exactly as the protocol engine reads one (DESIGN.md, Report JSON). The expected escalation, protocols and referrals are computed from it when an attempt is scored."
        )
      ),
      (
        "known",
        ref(
          "facts",
          "What the trainee knows when the scenario opens (fact path: value, as in `reveals`).")
      ),
      ("opening", ref("text", "The first thing the trainee sees.")),
      (
        "topics",
        array(
          "What the trainee can ask about (at least one).", items: ref("topic"), minItems: 1)
      ),
      (
        "events",
        array("Things that happen on the clock or after an action.", items: ref("event"))
      ),
      (
        "choices",
        array(
          "Choice beats: the trainee answers with `choose N`; while one is open, `ask` is refused.",
          items: ref("choice"))
      ),
      ("conduct", array("Scenario-specific rules of conduct.", items: ref("conductRule"))),
      (
        "unmatched",
        ref(
          "text",
          "Narration for a question that matches no topic (default: in character for the channel).")
      ),
      (
        "transcripts",
        array(
          "Golden transcripts: runs of verbs the author vouches for, each with the compliance and score it must get. `hotline-sim playtest` replays them.",
          items: ref("transcript"))
      ),
    ]
    return .object(
      [
        ("$schema", .string(dialect)),
        ("title", .string("HotlineSim scenario")),
        (
          "description",
          .string(
            "One scripted trafficking situation a trainee plays in `hotline-sim play` (Scenarios/README.md). Generated by `hotline-sim schema`; `hotline-sim lint` is the full check."
          )
        ),
        ("type", .string("object")),
        ("properties", .object(properties)),
        (
          "required",
          strings([
            "id", "title", "version", "audience", "channel", "difficulty", "content_warning",
            "truth", "opening", "topics",
          ])
        ),
        ("additionalProperties", .bool(false)),
        ("$defs", .object(scenarioDefinitions)),
      ])
  }

  private static var scenarioDefinitions: Properties {
    [
      ("text", text),
      ("time", time),
      ("id", string("An id: a-z, 0-9 and '_'.", pattern: slugPattern)),
      ("audience", enumeration("An audience.", Audience.allCases.map(\.rawValue))),
      (
        "indicator", enumeration("An indicator of trafficking.", Indicator.allCases.map(\.rawValue))
      ),
      (
        "severity",
        enumeration(
          "How serious a deviation is (dispatch QA's four levels). CRITICAL is the engine's: do not give a conduct rule `critical`.",
          DeviationSeverity.allCases.map(\.rawValue))
      ),
      ("condition", condition),
      ("say", say),
      ("report", report),
      ("usState", usState),
      ("facts", facts),
      ("unsure", unsure),
      ("topic", topic),
      ("answer", answer),
      ("event", event),
      ("choice", choice),
      ("option", option),
      ("conductRule", conductRule),
      ("transcript", transcript),
    ]
  }

  private static let slugPattern = "^[a-z0-9_]+$"

  private static var text: JSONValue {
    .object([
      ("description", .string("Text (a number or true/false is read as its text).")),
      ("type", strings(["string", "number", "boolean"])),
    ])
  }

  /// `seconds(_:field:)` in the loader: a whole number of seconds, or "mm:ss".
  private static var time: JSONValue {
    .object([
      (
        "description",
        .string("A time: \"mm:ss\" (minutes, then two digits of seconds) or seconds.")
      ),
      (
        "anyOf",
        .array([
          schema(nil, type: "integer", extra: [("minimum", .int(0))]),
          string(nil, pattern: "^[0-9]+:[0-5][0-9]$"),
        ])
      ),
    ])
  }

  private static var condition: JSONValue {
    string(
      "A condition in the engine's expression language (Protocols/README.md) over the current truth, with asked(\"topic\"), fired(\"event\"), chose(\"option\"), escalated(\"level\") (at least that level) and referred(\"role\")."
    )
  }

  private static var say: JSONValue {
    .object([
      (
        "description",
        .string(
          "What the caller says, shown after the caller's label (do not write the label). Wholly in parentheses it is narration, shown without a label. A list: one is picked by the attempt's seed."
        )
      ),
      ("anyOf", .array([ref("text"), array(nil, items: ref("text"))])),
    ])
  }

  /// `unsure` in `known`, `reveals` or `sets`: the speaker is not sure, so the fact stays
  /// unknown until an answer confirms it.
  private static var unsure: JSONValue {
    string(
      "unsure: the speaker is not sure; the fact stays unknown until an answer confirms it.",
      pattern: "^\\s*" + caseInsensitive("unsure") + "\\s*$")
  }

  private static var clock: JSONValue {
    let verbs: Properties = Verb.allCases.map { verb in
      let free = verb.isReadingOwnScreen ? " Always free, whatever this says." : ""
      return (
        verb.rawValue,
        ref("time", "\(verb.summary) Default \(verb.defaultCost) s.\(free)")
      )
    }
    return object(
      "Seconds each verb costs, if not the default. Reading your own screen (help, time, facts) is free, and so is a line that could not be carried out.",
      verbs)
  }

  // MARK: Topics, events, choices, conduct, transcripts

  /// What an answer, event or option does when it takes effect.
  private static var effect: Properties {
    [
      ("say", ref("say")),
      (
        "reveals",
        ref(
          "facts",
          "Facts the trainee learns (fact path: value). A value may differ from the truth (the caller can be wrong); `unsure`, or for an age a range (17-18), keeps the fact unknown."
        )
      ),
      ("sets", ref("facts", "Changes to the truth from now on (fact path: value).")),
      ("offers", string("A choice beat this opens (a choice id).", pattern: slugPattern)),
      (
        "ends",
        enumeration(
          "Ends the conversation, not the attempt: the trainee keeps a wrap-up on the same clock (escalate, refer, note, lookup, submit).",
          // The loader's spellings (`effect(_:path:)`), not `EndReason`'s.
          ["hang_up", "disconnected"])
      ),
    ]
  }

  private static var topic: JSONValue {
    object(
      "Something the trainee can ask about.",
      [
        ("id", ref("id", "`ask ID` asks it directly; asked(\"ID\") in conditions.")),
        ("question", ref("text", "The question in plain words.")),
        (
          "keywords",
          array(
            "Words that match a trainee's own question (\"are you ok?\" -> safe_now).",
            items: ref("text"))
        ),
        ("answers", array("The first answer whose `when` holds is given.", items: ref("answer"))),
        (
          "cost",
          ref("time", "Seconds this question costs, if not the scenario's `ask` cost.")
        ),
      ], required: ["id", "question", "answers"])
  }

  private static var answer: JSONValue {
    object(
      "One answer to a topic.",
      [
        (
          "when",
          ref(
            "condition",
            "The answer is given when this holds (the first answer whose condition holds); leave it out for the default answer."
          )
        )
      ] + effect)
  }

  private static var event: JSONValue {
    object(
      "Something that happens on the clock or after an action. It needs `at`, `when` or both.",
      [
        ("id", ref("id", "fired(\"ID\") in conditions.")),
        (
          "at",
          ref(
            "time",
            "Fires when the simulated clock reaches this time (and, with `when`, when that holds too)."
          )
        ),
        ("when", ref("condition", "Fires after the verb that makes this true.")),
      ] + effect, required: ["id"],
      extra: [
        (
          "anyOf",
          .array([
            .object([("required", strings(["at"]))]), .object([("required", strings(["when"]))]),
          ])
        )
      ])
  }

  private static var choice: JSONValue {
    object(
      "A choice beat: a prompt and numbered options the trainee picks with `choose N`.",
      [
        ("id", ref("id", "The choice's id (an answer, event or option `offers` it).")),
        ("prompt", ref("text", "What the trainee is asked, with the speaker's label.")),
        ("options", array("Two options or more.", items: ref("option"), minItems: 2)),
      ], required: ["id", "prompt", "options"])
  }

  private static var option: JSONValue {
    object(
      "An option of a choice beat.",
      [
        ("id", ref("id", "Unique across all choices; chose(\"ID\") in conditions.")),
        ("text", ref("text", "What the trainee would tell the caller.")),
      ] + effect + [
        (
          "deviation",
          object(
            "Choosing this is scored as a deviation.",
            [
              ("severity", ref("severity")),
              ("message", ref("text", "What the debrief says.")),
            ], required: ["severity", "message"])
        )
      ], required: ["id", "text"])
  }

  private static var conductRule: JSONValue {
    // The loader's kinds (`parseConduct`) and the keys each one needs.
    let kinds: [(kind: String, required: [String])] = [
      ("before", ["first", "then"]), ("never", ["topic"]), ("within", ["topic", "seconds"]),
    ]
    return object(
      "A scenario-specific rule of conduct.",
      [
        ("id", ref("id", "The rule's id.")),
        (
          "kind",
          enumeration(
            "before: ask `first` before any of `then`; never: never ask `topic` (a trap); within: ask `topic` within `seconds` of the start.",
            kinds.map(\.kind))
        ),
        ("first", ref("id", "kind before: the topic to ask first.")),
        (
          "then",
          .object([
            (
              "description",
              .string(
                "kind before: the topics (one, or a list) not to ask before `first`. Leave out questions that are safe in either order."
              )
            ),
            ("anyOf", .array([ref("id"), array(nil, items: ref("id"))])),
          ])
        ),
        ("topic", ref("id", "kind never or within: the topic.")),
        ("seconds", ref("time", "kind within: how soon, from the start.")),
        ("severity", ref("severity")),
        ("message", ref("text", "What the debrief says when the rule is broken.")),
      ], required: ["id", "kind", "severity", "message"],
      extra: [
        (
          "allOf",
          .array(
            kinds.map { kind in
              .object([
                (
                  "if",
                  .object([
                    ("properties", .object([("kind", .object([("const", .string(kind.kind))]))])),
                    ("required", strings(["kind"])),
                  ])
                ),
                ("then", .object([("required", strings(kind.required))])),
              ])
            })
        )
      ])
  }

  private static var transcript: JSONValue {
    let levels = Compliance.allCases.map(\.rawValue)
    let level = "(?:" + levels.joined(separator: "|") + ")"
    let score = "0*(?:100|[1-9]?[0-9])"
    return object(
      "A golden transcript: a run of verbs the author vouches for.",
      [
        ("id", ref("id", "The transcript's id (`hotline-sim playtest` names it).")),
        ("note", ref("text", "What the run stands for (\"a strong run by a telecommunicator\").")),
        (
          "audience",
          ref("audience", "Whose rubric scores it; default the scenario's first audience.")
        ),
        (
          "mode",
          enumeration("The play mode; default assessment.", PlayMode.allCases.map(\.rawValue))
        ),
        (
          "seed",
          schema(
            "The seed that picks among `say` variants; default 1.", type: "integer",
            extra: [("minimum", .int(0))])
        ),
        (
          "expect",
          object(
            "What the run must get.",
            [
              (
                "compliance",
                .object([
                  (
                    "description",
                    .string(
                      "A compliance level, a range of adjacent ones (high_compliance..compliant) or a list."
                    )
                  ),
                  (
                    "anyOf",
                    .array([
                      string(nil, pattern: "^ *\(level) *(?:\\.\\. *\(level) *)*$"),
                      array(nil, items: enumeration(nil, levels), minItems: 1),
                    ])
                  ),
                ])
              ),
              (
                "score",
                .object([
                  (
                    "description",
                    .string("A score range (80..100) or one score, 0 to 100; default 0..100.")
                  ),
                  (
                    "anyOf",
                    .array([
                      schema(
                        nil, type: "integer", extra: [("minimum", .int(0)), ("maximum", .int(100))]),
                      string(nil, pattern: "^ *\(score) *(?:\\.\\. *\(score) *)?$"),
                    ])
                  ),
                ])
              ),
            ], required: ["compliance"])
        ),
        (
          "verbs",
          .object([
            (
              "description",
              .string(
                "The verbs, in order: a block of lines (|) or a list. Blank lines and # comments are skipped."
              )
            ),
            ("anyOf", .array([ref("text"), array(nil, items: ref("text"), minItems: 1)])),
          ])
        ),
      ], required: ["id", "expect", "verbs"])
  }

  // MARK: The report

  /// The report's fields (DESIGN.md, "Report (engine input) JSON") as paths from its root,
  /// `victims[]` standing for every victim, in the decoder's order. `settable` fields are
  /// the facts `known`, `reveals` and `sets` may name (`FactAssignment`).
  private static var reportFields: [(path: String, settable: Bool, schema: JSONValue)] {
    [
      ("id", true, ref("text", "The report's id.")),
      (
        "received_at", false,
        string(
          "When the report came in: an RFC 3339 timestamp (2026-11-29T01:00:00Z); decides which protocols are in force.",
          pattern:
            "^[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt](?:[01][0-9]|2[0-3]):[0-5][0-9]:(?:[0-5][0-9]|60)(?:\\.[0-9]+)?(?:[Zz]|[+-](?:[01][0-9]|2[0-3]):[0-5][0-9])$"
        )
      ),
      (
        "channel", true,
        enumeration("How the signal reached the hotline.", Channel.allCases.map(\.rawValue))
      ),
      (
        "reporter.relationship", true,
        enumeration(
          "Who is reporting, relative to the victim.", Relationship.allCases.map(\.rawValue))
      ),
      ("reporter.mandated_reporter", true, boolean("Whether the reporter is a mandated reporter.")),
      (
        "reporter.consents_to_share", true,
        boolean("Whether the reporter agrees that what they said is shared with a referral.")
      ),
      (
        "location.country", true,
        string(
          "An ISO 3166 country code (US, MX); other than US means abroad. A U.S. territory's code (PR) is read as the U.S.",
          pattern: "^\\s*[A-Za-z]{2}\\s*$", examples: ["US"])
      ),
      ("location.state", true, ref("usState")),
      (
        "location.county", true,
        ref("text", "The county (one of the state's counties in the protocol set's geography).")
      ),
      ("location.city", true, ref("text", "The city.")),
      (
        "trafficking_type", true,
        enumeration(
          "The kind of trafficking; unknown is the same as leaving it out.",
          TraffickingType.allCases.map(\.rawValue))
      ),
      (
        "indicators", true,
        array("Indicators of trafficking.", items: ref("indicator"))
      ),
      (
        "victims[].age", true,
        schema(
          "The victim's age in years.", type: "integer",
          extra: [("minimum", .int(0)), ("maximum", .int(Victim.maximumAge))])
      ),
      ("victims[].foreign_national", true, boolean("Whether the victim is a foreign national.")),
      (
        "victims[].language", true,
        string(
          "An ISO 639 language code (en, es, vi).", pattern: "^\\s*[A-Za-z]{2,3}\\s*$",
          examples: ["en", "es"])
      ),
      (
        "victims[].consents_to_law_enforcement", true,
        boolean("Whether the victim agrees to a referral to law enforcement.")
      ),
      (
        "perpetrator.caregiver", true,
        boolean("Whether the person exploiting the victim is a parent or caregiver.")
      ),
      ("imminent_danger", true, boolean("Whether someone is in danger right now.")),
      ("online_exploitation", true, boolean("Whether the exploitation happens online.")),
      ("forced_marriage", true, boolean("Whether a forced marriage is involved.")),
    ]
  }

  /// A U.S. state, district or territory as `USStates.code(for:)` reads it: the code or the
  /// name, in any case.
  private static var usState: JSONValue {
    let names = USStates.codes.keys.sorted().flatMap { [$0, USStates.codes[$0] ?? $0] }
    return string(
      "A U.S. state, district or territory: its code (TX) or its name (Texas), in any case. Abroad (country other than US), the region's own name.",
      pattern: "^\\s*(?:" + names.map(caseInsensitive).joined(separator: "|") + ")\\s*$",
      examples: USStates.codes.keys.sorted())
  }

  private static var report: JSONValue {
    var order: [String] = []
    var leaves: [String: JSONValue] = [:]
    var sections: [String: Properties] = [:]
    for field in reportFields {
      let parts = field.path.split(separator: ".", maxSplits: 1).map(String.init)
      if !order.contains(parts[0]) { order.append(parts[0]) }
      if parts.count == 1 {
        leaves[parts[0]] = field.schema
      } else {
        sections[parts[0], default: []].append((parts[1], field.schema))
      }
    }
    var properties: Properties = []
    for key in order {
      let fields = sections[key] ?? []
      if let leaf = leaves[key] {
        properties.append((key, leaf))
      } else if key.hasSuffix("[]") {
        properties.append(
          (
            String(key.dropLast(2)),
            array(
              "The victims (or potential victims); an empty list is unknown, like a missing one.",
              items: object(nil, fields))
          ))
      } else if key == "location" {
        // Abroad, `state` is the region's own name; at home it must be a U.S. state.
        let home = ([Jurisdiction.homeCountry] + USStates.codes.keys.sorted()).map(caseInsensitive)
        let atHome: JSONValue = .object([
          (
            "anyOf",
            .array([
              .object([("not", .object([("required", strings(["country"]))]))]),
              .object([
                (
                  "properties",
                  .object([
                    (
                      "country",
                      .object([
                        ("pattern", .string("^\\s*(?:" + home.joined(separator: "|") + ")\\s*$"))
                      ])
                    )
                  ])
                )
              ]),
            ])
          )
        ])
        let fields = fields.map { field in
          field.0 != "state"
            ? field
            : (field.0, ref("text", "A U.S. state (TX, Texas) or, abroad, the region's name."))
        }
        properties.append(
          (
            key,
            object(
              "Where the situation is. A report with no country is in the U.S.", fields,
              extra: [
                ("if", atHome),
                ("then", .object([("properties", .object([("state", ref("usState"))]))])),
              ])
          ))
      } else {
        properties.append((key, object(sectionDescription(key), fields)))
      }
    }
    return .object([
      (
        "description",
        .string(
          "A report (DESIGN.md, Report JSON). Every field is optional; a missing field is unknown, which is not the same as false."
        )
      ),
      ("type", .string("object")),
      ("properties", .object(properties)),
      ("additionalProperties", .bool(false)),
    ])
  }

  private static func sectionDescription(_ key: String) -> String? {
    switch key {
    case "reporter": "The person who reports."
    case "perpetrator": "The person exploiting the victim."
    default: nil
    }
  }

  /// `known`, `reveals` and `sets`: fact paths with values checked like a report's.
  private static var facts: JSONValue {
    var properties: Properties = []
    var patterns: Properties = []
    for field in reportFields where field.settable {
      let value: JSONValue
      switch field.path {
      case "indicators":
        value = .object([
          (
            "description",
            .string("Indicators (a name or a list); revealing adds to what is known.")
          ),
          (
            "anyOf", .array([ref("indicator"), array(nil, items: ref("indicator")), ref("unsure")])
          ),
        ])
      case "location.state":
        value = .object([
          ("description", .string("A U.S. state: its code (TX) or its name (Texas), in any case.")),
          ("anyOf", .array([ref("usState"), ref("unsure")])),
        ])
      case "victims[].age":
        value = .object([
          (
            "description",
            .string(
              "The victim's age; unsure, or a range (17-18, 17 or 18), keeps it unknown until confirmed."
            )
          ),
          (
            "anyOf",
            .array([
              field.schema,
              string(nil, pattern: "^\\s*[0-9]+(?: *-+ *| +(?:or +|to +)?)[0-9]+\\s*$"),
              ref("unsure"),
            ])
          ),
        ])
      default:
        // The fact's description goes first, where an editor shows it.
        var leaf = field.schema
        var pairs: Properties = []
        if case .object(let fields) = leaf,
          let description = fields.first(where: { $0.0 == "description" })
        {
          pairs.append(description)
          leaf = .object(fields.filter { $0.0 != "description" })
        }
        value = .object(pairs + [("anyOf", .array([leaf, ref("unsure")]))])
      }
      if field.path.hasPrefix("victims[].") {
        let name = field.path.dropFirst("victims[].".count)
        patterns.append(("^victims\\[[0-9]+\\]\\.\(name)$", value))
      } else {
        properties.append((field.path, value))
      }
    }
    return .object([
      (
        "description",
        .string(
          "Facts as `path: value`: \(factPaths.joined(separator: ", ")). A path with [ ] must be quoted in { } (flow) style."
        )
      ),
      ("type", .string("object")),
      ("properties", .object(properties)),
      ("patternProperties", .object(patterns)),
      ("additionalProperties", .bool(false)),
    ])
  }

  // MARK: - Rubrics

  static var rubrics: JSONValue {
    let duty = ref("duty")
    let roles: Properties = Role.allCases.map { ($0.rawValue, duty) }
    let categories: Properties = DeviationCategory.allCases.map { ($0.rawValue, duty) }
    let levels: Properties = Role.allCases.map { ($0.rawValue, ref("escalation")) }
    let deadlines: Properties = Role.allCases.map { ($0.rawValue, ref("deadline")) }
    let rubric = object(
      "What one audience answers for.",
      [
        ("title", ref("text", "Whose rubric this is, in plain words.")),
        ("roles", object("The duty per referral role; default_role for the rest.", roles)),
        ("default_role", ref("duty", "The duty for a role `roles` does not list.")),
        (
          "categories",
          object(
            "The duty per deviation category; an unlisted category is answerable.", categories)
        ),
        (
          "carried_out_by",
          object(
            "A role the trainee carries out by escalating: a telecommunicator's `escalate emergency` is the dispatch of emergency services.",
            levels)
        ),
        ("deadlines", object("When an answerable referral is due.", deadlines)),
      ], required: ["title"])
    let audiences: Properties = Audience.allCases.map { ($0.rawValue, ref("rubric")) }
    return .object([
      ("$schema", .string(dialect)),
      ("title", .string("HotlineSim rubrics")),
      (
        "description",
        .string(
          "What each audience answers for (Scenarios/rubrics.yaml): the engine's decision is the whole hotline's; a rubric says which parts of it a trainee is scored on. Generated by `hotline-sim schema rubrics`."
        )
      ),
      ("type", .string("object")),
      ("properties", .object(audiences)),
      ("additionalProperties", .bool(false)),
      (
        "$defs",
        .object([
          ("text", text),
          ("rubric", rubric),
          (
            "duty",
            enumeration(
              "answerable: missing it is a deviation; credit_only: doing it earns credit, not doing it costs nothing; not_scored: not this trainee's to do.",
              Duty.allCases.map(\.rawValue))
          ),
          (
            "escalation",
            enumeration("An escalation level.", Escalation.allCases.map(\.rawValue))
          ),
          (
            "deadline",
            .object([
              (
                "description",
                .string(
                  "end (of the attempt), emergency_within (the scenario's limit after the danger is known) or mm:ss from the start."
                )
              ),
              (
                "anyOf",
                .array([
                  // `RubricBook.parseRubric`'s words, then `clockSeconds`' mm:ss.
                  enumeration(nil, ["end", "emergency_within"]),
                  string(nil, pattern: "^0*[0-5]?[0-9]{1,2}:0*[0-5]?[0-9]$"),
                ])
              ),
            ])
          ),
        ])
      ),
    ])
  }

  // MARK: - Building blocks

  typealias Properties = [(String, JSONValue)]

  static func strings(_ values: [String]) -> JSONValue {
    .array(values.map(JSONValue.string))
  }

  static func described(_ description: String?) -> Properties {
    description.map { [("description", .string($0))] } ?? []
  }

  static func schema(_ description: String?, type: String, extra: Properties = [])
    -> JSONValue
  {
    .object(described(description) + [("type", .string(type))] + extra)
  }

  static func string(
    _ description: String?, pattern: String? = nil, examples: [String] = []
  ) -> JSONValue {
    var extra: Properties = []
    if let pattern { extra.append(("pattern", .string(pattern))) }
    if !examples.isEmpty { extra.append(("examples", strings(examples))) }
    return schema(description, type: "string", extra: extra)
  }

  static func boolean(_ description: String) -> JSONValue {
    schema(description, type: "boolean")
  }

  static func enumeration(_ description: String?, _ values: [String]) -> JSONValue {
    schema(description, type: "string", extra: [("enum", strings(values))])
  }

  static func array(_ description: String?, items: JSONValue, minItems: Int? = nil)
    -> JSONValue
  {
    var extra: Properties = [("items", items)]
    if let minItems { extra.append(("minItems", .int(minItems))) }
    return schema(description, type: "array", extra: extra)
  }

  /// A closed mapping: a key not listed is an error, as in the loader.
  static func object(
    _ description: String?, _ properties: Properties, required: [String] = [],
    extra: Properties = []
  ) -> JSONValue {
    var pairs =
      described(description) + [
        ("type", .string("object")), ("properties", .object(properties)),
      ]
    if !required.isEmpty { pairs.append(("required", strings(required))) }
    pairs.append(("additionalProperties", .bool(false)))
    return .object(pairs + extra)
  }

  /// `{"description": ..., "$ref": "#/$defs/NAME"}`.
  static func ref(_ name: String, _ description: String? = nil) -> JSONValue {
    .object(described(description) + [("$ref", .string("#/$defs/\(name)"))])
  }

  /// A regular expression matching `text` in any case (`[Tt][Xx]`); ECMA 262 and Python
  /// read it alike, unlike an inline `(?i)`.
  private static func caseInsensitive(_ text: String) -> String {
    var out = ""
    for character in text {
      let lower = character.lowercased()
      let upper = character.uppercased()
      if lower != upper {
        out += "[\(upper)\(lower)]"
      } else if "\\^$.|?*+()[]{}/".contains(character) {
        out += "\\\(character)"
      } else {
        out.append(character)
      }
    }
    return out
  }
}
