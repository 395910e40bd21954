import Foundation
import Hummingbird
import HummingbirdTesting
import ProtocolEngine
import Testing

@testable import RouteServer

/// `POST /v1/decisions`: the same bytes as `hotline-route route`, the fast path, and every
/// way a report can be refused.
@Suite("POST /v1/decisions")
struct DecisionEndpointTests {
  @Test(arguments: Fixtures.exampleReports)
  func theDecisionIsByteIdenticalToRoute(name: String) async throws {
    let bytes = try Fixtures.exampleBytes(name)
    let expected = try Fixtures.route(bytes)
    try #require(expected.status == 0, "route failed: \(expected.stderr)")
    let app = Fixtures.app(try Fixtures.state())
    try await app.test(.router) { client in
      try await client.execute(
        uri: "/v1/decisions", method: .post, headers: Fixtures.auth, body: ByteBuffer(bytes: bytes)
      ) { response in
        #expect(response.status == .ok)
        #expect(response.headers[.contentType] == "application/json")
        #expect(Array(response.body.readableBytesView) == Array(expected.stdout.utf8))
      }
    }
  }

  @Test func theShippedReportsAreThere() {
    #expect(Fixtures.exampleReports.count >= 3)
  }

  /// `explain=false` leaves out `because`, `needs` and `near_misses`, and nothing else.
  @Test(arguments: Fixtures.exampleReports)
  func explainFalseOmitsOnlyTheExplanations(name: String) async throws {
    let bytes = try Fixtures.exampleBytes(name)
    let ruleset = try Fixtures.shippedRuleset.get()
    let report = try Report.decode(
      utf8: bytes, file: name, geography: ruleset.engine.set.geography)
    let day = try #require(report.receivedDay)
    let full = ruleset.engine.decide(report, asOf: day)
    let app = Fixtures.app(try Fixtures.state())
    try await app.test(.router) { client in
      try await client.execute(
        uri: "/v1/decisions?explain=false", method: .post, headers: Fixtures.auth,
        body: ByteBuffer(bytes: bytes)
      ) { response in
        #expect(response.status == .ok)
        let object = try #require(
          try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView))
            as? [String: Any])
        #expect(object["escalation"] as? String == full.escalation.rawValue)
        #expect(object["category"] as? String == full.category.rawValue)
        #expect((object["needs"] as? [Any])?.isEmpty == true)
        #expect((object["near_misses"] as? [Any])?.isEmpty == true)
        let protocols = try #require(object["protocols"] as? [[String: String]])
        #expect(protocols.map { $0["id"] } == full.protocols.map(\.id))
        #expect(protocols.allSatisfy { $0["because"] == "" })
        let referrals = try #require(object["referrals"] as? [[String: String]])
        #expect(referrals.map { $0["contact"] } == full.referrals.map(\.contact))
        #expect(referrals.map { $0["consent"] } == full.referrals.map(\.consent.rawValue))
        #expect(referrals.allSatisfy { $0["because"] == "" })
      }
    }
  }

  @Test func aBadFieldIs400ProblemWithRoutesMessage() async throws {
    let bytes = Array(
      """
      {
        "received_at": "2026-11-29T01:00:00Z",
        "victims": [ { "age": -3 } ]
      }
      """.utf8)
    let expected = try Fixtures.route(bytes)
    #expect(expected.status == 64)
    let message = expected.stderr.replacingOccurrences(of: "<stdin>", with: "<request>")
    let app = Fixtures.app(try Fixtures.state())
    try await app.test(.router) { client in
      try await client.execute(
        uri: "/v1/decisions", method: .post, headers: Fixtures.auth, body: ByteBuffer(bytes: bytes)
      ) { response in
        #expect(response.status == .badRequest)
        #expect(response.headers[.contentType] == "application/problem+json")
        let problem = try ProblemBody(response.body)
        #expect(problem.status == 400)
        #expect(problem.type == "urn:hotline-route:problem:invalid-report")
        #expect(problem.title == "The report is not valid")
        #expect("hotline-route: " + problem.detail + "\n" == message)
        #expect(problem.detail.contains("victims[0].age"))
      }
    }
  }

  @Test(arguments: [
    ("{\"colour\": \"red\"}", "colour"),
    ("{\"victims\": [{\"age\": \"16\"}]}", "victims[0].age"),
    ("{\"location\": {\"country\": \"US\", \"state\": \"ZZ\"}}", "location.state"),
    ("{\"imminent_danger\": True}", ""),
    ("", ""),
  ])
  func everyBadReportGivesRoutesMessage(report: String, field: String) async throws {
    let bytes = Array(report.utf8)
    let expected = try Fixtures.route(bytes)
    #expect(expected.status == 64)
    let app = Fixtures.app(try Fixtures.state())
    try await app.test(.router) { client in
      try await client.execute(
        uri: "/v1/decisions", method: .post, headers: Fixtures.auth, body: ByteBuffer(bytes: bytes)
      ) { response in
        #expect(response.status == .badRequest)
        let problem = try ProblemBody(response.body)
        #expect(
          "hotline-route: \(problem.detail)\n"
            == expected.stderr.replacingOccurrences(of: "<stdin>", with: "<request>"))
        if !field.isEmpty { #expect(problem.detail.contains(field)) }
      }
    }
  }

  @Test func bytesThatAreNotUTF8AreHR0102() async throws {
    let bytes: [UInt8] = Array("{\"id\": \"r-".utf8) + [0xFF, 0xFE] + Array("\"}".utf8)
    let expected = try Fixtures.route(bytes)
    let app = Fixtures.app(try Fixtures.state())
    try await app.test(.router) { client in
      try await client.execute(
        uri: "/v1/decisions", method: .post, headers: Fixtures.auth, body: ByteBuffer(bytes: bytes)
      ) { response in
        #expect(response.status == .badRequest)
        let problem = try ProblemBody(response.body)
        #expect(problem.detail.contains("error[HR0102]"))
        #expect(
          "hotline-route: \(problem.detail)\n"
            == expected.stderr.replacingOccurrences(of: "<stdin>", with: "<request>"))
      }
    }
  }

  @Test func aReportOver1MiBIs413() async throws {
    // Valid JSON, one byte over the limit: the size alone refuses it.
    let padding = [UInt8](repeating: 0x20, count: Report.Limits.bytes - 1)
    let bytes = Array("{".utf8) + padding + Array("}".utf8)
    #expect(bytes.count == Report.Limits.bytes + 1)
    let app = Fixtures.app(try Fixtures.state())
    try await app.test(.router) { client in
      try await client.execute(
        uri: "/v1/decisions", method: .post, headers: Fixtures.auth, body: ByteBuffer(bytes: bytes)
      ) { response in
        #expect(response.status == .contentTooLarge)
        #expect(response.headers[.contentType] == "application/problem+json")
        let problem = try ProblemBody(response.body)
        #expect(problem.status == 413)
        #expect(problem.detail.contains("error[HR0103]"))
        #expect(problem.detail.contains("larger than 1048576 bytes"))
      }
      // Exactly at the limit is read (and decided).
      let atLimit = Array("{".utf8) + padding.dropLast() + Array("}".utf8)
      try await client.execute(
        uri: "/v1/decisions", method: .post, headers: Fixtures.auth,
        body: ByteBuffer(bytes: atLimit)
      ) { response in
        #expect(response.status == .ok)
      }
    }
  }

  @Test(arguments: [
    ("/v1/decisions?explain=no", "explain must be true or false, not 'no'"),
    ("/v1/decisions?verbose=1", "unknown query parameter 'verbose'"),
  ])
  func aBadQueryIs400(uri: String, message: String) async throws {
    let bytes = try Fixtures.exampleBytes(try #require(Fixtures.exampleReports.first))
    let app = Fixtures.app(try Fixtures.state())
    try await app.test(.router) { client in
      try await client.execute(
        uri: uri, method: .post, headers: Fixtures.auth, body: ByteBuffer(bytes: bytes)
      ) { response in
        #expect(response.status == .badRequest)
        let problem = try ProblemBody(response.body)
        #expect(problem.type == "urn:hotline-route:problem:invalid-query")
        #expect(problem.detail.contains(message))
      }
    }
  }

  /// A report without `received_at` is decided as of today (UTC), as `route` does.
  @Test func withoutReceivedAtTheDayIsToday() async throws {
    let bytes = Array(#"{"trafficking_type": "labor", "indicators": ["wage_theft"]}"#.utf8)
    let expected = try Fixtures.route(bytes)
    let app = Fixtures.app(try Fixtures.state())
    try await app.test(.router) { client in
      try await client.execute(
        uri: "/v1/decisions", method: .post, headers: Fixtures.auth, body: ByteBuffer(bytes: bytes)
      ) { response in
        #expect(response.status == .ok)
        #expect(String(decoding: response.body.readableBytesView, as: UTF8.self) == expected.stdout)
      }
    }
  }
}

/// A problem+json body, read back.
struct ProblemBody {
  var type: String
  var title: String
  var status: Int
  var detail: String
  var errors: [String]

  init(_ buffer: ByteBuffer) throws {
    let object = try #require(
      try JSONSerialization.jsonObject(with: Data(buffer.readableBytesView)) as? [String: Any])
    type = try #require(object["type"] as? String)
    title = try #require(object["title"] as? String)
    status = try #require(object["status"] as? Int)
    detail = try #require(object["detail"] as? String)
    errors = object["errors"] as? [String] ?? []
    #expect(Set(object.keys).isSubset(of: ["type", "title", "status", "detail", "errors"]))
  }
}
