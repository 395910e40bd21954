import Mustache

extension ReportHTML {
  /// The page's Mustache templates, kept in the source so the binary needs no resource files.
  /// Every value goes through `{{...}}`, which HTML-escapes it; the page has no triple
  /// mustaches, so nothing from the store (a trainee's note, a name) can become markup.
  enum Templates {
    /// Compiles the templates into one library (the page and its partials).
    ///
    /// - Throws: `ReportsError.template` naming the template that does not compile.
    static func library() throws(ReportsError) -> MustacheLibrary {
      var library = MustacheLibrary()
      for (name, text) in [
        ("page", page), ("table", table), ("stacked", stacked), ("bars", bars), ("line", line),
      ] {
        do {
          library.register(try MustacheTemplate(string: text), named: name)
        } catch {
          throw .template(name: name, reason: "\(error)")
        }
      }
      return library
    }

    /// The page: one file, no script, no network (the Content-Security-Policy forbids any
    /// fetch, so a stray external reference fails loudly in a browser instead of leaking).
    static let page = """
      <!DOCTYPE html>
      <html lang="en">
      <head>
      <meta charset="utf-8">
      <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
      <meta name="viewport" content="width=device-width, initial-scale=1">
      <meta name="generator" content="hotline-sim report">
      <title>{{title}}</title>
      <style>
      \(css)
      </style>
      </head>
      <body>
      <div class="page">
      <header class="masthead">
      <p class="kicker">HotlineSim · {{kind}}</p>
      <h1>{{title}}</h1>
      <p class="subtitle">{{subtitle}}</p>
      </header>
      <nav class="toc" aria-label="Contents"><ul>{{#toc}}<li><a href="#{{anchor}}">{{label}}</a></li>{{/toc}}</ul></nav>
      <main>
      {{#hasCards}}
      <section class="cards" id="summary" aria-label="Key figures">
      {{#cards}}
      <div class="card"><div class="card-value">{{#hasBadge}}<span class="badge {{badge}}">{{/hasBadge}}{{value}}{{#hasBadge}}</span>{{/hasBadge}}</div><div class="card-label">{{label}}</div>{{#hasNote}}<div class="card-note">{{note}}</div>{{/hasNote}}</div>
      {{/cards}}
      </section>
      {{/hasCards}}
      {{#sessionSections}}
      <section id="decision">
      <h2>Decision: the engine's and the trainee's</h2>
      {{#unreadable}}<p class="warning">The stored score record could not be read (an older or damaged record): the decision details are missing.</p>{{/unreadable}}
      {{#decision}}{{> table}}{{/decision}}
      {{#hasReferrals}}{{#referrals}}{{> table}}{{/referrals}}{{/hasReferrals}}
      {{#notes}}<p class="note">{{.}}</p>{{/notes}}
      </section>
      <section id="deviations">
      <h2>Deviations</h2>
      {{#hasDeviations}}<p class="lede">Each deviation with the reason the scorer gave; a protocol's full reason is under "The engine's reasons".</p>{{#deviations}}{{> table}}{{/deviations}}{{/hasDeviations}}
      {{^hasDeviations}}<p>No deviations: every decision this trainee answers for matched the protocols.</p>{{/hasDeviations}}
      </section>
      {{#hasNext}}
      <section id="next">
      <h2>What happens next</h2>
      <p class="lede">Referrals the engine expects that are outside this trainee's duties: shown, not scored.</p>
      {{#next}}{{> table}}{{/next}}
      </section>
      {{/hasNext}}
      <section id="timeline">
      <h2>Timeline</h2>
      <p class="lede">Every verb the trainee gave, on the simulated clock.</p>
      {{#timeline}}{{> table}}{{/timeline}}
      </section>
      {{/sessionSections}}
      {{#charts}}
      <section id="{{anchor}}" class="chart-section">
      <h2>{{heading}}</h2>
      <p class="lede">{{lede}}</p>
      <figure>
      {{#stacked}}{{> stacked}}{{/stacked}}
      {{#bars}}{{> bars}}{{/bars}}
      {{#line}}{{> line}}{{/line}}
      {{#hasLegend}}<figcaption><ul class="legend">{{#legend}}<li><span class="swatch {{swatch}}" aria-hidden="true"></span>{{label}}</li>{{/legend}}</ul></figcaption>{{/hasLegend}}
      </figure>
      {{#hasNote}}<p class="note">{{note}}</p>{{/hasNote}}
      {{#table}}{{> table}}{{/table}}
      </section>
      {{/charts}}
      {{#tables}}
      <section id="{{anchor}}">
      <h2>{{heading}}</h2>
      {{#hasLede}}<p class="lede">{{lede}}</p>{{/hasLede}}
      {{#table}}{{> table}}{{/table}}
      {{#notes}}<p class="note">{{.}}</p>{{/notes}}
      </section>
      {{/tables}}
      {{#hasReasons}}
      <section id="reasons">
      <h2>The engine's reasons</h2>
      <p class="lede">The protocols behind the expected decisions, in the words trainees are shown (the protocol's <em>because</em>). Links in the charts and tables lead here.</p>
      {{#reasons}}
      <article class="reason" id="{{anchor}}">
      <h3><span class="reason-id">{{label}}</span> {{title}}</h3>
      <p>{{because}}</p>
      {{#hasApplies}}<p class="applies">{{applies}}</p>{{/hasApplies}}
      </article>
      {{/reasons}}
      </section>
      {{/hasReasons}}
      </main>
      <footer>
      {{#footer}}<p>{{.}}</p>
      {{/footer}}
      </footer>
      </div>
      </body>
      </html>

      """

    /// A data table; the first cell of a row may be its header.
    static let table = """
      <div class="table-wrap">
      <table>
      <caption>{{caption}}</caption>
      <thead><tr>{{#headers}}<th scope="col"{{#num}} class="num"{{/num}}>{{text}}</th>{{/headers}}</tr></thead>
      <tbody>
      {{#rows}}
      <tr{{#highlight}} class="focus"{{/highlight}}>{{#cells}}{{#isHeader}}<th scope="row">{{text}}</th>{{/isHeader}}{{^isHeader}}<td{{#num}} class="num"{{/num}}{{#mono}} class="mono"{{/mono}}>{{#hasLink}}<a href="{{href}}">{{/hasLink}}{{#hasBadge}}<span class="badge {{badge}}">{{/hasBadge}}{{text}}{{#hasBadge}}</span>{{/hasBadge}}{{suffix}}{{#hasLink}}</a>{{/hasLink}}{{#links}} <a class="cite" href="#{{anchor}}">{{label}}</a>{{/links}}{{#hasDetail}}<div class="cell-detail">{{detail}}</div>{{/hasDetail}}</td>{{/isHeader}}{{/cells}}</tr>
      {{/rows}}
      </tbody>
      </table>
      </div>

      """

    /// Compliance levels per scenario.
    static let stacked = """
      <svg class="chart" id="{{id}}" role="img" aria-labelledby="{{id}}-title {{id}}-desc" viewBox="0 0 {{width}} {{height}}" width="{{width}}" height="{{height}}">
      <title id="{{id}}-title">{{title}}</title>
      <desc id="{{id}}-desc">{{desc}}</desc>
      <g class="grid">{{#ticks}}<line x1="{{x1}}" y1="{{y1}}" x2="{{x2}}" y2="{{y2}}"/>{{/ticks}}</g>
      <g class="tick-labels">{{#ticks}}{{#label}}<text x="{{x}}" y="{{y}}" text-anchor="{{anchor}}">{{text}}</text>{{/label}}{{/ticks}}</g>
      {{#rows}}
      <g class="row">
      {{#label}}<text class="row-label" x="{{x}}" y="{{y}}" text-anchor="{{anchor}}">{{text}}</text>{{/label}}
      {{#segments}}<rect class="bar" x="{{x}}" y="{{y}}" width="{{width}}" height="{{height}}" fill="{{fill}}"><title>{{tooltip}}</title></rect>{{#showLabel}}{{#label}}<text class="seg-label" x="{{x}}" y="{{y}}" text-anchor="{{anchor}}" fill="{{ink}}">{{text}}</text>{{/label}}{{/showLabel}}{{/segments}}
      {{#total}}<text class="total" x="{{x}}" y="{{y}}" text-anchor="{{anchor}}">{{text}}</text>{{/total}}
      </g>
      {{/rows}}
      {{#axisTitle}}<text class="axis-title" x="{{x}}" y="{{y}}" text-anchor="{{anchor}}">{{text}}</text>{{/axisTitle}}
      </svg>

      """

    /// Horizontal bars on a percentage axis; a bar with a link leads to its reason.
    static let bars = """
      <svg class="chart" id="{{id}}" role="{{role}}" aria-labelledby="{{id}}-title {{id}}-desc" viewBox="0 0 {{width}} {{height}}" width="{{width}}" height="{{height}}">
      <title id="{{id}}-title">{{title}}</title>
      <desc id="{{id}}-desc">{{desc}}</desc>
      <g class="grid">{{#ticks}}<line x1="{{x1}}" y1="{{y1}}" x2="{{x2}}" y2="{{y2}}"/>{{/ticks}}</g>
      <g class="tick-labels">{{#ticks}}{{#label}}<text x="{{x}}" y="{{y}}" text-anchor="{{anchor}}">{{text}}</text>{{/label}}{{/ticks}}</g>
      {{#rows}}
      {{#hasLink}}<a class="row-link" href="{{href}}">{{/hasLink}}<g class="row">
      {{#label}}<text class="row-label" x="{{x}}" y="{{y}}" text-anchor="{{anchor}}">{{text}}</text>{{/label}}
      {{#sublabel}}<text class="sub-label" x="{{x}}" y="{{y}}" text-anchor="{{anchor}}">{{text}}</text>{{/sublabel}}
      <rect class="bar" x="{{x}}" y="{{y}}" width="{{width}}" height="{{height}}" fill="{{fill}}"><title>{{tooltip}}</title></rect>
      {{#value}}<text class="value" x="{{x}}" y="{{y}}" text-anchor="{{anchor}}">{{text}}</text>{{/value}}
      </g>{{#hasLink}}</a>{{/hasLink}}
      {{/rows}}
      {{#axisTitle}}<text class="axis-title" x="{{x}}" y="{{y}}" text-anchor="{{anchor}}">{{text}}</text>{{/axisTitle}}
      </svg>

      """

    /// The score trend: grid, band, line, points.
    static let line = """
      <svg class="chart" id="{{id}}" role="img" aria-labelledby="{{id}}-title {{id}}-desc" viewBox="0 0 {{width}} {{height}}" width="{{width}}" height="{{height}}">
      <title id="{{id}}-title">{{title}}</title>
      <desc id="{{id}}-desc">{{desc}}</desc>
      <g class="grid">{{#yTicks}}<line x1="{{x1}}" y1="{{y1}}" x2="{{x2}}" y2="{{y2}}"/>{{/yTicks}}</g>
      <g class="tick-labels">{{#yTicks}}{{#label}}<text x="{{x}}" y="{{y}}" text-anchor="{{anchor}}">{{text}}</text>{{/label}}{{/yTicks}}{{#xTicks}}<line class="tick" x1="{{x1}}" y1="{{y1}}" x2="{{x2}}" y2="{{y2}}"/>{{#label}}<text x="{{x}}" y="{{y}}" text-anchor="{{anchor}}">{{text}}</text>{{/label}}{{/xTicks}}</g>
      {{#hasBand}}<polygon class="band" points="{{band}}"/>{{/hasBand}}
      {{#hasLine}}<polyline class="trend" points="{{line}}"/>{{/hasLine}}
      {{#points}}<circle class="point" cx="{{cx}}" cy="{{cy}}" r="{{r}}" fill="{{fill}}" stroke="{{stroke}}" stroke-width="{{strokeWidth}}"><title>{{tooltip}}</title></circle>{{/points}}
      {{#xTitle}}<text class="axis-title" x="{{x}}" y="{{y}}" text-anchor="{{anchor}}">{{text}}</text>{{/xTitle}}
      {{#yTitle}}<text class="axis-title" x="{{x}}" y="{{y}}" text-anchor="{{anchor}}" transform="rotate(-90 {{x}} {{y}})">{{text}}</text>{{/yTitle}}
      </svg>

      """

    /// Inline CSS: system fonts only, colours that survive printing, tables that fit a page.
    static let css = """
      :root { --ink: #1d2733; --muted: #56636f; --rule: #d4dae0; --band: #f3f5f8; --accent: #35608d; }
      * { box-sizing: border-box; }
      html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
      body { margin: 0; color: var(--ink); background: #ffffff; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Liberation Sans", sans-serif; }
      .page { max-width: 1040px; margin: 0 auto; padding: 28px 40px 40px; }
      .masthead { border-bottom: 4px solid var(--accent); padding-bottom: 12px; }
      .kicker { margin: 0; font-size: 12px; font-weight: 600; letter-spacing: .08em; text-transform: uppercase; color: var(--accent); }
      h1 { margin: 4px 0 2px; font-size: 28px; line-height: 1.25; }
      .subtitle { margin: 0; color: var(--muted); font-size: 15px; }
      .toc ul { list-style: none; margin: 10px 0 0; padding: 0; display: flex; flex-wrap: wrap; gap: 4px 18px; font-size: 13px; }
      .toc a { color: var(--accent); }
      h2 { margin: 0 0 6px; font-size: 20px; border-bottom: 1px solid var(--rule); padding-bottom: 4px; }
      h3 { font-size: 15px; margin: 0 0 4px; }
      section { margin-top: 30px; }
      .lede { margin: 0 0 10px; color: var(--muted); font-size: 14px; }
      .note { color: var(--muted); font-size: 13px; }
      .warning { border-left: 4px solid #b2182b; background: #fbeaea; padding: 6px 10px; }
      .cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(150px, 1fr)); gap: 12px; margin-top: 20px; }
      .card { border: 1px solid var(--rule); border-top: 4px solid var(--accent); border-radius: 4px; padding: 10px 14px; background: var(--band); }
      .card-value { font-size: 26px; font-weight: 700; line-height: 1.2; font-variant-numeric: tabular-nums; }
      .card-value .badge { font-size: 15px; vertical-align: middle; }
      .card-label { font-size: 13px; font-weight: 600; }
      .card-note { font-size: 12px; color: var(--muted); }
      figure { margin: 8px 0 0; }
      svg.chart { display: block; width: 100%; height: auto; max-width: 960px; }
      svg.chart text { font-size: 14px; }
      svg.chart .row-label, svg.chart .total, svg.chart .value { fill: var(--ink); }
      svg.chart .sub-label { fill: var(--muted); font-size: 12px; }
      svg.chart .tick-labels text { fill: var(--muted); font-size: 12px; }
      svg.chart .axis-title { fill: var(--muted); font-size: 12px; font-weight: 600; }
      svg.chart .seg-label { font-size: 13px; font-weight: 700; }
      svg.chart .grid line { stroke: #e2e6ea; stroke-width: 1; }
      svg.chart .tick { stroke: #9aa4ae; stroke-width: 1; }
      svg.chart .bar { stroke: #ffffff; stroke-width: 1; }
      svg.chart .trend { fill: none; stroke: var(--accent); stroke-width: 2.5; }
      svg.chart .band { fill: var(--accent); fill-opacity: .15; stroke: none; }
      svg.chart a.row-link .row-label { fill: var(--accent); text-decoration: underline; }
      svg.chart a.row-link:hover .bar { opacity: .8; }
      .legend { list-style: none; margin: 8px 0 0; padding: 0; display: flex; flex-wrap: wrap; gap: 4px 18px; font-size: 13px; }
      .swatch { display: inline-block; width: 13px; height: 13px; margin-right: 6px; vertical-align: -2px; border-radius: 2px; border: 1px solid rgba(0, 0, 0, .25); }
      .table-wrap { overflow-x: auto; }
      table { width: 100%; border-collapse: collapse; margin-top: 12px; font-size: 13.5px; }
      caption { caption-side: top; text-align: left; font-weight: 600; font-size: 13px; color: var(--muted); padding-bottom: 4px; }
      th, td { padding: 5px 8px; border-bottom: 1px solid var(--rule); text-align: left; vertical-align: top; }
      thead th.num { white-space: normal; }
      thead th { background: var(--band); border-bottom: 2px solid var(--rule); font-size: 12.5px; }
      tbody th { font-weight: 600; }
      .num { width: 1%; text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
      .mono { font-family: ui-monospace, "DejaVu Sans Mono", "Liberation Mono", Menlo, Consolas, monospace; font-size: 13px; }
      .cell-detail { color: var(--muted); font-size: 12.5px; margin-top: 2px; }
      tr.focus td, tr.focus th { background: #fff6d6; }
      a { color: var(--accent); }
      a.cite { font-size: 12px; font-weight: 600; white-space: nowrap; }
      .badge { display: inline-block; padding: 1px 8px; border-radius: 10px; font-size: 12px; font-weight: 700; white-space: nowrap; color: #ffffff; background: #8c96a0; }
      .c-high_compliance, .sw-high_compliance { background: #1b7837; color: #ffffff; }
      .c-compliant, .sw-compliant { background: #7fbf7b; color: #1d2733; }
      .c-partial, .sw-partial { background: #f6c656; color: #1d2733; }
      .c-low, .sw-low { background: #e66101; color: #ffffff; }
      .c-non_compliant, .sw-non_compliant { background: #b2182b; color: #ffffff; }
      .s-critical, .sw-critical { background: #b2182b; color: #ffffff; }
      .s-major, .sw-major { background: #e66101; color: #ffffff; }
      .s-moderate, .sw-moderate { background: #f6c656; color: #1d2733; }
      .s-minor, .sw-minor { background: #7fbf7b; color: #1d2733; }
      .p-mastered { background: #1b7837; color: #ffffff; }
      .p-in_progress { background: #35608d; color: #ffffff; }
      .p-available { background: #dfe7f0; color: #1d2733; }
      .p-locked { background: #e2e6ea; color: #56636f; }
      .p-closed { background: #b2182b; color: #ffffff; }
      .yes { background: #1b7837; color: #ffffff; }
      .no { background: #b2182b; color: #ffffff; }
      .neutral { background: #e2e6ea; color: #1d2733; }
      .sw-accent { background: var(--accent); }
      .sw-band { background: rgba(53, 96, 141, .15); }
      .reason { border-left: 4px solid var(--accent); background: var(--band); padding: 8px 14px; margin: 10px 0; }
      .reason p { margin: 4px 0; }
      .reason:target { outline: 3px solid #f6c656; }
      .reason-id { display: inline-block; font-family: ui-monospace, "DejaVu Sans Mono", "Liberation Mono", Menlo, Consolas, monospace; font-size: 13px; background: #ffffff; border: 1px solid var(--rule); border-radius: 3px; padding: 0 6px; margin-right: 6px; }
      .applies { font-size: 13px; color: var(--muted); }
      footer { margin-top: 36px; padding-top: 8px; border-top: 1px solid var(--rule); font-size: 12px; color: var(--muted); }
      footer p { margin: 2px 0; }
      @media print {
        body { font-size: 10.5pt; }
        .page { max-width: none; padding: 0; }
        .toc { display: none; }
        section { margin-top: 18px; }
        figure, table, .card, .reason, tr { break-inside: avoid; }
        h2, h3, caption { break-after: avoid; }
        a { color: inherit; text-decoration: none; }
        svg.chart a.row-link .row-label { fill: var(--ink); text-decoration: none; }
        .table-wrap { overflow: visible; }
        @page { size: auto; margin: 14mm; }
      }
      """
  }
}
