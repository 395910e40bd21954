// The values the Mustache templates render. Every field a template names is a stored
// property (Mustache reads them by reflection) and none is optional, because Mustache looks
// a missing or nil name up in the enclosing context, where it could find something else's
// value. Numbers arrive as text, already formatted, so the page never depends on how Swift
// prints a Double.

/// The HTML rendering of a `TrainingReport`: view values, chart geometry, templates. One
/// namespace, so its helper types cannot collide with other pages built in this module.
enum ReportHTML {
  /// The whole page.
  struct PageView {
    var title: String
    var subtitle: String
    var kind: String
    var toc: [LinkView]
    var cards: [CardView]
    var hasCards: Bool
    var sessionSections: [SessionView]
    var charts: [ChartSectionView]
    var tables: [TableSectionView]
    var reasons: [ReasonView]
    var hasReasons: Bool
    var footer: [String]
  }

  /// A link within the page (`#anchor`).
  struct LinkView {
    var anchor: String
    var label: String
  }

  /// A headline number.
  struct CardView {
    var label: String
    var value: String
    var note: String
    var hasNote: Bool
    var badge: String
    var hasBadge: Bool
  }

  /// A section with a chart, its legend and the table of the same numbers.
  struct ChartSectionView {
    var anchor: String
    var heading: String
    var lede: String
    var stacked: [StackedChartView]
    var bars: [BarChartView]
    var line: [LineChartView]
    var legend: [LegendView]
    var hasLegend: Bool
    var table: TableView
    var note: String
    var hasNote: Bool
  }

  /// A section that is only a table.
  struct TableSectionView {
    var anchor: String
    var heading: String
    var lede: String
    var hasLede: Bool
    var table: TableView
    var notes: [String]
  }

  /// One entry of a legend: a colour swatch (a CSS class) and its words.
  struct LegendView {
    var swatch: String
    var label: String
  }

  /// A data table: the accessible twin of a chart, or a list of attempts.
  struct TableView {
    var caption: String
    var headers: [HeaderView]
    var rows: [RowView]
  }

  struct HeaderView {
    var text: String
    var num: Bool
  }

  struct RowView {
    var cells: [CellView]
    var highlight: Bool
  }

  /// A table cell: text, optionally a badge (a CSS class), a link, and links to reasons.
  struct CellView {
    var text: String
    var num: Bool
    var isHeader: Bool
    var badge: String
    var hasBadge: Bool
    var href: String
    var hasLink: Bool
    var links: [LinkView]
    var mono: Bool
    /// Words after the badge, outside it.
    var suffix: String
    /// A quieter second line.
    var detail: String
    var hasDetail: Bool

    static func plain(_ text: String, num: Bool = false) -> CellView {
      CellView(
        text: text, num: num, isHeader: false, badge: "", hasBadge: false, href: "",
        hasLink: false, links: [], mono: false, suffix: "", detail: "", hasDetail: false)
    }

    static func detailed(_ text: String, _ detail: String) -> CellView {
      var cell = plain(text)
      cell.detail = detail
      cell.hasDetail = !detail.isEmpty
      return cell
    }

    static func header(_ text: String) -> CellView {
      var cell = plain(text)
      cell.isHeader = true
      return cell
    }

    static func badge(_ text: String, _ badge: String) -> CellView {
      var cell = plain(text)
      cell.badge = badge
      cell.hasBadge = !badge.isEmpty
      return cell
    }

    static func mono(_ text: String) -> CellView {
      var cell = plain(text)
      cell.mono = true
      return cell
    }

    /// The text followed by links to the reasons it cites.
    static func citing(_ text: String, _ links: [LinkView]) -> CellView {
      var cell = plain(text)
      cell.links = links
      return cell
    }
  }

  /// One reason in the "engine's reasons" appendix, the target of every reason link.
  struct ReasonView {
    var anchor: String
    var label: String
    var title: String
    var because: String
    var applies: String
    var hasApplies: Bool
  }

  /// The decision, deviations and timeline of one attempt.
  struct SessionView {
    var decision: TableView
    var referrals: TableView
    var hasReferrals: Bool
    var notes: [String]
    var deviations: TableView
    var hasDeviations: Bool
    var next: TableView
    var hasNext: Bool
    var timeline: TableView
    var unreadable: Bool
  }

  // MARK: - Charts

  /// Text at a point of an SVG.
  struct SVGText {
    var x: String
    var y: String
    var text: String
    var anchor: String
  }

  /// A gridline with its label.
  struct TickView {
    var x1: String
    var y1: String
    var x2: String
    var y2: String
    var label: SVGText
  }

  /// Compliance levels per scenario: one stacked bar per row.
  struct StackedChartView {
    var id: String
    var title: String
    var desc: String
    var width: String
    var height: String
    var ticks: [TickView]
    var rows: [StackedRowView]
    var axisTitle: SVGText
  }

  struct StackedRowView {
    var label: [SVGText]
    var tooltip: String
    var segments: [SegmentView]
    var total: SVGText
  }

  struct SegmentView {
    var x: String
    var y: String
    var width: String
    var height: String
    var fill: String
    var tooltip: String
    var showLabel: Bool
    var label: SVGText
    var ink: String
  }

  /// Horizontal bars on a 0-100% axis, each optionally a link.
  struct BarChartView {
    var id: String
    var title: String
    var desc: String
    var width: String
    var height: String
    var role: String
    var ticks: [TickView]
    var rows: [BarRowView]
    var axisTitle: SVGText
  }

  struct BarRowView {
    var label: [SVGText]
    /// A second, quieter line under the label (the scenario of a finding), or none.
    var sublabel: [SVGText]
    var x: String
    var y: String
    var width: String
    var height: String
    var fill: String
    var tooltip: String
    var value: SVGText
    var hasLink: Bool
    var href: String
  }

  /// Scores over attempts: a line through points, with an optional band (lowest to highest).
  struct LineChartView {
    var id: String
    var title: String
    var desc: String
    var width: String
    var height: String
    var yTicks: [TickView]
    var xTicks: [TickView]
    var hasBand: Bool
    var band: String
    var hasLine: Bool
    var line: String
    var points: [PointView]
    var xTitle: SVGText
    var yTitle: SVGText
  }

  struct PointView {
    var cx: String
    var cy: String
    var r: String
    var fill: String
    var stroke: String
    var strokeWidth: String
    var tooltip: String
  }
}
