import Foundation
import Hummingbird
import HummingbirdTesting
import ProtocolEngine
import Testing

@testable import RouteServer

/// `POST /v1/decisions:batch`: results in order, a bad report failing alone, the limits.
@Suite("POST /v1/decisions:batch")
struct BatchEndpointTests {
  func post(_ body: [UInt8], uri: String = "/v1/decisions:batch") async throws -> TestResponse {
    let app = Fixtures.app(try Fixtures.state())
    return try await app.test(.router) { client in
      try await client.execute(
        uri: uri, method: .post, headers: Fixtures.auth, body: ByteBuffer(bytes: body))
    }
  }

  @Test func mixedItemsGiveOneResultEachInOrder() async throws {
    let good = try Fixtures.exampleReports.map { try Fixtures.exampleBytes($0) }
    try #require(good.count >= 2)
    let badAge = Array(#"{"victims": [{"age": -3}]}"#.utf8)
    let notAnObject = Array("42".utf8)
    let items: [[UInt8]] = [good[0], badAge, good[1], notAnObject]
    let body = Array("[".utf8) + items.joined(separator: Array(",\n".utf8)) + Array("]".utf8)
    let response = try await post(body)
    #expect(response.status == .ok)
    let results = try #require(
      try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView))
        as? [[String: Any]])
    #expect(results.count == 4)
    #expect(results.map { $0["status"] as? Int } == [200, 400, 200, 400])
    // A good item's decision is the one `route` gives, as a JSON value.
    for (position, index) in [(0, 0), (2, 1)] {
      let expected = try Fixtures.route(good[index])
      let decision = try #require(results[position]["decision"])
      let expectedObject = try JSONSerialization.jsonObject(with: Data(expected.stdout.utf8))
      #expect(
        try JSONSerialization.data(withJSONObject: decision, options: .sortedKeys)
          == JSONSerialization.data(withJSONObject: expectedObject, options: .sortedKeys))
    }
    let problem = try #require(results[1]["problem"] as? [String: Any])
    #expect(problem["type"] as? String == "urn:hotline-route:problem:invalid-report")
    let detail = try #require(problem["detail"] as? String)
    // Located in the whole body, the field prefixed with the report's index.
    #expect(detail.hasPrefix("<request>:"))
    #expect(detail.contains("[1].victims[0].age"))
    let second = try #require((results[3]["problem"] as? [String: Any])?["detail"] as? String)
    #expect(second.contains("[3]"))
  }

  @Test func theBadItemIsLocatedInTheBody() async throws {
    let body = Array("[\n  {},\n  {\"victims\": [{\"age\": -3}]}\n]".utf8)
    let single = try Fixtures.route(Array("{\"victims\": [{\"age\": -3}]}".utf8))
    // route says <stdin>:1:COL: victims[0].age: MESSAGE; in the batch it is line 3, the
    // column moved by the two spaces of indentation, the field prefixed with [1].
    let said = try #require(
      single.stderr.firstMatch(of: #/<stdin>:1:(\d+): victims\[0\]\.age: (.*)\n/#))
    let column = try #require(Int(said.output.1))
    let response = try await post(body)
    let results = try #require(
      try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView))
        as? [[String: Any]])
    let detail = try #require((results[1]["problem"] as? [String: Any])?["detail"] as? String)
    #expect(detail == "<request>:3:\(column + 2): [1].victims[0].age: \(said.output.2)")
  }

  @Test func anEmptyArrayIsAnEmptyResult() async throws {
    let response = try await post(Array(" [ ] ".utf8))
    #expect(response.status == .ok)
    #expect(String(decoding: response.body.readableBytesView, as: UTF8.self) == "[]\n")
  }

  @Test func moreThan1000ReportsIs413() async throws {
    let items = [String](repeating: "{}", count: RouteTable.batchItems + 1)
    let response = try await post(Array("[\(items.joined(separator: ","))]".utf8))
    #expect(response.status == .contentTooLarge)
    let problem = try ProblemBody(response.body)
    #expect(problem.detail.contains("more than 1000 reports"))
  }

  @Test func exactly1000ReportsAreDecided() async throws {
    let items = [String](repeating: "{}", count: RouteTable.batchItems)
    let response = try await post(Array("[\(items.joined(separator: ","))]".utf8))
    #expect(response.status == .ok)
    let results = try #require(
      try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [Any])
    #expect(results.count == 1000)
  }

  @Test func aBodyOverTheBatchLimitIs413() async throws {
    let body = [UInt8](repeating: 0x20, count: RouteTable.batchBytes + 1)
    let response = try await post(body)
    #expect(response.status == .contentTooLarge)
    #expect(try ProblemBody(response.body).detail.contains("16 MiB"))
  }

  @Test(arguments: [
    ("{}", "<request>:1:1: a batch is a JSON array of reports"),
    ("[{}, {}", "<request>:1:8: the batch ends before its closing ]"),
    ("[{}, {\"id\": \"x}]", "the batch ends inside report 1"),
    ("[{} {}]", "<request>:1:5: expected , or ] after report 0"),
    ("[\"a\" 1]", "<request>:1:6: expected , or ] after report 0"),
    ("[{},]", "report 1 of the batch is missing"),
    ("[{}] x", "<request>:1:6: nothing may follow the batch's closing ]"),
  ])
  func aBrokenArrayIs400(body: String, message: String) async throws {
    let response = try await post(Array(body.utf8))
    #expect(response.status == .badRequest)
    let problem = try ProblemBody(response.body)
    #expect(problem.type == "urn:hotline-route:problem:invalid-batch")
    #expect(problem.detail.contains(message))
  }

  @Test func explainFalseAppliesToEveryItem() async throws {
    let good = try Fixtures.exampleReports.map { try Fixtures.exampleBytes($0) }
    let body = Array("[".utf8) + good.joined(separator: Array(",".utf8)) + Array("]".utf8)
    let response = try await post(body, uri: "/v1/decisions:batch?explain=false")
    let results = try #require(
      try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView))
        as? [[String: Any]])
    #expect(results.count == good.count)
    for result in results {
      let decision = try #require(result["decision"] as? [String: Any])
      #expect((decision["needs"] as? [Any])?.isEmpty == true)
      #expect((decision["near_misses"] as? [Any])?.isEmpty == true)
    }
  }
}
