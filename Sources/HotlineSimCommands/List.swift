import ArgumentParser
import ProtocolEngine
import ScenarioKit

extension HotlineSim {
  /// `hotline-sim list`: the scenarios with audience, channel and difficulty.
  struct List: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List the scenarios.")

    @OptionGroup var content: ContentOptions

    @Option(help: "text or json.")
    var format: OutputFormat = .text

    func run() throws {
      let engine = try content.loadEngine()
      let (scenarios, diagnostics) = content.catalog.loadAll(geography: engine.set.geography)
      for diagnostic in diagnostics where diagnostic.severity == .error {
        Console.error(diagnostic.description)
      }
      switch format {
      case .json:
        let items: [JSONValue] = scenarios.map {
          .object([
            ("id", .string($0.id)), ("title", .string($0.title)), ("version", .int($0.version)),
            ("audience", .array($0.audience.map { .string($0.rawValue) })),
            ("channel", .string($0.channel.rawValue)),
            ("difficulty", .string($0.difficulty.rawValue)), ("path", .string($0.path)),
          ])
        }
        Console.out(JSONValue.array(items).rendered(pretty: true) + "\n")
      case .text:
        let rows = scenarios.map {
          [
            $0.id, $0.title, $0.audience.map(\.rawValue).joined(separator: ","),
            $0.channel.rawValue, $0.difficulty.rawValue,
          ]
        }
        Console.out(
          table(header: ["ID", "TITLE", "AUDIENCE", "CHANNEL", "DIFFICULTY"], rows: rows))
      }
      if diagnostics.contains(where: { $0.severity == .error }) { throw ExitCode(1) }
    }
  }
}

/// A plain text table with columns padded to their widest cell.
func table(header: [String], rows: [[String]]) -> String {
  let all = [header] + rows
  let widths = header.indices.map { column in all.map { $0[column].count }.max() ?? 0 }
  return all.map { row in
    row.enumerated().map { index, cell in
      index == row.count - 1
        ? cell : cell + String(repeating: " ", count: widths[index] - cell.count + 2)
    }.joined()
  }.joined(separator: "\n") + "\n"
}
