import ProtocolEngine

/// A protocol set that passed `hotline-route check` without errors, indexed for routing.
/// Immutable: a reload builds a new one and swaps it in whole.
public final class LoadedRuleset: Sendable {
  public let engine: Engine
  /// When it was loaded (RFC 3339, UTC, milliseconds).
  public let loadedAt: String

  public init(engine: Engine, loadedAt: String) {
    self.engine = engine
    self.loadedAt = loadedAt
  }

  public var version: String { engine.set.policy.version }
  public var sha256: String { engine.set.sha256 }

  /// The body of `GET /v1/ruleset`, keys in a fixed order.
  public func json(asOf today: Day) -> JSONValue {
    .object([
      ("version", .string(version)),
      ("sha256", .string(sha256)),
      (
        "counts",
        .object([
          ("protocols", .int(engine.set.protocols.count)),
          ("contacts", .int(engine.set.contacts.count)),
        ])
      ),
      ("as_of", .string(today.description)),
      ("loaded_at", .string(loadedAt)),
    ])
  }

  /// Reads, parses and checks the set in `directory` as `hotline-route check` does on
  /// `day`; any error refuses it.
  ///
  /// - Throws: `RouteServerError.protocolSet` with every error as
  ///   `file:line:col: error[CODE]: message`.
  public static func load(directory: String, checkedOn day: Day, loadedAt: String)
    throws(RouteServerError) -> LoadedRuleset
  {
    let source: ProtocolSetSource
    do {
      source = try ProtocolSetSource.read(directory: directory)
    } catch {
      throw .protocolSet(directory: directory, errors: [error.description])
    }
    let (parsed, diagnostics) = ProtocolSet.parse(source)
    guard let set = parsed else {
      throw .protocolSet(directory: directory, errors: errors(in: diagnostics))
    }
    let report = ProtocolChecker.check(set, asOf: day)
    let found = errors(in: diagnostics + report.diagnostics)
    guard found.isEmpty else { throw .protocolSet(directory: directory, errors: found) }
    return LoadedRuleset(engine: Engine(set), loadedAt: loadedAt)
  }

  private static func errors(in diagnostics: [Diagnostic]) -> [String] {
    diagnostics.filter { $0.severity == .error }.sorted().map(\.description)
  }
}
