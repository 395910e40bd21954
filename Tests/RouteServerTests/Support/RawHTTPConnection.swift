import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// A plain TCP connection to the service, for requests that must be sent in parts (a
/// request in flight while the service shuts down). Blocking reads run on their own thread.
final class RawHTTPConnection: @unchecked Sendable {
  // @unchecked: the descriptor is used by one caller at a time, then closed.
  private let descriptor: Int32

  init(port: Int) throws {
    descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard descriptor >= 0 else { throw POSIXError(.EIO) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = in_port_t(UInt16(port).bigEndian)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    let connected = withUnsafePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
      }
    }
    guard connected == 0 else {
      close(descriptor)
      throw POSIXError(.ECONNREFUSED)
    }
  }

  deinit { close(descriptor) }

  func send(_ bytes: [UInt8]) throws {
    var offset = 0
    while offset < bytes.count {
      let sent = bytes[offset...].withUnsafeBytes {
        Glibc.send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL))
      }
      guard sent > 0 else { throw POSIXError(.EPIPE) }
      offset += sent
    }
  }

  /// Everything the server sends until it closes the connection.
  func readToEnd() async -> [UInt8] {
    await withCheckedContinuation { continuation in
      let thread = Thread { [self] in
        var received: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
          let count = chunk.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
          if count <= 0 { break }
          received += chunk[0..<count]
        }
        continuation.resume(returning: received)
      }
      thread.start()
    }
  }
}
