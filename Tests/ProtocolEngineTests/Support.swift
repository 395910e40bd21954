import Foundation
import ProtocolEngine
import Testing

/// Paths and loaders shared by the engine tests.
enum TestSupport {
  static let testsFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
  static let repositoryRoot = testsFolder.deletingLastPathComponent().deletingLastPathComponent()
  static let miniSet = testsFolder.appendingPathComponent("Fixtures/mini").path
  static let shippedSet = repositoryRoot.appendingPathComponent("Protocols").path
  static let day = Day("2026-11-29") ?? Day.today()

  static func load(_ directory: String) throws -> ProtocolSet {
    try ProtocolSet.load(directory: directory)
  }

  /// A report from JSON/YAML text, failing the test with the decoder's message.
  static func report(_ text: String, geography: Geography? = nil) throws -> Report {
    try Report.decode(text, file: "test.json", geography: geography)
  }

  /// The source of the mini fixture with some files replaced or added.
  static func miniSource(
    replacing protocols: [String: String] = [:], directory: String? = nil
  ) throws -> ProtocolSetSource {
    var source = try ProtocolSetSource.read(directory: miniSet)
    for (name, text) in protocols.sorted(by: { $0.key < $1.key }) {
      let path = miniSet + "/protocols/" + name
      source.protocols.removeAll { $0.path == path }
      source.protocols.append(.init(path: path, text: text))
    }
    if let directory {
      source.directory = [.init(path: "contacts.csv", text: directory)]
    }
    return source
  }
}
