import Foundation

/// Name-based UUIDs (RFC 9562 version 5: SHA-1 of a namespace and a name), so that exporting
/// the same store twice gives every xAPI statement the same id. An LRS then recognises a
/// statement it already holds (xAPI 1.0.3 lets it accept the identical statement again, and
/// answers 409 only for a different one), so a coordinator can re-post an export safely.
///
/// SHA-1 is written out here rather than taken from swift-crypto because it is used only to
/// derive identifiers, never for security, and `Reports` has no direct dependency on Crypto.
enum NameBasedUUID {
  /// The RFC's namespace for names that are URLs; statement names are IRIs under the home page.
  static let urlNamespace = UUID(
    uuid: (
      0x6b, 0xa7, 0xb8, 0x11, 0x9d, 0xad, 0x11, 0xd1, 0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4, 0x30,
      0xc8
    ))

  /// The version-5 UUID of `name` in `namespace`, lowercase as xAPI examples write them.
  static func v5(_ name: String, namespace: UUID = urlNamespace) -> String {
    let space = namespace.uuid
    var bytes: [UInt8] = [
      space.0, space.1, space.2, space.3, space.4, space.5, space.6, space.7, space.8, space.9,
      space.10, space.11, space.12, space.13, space.14, space.15,
    ]
    bytes += Array(name.utf8)
    var hash = SHA1.digest(bytes)
    hash[6] = (hash[6] & 0x0f) | 0x50
    hash[8] = (hash[8] & 0x3f) | 0x80
    let uuid = UUID(
      uuid: (
        hash[0], hash[1], hash[2], hash[3], hash[4], hash[5], hash[6], hash[7], hash[8],
        hash[9], hash[10], hash[11], hash[12], hash[13], hash[14], hash[15]
      ))
    return uuid.uuidString.lowercased()
  }
}

/// SHA-1 (FIPS 180-4), only as far as name-based UUIDs need it.
enum SHA1 {
  /// The 20-byte digest of `message`.
  ///
  /// - Complexity: O(n) in the message's length.
  static func digest(_ message: [UInt8]) -> [UInt8] {
    var h: [UInt32] = [0x6745_2301, 0xEFCD_AB89, 0x98BA_DCFE, 0x1032_5476, 0xC3D2_E1F0]
    var padded = message
    padded.append(0x80)
    while padded.count % 64 != 56 { padded.append(0) }
    let bitLength = UInt64(message.count) &* 8
    for shift in stride(from: 56, through: 0, by: -8) {
      padded.append(UInt8(truncatingIfNeeded: bitLength >> UInt64(shift)))
    }
    var w = [UInt32](repeating: 0, count: 80)
    for chunk in stride(from: 0, to: padded.count, by: 64) {
      for index in 0..<16 {
        let base = chunk + index * 4
        w[index] =
          UInt32(padded[base]) << 24 | UInt32(padded[base + 1]) << 16
          | UInt32(padded[base + 2]) << 8 | UInt32(padded[base + 3])
      }
      for index in 16..<80 {
        w[index] = rotate(w[index - 3] ^ w[index - 8] ^ w[index - 14] ^ w[index - 16], 1)
      }
      var (a, b, c, d, e) = (h[0], h[1], h[2], h[3], h[4])
      for index in 0..<80 {
        let f: UInt32
        let k: UInt32
        switch index {
        case 0..<20: (f, k) = ((b & c) | (~b & d), 0x5A82_7999)
        case 20..<40: (f, k) = (b ^ c ^ d, 0x6ED9_EBA1)
        case 40..<60: (f, k) = ((b & c) | (b & d) | (c & d), 0x8F1B_BCDC)
        default: (f, k) = (b ^ c ^ d, 0xCA62_C1D6)
        }
        let next = rotate(a, 5) &+ f &+ e &+ k &+ w[index]
        (e, d, c, b, a) = (d, c, rotate(b, 30), a, next)
      }
      h[0] = h[0] &+ a
      h[1] = h[1] &+ b
      h[2] = h[2] &+ c
      h[3] = h[3] &+ d
      h[4] = h[4] &+ e
    }
    return h.flatMap { word in
      [24, 16, 8, 0].map { UInt8(truncatingIfNeeded: word >> UInt32($0)) }
    }
  }

  private static func rotate(_ value: UInt32, _ count: UInt32) -> UInt32 {
    value << count | value >> (32 - count)
  }
}
