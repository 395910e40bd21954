import Foundation
import Testing

/// Just enough of PNG to check a browser's screenshot: 8-bit RGB or RGBA, not interlaced (what
/// Chromium writes), with the zlib stream inflated here (RFC 1950/1951), so the check needs
/// no image library.
struct PNGImage {
  var width: Int
  var height: Int
  /// 3 (RGB) or 4 (RGBA).
  var channels: Int
  /// Rows top to bottom, `width * channels` bytes each, filters undone.
  var pixels: [UInt8]

  struct Failure: Error, CustomStringConvertible {
    var description: String
  }

  /// The width and height from the header alone.
  static func size(_ data: Data) throws -> (width: Int, height: Int) {
    let bytes = [UInt8](data.prefix(24))
    guard bytes.count == 24, bytes.starts(with: signature), bytes[12..<16] == [73, 72, 68, 82]
    else { throw Failure(description: "not a PNG") }
    return (Int(be32(bytes, 16)), Int(be32(bytes, 20)))
  }

  static let signature: [UInt8] = [137, 80, 78, 71, 13, 10, 26, 10]

  init(_ data: Data) throws {
    let bytes = [UInt8](data)
    guard bytes.starts(with: Self.signature) else { throw Failure(description: "not a PNG") }
    var position = 8
    var header: [UInt8] = []
    var compressed: [UInt8] = []
    while position + 8 <= bytes.count {
      let length = Int(Self.be32(bytes, position))
      let type = String(decoding: bytes[(position + 4)..<(position + 8)], as: UTF8.self)
      let start = position + 8
      guard start + length + 4 <= bytes.count else { throw Failure(description: "truncated chunk") }
      switch type {
      case "IHDR": header = Array(bytes[start..<(start + length)])
      case "IDAT": compressed += bytes[start..<(start + length)]
      default: break
      }
      position = start + length + 4
      if type == "IEND" { break }
    }
    guard header.count == 13 else { throw Failure(description: "no IHDR") }
    width = Int(Self.be32(header, 0))
    height = Int(Self.be32(header, 4))
    guard header[8] == 8, header[12] == 0, header[9] == 2 || header[9] == 6 else {
      throw Failure(
        description:
          "unsupported PNG: depth \(header[8]), colour \(header[9]), interlace \(header[12])")
    }
    channels = header[9] == 6 ? 4 : 3
    let raw = try Inflater.zlib(compressed)
    let stride = width * channels
    guard raw.count >= height * (stride + 1) else { throw Failure(description: "short image data") }
    var pixels = [UInt8](repeating: 0, count: height * stride)
    for row in 0..<height {
      let filter = raw[row * (stride + 1)]
      let source = row * (stride + 1) + 1
      let target = row * stride
      for index in 0..<stride {
        let a = index >= channels ? Int(pixels[target + index - channels]) : 0
        let b = row > 0 ? Int(pixels[target - stride + index]) : 0
        let c = row > 0 && index >= channels ? Int(pixels[target - stride + index - channels]) : 0
        let predicted: Int
        switch filter {
        case 0: predicted = 0
        case 1: predicted = a
        case 2: predicted = b
        case 3: predicted = (a + b) / 2
        case 4:
          let p = a + b - c
          let (pa, pb, pc) = (abs(p - a), abs(p - b), abs(p - c))
          predicted = pa <= pb && pa <= pc ? a : (pb <= pc ? b : c)
        default: throw Failure(description: "unknown filter \(filter) in row \(row)")
        }
        pixels[target + index] = UInt8((Int(raw[source + index]) + predicted) & 0xFF)
      }
    }
    self.pixels = pixels
  }

  /// The pixel's red, green and blue.
  func rgb(_ x: Int, _ y: Int) -> (Int, Int, Int) {
    let offset = (y * width + x) * channels
    return (Int(pixels[offset]), Int(pixels[offset + 1]), Int(pixels[offset + 2]))
  }

  static func be32(_ bytes: [UInt8], _ at: Int) -> UInt32 {
    UInt32(bytes[at]) << 24 | UInt32(bytes[at + 1]) << 16 | UInt32(bytes[at + 2]) << 8
      | UInt32(bytes[at + 3])
  }
}

/// DEFLATE, decoded the canonical-Huffman way (as zlib's `puff` does): short and slow enough
/// for a test.
struct Inflater {
  private let input: [UInt8]
  private var position = 0
  private var bitBuffer = 0
  private var bitCount = 0
  private var output: [UInt8] = []

  private init(_ input: [UInt8]) { self.input = input }

  /// Inflates a zlib stream (a two-byte header, DEFLATE data, a checksum left unchecked).
  static func zlib(_ data: [UInt8]) throws -> [UInt8] {
    guard data.count > 2, data[0] & 0x0F == 8, (Int(data[0]) << 8 | Int(data[1])) % 31 == 0 else {
      throw PNGImage.Failure(description: "not a zlib stream")
    }
    var inflater = Inflater(Array(data.dropFirst(2)))
    try inflater.run()
    return inflater.output
  }

  private struct Huffman {
    var counts = [Int](repeating: 0, count: 16)
    var symbols: [Int] = []

    init(lengths: [Int]) {
      for length in lengths { counts[length] += 1 }
      counts[0] = 0
      var offsets = [Int](repeating: 0, count: 16)
      for length in 1..<16 { offsets[length] = offsets[length - 1] + counts[length - 1] }
      symbols = [Int](repeating: 0, count: lengths.count)
      for (symbol, length) in lengths.enumerated() where length != 0 {
        symbols[offsets[length]] = symbol
        offsets[length] += 1
      }
    }
  }

  private static let lengthBase = [
    3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115,
    131, 163, 195, 227, 258,
  ]
  private static let lengthExtra = [
    0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0,
  ]
  private static let distanceBase = [
    1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537,
    2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577,
  ]
  private static let distanceExtra = [
    0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13,
    13,
  ]
  private static let fixed: (Huffman, Huffman) = {
    let lengths =
      Array(repeating: 8, count: 144) + Array(repeating: 9, count: 112)
      + Array(repeating: 7, count: 24) + Array(repeating: 8, count: 8)
    return (Huffman(lengths: lengths), Huffman(lengths: Array(repeating: 5, count: 30)))
  }()

  private mutating func bits(_ count: Int) throws -> Int {
    while bitCount < count {
      guard position < input.count else {
        throw PNGImage.Failure(description: "inflate: out of input")
      }
      bitBuffer |= Int(input[position]) << bitCount
      position += 1
      bitCount += 8
    }
    let value = bitBuffer & ((1 << count) - 1)
    bitBuffer >>= count
    bitCount -= count
    return value
  }

  private mutating func decode(_ huffman: Huffman) throws -> Int {
    var code = 0
    var first = 0
    var index = 0
    for length in 1..<16 {
      code |= try bits(1)
      let count = huffman.counts[length]
      if code - count < first { return huffman.symbols[index + (code - first)] }
      index += count
      first = (first + count) << 1
      code <<= 1
    }
    throw PNGImage.Failure(description: "inflate: bad code")
  }

  private mutating func run() throws {
    var last = 0
    while last == 0 {
      last = try bits(1)
      switch try bits(2) {
      case 0: try stored()
      case 1: try codes(Self.fixed.0, Self.fixed.1)
      case 2:
        let (literals, distances) = try dynamicTables()
        try codes(literals, distances)
      default: throw PNGImage.Failure(description: "inflate: bad block type")
      }
    }
  }

  private mutating func stored() throws {
    bitBuffer = 0
    bitCount = 0
    guard position + 4 <= input.count else { throw PNGImage.Failure(description: "inflate: short") }
    let length = Int(input[position]) | Int(input[position + 1]) << 8
    position += 4
    guard position + length <= input.count else {
      throw PNGImage.Failure(description: "inflate: short")
    }
    output += input[position..<(position + length)]
    position += length
  }

  private mutating func dynamicTables() throws -> (Huffman, Huffman) {
    let literalCount = try bits(5) + 257
    let distanceCount = try bits(5) + 1
    let codeCount = try bits(4) + 4
    let order = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15]
    var codeLengths = [Int](repeating: 0, count: 19)
    for index in 0..<codeCount { codeLengths[order[index]] = try bits(3) }
    let lengthCode = Huffman(lengths: codeLengths)
    var lengths: [Int] = []
    while lengths.count < literalCount + distanceCount {
      let symbol = try decode(lengthCode)
      switch symbol {
      case 0..<16: lengths.append(symbol)
      case 16:
        guard let previous = lengths.last else {
          throw PNGImage.Failure(description: "inflate: repeat")
        }
        lengths += Array(repeating: previous, count: 3 + (try bits(2)))
      case 17: lengths += Array(repeating: 0, count: 3 + (try bits(3)))
      default: lengths += Array(repeating: 0, count: 11 + (try bits(7)))
      }
    }
    return (
      Huffman(lengths: Array(lengths[0..<literalCount])),
      Huffman(lengths: Array(lengths[literalCount..<(literalCount + distanceCount)]))
    )
  }

  private mutating func codes(_ literals: Huffman, _ distances: Huffman) throws {
    while true {
      let symbol = try decode(literals)
      if symbol < 256 {
        output.append(UInt8(symbol))
      } else if symbol == 256 {
        return
      } else {
        let index = symbol - 257
        guard index < Self.lengthBase.count else {
          throw PNGImage.Failure(description: "inflate: length")
        }
        let length = Self.lengthBase[index] + (try bits(Self.lengthExtra[index]))
        let code = try decode(distances)
        guard code < Self.distanceBase.count else {
          throw PNGImage.Failure(description: "inflate: distance")
        }
        let distance = Self.distanceBase[code] + (try bits(Self.distanceExtra[code]))
        guard distance <= output.count else {
          throw PNGImage.Failure(description: "inflate: too far back")
        }
        let start = output.count - distance
        for offset in 0..<length { output.append(output[start + offset]) }
      }
    }
  }
}

@Suite("PNG reader for screenshots")
struct ReportPNGTests {
  /// `Fixtures/report-png-check.png`: 64 x 5 RGBA, row y written with PNG filter y (none,
  /// sub, up, average, Paeth), compressed with dynamic Huffman codes; pixel (x, y) is
  /// (40x + 10y, 200 - 30y, 7xy, 255 - x), each mod 256.
  @Test func decodesEveryFilterAndADynamicHuffmanStream() throws {
    let data = try Data(
      contentsOf: ReportFixture.folder.appendingPathComponent("Fixtures/report-png-check.png"))
    let size = try PNGImage.size(data)
    #expect(size.width == 64 && size.height == 5)
    let image = try PNGImage(data)
    #expect(image.channels == 4)
    var wrong: [String] = []
    for y in 0..<5 {
      for x in 0..<64 {
        let (r, g, b) = image.rgb(x, y)
        let alpha = Int(image.pixels[(y * 64 + x) * 4 + 3])
        if r != (40 * x + 10 * y) % 256 || g != 200 - 30 * y || b != (7 * x * y) % 256
          || alpha != 255 - x
        {
          wrong.append("(\(x), \(y))")
        }
      }
    }
    #expect(wrong.isEmpty, "pixels decoded wrong: \(wrong.prefix(5))")
  }

  @Test func refusesWhatIsNotAPNG() {
    #expect(throws: PNGImage.Failure.self) { try PNGImage(Data("GIF89a".utf8)) }
    #expect(throws: PNGImage.Failure.self) { try PNGImage.size(Data([137, 80, 78])) }
  }
}
