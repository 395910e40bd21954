import DecisionLog
import Foundation
import Prometheus
import ProtocolEngine
import Synchronization

/// The service's Prometheus metrics (swift-prometheus), served as text on `/metrics`:
///
/// - `hotline_route_http_requests_total{route,method,status}` and
///   `hotline_route_http_request_duration_seconds{route}`: every request, by route template
///   (`/v1/decisions`, ..., or `unmatched`);
/// - `hotline_route_decisions_total{escalation}` and
///   `hotline_route_decision_duration_seconds{escalation}`: every decision made (a batch
///   counts each item), from decoding the report to its decision JSON (rendered, for
///   `/v1/decisions`);
/// - `hotline_route_decision_log_records_total{outcome}` (`accepted`, `written`, `dropped`)
///   and `hotline_route_decision_log_failures_total`: the decision log sink's statistics;
/// - `hotline_route_decision_log_backlog`: records accepted and not yet durable (a slow disk
///   or database shows here first; the buffer's memory grows with it);
/// - `process_resident_memory_bytes`: the service's resident memory (Linux), read at scrape;
/// - `hotline_route_ruleset_reloads_total{result}` (`ok`, `refused`);
/// - `hotline_route_http_requests_in_flight`: requests being answered now.
public final class ServerMetrics: Sendable {
  public let registry: PrometheusCollectorRegistry
  private let buckets: [Duration]
  private let decisionCounters: [Counter]
  private let decisionDurations: [DurationHistogram]
  private let reloadsOK: Counter
  private let reloadsRefused: Counter
  private let logCounters: (accepted: Counter, written: Counter, dropped: Counter)
  private let logFailures: Counter
  private let inFlightGauge: Gauge
  private let backlogGauge: Gauge
  private let residentGauge: Gauge
  /// The sink statistics already counted, so each scrape adds only what is new.
  private let logSeen = Mutex(DecisionLogStatistics())

  public init(registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) {
    self.registry = registry
    buckets = [
      .microseconds(100), .microseconds(250), .microseconds(500), .milliseconds(1),
      .milliseconds(2.5), .milliseconds(5), .milliseconds(10), .milliseconds(25),
      .milliseconds(50), .milliseconds(100), .milliseconds(250), .seconds(1),
    ]
    let escalations = Escalation.allCases
    decisionCounters = escalations.map {
      registry.makeCounter(
        descriptor: ServerMetrics.name(
          "decisions", unit: "total", help: "Decisions made, by escalation."),
        labels: [("escalation", $0.rawValue)])
    }
    decisionDurations = escalations.map { [buckets] in
      registry.makeDurationHistogram(
        descriptor: ServerMetrics.name(
          "decision_duration", unit: "seconds",
          help: "Time to decode and decide one report and build its JSON, by escalation."),
        labels: [("escalation", $0.rawValue)], buckets: buckets)
    }
    let reloads = ServerMetrics.name(
      "ruleset_reloads", unit: "total", help: "Protocol set reloads, by result.")
    reloadsOK = registry.makeCounter(descriptor: reloads, labels: [("result", "ok")])
    reloadsRefused = registry.makeCounter(descriptor: reloads, labels: [("result", "refused")])
    let records = ServerMetrics.name(
      "decision_log_records", unit: "total",
      help: "Decision log records accepted into the buffer, written durably, or dropped.")
    logCounters = (
      registry.makeCounter(descriptor: records, labels: [("outcome", "accepted")]),
      registry.makeCounter(descriptor: records, labels: [("outcome", "written")]),
      registry.makeCounter(descriptor: records, labels: [("outcome", "dropped")])
    )
    inFlightGauge = registry.makeGauge(
      descriptor: ServerMetrics.name(
        "http_requests_in_flight", unit: "", help: "HTTP requests being answered now."),
      labels: [])
    backlogGauge = registry.makeGauge(
      descriptor: ServerMetrics.name(
        "decision_log_backlog", unit: "",
        help: "Decision log records accepted and not yet written durably."),
      labels: [])
    residentGauge = registry.makeGauge(
      name: "process_resident_memory_bytes", labels: [],
      help: "Resident memory size in bytes.")
    logFailures = registry.makeCounter(
      descriptor: ServerMetrics.name(
        "decision_log_failures", unit: "total", help: "Decision log write attempts that failed."),
      labels: [])
  }

  private static func name(_ name: String, unit: String, help: String) -> MetricNameDescriptor {
    MetricNameDescriptor(
      namespace: "hotline_route", metricName: name, unitName: unit, helpText: help)
  }

  /// Counts a request and its latency.
  func request(route: String, method: String, status: Int, duration: Duration) {
    registry.makeCounter(
      descriptor: ServerMetrics.name(
        "http_requests", unit: "total", help: "HTTP requests, by route, method and status."),
      labels: [("route", route), ("method", method), ("status", String(status))]
    ).increment()
    registry.makeDurationHistogram(
      descriptor: ServerMetrics.name(
        "http_request_duration", unit: "seconds", help: "HTTP request latency, by route."),
      labels: [("route", route)], buckets: buckets
    ).record(duration)
  }

  /// Counts a decision and the time it took.
  func decision(_ escalation: Escalation, duration: Duration) {
    guard let index = Escalation.allCases.firstIndex(of: escalation) else { return }
    decisionCounters[index].increment()
    decisionDurations[index].record(duration)
  }

  func inFlight(_ count: Int) {
    inFlightGauge.set(Double(count))
  }

  func reloaded(ok: Bool) {
    (ok ? reloadsOK : reloadsRefused).increment()
  }

  /// Brings the decision log counters up to the sink's statistics.
  func update(decisionLog statistics: DecisionLogStatistics) {
    // Deltas are taken and the high-water marks raised under one lock, so that two scrapes
    // racing never count the same records twice.
    let deltas = logSeen.withLock { seen in
      let deltas = (
        max(0, statistics.accepted - seen.accepted), max(0, statistics.written - seen.written),
        max(0, statistics.dropped - seen.dropped), max(0, statistics.failures - seen.failures)
      )
      seen.accepted = max(seen.accepted, statistics.accepted)
      seen.written = max(seen.written, statistics.written)
      seen.dropped = max(seen.dropped, statistics.dropped)
      seen.failures = max(seen.failures, statistics.failures)
      return deltas
    }
    backlogGauge.set(Double(max(0, statistics.accepted - statistics.written)))
    for (counter, delta) in [
      (logCounters.accepted, deltas.0), (logCounters.written, deltas.1),
      (logCounters.dropped, deltas.2), (logFailures, deltas.3),
    ] where delta > 0 {
      counter.increment(by: Int64(delta))
    }
  }

  /// The Prometheus text exposition of every metric.
  public func exposition(decisionLog statistics: DecisionLogStatistics?) -> [UInt8] {
    if let statistics { update(decisionLog: statistics) }
    if let resident = ServerMetrics.residentBytes() { residentGauge.set(Double(resident)) }
    return registry.emitToBuffer()
  }

  /// The resident set size from `/proc/self/statm` (pages), or nil where there is none.
  static func residentBytes() -> Int? {
    guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else {
      return nil
    }
    let fields = text.split(separator: " ")
    guard fields.count > 1, let pages = Int(fields[1]) else { return nil }
    return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
  }
}
