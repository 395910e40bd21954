import ProtocolEngine

/// A library of valid, varied scenario files: adults and minors, sex and labor, in counties
/// across Texas, with 4 to 10 topics, conditional answers, timed and conditional events, a
/// choice and rules of conduct. Every contact detail is fictional (there are none).
enum ScenarioGenerator {
  static let counties = [
    "Travis", "Dallas", "Harris", "Bexar", "El Paso", "Tarrant", "Hidalgo", "Lubbock",
    "Nueces", "Webb", "Brazos", "McLennan",
  ]

  static func library(count: Int, seed: UInt64 = 0x4155_5448_0001) -> [String] {
    var random = SplitMix64(seed: seed)
    return (0..<count).map { scenario(number: $0, random: &random) }
  }

  static func scenario(number: Int, random: inout SplitMix64) -> String {
    func pick<T>(_ items: [T]) -> T { items[Int(random.next() % UInt64(items.count))] }
    let county = pick(counties)
    let minor = random.next() % 3 == 0
    let age = minor ? 13 + Int(random.next() % 5) : 19 + Int(random.next() % 30)
    let labor = random.next() % 3 == 0
    let type = labor ? "labor" : "sex"
    let indicators = labor ? "[fraud, debt_bondage]" : "[force, commercial_sex]"
    let extra = Int(random.next() % 5)
    var text = """
      id: generated-\(number)
      title: Generated scenario \(number)
      version: 1
      audience: [advocate]
      channel: \(pick(["call", "text", "chat"]))
      difficulty: introductory
      content_warning: Generated training scenario; trafficking of a \(minor ? "child" : "adult").
      time_limit: "12:00"
      truth:
        channel: text
        reporter: { relationship: victim, mandated_reporter: false, consents_to_share: true }
        location: { country: US, state: TX, county: \(county) }
        trafficking_type: \(type)
        indicators: \(indicators)
        victims:
          - { age: \(age), foreign_national: false, language: en, consents_to_law_enforcement: false }
        perpetrator: { caregiver: false }
        imminent_danger: false
        online_exploitation: false
        forced_marriage: false
      known:
        channel: text
        reporter.relationship: victim
      opening: |
        I need help.
      topics:
        - id: safe_now
          question: Are you safe right now?
          keywords: [safe, danger]
          answers:
            - say: I am safe for now.
              reveals: { imminent_danger: false }
        - id: location
          question: Where are you?
          keywords: [where, county]
          answers:
            - say: \(county) County.
              reveals: { location.country: US, location.state: TX, location.county: \(county) }
        - id: age
          question: How old are you?
          keywords: [old, age]
          answers:
            - when: asked("safe_now")
              say: "\(age)"
              reveals: { "victims[0].age": \(age), "victims[0].foreign_national": false, "victims[0].language": en }
            - say: Why do you ask?
        - id: what
          question: What is happening?
          keywords: [happening, going on]
          answers:
            - say: He makes me work and keeps the money.
              reveals: { trafficking_type: \(type), indicators: \(indicators), forced_marriage: false, online_exploitation: false, perpetrator.caregiver: false, reporter.mandated_reporter: false, reporter.consents_to_share: true }
        - id: police
          question: Would you like police involved?
          keywords: [police]
          answers:
            - say: No police.
              reveals: { "victims[0].consents_to_law_enforcement": false }
              offers: next_step

      """
    for index in 0..<extra {
      text += """
          - id: detail_\(index)
            question: Tell me more about part \(index)?
            keywords: [part \(index), detail \(index)]
            answers:
              - when: fired("check_in")
                say: Still here. Part \(index) again.
              - say: Part \(index) of the story.

        """
    }
    text += """
      events:
        - id: check_in
          at: "0\(2 + Int(random.next() % 5)):00"
          say: Are you still there?
      choices:
        - id: next_step
          prompt: "What happens now?"
          options:
            - id: explain
              text: Explain the options and that she decides.
            - id: pressure
              text: Tell her she has to call the police.
              deviation: { severity: major, message: An adult decides about police. }
      conduct:
        - id: safety_first
          kind: before
          first: safe_now
          then: [age, what]
          severity: minor
          message: Ask about safety first.

      """
    return text
  }
}
