import Foundation
import Hummingbird
import HummingbirdTesting
import Synchronization
import Testing

@testable import RouteServer

/// `POST /v1/ruleset:reload`: a good set swapped in, a broken one refused, and no request
/// failing while reloads happen.
@Suite("Ruleset reload")
struct ReloadTests {
  static let report = Array(
    #"{"received_at": "2026-11-29T01:00:00Z", "location": {"country": "US", "state": "TX", "county": "Travis"}, "victims": [{"age": 16}]}"#
      .utf8)

  func ruleset(_ response: TestResponse) throws -> [String: Any] {
    try #require(
      try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView))
        as? [String: Any])
  }

  func setPolicyVersion(_ version: String, in set: URL) throws {
    let policy = set.appendingPathComponent("policy.yaml")
    var text = try String(contentsOf: policy, encoding: .utf8)
    let line = try #require(text.split(separator: "\n").first { $0.hasPrefix("version:") })
    text = text.replacingOccurrences(of: String(line), with: "version: \"\(version)\"")
    try text.write(to: policy, atomically: true, encoding: .utf8)
  }

  @Test func aGoodSetIsSwappedIn() async throws {
    let set = try Fixtures.copy(set: Fixtures.mini, label: "reload-ok")
    defer { try? FileManager.default.removeItem(at: set.deletingLastPathComponent()) }
    let state = try Fixtures.state(directory: set.path)
    let before = state.rulesets.current
    let app = Fixtures.app(state)
    try await app.test(.router) { client in
      // Unchanged files: reloaded, not changed.
      try await client.execute(
        uri: "/v1/ruleset:reload", method: .post, headers: Fixtures.auth
      ) { response in
        #expect(response.status == .ok)
        let body = try ruleset(response)
        #expect(body["changed"] as? Bool == false)
        #expect((body["previous"] as? [String: String])?["sha256"] == before.sha256)
      }
      try setPolicyVersion("test-2", in: set)
      try await client.execute(
        uri: "/v1/ruleset:reload", method: .post, headers: Fixtures.auth
      ) { response in
        #expect(response.status == .ok)
        let body = try ruleset(response)
        #expect(body["changed"] as? Bool == true)
        let now = try #require(body["ruleset"] as? [String: Any])
        #expect(now["version"] as? String == "test-2")
        #expect(now["sha256"] as? String != before.sha256)
      }
      try await client.execute(uri: "/v1/ruleset", method: .get, headers: Fixtures.auth) {
        let body = try ruleset($0)
        #expect(body["version"] as? String == "test-2")
      }
      // Decisions now name the new ruleset.
      try await client.execute(
        uri: "/v1/decisions", method: .post, headers: Fixtures.auth,
        body: ByteBuffer(bytes: Self.report)
      ) { response in
        let body = try ruleset(response)
        #expect((body["ruleset"] as? [String: String])?["version"] == "test-2")
      }
    }
    #expect(state.rulesets.current.version == "test-2")
  }

  @Test func aBrokenSetIsRefusedAndTheOldOneKeepsServing() async throws {
    let set = try Fixtures.copy(set: Fixtures.mini, label: "reload-broken")
    defer { try? FileManager.default.removeItem(at: set.deletingLastPathComponent()) }
    let state = try Fixtures.state(directory: set.path)
    let before = state.rulesets.current
    // An expression that does not type-check, and a protocol without inline tests.
    let broken = set.appendingPathComponent("protocols/tip.yaml")
    var text = try String(contentsOf: broken, encoding: .utf8)
    text = text.replacingOccurrences(
      of: "reporter.relationship != \"victim\"", with: "reporter.relationship > 3")
    try text.write(to: broken, atomically: true, encoding: .utf8)
    let app = Fixtures.app(state)
    try await app.test(.router) { client in
      try await client.execute(
        uri: "/v1/ruleset:reload", method: .post, headers: Fixtures.auth
      ) { response in
        #expect(response.status == .unprocessableContent)
        #expect(response.headers[.contentType] == "application/problem+json")
        let problem = try ProblemBody(response.body)
        #expect(problem.type == "urn:hotline-route:problem:ruleset-refused")
        #expect(problem.detail.contains(before.sha256))
        #expect(problem.detail.contains("keeps serving"))
        #expect(!problem.errors.isEmpty)
        #expect(problem.errors.allSatisfy { $0.contains(": error[") })
        #expect(problem.errors.contains { $0.hasPrefix(broken.path + ":") })
      }
      try await client.execute(
        uri: "/v1/decisions", method: .post, headers: Fixtures.auth,
        body: ByteBuffer(bytes: Self.report)
      ) { response in
        #expect(response.status == .ok)
        let body = try ruleset(response)
        #expect((body["ruleset"] as? [String: String])?["sha256"] == before.sha256)
      }
      try await client.execute(uri: "/metrics", method: .get) { response in
        let text = String(decoding: response.body.readableBytesView, as: UTF8.self)
        #expect(text.contains("hotline_route_ruleset_reloads_total{result=\"refused\"} 1"))
      }
    }
    #expect(state.rulesets.current === before)
  }

  @Test func aMissingDirectoryIsRefused() async throws {
    let set = try Fixtures.copy(set: Fixtures.mini, label: "reload-gone")
    let state = try Fixtures.state(directory: set.path)
    try FileManager.default.removeItem(at: set.deletingLastPathComponent())
    let outcome = await state.rulesets.reload(trigger: "test")
    guard case .refused(let error, _) = outcome else {
      Issue.record("a missing directory was loaded")
      return
    }
    #expect(error.description.contains("no such protocol set directory"))
  }

  /// Many requests while the set is reloaded again and again (good and broken in turn):
  /// every request is answered 200 under one whole ruleset or the other.
  @Test func noRequestFailsDuringReloads() async throws {
    let set = try Fixtures.copy(set: Fixtures.mini, label: "reload-load")
    defer { try? FileManager.default.removeItem(at: set.deletingLastPathComponent()) }
    let state = try Fixtures.state(directory: set.path)
    let original = state.rulesets.current.sha256
    let app = Fixtures.app(state)
    let answers = try await app.test(.router) { client in
      try await withThrowingTaskGroup(of: [(status: Int, version: String?)].self) { group in
        group.addTask {
          for round in 0..<6 {
            try setPolicyVersion("load-\(round)", in: set)
            let reloaded = await state.rulesets.reload(trigger: "test")
            if case .refused(let error, _) = reloaded { Issue.record("refused: \(error)") }
          }
          return []
        }
        for _ in 0..<8 {
          group.addTask {
            var answers: [(status: Int, version: String?)] = []
            for _ in 0..<40 {
              answers.append(
                try await client.execute(
                  uri: "/v1/decisions?explain=false", method: .post, headers: Fixtures.auth,
                  body: ByteBuffer(bytes: Self.report)
                ) { response in
                  let body = try ruleset(response)
                  return (
                    Int(response.status.code),
                    (body["ruleset"] as? [String: String])?["version"]
                  )
                })
            }
            return answers
          }
        }
        var all: [(status: Int, version: String?)] = []
        for try await answers in group { all += answers }
        return all
      }
    }
    let all = answers.map(\.status)
    let versions = Set(answers.compactMap(\.version))
    #expect(all.count == 320)
    #expect(all.allSatisfy { $0 == 200 })
    #expect(state.rulesets.current.version == "load-5")
    #expect(state.rulesets.current.sha256 != original)
    // Every answer names a version that was in force at some point.
    let allowed = Set(["test-1"] + (0..<6).map { "load-\($0)" })
    #expect(versions.isSubset(of: allowed))
  }
}
