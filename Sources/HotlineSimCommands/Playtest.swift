import ArgumentParser

extension HotlineSim {
  /// Not built yet (issue 9, in progress).
  struct Playtest: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Play scenarios automatically: exhaustive, random, and golden transcripts.")

    func run() throws {
      Console.error("hotline-sim: playtest is not built yet")
      throw ExitCode(1)
    }
  }
}
