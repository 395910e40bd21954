import ArgumentParser

extension HotlineSim {
  /// Not built yet (issue 9, in progress).
  struct Impact: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Show how a changed protocol set changes every scenario's expected decision.")

    func run() throws {
      Console.error("hotline-sim: impact is not built yet")
      throw ExitCode(1)
    }
  }
}
