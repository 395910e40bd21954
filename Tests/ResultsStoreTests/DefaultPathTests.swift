import Testing

@testable import ResultsStore

/// Where the store lives when no `--db` is given.
@Suite("Default path")
struct DefaultPathTests {
  @Test(arguments: [
    (
      ["HOTLINESIM_DB": "/srv/hs.sqlite", "XDG_DATA_HOME": "/x", "HOME": "/home/ana"],
      "/srv/hs.sqlite"
    ),
    (["HOTLINESIM_DB": "relative.sqlite"], "relative.sqlite"),
    (
      ["HOTLINESIM_DB": "", "XDG_DATA_HOME": "/data", "HOME": "/home/ana"],
      "/data/hotline-sim/results.sqlite"
    ),
    (["XDG_DATA_HOME": "/data/", "HOME": "/home/ana"], "/data/hotline-sim/results.sqlite"),
    (
      ["XDG_DATA_HOME": "data", "HOME": "/home/ana"],
      "/home/ana/.local/share/hotline-sim/results.sqlite"
    ),
    (
      ["XDG_DATA_HOME": "", "HOME": "/home/ana"],
      "/home/ana/.local/share/hotline-sim/results.sqlite"
    ),
    (["HOME": "/home/ana/"], "/home/ana/.local/share/hotline-sim/results.sqlite"),
  ])
  func theDefaultPath(environment: [String: String], expected: String) {
    #expect(ResultsStore.defaultPath(environment: environment) == expected)
  }

  @Test func withoutHomeItStillNamesAFileUnderAHome() {
    let path = ResultsStore.defaultPath(environment: [:])
    #expect(path.hasPrefix("/"))
    #expect(path.hasSuffix("/.local/share/hotline-sim/results.sqlite"))
  }
}
