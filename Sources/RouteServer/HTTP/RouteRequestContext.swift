import Hummingbird

/// The request context of the service: Hummingbird's, plus the request id the response
/// will carry (`X-Request-ID`).
public struct RouteRequestContext: RequestContext {
  public var coreContext: CoreRequestContextStorage
  /// Set by `AccessMiddleware` before any handler runs.
  public var requestID = ""

  public init(source: ApplicationRequestContextSource) {
    coreContext = .init(source: source)
  }

  /// Bodies are read by the handlers with their own limits (`Report.Limits.bytes`, the
  /// batch limit); this is the bound for anything else.
  public var maxUploadSize: Int { RouteTable.batchBytes }
}
