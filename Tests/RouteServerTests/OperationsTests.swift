import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import RouteServer

/// Request ids, 404 and 405, `/v1/ruleset`, `/metrics`.
@Suite("Operations")
struct OperationsTests {
  static let requestID = AccessMiddleware.requestIDHeader

  @Test func aSaneRequestIDIsKeptAndOthersAreReplaced() async throws {
    let app = Fixtures.app(try Fixtures.state())
    let longest = String(repeating: "a", count: 64)
    try await app.test(.router) { client in
      for kept in ["abc-123_X.y", longest] {
        try await client.execute(uri: "/healthz", method: .get, headers: [Self.requestID: kept]) {
          #expect($0.headers[Self.requestID] == kept)
        }
      }
      var generated: [String] = []
      for refused in [longest + "a", "has space", "semi;colon", "ünï", ""] {
        try await client.execute(
          uri: "/healthz", method: .get, headers: [Self.requestID: refused]
        ) { response in
          let id = try #require(response.headers[Self.requestID])
          #expect(id != refused)
          #expect(UUID(uuidString: id) != nil)
          generated.append(id)
        }
      }
      // Errors carry one too, and every generated id is new.
      try await client.execute(uri: "/nowhere", method: .get) { response in
        let id = try #require(response.headers[Self.requestID])
        generated.append(id)
      }
      #expect(Set(generated).count == generated.count)
    }
  }

  @Test func headIsAnsweredWithoutABody() async throws {
    let app = Fixtures.app(try Fixtures.state())
    try await app.test(.router) { client in
      try await client.execute(uri: "/healthz", method: .head) { response in
        #expect(response.status == .ok)
        #expect(response.body.readableBytes == 0)
      }
      try await client.execute(uri: "/v1/ruleset", method: .head) {
        #expect($0.status == .unauthorized)
      }
      try await client.execute(uri: "/v1/ruleset", method: .head, headers: Fixtures.auth) {
        #expect($0.status == .ok)
        #expect($0.body.readableBytes == 0)
      }
    }
  }

  @Test func anUnknownPathIs404Problem() async throws {
    let app = Fixtures.app(try Fixtures.state())
    try await app.test(.router) { client in
      try await client.execute(uri: "/v2/decisions", method: .post) { response in
        #expect(response.status == .notFound)
        #expect(response.headers[.contentType] == "application/problem+json")
        let problem = try ProblemBody(response.body)
        #expect(problem.type == "urn:hotline-route:problem:not-found")
        #expect(problem.detail.contains("/v2/decisions"))
      }
      // Under /v1 the token is asked for first; with it, 404.
      try await client.execute(uri: "/v1/decision", method: .post, headers: Fixtures.auth) {
        #expect($0.status == .notFound)
      }
    }
  }

  @Test(arguments: [
    ("GET", "/v1/decisions", "POST"), ("PUT", "/v1/decisions:batch", "POST"),
    ("DELETE", "/v1/ruleset", "GET, HEAD"), ("GET", "/v1/ruleset:reload", "POST"),
    ("POST", "/healthz", "GET, HEAD"), ("POST", "/metrics", "GET, HEAD"),
  ])
  func aWrongMethodIs405WithAllow(method: String, path: String, allow: String) async throws {
    let app = Fixtures.app(try Fixtures.state())
    try await app.test(.router) { client in
      try await client.execute(
        uri: path, method: try #require(HTTPRequest.Method(method)), headers: Fixtures.auth
      ) { response in
        #expect(response.status == .methodNotAllowed)
        #expect(response.headers[.allow] == allow)
        let problem = try ProblemBody(response.body)
        #expect(problem.type == "urn:hotline-route:problem:method-not-allowed")
        #expect(problem.detail == "\(path) does not accept \(method); use \(allow)")
      }
    }
  }

  @Test func theRulesetIsDescribed() async throws {
    let state = try Fixtures.state()
    let ruleset = state.rulesets.current
    let app = Fixtures.app(state)
    try await app.test(.router) { client in
      try await client.execute(uri: "/v1/ruleset", method: .get, headers: Fixtures.auth) {
        response in
        #expect(response.status == .ok)
        let object = try #require(
          try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView))
            as? [String: Any])
        #expect(object["version"] as? String == ruleset.engine.set.policy.version)
        #expect(object["sha256"] as? String == ruleset.engine.set.sha256)
        let counts = try #require(object["counts"] as? [String: Int])
        #expect(counts["protocols"] == ruleset.engine.set.protocols.count)
        #expect(counts["contacts"] == ruleset.engine.set.contacts.count)
        #expect(object["as_of"] as? String == UTCTime.today().description)
        #expect(object["loaded_at"] as? String == ruleset.loadedAt)
        // Keys in a fixed order.
        let text = String(decoding: response.body.readableBytesView, as: UTF8.self)
        let order = ["\"version\"", "\"sha256\"", "\"counts\"", "\"as_of\"", "\"loaded_at\""].map {
          text.range(of: $0)?.lowerBound
        }
        #expect(order.compactMap { $0 } == order.compactMap { $0 }.sorted())
        #expect(order.allSatisfy { $0 != nil })
      }
    }
  }

  @Test func metricsCountRequestsDecisionsAndTheLog() async throws {
    let sink = RecordingSink()
    let state = try Fixtures.state(sink: sink)
    let app = Fixtures.app(state)
    let name = try #require(Fixtures.exampleReports.first)
    let bytes = try Fixtures.exampleBytes(name)
    let escalation = try Fixtures.decision(bytes).escalation
    try await app.test(.router) { client in
      for _ in 0..<3 {
        try await client.execute(
          uri: "/v1/decisions", method: .post, headers: Fixtures.auth,
          body: ByteBuffer(bytes: bytes))
      }
      try await client.execute(uri: "/v1/decisions", method: .post, headers: Fixtures.auth)
      try await client.execute(uri: "/v1/decisions", method: .post)
      try await client.execute(uri: "/metrics", method: .get) { response in
        #expect(response.status == .ok)
        #expect(response.headers[.contentType]?.hasPrefix("text/plain; version=0.0.4") == true)
        let text = String(decoding: response.body.readableBytesView, as: UTF8.self)
        let lines = Set(text.split(separator: "\n").map(String.init))
        func has(_ prefix: String, _ value: String) {
          #expect(
            lines.contains { $0.hasPrefix(prefix) && $0.hasSuffix(" " + value) },
            "no \(prefix) ... \(value) in\n\(text)")
        }
        has(
          #"hotline_route_http_requests_total{route="/v1/decisions",method="POST",status="200"}"#,
          "3")
        has(
          #"hotline_route_http_requests_total{route="/v1/decisions",method="POST",status="400"}"#,
          "1")
        has(
          #"hotline_route_http_requests_total{route="/v1/decisions",method="POST",status="401"}"#,
          "1")
        has(#"hotline_route_http_request_duration_seconds_count{route="/v1/decisions"}"#, "5")
        has(#"hotline_route_decisions_total{escalation="\#(escalation.rawValue)"}"#, "3")
        has(
          #"hotline_route_decision_duration_seconds_count{escalation="\#(escalation.rawValue)"}"#,
          "3")
        has(#"hotline_route_decision_log_records_total{outcome="accepted"}"#, "3")
        has(#"hotline_route_decision_log_records_total{outcome="dropped"}"#, "0")
        has(#"hotline_route_decision_log_failures_total"#, "0")
        // Accepted, not yet durable: the sink has not been flushed.
        has(#"hotline_route_decision_log_backlog "#, "3.0")
        has(#"hotline_route_ruleset_reloads_total{result="ok"}"#, "0")
        has(#"hotline_route_ruleset_reloads_total{result="refused"}"#, "0")
        #expect(text.contains("# HELP hotline_route_decisions_total"))
        #expect(text.contains("# TYPE hotline_route_http_request_duration_seconds histogram"))
        let resident = lines.first { $0.hasPrefix("process_resident_memory_bytes ") }
          .flatMap { Double($0.split(separator: " ")[1]) }
        #expect((resident ?? 0) > 1_000_000, "resident memory: \(String(describing: resident))")
      }
      try await sink.flush()
      try await client.execute(uri: "/metrics", method: .get) { response in
        let text = String(decoding: response.body.readableBytesView, as: UTF8.self)
        #expect(text.contains("\nhotline_route_decision_log_backlog 0.0\n"), "\(text)")
        #expect(text.contains("hotline_route_decision_log_records_total{outcome=\"written\"} 3"))
      }
    }
  }
}
