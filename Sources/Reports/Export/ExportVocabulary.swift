import Foundation
import ProtocolEngine
import ScenarioKit

/// The base of every IRI an export writes: activity ids, extension keys, launch addresses.
///
/// It is the agency's own site (`--home-page`), because xAPI wants an IRI to be controlled by
/// whoever coins it, and an LMS keys courses and activities by these ids: two exports with the
/// same home page name the same things, two with different ones never collide.
public struct ExportHomePage: Sendable, Hashable, CustomStringConvertible {
  /// The URL without a trailing slash, so that paths join with exactly one.
  public let url: String

  /// The fictional default: `example.org` is reserved (RFC 2606), so nothing real is claimed.
  public static let fictional = ExportHomePage(trusted: "https://hotline-sim.example.org")

  /// Checks a home page given on the command line.
  ///
  /// - Returns: Nil unless `text` is an absolute `http` or `https` URL with a host and no
  ///   query, fragment or user info (those would end up inside every id).
  public init?(_ text: String) {
    guard let components = URLComponents(string: text),
      let scheme = components.scheme?.lowercased(), scheme == "https" || scheme == "http",
      let host = components.host, !host.isEmpty,
      components.query == nil, components.fragment == nil, components.user == nil,
      components.password == nil, !text.contains(where: \.isWhitespace)
    else { return nil }
    var url = text
    while url.hasSuffix("/") { url.removeLast() }
    self.url = url
  }

  private init(trusted url: String) { self.url = url }

  public var description: String { url }

  /// `url/segment/segment...`, each segment percent-encoded, so an id with a space or a slash
  /// still makes one well-formed IRI.
  func iri(_ segments: [String]) -> String {
    segments.reduce(url) { base, segment in
      base + "/" + (segment.addingPercentEncoding(withAllowedCharacters: Self.segment) ?? segment)
    }
  }

  private static let segment: CharacterSet = {
    var allowed = CharacterSet.alphanumerics
    allowed.insert(charactersIn: "-._~")
    return allowed
  }()

  // The IRIs shared by the xAPI statements and the cmi5 course structure, so that statements
  // about a curriculum name the course and the blocks the LMS imported.

  /// A scenario as an activity; the same whether it was played in a curriculum or not.
  func scenario(_ id: String) -> String { iri(["scenarios", id]) }

  /// A curriculum: the cmi5 course, and the grouping activity of its statements.
  func curriculum(_ id: String) -> String { iri(["curricula", id]) }

  /// A curriculum part: the cmi5 block, and the parent activity of its statements.
  func part(_ curriculum: String, _ part: String) -> String {
    iri(["curricula", curriculum, "parts", part])
  }

  /// An extension key (`result.extensions`, `context.extensions`).
  func extensionKey(_ name: String) -> String { iri(["xapi", "extensions", name]) }
}

/// What an export says about a scenario: its title, and a description a trainee may read
/// before playing it.
///
/// The description is deliberately not the scenario's `summary`: that gives away the answer
/// (the age the call turns on, the referral expected), and LMS catalogues show descriptions to
/// learners. It is the channel, the difficulty and the content warning instead.
public struct ExportScenario: Sendable, Hashable {
  public var id: String
  public var title: String
  public var description: String

  public init(id: String, title: String, description: String) {
    self.id = id
    self.title = title
    self.description = description
  }

  /// The title and a spoiler-free description of a loaded scenario.
  public init(_ scenario: Scenario) {
    let channel: String
    switch scenario.channel {
    case .call: channel = "A call"
    case .text: channel = "A text conversation"
    case .chat: channel = "A chat"
    case .webform: channel = "A web form"
    case .email: channel = "An e-mail"
    }
    let warning = ExportText.collapsed(scenario.contentWarning)
    self.init(
      id: scenario.id, title: ExportText.collapsed(scenario.title),
      description:
        "\(channel) (\(scenario.difficulty.rawValue)). Content warning: \(warning)")
  }

  /// Stands in for a scenario the catalogue no longer has: the export still names it by id.
  static func unknown(_ id: String) -> ExportScenario {
    ExportScenario(id: id, title: id, description: "Scenario \(id).")
  }
}

/// Text helpers the exports share.
enum ExportText {
  /// Runs of whitespace (YAML's folded lines) as single spaces, trimmed.
  static func collapsed(_ text: String) -> String {
    text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
  }

  /// `2026-11-29T22:55:05Z`: whole seconds in UTC, as spreadsheets read ISO 8601.
  static func seconds(_ date: Date) -> String {
    date.formatted(Date.ISO8601FormatStyle(timeZone: .gmt))
  }

  /// `2026-11-29T22:55:05.123Z`: milliseconds, as the store keeps them, so that a session's
  /// statements keep their order in an LRS.
  static func milliseconds(_ date: Date) -> String {
    date.formatted(
      Date.ISO8601FormatStyle(includingFractionalSeconds: true, timeZone: .gmt))
  }

  /// An ISO 8601 duration (`PT6M30S`, `PT1H2M`, `PT0S`) of whole seconds.
  static func duration(seconds: Int) -> String {
    let total = max(0, seconds)
    let hours = total / 3600
    let minutes = total % 3600 / 60
    let rest = total % 60
    var text = "PT"
    if hours > 0 { text += "\(hours)H" }
    if minutes > 0 { text += "\(minutes)M" }
    if rest > 0 || total == 0 { text += "\(rest)S" }
    return text
  }
}
