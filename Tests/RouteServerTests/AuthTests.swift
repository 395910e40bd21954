import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import RouteServer

/// Bearer tokens: the file, the comparison, and 401 on every /v1 route.
@Suite("Bearer tokens")
struct AuthTests {
  @Test(arguments: [
    ("POST", "/v1/decisions"), ("POST", "/v1/decisions:batch"), ("GET", "/v1/ruleset"),
    ("POST", "/v1/ruleset:reload"), ("GET", "/v1/unknown"),
  ])
  func everyV1RouteNeedsAToken(method: String, path: String) async throws {
    let app = Fixtures.app(try Fixtures.state())
    let cases: [(HTTPFields, String)] = [
      ([:], "needs an Authorization: Bearer <token> header"),
      ([.authorization: "Bearer wrong-token"], "not accepted"),
      ([.authorization: "Bearer \(Fixtures.token)x"], "not accepted"),
      ([.authorization: "Bearer \(Fixtures.token.dropLast())"], "not accepted"),
      ([.authorization: "Basic \(Fixtures.token)"], "not of the form Bearer <token>"),
      ([.authorization: "Bearer "], "not of the form Bearer <token>"),
    ]
    try await app.test(.router) { client in
      for (headers, message) in cases {
        try await client.execute(
          uri: path, method: try #require(HTTPRequest.Method(method)), headers: headers,
          body: ByteBuffer(string: "{}")
        ) { response in
          #expect(response.status == .unauthorized)
          #expect(response.headers[.wwwAuthenticate]?.hasPrefix("Bearer") == true)
          #expect(response.headers[.contentType] == "application/problem+json")
          let problem = try ProblemBody(response.body)
          #expect(problem.status == 401)
          #expect(problem.detail.contains(message))
          // The presented token is never echoed.
          #expect(!problem.detail.contains(Fixtures.token))
        }
      }
    }
  }

  @Test func eitherTokenOfTheFileIsAccepted() async throws {
    let app = Fixtures.app(try Fixtures.state())
    try await app.test(.router) { client in
      for token in [Fixtures.token, Fixtures.otherToken] {
        try await client.execute(
          uri: "/v1/ruleset", method: .get, headers: [.authorization: "bearer  \(token) "]
        ) { response in
          #expect(response.status == .ok)
        }
      }
    }
  }

  @Test func healthzAndMetricsNeedNoToken() async throws {
    let app = Fixtures.app(try Fixtures.state())
    try await app.test(.router) { client in
      try await client.execute(uri: "/healthz", method: .get) { response in
        #expect(response.status == .ok)
        #expect(String(decoding: response.body.readableBytesView, as: UTF8.self).contains("\"ok\""))
      }
      try await client.execute(uri: "/metrics", method: .get) { response in
        #expect(response.status == .ok)
      }
    }
  }

  @Test func theTokenFileIgnoresCommentsAndBlankLines() throws {
    let tokens = try BearerTokens(
      text: "# rotated 2026-11\n\n  alpha  \r\n#beta\nGamma\n", path: "tokens")
    #expect(tokens.count == 2)
    #expect(tokens.accepts(Array("alpha".utf8)))
    #expect(tokens.accepts(Array("Gamma".utf8)))
    #expect(!tokens.accepts(Array("beta".utf8)))
    #expect(!tokens.accepts(Array("#beta".utf8)))
    #expect(!tokens.accepts(Array("gamma".utf8)))
    #expect(!tokens.accepts(Array("".utf8)))
  }

  @Test func aTokenFileWithNoTokenIsRefused() throws {
    #expect(throws: RouteServerError.self) {
      try BearerTokens(text: "# nothing here\n\n", path: "tokens")
    }
    do {
      _ = try BearerTokens(text: "\n# only comments\n", path: "tokens.txt")
      Issue.record("an empty token file was accepted")
    } catch {
      #expect(
        error.description
          == "--token-file tokens.txt: holds no token (one per line; blank lines and # comments are ignored)"
      )
    }
  }

  @Test func aTokenWithASpaceIsRefusedWithoutShowingIt() throws {
    do {
      _ = try BearerTokens(text: "good\nsecret with space\n", path: "t")
      Issue.record("a token with a space was accepted")
    } catch {
      #expect(error.description.contains("line 2 is not a token"))
      #expect(!error.description.contains("secret"))
    }
  }

  @Test func aMissingOrDirectoryTokenFileIsRefused() throws {
    let folder = try Fixtures.temporaryFolder("tokens")
    defer { try? FileManager.default.removeItem(at: folder) }
    let missing = folder.appendingPathComponent("missing").path
    #expect(throws: RouteServerError.tokenFile(path: missing, reason: "no such file")) {
      try BearerTokens.read(path: missing)
    }
    #expect(
      throws: RouteServerError.tokenFile(path: folder.path, reason: "it is a directory, not a file")
    ) {
      try BearerTokens.read(path: folder.path)
    }
    let file = folder.appendingPathComponent("tokens")
    try Data("\(Fixtures.token)\n".utf8).write(to: file)
    #expect(try BearerTokens.read(path: file.path).accepts(Array(Fixtures.token.utf8)))
    // A link to the file is followed.
    let link = folder.appendingPathComponent("link")
    try FileManager.default.createSymbolicLink(at: link, withDestinationURL: file)
    #expect(try BearerTokens.read(path: link.path).accepts(Array(Fixtures.token.utf8)))
  }

  /// A FIFO would block the start (or a SIGHUP) until something wrote to it.
  @Test func aNamedPipeAsTheTokenFileIsRefusedWithoutWaiting() throws {
    let folder = try Fixtures.temporaryFolder("tokens-fifo")
    defer { try? FileManager.default.removeItem(at: folder) }
    let fifo = folder.appendingPathComponent("tokens").path
    #expect(mkfifo(fifo, 0o600) == 0)
    #expect(
      throws: RouteServerError.tokenFile(
        path: fifo, reason: "it is not a regular file (a FIFO, socket or device)")
    ) {
      try BearerTokens.read(path: fifo)
    }
  }

  @Test(arguments: [
    ("abc", "abc", 1), ("abc", "abd", 0), ("abc", "ab", 0), ("ab", "abc", 0), ("", "a", 0),
    ("a", "", 0), ("", "", 1),
  ])
  func theComparisonIsExact(presented: String, expected: String, equal: UInt8) {
    #expect(
      BearerTokens.equalInConstantTime(Array(presented.utf8), Array(expected.utf8)) == equal)
  }

  @Test(
    arguments: [
      ("Bearer abc", "abc"), ("bearer abc", "abc"), ("BEARER  abc  ", "abc"), ("Bearer", nil),
      ("Bearerabc", nil), ("Basic abc", nil), ("Bearer  ", nil),
    ] as [(String, String?)])
  func theHeaderIsParsed(header: String, token: String?) {
    #expect(
      BearerTokens.token(inAuthorization: header).map { String(decoding: $0, as: UTF8.self) }
        == token)
  }
}
