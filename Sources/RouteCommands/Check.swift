import ArgumentParser
import ProtocolEngine

extension HotlineRoute {
  /// `hotline-route check`: type-check, test and audit a protocol set.
  public struct Check: ParsableCommand {
    public static let configuration = CommandConfiguration(
      abstract: "Type-check every expression, run the inline tests and report coverage and gaps.",
      discussion: """
        Prints every finding as file:line:col: severity[CODE]: message (codes are listed in \
        Protocols/README.md), then a summary. Exits 1 when there is an error.
        """
    )

    @Option(help: "The protocol set directory (default: the shipped Protocols/).")
    var protocols: String?

    @Option(
      name: .customLong("as-of"), help: "Check the protocols and contacts in force on this day.")
    var asOf: String?

    @Option(help: "text or json.")
    var format: OutputFormat = .text

    public init() {}

    public func run() throws {
      let day = try parseDay(asOf) ?? Day.today()
      try RouteService.check(
        protocols: protocols ?? ProtocolSet.defaultDirectory(), asOf: day, format: format
      ).emit()
    }
  }
}
