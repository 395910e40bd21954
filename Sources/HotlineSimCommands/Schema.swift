import ArgumentParser

extension HotlineSim {
  /// Not built yet (issue 9, in progress).
  struct Schema: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Print a JSON Schema for scenario files.")

    func run() throws {
      Console.error("hotline-sim: schema is not built yet")
      throw ExitCode(1)
    }
  }
}
