import ScenarioKit

extension ReportHTML {
  /// The charts' geometry, computed here rather than in the browser: the page runs no script,
  /// prints as drawn, and the same report always gives the same SVG.
  ///
  /// Every chart is 960 units wide (the page scales it) with labels in a left column, so the
  /// charts of one page line up.
  enum Charts {
    static let width = 960.0
    /// Where bars start: room for two lines of a scenario title.
    static let labelColumn = 340.0
    static let labelCharacters = 38

    // MARK: - Colours

    /// Best to worst; dark ends and light middle, so the levels stay apart in grey print too.
    static func complianceColor(_ raw: String) -> String {
      switch Compliance(rawValue: raw) {
      case .highCompliance?: "#1b7837"
      case .compliant?: "#7fbf7b"
      case .partial?: "#f6c656"
      case .low?: "#e66101"
      case .nonCompliant?: "#b2182b"
      case nil: "#8c96a0"
      }
    }

    /// Text that reads on a compliance colour.
    static func complianceInk(_ raw: String) -> String {
      switch Compliance(rawValue: raw) {
      case .compliant?, .partial?: "#1d2733"
      default: "#ffffff"
      }
    }

    static func severityColor(_ raw: String) -> String {
      switch raw {
      case "critical": "#b2182b"
      case "major": "#e66101"
      case "moderate": "#f6c656"
      case "minor": "#7fbf7b"
      default: "#8c96a0"
      }
    }

    static let accent = "#35608d"

    // MARK: - Compliance by scenario

    static func compliance(_ rows: [TrainingReport.ScenarioCompliance], id: String)
      -> StackedChartView
    {
      let top = 8.0
      let rowHeight = 46.0
      let barHeight = 26.0
      let right = 90.0
      let plot = width - labelColumn - right
      let most = rows.map(\.scored).max() ?? 0
      let (maximum, step) = niceScale(most)
      let bottom = top + rowHeight * Double(rows.count)
      let ticks = stride(from: 0, through: maximum, by: step).map { value -> TickView in
        let x = labelColumn + plot * Double(value) / Double(maximum)
        return TickView(
          x1: n(x), y1: n(top), x2: n(x), y2: n(bottom),
          label: SVGText(x: n(x), y: n(bottom + 16), text: "\(value)", anchor: "middle"))
      }
      let levels = Compliance.allCases.map(\.rawValue)
      let views = rows.enumerated().map { index, row -> StackedRowView in
        let y = top + rowHeight * Double(index) + (rowHeight - barHeight) / 2
        var x = labelColumn
        var segments: [SegmentView] = []
        for (level, count) in zip(levels, row.counts) where count > 0 {
          let w = plot * Double(count) / Double(maximum)
          let words = ReportFormat.compliance(level)
          segments.append(
            SegmentView(
              x: n(x), y: n(y), width: n(w), height: n(barHeight), fill: complianceColor(level),
              tooltip: "\(row.title): \(words), \(ReportFormat.count(count, "attempt"))",
              showLabel: w >= 20,
              label: SVGText(
                x: n(x + w / 2), y: n(y + barHeight / 2 + 4.5), text: "\(count)",
                anchor: "middle"),
              ink: complianceInk(level)))
          x += w
        }
        let total =
          row.scored == 0
          ? "not scored" : "\(row.scored)" + (row.notScored > 0 ? " (+\(row.notScored))" : "")
        return StackedRowView(
          label: label(row.title, centeredOn: y + barHeight / 2),
          tooltip: row.title, segments: segments,
          total: SVGText(x: n(x + 8), y: n(y + barHeight / 2 + 4.5), text: total, anchor: "start"))
      }
      let levelsText = rows.map { row in
        "\(row.title): "
          + zip(levels, row.counts).filter { $0.1 > 0 }.map {
            "\($0.1) \(ReportFormat.compliance($0.0).lowercased())"
          }.joined(separator: ", ")
      }
      return StackedChartView(
        id: id, title: "Compliance levels by scenario",
        desc: "Scored attempts per scenario by compliance level. "
          + levelsText.joined(separator: ". ") + ".",
        width: n(width), height: n(bottom + 40), ticks: ticks, rows: views,
        axisTitle: SVGText(
          x: n(labelColumn + plot / 2), y: n(bottom + 34), text: "Scored attempts",
          anchor: "middle"))
    }

    // MARK: - Horizontal bars on a percentage axis

    /// One bar of a percentage chart.
    struct Bar {
      var label: String
      /// When set, the label takes one line and this the second.
      var sublabel: String = ""
      var rate: Double
      var value: String
      var tooltip: String
      var fill: String
      /// An in-page link, or empty.
      var href: String
    }

    static func bars(
      _ bars: [Bar], id: String, title: String, desc: String, axis: String,
      rowHeight: Double = 44
    ) -> BarChartView {
      let top = 8.0
      let barHeight = 24.0
      let right = 150.0
      let plot = width - labelColumn - right
      let bottom = top + rowHeight * Double(bars.count)
      let ticks = [0, 25, 50, 75, 100].map { value -> TickView in
        let x = labelColumn + plot * Double(value) / 100
        return TickView(
          x1: n(x), y1: n(top), x2: n(x), y2: n(bottom),
          label: SVGText(x: n(x), y: n(bottom + 16), text: "\(value)%", anchor: "middle"))
      }
      let rows = bars.enumerated().map { index, bar -> BarRowView in
        let y = top + rowHeight * Double(index) + (rowHeight - barHeight) / 2
        // A zero still shows as a hairline, so the row does not look missing.
        let w = max(plot * min(max(bar.rate, 0), 1), 1.5)
        let lines = ReportFormat.wrap(bar.label, width: labelCharacters, lines: 2)
        let count = lines.count + (bar.sublabel.isEmpty ? 0 : 1)
        let first = y + barHeight / 2 + 4.5 - 7.5 * Double(count - 1)
        func text(_ line: String, _ index: Int) -> SVGText {
          SVGText(
            x: n(labelColumn - 12), y: n(first + 15 * Double(index)), text: line, anchor: "end")
        }
        return BarRowView(
          label: lines.enumerated().map { text($1, $0) },
          sublabel: bar.sublabel.isEmpty
            ? [] : [text(ReportFormat.cut(bar.sublabel, labelCharacters + 4), lines.count)],
          x: n(labelColumn), y: n(y), width: n(w), height: n(barHeight), fill: bar.fill,
          tooltip: bar.tooltip,
          value: SVGText(
            x: n(labelColumn + w + 8), y: n(y + barHeight / 2 + 4.5), text: bar.value,
            anchor: "start"),
          hasLink: !bar.href.isEmpty, href: bar.href)
      }
      let linked = bars.contains { !$0.href.isEmpty }
      return BarChartView(
        id: id, title: title, desc: desc, width: n(width), height: n(bottom + 40),
        role: linked ? "group" : "img", ticks: ticks, rows: rows,
        axisTitle: SVGText(
          x: n(labelColumn + plot / 2), y: n(bottom + 34), text: axis, anchor: "middle"))
    }

    // MARK: - Score trend

    static func trend(_ trend: TrainingReport.Trend, id: String) -> LineChartView {
      let left = 64.0
      let right = 28.0
      let top = 14.0
      let plotHeight = 250.0
      let plot = width - left - right
      let bottom = top + plotHeight
      let count = trend.points.count
      func x(_ index: Int) -> Double {
        count <= 1 ? left + plot / 2 : left + plot * Double(index) / Double(count - 1)
      }
      func y(_ score: Double) -> Double { top + plotHeight * (1 - min(max(score, 0), 100) / 100) }
      let yTicks = [0, 25, 50, 75, 100].map { value -> TickView in
        TickView(
          x1: n(left), y1: n(y(Double(value))), x2: n(left + plot), y2: n(y(Double(value))),
          label: SVGText(
            x: n(left - 10), y: n(y(Double(value)) + 4.5), text: "\(value)", anchor: "end"))
      }
      // At most about 20 labels on the x axis; the table has every attempt.
      let every = max(1, Int((Double(count) / 20).rounded(.up)))
      let xTicks = trend.points.enumerated().filter { $0.offset % every == 0 }.map {
        index, point -> TickView in
        TickView(
          x1: n(x(index)), y1: n(bottom), x2: n(x(index)), y2: n(bottom + 5),
          label: SVGText(
            x: n(x(index)), y: n(bottom + 20), text: "\(point.number)", anchor: "middle"))
      }
      let line = trend.points.enumerated().map { "\(n(x($0.offset))),\(n(y($0.element.score)))" }
      var band = ""
      if trend.kind == .cohortMean {
        let highs = trend.points.enumerated().map { "\(n(x($0.offset))),\(n(y($0.element.high)))" }
        let lows = trend.points.enumerated().reversed().map {
          "\(n(x($0.offset))),\(n(y($0.element.low)))"
        }
        band = (highs + lows).joined(separator: " ")
      }
      let points = trend.points.enumerated().map { index, point -> PointView in
        let tooltip: String
        let fill: String
        switch trend.kind {
        case .attempts:
          tooltip =
            "Attempt \(point.number)\(point.isFocus ? " (this session)" : ""): \(point.scenario ?? ""), score \(Int(point.score)), \(ReportFormat.compliance(point.compliance ?? "").lowercased())"
          fill = complianceColor(point.compliance ?? "")
        case .cohortMean:
          tooltip =
            "Attempt \(point.number): mean \(ReportFormat.decimal(point.score)) over \(ReportFormat.count(point.count, "trainee")), lowest \(Int(point.low)), highest \(Int(point.high))"
          fill = accent
        }
        return PointView(
          cx: n(x(index)), cy: n(y(point.score)), r: point.isFocus ? "9" : "6", fill: fill,
          stroke: point.isFocus ? "#111111" : "#ffffff", strokeWidth: point.isFocus ? "3" : "1.5",
          tooltip: tooltip)
      }
      let scores = trend.points.map { ReportFormat.decimal($0.score) }
      let desc: String
      switch trend.kind {
      case .attempts:
        desc =
          "Scores of \(ReportFormat.count(count, "scored attempt")), oldest first: "
          + trend.points.map { "\(Int($0.score))" }.joined(separator: ", ") + "."
      case .cohortMean:
        desc =
          "Mean score of each trainee's n-th scored attempt, for attempts 1 to \(count): "
          + scores.joined(separator: ", ") + "; the band spans the lowest to the highest score."
      }
      return LineChartView(
        id: id, title: "Score trend over attempts", desc: desc, width: n(width),
        height: n(bottom + 44), yTicks: yTicks, xTicks: xTicks, hasBand: !band.isEmpty,
        band: band, hasLine: count > 1, line: line.joined(separator: " "), points: points,
        xTitle: SVGText(
          x: n(left + plot / 2), y: n(bottom + 38),
          text: trend.kind == .attempts
            ? "Scored attempt (oldest first)" : "Each trainee's n-th scored attempt",
          anchor: "middle"),
        yTitle: SVGText(x: n(18), y: n(top + plotHeight / 2), text: "Score", anchor: "middle"))
    }

    // MARK: - Helpers

    /// A label of up to two lines, right-aligned against the bars, centred on `middle`.
    static func label(_ text: String, centeredOn middle: Double) -> [SVGText] {
      let lines = ReportFormat.wrap(text, width: labelCharacters, lines: 2)
      let first = middle + 4.5 - 8 * Double(lines.count - 1)
      return lines.enumerated().map { index, line in
        SVGText(
          x: n(labelColumn - 12), y: n(first + 16 * Double(index)), text: line, anchor: "end")
      }
    }

    /// An axis maximum of whole counts and the step between its ticks: at most six steps, each
    /// 1, 2 or 5 times a power of ten.
    static func niceScale(_ largest: Int) -> (maximum: Int, step: Int) {
      guard largest > 0 else { return (1, 1) }
      var magnitude = 1
      while true {
        for factor in [1, 2, 5] {
          let step = factor * magnitude
          let steps = (largest + step - 1) / step
          if steps <= 6 { return (steps * step, step) }
        }
        magnitude *= 10
      }
    }

    /// A coordinate with at most one decimal: `12`, `12.5`.
    static func n(_ value: Double) -> String {
      let tenths = Int((value * 10).rounded())
      let sign = tenths < 0 ? "-" : ""
      let whole = abs(tenths) / 10
      let fraction = abs(tenths) % 10
      return fraction == 0 ? "\(sign)\(whole)" : "\(sign)\(whole).\(fraction)"
    }
  }
}
