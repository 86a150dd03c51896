// A zlib compressor tuned for the store's millions of small objects (a few hundred bytes of
// canonical JSON, or a tree): greedy LZ77 over one hash table that is never cleared, and a
// single fixed-Huffman block. About five times faster than libdeflate level 1 on such
// objects, whose dynamic-Huffman header would cost more than it saves anyway.

import CDeflate

/// Compresses small objects into zlib streams (RFC 1950 around one RFC 1951 block with the
/// fixed Huffman codes). One instance per thread.
///
/// The hash table maps 4-byte sequences to positions on a running counter that grows
/// across objects, so nothing is cleared between objects: a candidate from an earlier
/// object lies before the current object's start and is ignored.
final class SmallObjectDeflater {
  /// Objects up to this size take this path; larger ones go to libdeflate.
  static let maximumSize = 1 << 15

  private static let hashBits = 12
  private static let minimumMatch = 4
  private static let maximumMatch = 258

  private let table: UnsafeMutablePointer<UInt32>
  /// The running position of the current object's first byte.
  private var origin: UInt32 = 1

  init() {
    table = .allocate(capacity: 1 << Self.hashBits)
    table.initialize(repeating: 0, count: 1 << Self.hashBits)
  }

  deinit { table.deallocate() }

  /// The most bytes `compress` writes for `count` input bytes: every byte a 9-bit literal,
  /// plus the zlib header, block header, end code and Adler-32.
  static func bound(_ count: Int) -> Int { count + count / 8 + 16 }

  /// Writes the zlib stream of `source` to `destination` (room for `bound(source.count)`
  /// bytes) and returns its length.
  func compress(_ source: UnsafeRawBufferPointer, to destination: UnsafeMutableRawPointer) -> Int {
    let count = source.count
    precondition(count <= Self.maximumSize)
    if origin > UInt32.max - UInt32(2 * Self.maximumSize) {
      table.update(repeating: 0, count: 1 << Self.hashBits)
      origin = 1
    }
    let base = origin
    origin += UInt32(count) + 1

    var out = BitWriter(destination + 2)
    destination.storeBytes(of: 0x78, as: UInt8.self)
    destination.storeBytes(of: 0x01, toByteOffset: 1, as: UInt8.self)
    out.put(0b011, 3)  // BFINAL = 1, BTYPE = 01 (fixed Huffman)

    if let input = source.baseAddress?.assumingMemoryBound(to: UInt8.self) {
      encode(input, count: count, base: base, into: &out)
    }
    out.put(0, 7)  // end of block: symbol 256, seven zero bits
    var end = out.finish()
    let adler = count == 0 ? 1 : UInt32(libdeflate_adler32(1, source.baseAddress, count))
    end.storeBytes(of: adler.bigEndian, as: UInt32.self)
    end += 4
    return end - destination
  }

  @inline(__always)
  private func encode(
    _ input: UnsafePointer<UInt8>, count: Int, base: UInt32, into out: inout BitWriter
  ) {
    let codes = FixedHuffman.shared
    let hashShift = UInt32(32 - Self.hashBits)
    let lastMatchStart = count - Self.minimumMatch
    var position = 0
    while position <= lastMatchStart {
      let word = UnsafeRawPointer(input + position).loadUnaligned(as: UInt32.self)
      let slot = Int((word &* 0x9E37_79B1) >> hashShift)
      let candidate = table[slot]
      let here = base + UInt32(position)
      table[slot] = here
      if candidate >= base {
        let from = Int(candidate - base)
        if UnsafeRawPointer(input + from).loadUnaligned(as: UInt32.self) == word {
          var length = Self.minimumMatch
          let limit = min(Self.maximumMatch, count - position)
          while length < limit && input[from + length] == input[position + length] {
            length += 1
          }
          out.put(codes.lengths[length])
          out.put(codes.distances[position - from])
          // Index the positions the match covers (cheap at these sizes, and finds more).
          var next = position + 1
          let stop = min(position + length, lastMatchStart + 1)
          while next < stop {
            let inner = UnsafeRawPointer(input + next).loadUnaligned(as: UInt32.self)
            table[Int((inner &* 0x9E37_79B1) >> hashShift)] = base + UInt32(next)
            next += 1
          }
          position += length
          continue
        }
      }
      out.put(codes.literals[Int(input[position])])
      position += 1
    }
    while position < count {
      out.put(codes.literals[Int(input[position])])
      position += 1
    }
  }
}

/// A code ready to write: its bits (least significant first) and their number.
struct BitCode {
  var bits: UInt32
  var count: UInt32
}

/// Writes bits least significant first, as deflate packs them.
private struct BitWriter {
  private var cursor: UnsafeMutableRawPointer
  private var buffer: UInt64 = 0
  private var used: UInt32 = 0

  init(_ start: UnsafeMutableRawPointer) { cursor = start }

  @inline(__always)
  mutating func put(_ code: BitCode) { put(code.bits, code.count) }

  /// Appends `count` (at most 32) bits.
  @inline(__always)
  mutating func put(_ bits: UInt32, _ count: UInt32) {
    buffer |= UInt64(bits) << UInt64(used)
    used += count
    if used >= 32 {
      cursor.storeBytes(of: UInt32(truncatingIfNeeded: buffer).littleEndian, as: UInt32.self)
      cursor += 4
      buffer >>= 32
      used -= 32
    }
  }

  /// Writes the remaining bits, padded to a byte; returns the end of the output.
  mutating func finish() -> UnsafeMutableRawPointer {
    while used > 0 {
      cursor.storeBytes(of: UInt8(truncatingIfNeeded: buffer), as: UInt8.self)
      cursor += 1
      buffer >>= 8
      used = used > 8 ? used - 8 : 0
    }
    return cursor
  }
}

/// The fixed Huffman codes of RFC 1951 §3.2.6, bit-reversed for a least-significant-first
/// writer, with each length's and distance's extra bits folded into its code.
private final class FixedHuffman: @unchecked Sendable {
  static let shared = FixedHuffman()

  /// Literal bytes 0...255.
  let literals: UnsafeMutablePointer<BitCode>
  /// Match lengths 3...258 (indexed by length): length code plus extra bits.
  let lengths: UnsafeMutablePointer<BitCode>
  /// Distances 1...32768 (indexed by distance): 5-bit code plus extra bits.
  let distances: UnsafeMutablePointer<BitCode>

  private init() {
    literals = .allocate(capacity: 256)
    lengths = .allocate(capacity: 259)
    distances = .allocate(capacity: 32769)
    for byte in 0..<256 {
      literals[byte] = Self.literalCode(byte)
    }
    let lengthBase = [
      3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115,
      131, 163, 195, 227, 258,
    ]
    let lengthExtra = [
      0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0,
    ]
    lengths.initialize(repeating: BitCode(bits: 0, count: 0), count: 259)
    for (index, start) in lengthBase.enumerated() {
      let symbol = Self.literalCode(257 + index)
      let extra = lengthExtra[index]
      let last = index == lengthBase.count - 1 ? 258 : lengthBase[index + 1] - 1
      for length in start...last where length <= 258 {
        let value = UInt32(length - start)
        lengths[length] = BitCode(
          bits: symbol.bits | (value << symbol.count), count: symbol.count + UInt32(extra))
      }
    }
    distances.initialize(repeating: BitCode(bits: 0, count: 0), count: 32769)
    var start = 1
    for code in 0..<30 {
      let extra = code < 2 ? 0 : code / 2 - 1
      let symbol = UInt32(Self.reversed(code, 5))
      for distance in start..<(start + (1 << extra)) {
        distances[distance] = BitCode(
          bits: symbol | (UInt32(distance - start) << 5), count: 5 + UInt32(extra))
      }
      start += 1 << extra
    }
  }

  /// The fixed code of a literal/length symbol 0...287.
  private static func literalCode(_ symbol: Int) -> BitCode {
    switch symbol {
    case 0...143: return BitCode(bits: UInt32(reversed(0x30 + symbol, 8)), count: 8)
    case 144...255: return BitCode(bits: UInt32(reversed(0x190 + symbol - 144, 9)), count: 9)
    case 256...279: return BitCode(bits: UInt32(reversed(symbol - 256, 7)), count: 7)
    default: return BitCode(bits: UInt32(reversed(0xC0 + symbol - 280, 8)), count: 8)
    }
  }

  private static func reversed(_ value: Int, _ width: Int) -> Int {
    var result = 0
    for bit in 0..<width where value & (1 << bit) != 0 {
      result |= 1 << (width - 1 - bit)
    }
    return result
  }
}
