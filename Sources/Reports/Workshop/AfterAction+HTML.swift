import Mustache
import ScenarioKit

extension AfterAction {
  /// The report as one self-contained HTML page (inline CSS, no scripts, no network), from a
  /// Mustache template that escapes every value.
  public var html: String {
    let areas = areasForImprovement
    let context: [String: Any] = [
      "exercise": exercise, "date": date, "team": team,
      "evaluators": evaluators.isEmpty ? "none named" : evaluators.joined(separator: ", "),
      "audience": audience.rawValue,
      "ruleset": played.first?.score.expected.ruleset.version ?? "",
      "objectives": ratedObjectives.map { objective -> [String: Any] in
        [
          "number": objective.number, "capability": objective.capability,
          "tasks": objective.tasks,
          "ratings": objective.ratings.isEmpty ? ["not rated"] : objective.ratings,
          "rating": objective.worst?.rawValue ?? "-",
        ]
      },
      "played": played.map { play -> [String: Any] in
        let score = play.score
        return [
          "id": score.scenario.id, "title": score.scenario.title, "score": score.score,
          "compliance": score.compliance.rawValue.replacingOccurrences(of: "_", with: " "),
          "rubric": score.rubric.audience.rawValue,
          "ended": score.ended.rawValue.replacingOccurrences(of: "_", with: " "),
          "clock": clockText(score.clock),
          "timeline": play.timeline.map { entry -> [String: Any] in
            [
              "at": clockText(entry.at), "kind": entry.kind == .inject ? "inject" : "team",
              "text": entry.text,
            ]
          },
          "rows": Self.comparisons(score).map { row -> [String: Any] in
            [
              "item": row.item, "expected": row.expected, "team": row.team,
              "met": row.met ? "yes" : "no", "class": row.met ? "met" : "missed",
              "because": row.because,
            ]
          },
        ]
      },
      "strengths": strengths, "noStrengths": strengths.isEmpty,
      "areas": areas.enumerated().map { index, area -> [String: Any] in
        [
          "number": index + 1, "issue": area.issue, "action": area.action,
          "capability": area.capability,
        ]
      },
      "noAreas": areas.isEmpty,
    ]
    // The template is a constant, checked by the tests; a parse error cannot depend on data.
    guard let template = try? MustacheTemplate(string: Self.template) else { return "" }
    return template.render(context)
  }

  static let template = """
    <!DOCTYPE html>
    <html lang="en">
    <head>
    <meta charset="utf-8">
    <title>After-Action Report / Improvement Plan: {{exercise}}</title>
    <style>
    body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; margin: 2rem auto;
      max-width: 60rem; color: #1b1b1b; line-height: 1.45; padding: 0 1rem; }
    h1 { font-size: 1.6rem; border-bottom: 3px solid #1f4e79; padding-bottom: .3rem; }
    h2 { font-size: 1.2rem; color: #1f4e79; margin-top: 2rem; }
    table { border-collapse: collapse; width: 100%; margin: .5rem 0 1rem; font-size: .92rem; }
    th, td { border: 1px solid #c8ccd0; padding: .35rem .5rem; text-align: left;
      vertical-align: top; }
    th { background: #eef2f6; }
    td.met { background: #e8f4ea; } td.missed { background: #fbeaea; }
    .note { color: #555; font-size: .9rem; }
    .inject { font-weight: 600; }
    @media print { body { margin: 0; max-width: none; } h2 { break-after: avoid; } }
    </style>
    </head>
    <body>
    <h1>After-Action Report / Improvement Plan: {{exercise}}</h1>
    <h2>Exercise overview</h2>
    <table>
    <tr><th scope="row">Exercise</th><td>{{exercise}}</td></tr>
    <tr><th scope="row">Date</th><td>{{date}}</td></tr>
    <tr><th scope="row">Team</th><td>{{team}}</td></tr>
    <tr><th scope="row">Evaluators</th><td>{{evaluators}}</td></tr>
    <tr><th scope="row">Audience (rubric)</th><td>{{audience}}</td></tr>
    <tr><th scope="row">Scenarios</th><td>{{#played}}{{title}} ({{id}})<br>{{/played}}</td></tr>
    </table>
    <p class="note">Training data: the scenarios are fictional and the contacts are not real.
    The expected decisions are the protocol engine's on the scenario's facts (ruleset {{ruleset}}).</p>
    <h2>Objectives</h2>
    <ol>
    {{#objectives}}<li><strong>{{capability}}</strong><ul>{{#tasks}}<li>{{.}}</li>{{/tasks}}</ul></li>
    {{/objectives}}</ol>
    {{#played}}
    <h2>Timeline: {{title}}</h2>
    <table>
    <tr><th scope="col">Time</th><th scope="col"></th><th scope="col">What happened</th></tr>
    {{#timeline}}<tr class="{{kind}}"><td>{{at}}</td><td>{{kind}}</td><td>{{text}}</td></tr>
    {{/timeline}}</table>
    <h2>Expected and actual decisions: {{id}}</h2>
    <p>Score {{score}}/100, {{compliance}} ({{rubric}} rubric); the attempt ended: {{ended}} at {{clock}}.</p>
    <table>
    <tr><th scope="col">Decision</th><th scope="col">The protocols expected</th><th scope="col">The team</th><th scope="col">Met</th><th scope="col">Why</th></tr>
    {{#rows}}<tr><td>{{item}}</td><td>{{expected}}</td><td>{{team}}</td><td class="{{class}}">{{met}}</td><td>{{because}}</td></tr>
    {{/rows}}</table>
    {{/played}}
    <h2>Analysis of objectives</h2>
    <table>
    <tr><th scope="col">#</th><th scope="col">Capability</th><th scope="col">Worst rating</th><th scope="col">Ratings</th></tr>
    {{#objectives}}<tr><td>{{number}}</td><td>{{capability}}</td><td>{{rating}}</td><td>{{#ratings}}{{.}}<br>{{/ratings}}</td></tr>
    {{/objectives}}</table>
    <p class="note">P: performed without challenges. S: performed with some challenges.
    M: performed with major challenges. U: unable to be performed.</p>
    <h2>Strengths</h2>
    <ul>{{#strengths}}<li>{{.}}</li>{{/strengths}}{{#noStrengths}}<li>None recorded.</li>{{/noStrengths}}</ul>
    <h2>Areas for improvement</h2>
    <ul>{{#areas}}<li>{{issue}}</li>{{/areas}}{{#noAreas}}<li>None recorded.</li>{{/noAreas}}</ul>
    <h2>Improvement plan</h2>
    <p>For the team to complete: an owner and a due date for each corrective action.</p>
    <table>
    <tr><th scope="col">#</th><th scope="col">Issue / area for improvement</th><th scope="col">Corrective action</th><th scope="col">Capability</th><th scope="col">Owner</th><th scope="col">Due date</th></tr>
    {{#areas}}<tr><td>{{number}}</td><td>{{issue}}</td><td>{{action}}</td><td>{{capability}}</td><td></td><td></td></tr>
    {{/areas}}{{#noAreas}}<tr><td colspan="6">No corrective actions.</td></tr>{{/noAreas}}</table>
    </body>
    </html>

    """
}
