import Benchmark
import ProtocolEngine

let benchmarks: @Sendable () -> Void = {
  Benchmark("placeholder") { _ in blackHole(1) }
}
