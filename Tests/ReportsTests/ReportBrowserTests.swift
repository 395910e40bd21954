import Foundation
import Reports
import Testing

/// Headless Chromium, found on PATH (or at `$HOTLINESIM_CHROMIUM`) and run as a child process
/// with its own profile folder and a deadline.
enum Chromium {
  static let path: String? = {
    let environment = ProcessInfo.processInfo.environment
    if let explicit = environment["HOTLINESIM_CHROMIUM"],
      FileManager.default.isExecutableFile(atPath: explicit)
    {
      return explicit
    }
    let folders = (environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin").split(separator: ":")
    for name in ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable"] {
      for folder in folders where FileManager.default.isExecutableFile(atPath: "\(folder)/\(name)")
      {
        return "\(folder)/\(name)"
      }
    }
    return nil
  }()

  static var available: Bool {
    if path == nil {
      print("ReportBrowserTests skipped: no chromium binary on PATH (apt-get install chromium)")
    }
    return path != nil
  }

  struct Run {
    var status: Int32
    var stdout: String
    var stderr: String
  }

  /// Runs Chromium headless on one page; output goes through files, so a large DOM cannot
  /// fill a pipe and stall it.
  static func run(_ arguments: [String], in folder: URL, timeout: TimeInterval = 90) throws -> Run {
    let path = try #require(path)
    let out = folder.appendingPathComponent("chromium-\(UUID().uuidString).out")
    let err = folder.appendingPathComponent("chromium-\(UUID().uuidString).err")
    _ = FileManager.default.createFile(atPath: out.path, contents: nil)
    _ = FileManager.default.createFile(atPath: err.path, contents: nil)
    let process = Process()
    process.executableURL = URL(fileURLWithPath: path)
    process.arguments =
      [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
        "--no-first-run", "--disable-extensions", "--hide-scrollbars",
        "--force-device-scale-factor=1", "--force-color-profile=srgb",
        "--user-data-dir=\(folder.appendingPathComponent("profile-\(UUID().uuidString)").path)",
      ] + arguments
    process.standardOutput = try FileHandle(forWritingTo: out)
    process.standardError = try FileHandle(forWritingTo: err)
    try process.run()
    let deadline = Date().addingTimeInterval(timeout)
    while process.isRunning, Date() < deadline {
      Thread.sleep(forTimeInterval: 0.05)
    }
    if process.isRunning {
      process.terminate()
      process.waitUntilExit()
      Issue.record("chromium did not finish within \(Int(timeout)) s: \(arguments)")
    }
    return Run(
      status: process.terminationStatus,
      stdout: (try? String(contentsOf: out, encoding: .utf8)) ?? "",
      stderr: (try? String(contentsOf: err, encoding: .utf8)) ?? "")
  }
}

/// Renders each kind of report, opens it in headless Chromium, and checks what a coordinator
/// would see: no console error (a blocked fetch, a script error), every chart laid out with
/// its bars or points, and a screenshot that is not blank and shows the charts' colours.
/// The screenshots are kept for a human to look at (not compared byte for byte: fonts differ
/// between machines); the cohort page's is the reference in `Fixtures/report-cohort.png`,
/// refreshed by running the suite with `HOTLINESIM_UPDATE_SCREENSHOTS=1`.
@Suite(
  "Report pages in headless Chromium", .serialized,
  .enabled(if: Chromium.available, "no chromium binary on PATH (apt-get install chromium)"))
struct ReportBrowserTests {
  typealias F = ReportFixture

  /// Records errors and measures the charts once the page has loaded. It goes first in
  /// `<head>`, before the page's Content-Security-Policy, which would block it; the page
  /// itself has no script.
  static let probe = """
    <script>
    window.__probe = { errors: [] };
    addEventListener('error', function (e) { __probe.errors.push('error: ' + (e.message || (e.target && e.target.outerHTML) || '?')); }, true);
    addEventListener('securitypolicyviolation', function (e) { __probe.errors.push('blocked: ' + e.violatedDirective + ' ' + e.blockedURI); });
    (function () { var f = console.error; console.error = function () { __probe.errors.push('console.error: ' + [].join.call(arguments, ' ')); f.apply(console, arguments); }; })();
    addEventListener('load', function () {
      function shown(m) { var b = m.getBoundingClientRect(); return b.width > 0 && b.height > 0 && getComputedStyle(m).visibility !== 'hidden'; }
      var charts = [].map.call(document.querySelectorAll('svg.chart'), function (s) {
        var r = s.getBoundingClientRect(), st = getComputedStyle(s);
        return { id: s.id, width: r.width, height: r.height, display: st.display, visibility: st.visibility,
          opacity: st.opacity, marks: [].filter.call(s.querySelectorAll('rect, circle, polygon'), shown).length,
          texts: [].filter.call(s.querySelectorAll('text'), shown).length };
      });
      var p = document.createElement('pre');
      p.id = 'report-probe';
      p.textContent = encodeURIComponent(JSON.stringify({ errors: __probe.errors, charts: charts,
        tables: document.querySelectorAll('table').length, width: document.documentElement.scrollWidth }));
      document.body.appendChild(p);
    });
    </script>
    """

  static func page(_ kind: String) throws -> String {
    let store = try F.store()
    switch kind {
    case "trainee": return try F.report(.trainee("Dana Whitfield"), store: store).html()
    case "cohort": return try F.report(.cohort("Nov"), store: store).html()
    default:
      let id = try F.sessionID("Luis Ortega", "tx-wrong-caller", 2, in: store)
      return try F.report(.session(id), store: store).html()
    }
  }

  /// What the browser saw: console lines on stderr and the probe's findings.
  struct Inspection {
    var console: [String]
    var errors: [String]
    var charts: [[String: Any]]
    var tables: Int
    var width: Int
  }

  /// Opens the page with the probe and dumps the DOM after load, console on stderr.
  static func inspect(_ html: String, in folder: URL, name: String) throws -> Inspection {
    let probed = folder.appendingPathComponent("\(name)-probed.html")
    try Data(html.replacingOccurrences(of: "<head>\n", with: "<head>\n\(probe)\n").utf8)
      .write(to: probed)
    let dom = try Chromium.run(
      [
        "--enable-logging=stderr", "--v=0", "--window-size=1200,9000",
        "--virtual-time-budget=5000", "--dump-dom", probed.absoluteString,
      ], in: folder)
    #expect(dom.status == 0, "chromium exited \(dom.status): \(dom.stderr.suffix(2000))")
    let console = dom.stderr.split(separator: "\n").filter { $0.contains(/CONSOLE[:(]/) }
    let encoded = try #require(
      dom.stdout.firstMatch(of: /<pre id="report-probe">([^<]*)<\/pre>/)?.1,
      "the probe did not run: \(dom.stdout.prefix(500))")
    let json = try #require(String(encoded).removingPercentEncoding)
    let found = try #require(
      try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
    return Inspection(
      console: console.map(String.init), errors: found["errors"] as? [String] ?? ["no errors list"],
      charts: found["charts"] as? [[String: Any]] ?? [], tables: found["tables"] as? Int ?? 0,
      width: found["width"] as? Int ?? 0)
  }

  static func folder() throws -> URL {
    let folder = FileManager.default.temporaryDirectory
      .appendingPathComponent("hotline-report-browser-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    return folder
  }

  @Test(arguments: ["trainee", "cohort", "session"])
  func thePageHasNoConsoleErrorsAndItsChartsAreVisible(kind: String) throws {
    let folder = try Self.folder()
    let html = try Self.page(kind)
    let page = folder.appendingPathComponent("report-\(kind).html")
    try Data(html.utf8).write(to: page)

    // 1. The DOM after load, with the console on stderr.
    let seen = try Self.inspect(html, in: folder, name: "report-\(kind)")
    #expect(seen.console.isEmpty, "console messages on the \(kind) page: \(seen.console)")
    #expect(seen.errors.isEmpty, "\(kind): \(seen.errors)")
    let charts = seen.charts
    #expect(
      charts.count == (kind == "session" ? 1 : 5), "\(kind): \(charts.map { $0["id"] ?? "" })")
    for chart in charts {
      let id = chart["id"] as? String ?? "?"
      #expect((chart["width"] as? Double ?? 0) > 600, "\(kind) \(id) is too narrow: \(chart)")
      #expect((chart["height"] as? Double ?? 0) > 60, "\(kind) \(id) is too short: \(chart)")
      #expect(chart["display"] as? String == "block" && chart["visibility"] as? String == "visible")
      #expect(chart["opacity"] as? String == "1")
      #expect((chart["marks"] as? Int ?? 0) > 0, "\(kind) \(id) draws nothing: \(chart)")
      #expect((chart["texts"] as? Int ?? 0) > 2, "\(kind) \(id) has no labels: \(chart)")
    }
    #expect(seen.tables >= charts.count)
    // Nothing spills sideways at a laptop's width.
    #expect(seen.width <= 1200)

    // 2. The screenshot a coordinator would see first.
    let shot = folder.appendingPathComponent("report-\(kind).png")
    let screenshot = try Chromium.run(
      [
        "--window-size=1200,2400", "--virtual-time-budget=5000",
        "--screenshot=\(shot.path)", page.absoluteString,
      ], in: folder)
    #expect(screenshot.status == 0, "chromium exited \(screenshot.status)")
    let data = try Data(contentsOf: shot)
    let image = try PNGImage(data)
    #expect(image.width == 1200 && image.height == 2400)
    let census = image.census([
      "accent": (0x35, 0x60, 0x8D), "high": (0x1B, 0x78, 0x37), "red": (0xB2, 0x18, 0x2B),
    ])
    #expect(census.inked > 0.04, "\(kind): the screenshot is nearly blank (\(census.inked))")
    #expect(census.counts["accent", default: 0] > 2000, "\(kind): \(census.counts)")
    #expect(census.counts["red", default: 0] > 300, "\(kind): \(census.counts)")
    if kind != "session" {
      // The compliance chart's bars are in the first screen.
      #expect(census.counts["high", default: 0] > 2000, "\(kind): \(census.counts)")
    }
    print("Screenshot of the \(kind) report: \(shot.path)")
    if kind == "cohort", ProcessInfo.processInfo.environment["HOTLINESIM_UPDATE_SCREENSHOTS"] == "1"
    {
      let reference = F.folder.appendingPathComponent("Fixtures/report-\(kind).png")
      try data.write(to: reference, options: .atomic)
      print("Updated the reference screenshot \(reference.path)")
    }
  }

  /// The checks above would catch a broken page: a fetch the page's policy blocks, a script
  /// error and a chart hidden by a stray style all show up.
  @Test func theProbeCatchesABlockedFetchAScriptErrorAndAHiddenChart() throws {
    let folder = try Self.folder()
    let html = try Self.page("cohort")
      .replacingOccurrences(
        of: "<main>",
        with: "<main><img src=\"https://example.org/logo.png\" alt=\"\">"
          + "<style>#chart-compliance { display: none; }</style><script>undefinedCall();</script>")
    let seen = try Self.inspect(html, in: folder, name: "broken")
    #expect(seen.errors.contains { $0.hasPrefix("blocked: img-src https://example.org/logo.png") })
    #expect(seen.console.contains { $0.contains("example.org/logo.png") })
    // The page's policy refuses the injected script, and says so on the console.
    #expect(seen.console.contains { $0.contains("inline script") })
    let hidden = try #require(seen.charts.first { $0["id"] as? String == "chart-compliance" })
    #expect(hidden["display"] as? String == "none")
    #expect(hidden["marks"] as? Int == 0)
  }
}

extension PNGImage {
  /// In one pass: the share of pixels that are not white, and how many pixels are within a
  /// small distance of each named colour.
  func census(_ colors: [String: (Int, Int, Int)], tolerance: Int = 14) -> (
    inked: Double, counts: [String: Int]
  ) {
    var inked = 0
    var counts: [String: Int] = [:]
    let named = Array(colors)
    var offset = 0
    for _ in 0..<(width * height) {
      let r = Int(pixels[offset])
      let g = Int(pixels[offset + 1])
      let b = Int(pixels[offset + 2])
      offset += channels
      if r > 244, g > 244, b > 244 { continue }
      inked += 1
      for (name, color) in named
      where abs(r - color.0) <= tolerance && abs(g - color.1) <= tolerance
        && abs(b - color.2) <= tolerance
      {
        counts[name, default: 0] += 1
      }
    }
    return (Double(inked) / Double(max(width * height, 1)), counts)
  }
}
