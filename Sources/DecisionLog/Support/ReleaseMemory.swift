#if canImport(Glibc)
  import Glibc
#endif

/// Gives memory the process no longer uses back to the system.
///
/// glibc keeps freed memory in its arenas for reuse, so after a backlog of buffered records
/// drains, or a reload replaces a whole protocol set, the resident size stays at its peak. A
/// service whose memory only ever rises looks, to its operators and to a soak test, like one
/// that leaks.
public enum ReleaseMemory {
  private typealias Trim = @convention(c) (Int) -> Int32

  /// glibc's `malloc_trim`, looked up at run time (Swift's Glibc module does not declare
  /// it, and another C library may not have it).
  private static let trim: Trim? = {
    #if canImport(Glibc)
      guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "malloc_trim") else {
        return nil
      }
      return unsafeBitCast(symbol, to: Trim.self)
    #else
      return nil
    #endif
  }()

  /// `malloc_trim(0)` where there is one (the free pages of every arena are released);
  /// elsewhere nothing: the allocator returns memory itself.
  public static func toTheSystem() {
    _ = trim?(0)
  }

  /// Whether this system's allocator can be asked (glibc).
  public static var isAvailable: Bool { trim != nil }
}
