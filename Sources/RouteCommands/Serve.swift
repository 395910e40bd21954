import ArgumentParser

extension HotlineRoute {
  /// `hotline-route serve` (issue 14): being built; not yet usable.
  public struct Serve: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
      abstract: "Serve decisions over HTTP (not built yet).")
    public init() {}
    public func run() async throws {
      throw ValidationError("hotline-route serve is not built yet")
    }
  }
}
