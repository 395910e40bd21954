import DecisionLog
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import ProtocolEngine
import ServiceLifecycle
import Testing

@testable import RouteServer

/// Graceful shutdown and the decision log.
@Suite("Lifecycle and decision log")
struct LifecycleTests {
  /// A request whose body is still arriving when shutdown begins is answered in full; then
  /// the decision log is flushed and closed, and the service ends without an error.
  @Test func shutdownFinishesTheRequestInFlightThenClosesTheLog() async throws {
    let sink = RecordingSink()
    let state = try Fixtures.state(sink: sink)
    let name = try #require(Fixtures.exampleReports.first)
    let bytes = try Fixtures.exampleBytes(name)
    let expected = try Fixtures.route(bytes)
    let (addresses, listening) = AsyncStream<String>.makeStream()
    let app = RouteServer.application(
      state: state, host: "127.0.0.1", port: 0, handleHangup: false,
      onListening: { listening.yield($0) })
    let group = ServiceGroup(
      configuration: .init(services: [app], logger: Fixtures.quietLogger))
    try await withThrowingTaskGroup(of: Void.self) { tasks in
      tasks.addTask { try await group.run() }
      var iterator = addresses.makeAsyncIterator()
      let address = try #require(await iterator.next())
      let port = try #require(Int(address.split(separator: ":").last ?? ""))
      let connection = try RawHTTPConnection(port: port)
      let head =
        "POST /v1/decisions HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer "
        + "\(Fixtures.token)\r\nContent-Type: application/json\r\nContent-Length: "
        + "\(bytes.count)\r\nX-Request-ID: in-flight-1\r\n\r\n"
      let half = bytes.count / 2
      try connection.send(Array(head.utf8) + bytes[0..<half])
      // Wait until the service is answering it (its body is only half there).
      var polls = 0
      while state.requestsInFlight < 1 {
        polls += 1
        try #require(polls < 2_000, "the request never reached the service")
        try await Task.sleep(for: .milliseconds(5))
      }
      await group.triggerGracefulShutdown()
      try connection.send(Array(bytes[half...]))
      let response = String(decoding: await connection.readToEnd(), as: UTF8.self)
      #expect(response.hasPrefix("HTTP/1.1 200"))
      #expect(response.lowercased().contains("x-request-id: in-flight-1"))
      #expect(response.hasSuffix("\r\n\r\n" + expected.stdout))
      try await tasks.waitForAll()
    }
    #expect(sink.flushedAndClosed == (flushed: true, closed: true))
    #expect(sink.received.map(\.requestID) == ["in-flight-1"])
  }

  /// Every decision reaches the sink masked, with the request id, the ruleset and the
  /// decision exactly as answered; a batch logs one record per decision.
  @Test func theSinkReceivesMaskedRecords() async throws {
    let sink = RecordingSink()
    let state = try Fixtures.state(sink: sink)
    let ruleset = state.rulesets.current
    let app = Fixtures.app(state)
    let names = Fixtures.exampleReports
    let reports = try names.map { try Fixtures.exampleBytes($0) }
    let answered = try await app.test(.router) { client in
      var answered: [String: (id: String, body: String)] = [:]
      for (name, bytes) in zip(names, reports) {
        answered[name] = try await client.execute(
          uri: "/v1/decisions", method: .post, headers: Fixtures.auth,
          body: ByteBuffer(bytes: bytes)
        ) { response in
          let id = try #require(response.headers[AccessMiddleware.requestIDHeader])
          return (id, String(decoding: response.body.readableBytesView, as: UTF8.self))
        }
      }
      // A bad report is not logged.
      try await client.execute(
        uri: "/v1/decisions", method: .post, headers: Fixtures.auth, body: ByteBuffer(string: "{")
      ) { #expect($0.status == .badRequest) }
      var headers = Fixtures.auth
      headers[AccessMiddleware.requestIDHeader] = "batch-7"
      try await client.execute(
        uri: "/v1/decisions:batch", method: .post, headers: headers,
        body: ByteBuffer(string: "[{}, 1, {}]"))
      return answered
    }
    let records = sink.received
    #expect(records.count == names.count + 2)
    for (name, bytes) in zip(names, reports) {
      let answer = try #require(answered[name])
      let record = try #require(records.first { $0.requestID == answer.id })
      let report = try Report.decode(
        utf8: bytes, file: name, geography: ruleset.engine.set.geography)
      #expect(record.report == ReportMask.mask(report))
      #expect(record.decision.rendered(pretty: true) + "\n" == answer.body)
      #expect(record.rulesetVersion == ruleset.version)
      #expect(record.rulesetSHA256 == ruleset.sha256)
      #expect(record.asOf == report.receivedDay)
      #expect(record.time.hasSuffix("Z") && record.time.count == 24)
    }
    #expect(records.suffix(2).map(\.requestID) == ["batch-7/0", "batch-7/2"])
  }

  /// A full sink refuses records; the request is still answered, and the drop is counted.
  @Test func aFullSinkDropsWithoutFailingTheRequest() async throws {
    let sink = RecordingSink(capacity: 1)
    let state = try Fixtures.state(sink: sink)
    let app = Fixtures.app(state)
    let bytes = try Fixtures.exampleBytes(try #require(Fixtures.exampleReports.first))
    try await app.test(.router) { client in
      for _ in 0..<3 {
        try await client.execute(
          uri: "/v1/decisions", method: .post, headers: Fixtures.auth,
          body: ByteBuffer(bytes: bytes)
        ) { #expect($0.status == .ok) }
      }
      try await client.execute(uri: "/metrics", method: .get) { response in
        let text = String(decoding: response.body.readableBytesView, as: UTF8.self)
        #expect(text.contains("hotline_route_decision_log_records_total{outcome=\"dropped\"} 2"))
        #expect(text.contains("hotline_route_decision_log_records_total{outcome=\"accepted\"} 1"))
      }
    }
    #expect(sink.statistics.dropped == 2)
  }

  @Test func aLiveServerAnswersAndShutsDownTheLog() async throws {
    let sink = RecordingSink()
    let state = try Fixtures.state(sink: sink)
    let app = Fixtures.app(state)
    let bytes = try Fixtures.exampleBytes(try #require(Fixtures.exampleReports.first))
    let expected = try Fixtures.route(bytes)
    try await app.test(.live) { client in
      try await client.execute(
        uri: "/v1/decisions", method: .post, headers: Fixtures.auth, body: ByteBuffer(bytes: bytes)
      ) { response in
        #expect(response.status == .ok)
        #expect(String(decoding: response.body.readableBytesView, as: UTF8.self) == expected.stdout)
      }
    }
    #expect(sink.flushedAndClosed == (flushed: true, closed: true))
    #expect(sink.statistics.written == 1)
  }
}
