import ArgumentParser

extension HotlineSim {
  /// Not built yet (issue 9, in progress).
  struct Graph: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Draw a scenario's topics, answers, events and choices as a graph (DOT or Mermaid).")

    func run() throws {
      Console.error("hotline-sim: graph is not built yet")
      throw ExitCode(1)
    }
  }
}
