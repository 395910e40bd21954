import RouteServer
import Testing

@Suite("Route server")
struct RouteServerTests {
  @Test func theModuleLinks() {
    #expect(Bool(true))
  }
}
