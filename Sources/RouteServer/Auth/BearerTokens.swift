import Foundation

/// The bearer tokens a client may present, read from `--token-file`: one token per line,
/// blank lines and lines starting with `#` ignored, surrounding spaces trimmed.
///
/// The tokens are secrets: nothing here prints them, and a presented token is compared with
/// every accepted token in full, in time that depends only on the lengths involved.
public struct BearerTokens: Sendable {
  /// The accepted tokens' bytes.
  private let tokens: [[UInt8]]

  /// How many tokens are accepted (for the startup log line; never the tokens).
  public var count: Int { tokens.count }

  /// Tokens from a file's text.
  ///
  /// - Throws: `RouteServerError.tokenFile` when there is no token, or a token holds a
  ///   space or a control character (it could not be sent in an `Authorization` header).
  public init(text: String, path: String) throws(RouteServerError) {
    var tokens: [[UInt8]] = []
    // Split on any line break: "\r\n" is one Character, which a split on "\n" would miss.
    let lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
    for (index, rawLine) in lines.enumerated() {
      let line = rawLine.trimmingCharacters(in: .whitespaces)
      if line.isEmpty || line.hasPrefix("#") { continue }
      guard line.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value < 0x7F }) else {
        throw .tokenFile(
          path: path,
          reason:
            "line \(index + 1) is not a token: a token is printable ASCII without spaces "
            + "(the line is not shown)")
      }
      tokens.append(Array(line.utf8))
    }
    guard !tokens.isEmpty else {
      throw .tokenFile(
        path: path,
        reason: "holds no token (one per line; blank lines and # comments are ignored)")
    }
    self.tokens = tokens
  }

  /// Reads the token file.
  ///
  /// - Throws: `RouteServerError.tokenFile` when the file cannot be read, is not UTF-8, is
  ///   larger than 1 MiB, or holds no token.
  public static func read(path: String) throws(RouteServerError) -> BearerTokens {
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
      throw .tokenFile(path: path, reason: "no such file")
    }
    guard !isDirectory.boolValue else {
      throw .tokenFile(path: path, reason: "it is a directory, not a file")
    }
    // Opening a FIFO would wait for a writer: the service would hang at start or on SIGHUP.
    var status = stat()
    guard stat(path, &status) == 0, status.st_mode & S_IFMT == S_IFREG else {
      throw .tokenFile(path: path, reason: "it is not a regular file (a FIFO, socket or device)")
    }
    guard let handle = FileHandle(forReadingAtPath: path) else {
      throw .tokenFile(path: path, reason: "cannot be read (permission denied?)")
    }
    defer { try? handle.close() }
    let data: Data
    do {
      data = try handle.read(upToCount: (1 << 20) + 1) ?? Data()
    } catch {
      throw .tokenFile(path: path, reason: "cannot be read: \(error.localizedDescription)")
    }
    guard data.count <= 1 << 20 else {
      throw .tokenFile(path: path, reason: "is larger than 1 MiB; it should hold a few tokens")
    }
    guard let text = String(data: data, encoding: .utf8) else {
      throw .tokenFile(path: path, reason: "is not UTF-8 text")
    }
    return try BearerTokens(text: text, path: path)
  }

  /// Whether `presented` is one of the tokens. Every token is compared in full, whatever
  /// the outcome of the comparisons before it, so the time taken does not say which token
  /// (or which prefix of one) matched.
  public func accepts(_ presented: some Collection<UInt8>) -> Bool {
    let presented = Array(presented)
    var matched: UInt8 = 0
    for token in tokens {
      matched |= BearerTokens.equalInConstantTime(presented, token)
    }
    return matched != 0
  }

  /// 1 when the byte strings are equal, else 0, reading every byte of `expected` whatever
  /// the contents; only the lengths decide how long it takes.
  static func equalInConstantTime(_ presented: [UInt8], _ expected: [UInt8]) -> UInt8 {
    var difference: UInt8 = presented.count == expected.count ? 0 : 1
    presented.withUnsafeBufferPointer { given in
      for index in 0..<expected.count {
        let byte = index < given.count ? given[index] : 0
        difference |= byte ^ expected[index]
      }
    }
    // 1 only if no bit differed, computed without a branch on the difference.
    return UInt8(truncatingIfNeeded: (UInt16(difference) &- 1) >> 8) & 1
  }

  /// The token in an `Authorization: Bearer <token>` header value, or nil.
  public static func token(inAuthorization value: String) -> Substring.UTF8View? {
    let trimmed = value.drop(while: { $0 == " " })
    guard trimmed.count > 7 else { return nil }
    let scheme = trimmed.prefix(6)
    guard scheme.lowercased() == "bearer", trimmed.dropFirst(6).first == " " else { return nil }
    let token = trimmed.dropFirst(7).drop(while: { $0 == " " })
    let end =
      token.lastIndex(where: { $0 != " " }).map { token.index(after: $0) } ?? token.startIndex
    let result = token[token.startIndex..<end]
    return result.isEmpty ? nil : result.utf8
  }
}
