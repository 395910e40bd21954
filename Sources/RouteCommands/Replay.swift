import ArgumentParser

extension HotlineRoute {
  /// `hotline-route replay` (issue 14): being built; not yet usable.
  public struct Replay: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
      abstract: "Replay decisions over HTTP (not built yet).")
    public init() {}
    public func run() async throws {
      throw ValidationError("hotline-route replay is not built yet")
    }
  }
}
