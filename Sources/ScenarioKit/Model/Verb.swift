/// The trainee's verbs (DESIGN.md, "Shell and trainee verbs").
public enum Verb: String, Sendable, Hashable, CaseIterable {
  case ask, choose, facts, lookup, `protocol`, refer, unrefer, escalate, note, time, hint, pause
  case wait, submit, help, quit

  /// Seconds the verb costs unless the scenario says otherwise.
  /// Verbs that only show the trainee their own screen: they cost no time.
  public var isReadingOwnScreen: Bool { self == .help || self == .time || self == .facts }

  public var defaultCost: Int {
    switch self {
    case .ask: 20
    case .choose: 10
    case .facts: 0
    case .lookup: 15
    case .protocol: 10
    case .refer: 15
    case .unrefer: 5
    case .escalate: 10
    case .note: 10
    case .time: 0
    case .hint: 5
    case .help: 0
    case .wait: 10
    case .pause, .submit, .quit: 0
    }
  }

  /// How to call it, for `help`.
  public var usage: String {
    switch self {
    case .ask: "ask <topic> | ask <your question>"
    case .choose: "choose <n>"
    case .facts: "facts"
    case .lookup: "lookup <words>"
    case .protocol: "protocol <id>"
    case .refer: "refer <contact-id>"
    case .unrefer: "unrefer <contact-id>"
    case .escalate: "escalate <level>"
    case .note: "note <text>"
    case .time: "time"
    case .hint: "hint"
    case .pause: "pause"
    case .wait: "wait [seconds]"
    case .submit: "submit"
    case .help: "help [verb]"
    case .quit: "quit"
    }
  }

  /// One line on what it does.
  public var summary: String {
    switch self {
    case .ask: "Ask the caller about a topic, by its id or in your own words."
    case .choose: "Pick option n of the choice in front of you."
    case .facts: "Show the facts you have gathered so far."
    case .lookup: "Search the contact directory and the protocols."
    case .protocol: "Read a protocol; it counts as a protocol you followed."
    case .refer: "Refer the case to a contact from the directory."
    case .unrefer: "Take back a referral."
    case .escalate: "Set the escalation level (`help escalate` lists the levels)."
    case .note: "Write a note in the record."
    case .time: "Show the simulated clock and the time left."
    case .hint: "Get a hint (practice mode only)."
    case .pause: "Pause for a moment: the clock stops while you take a break."
    case .wait: "Stay on the line without speaking (10 seconds unless you say)."
    case .submit: "Finish the call and get your debrief."
    case .help: "List the verbs, or explain one."
    case .quit: "Leave the scenario (the attempt is recorded as abandoned)."
    }
  }
}
