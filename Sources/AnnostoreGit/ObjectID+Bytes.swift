// Conversions of ObjectID to and from raw bytes and hex, the two forms git uses.

extension ObjectID {
  /// The id whose 20 raw bytes start at `raw` (git's binary form, as in trees and `.idx`).
  /// `raw` must hold at least 20 bytes; only the first 20 are read.
  init(rawBytes raw: UnsafeRawBufferPointer) {
    precondition(raw.count >= 20, "an object id needs 20 bytes")
    let a = UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: 0, as: UInt64.self))
    let b = UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self))
    let c = UInt32(bigEndian: raw.loadUnaligned(fromByteOffset: 16, as: UInt32.self))
    self.init(bytes: (a, b, c))
  }

  /// The id with these 20 raw bytes, nil when `raw` does not hold exactly 20.
  public init?(rawBytes raw: [UInt8]) {
    guard raw.count == 20 else { return nil }
    self = raw.withUnsafeBytes { ObjectID(rawBytes: $0) }
  }

  /// Parses 40 hex digits (either case), nil for anything else. Needed to read ids that
  /// people and the git CLI print.
  public init?(hex: String) {
    var raw = [UInt8](repeating: 0, count: 20)
    var count = 0
    for unit in hex.utf8 {
      guard count < 40, let nibble = Self.nibble(unit) else { return nil }
      if count % 2 == 0 {
        raw[count / 2] = nibble << 4
      } else {
        raw[count / 2] |= nibble
      }
      count += 1
    }
    guard count == 40 else { return nil }
    self.init(rawBytes: raw)
  }

  /// The 20 raw bytes, in the order git stores them.
  public var rawBytes: [UInt8] {
    var out = [UInt8](repeating: 0, count: 20)
    out.withUnsafeMutableBytes { writeRawBytes(to: $0.baseAddress!) }
    return out
  }

  /// The 40 lowercase hex digits git prints for this id.
  public var hex: String {
    let digits: StaticString = "0123456789abcdef"
    return String(unsafeUninitializedCapacity: 40) { out in
      var raw: (UInt64, UInt64, UInt32) = (
        bytes.0.bigEndian, bytes.1.bigEndian, bytes.2.bigEndian
      )
      withUnsafeBytes(of: &raw) { source in
        digits.withUTF8Buffer { table in
          for index in 0..<20 {
            let byte = source[index]
            out[2 * index] = table[Int(byte >> 4)]
            out[2 * index + 1] = table[Int(byte & 0x0f)]
          }
        }
      }
      return 40
    }
  }

  /// The 40 lowercase hex digits, so ids print as git prints them.
  public var description: String { hex }

  /// The first byte of the id, the key of a pack index's fan-out table.
  var firstByte: UInt8 { UInt8(truncatingIfNeeded: bytes.0 >> 56) }

  /// Stores the 20 raw bytes at `destination`.
  func writeRawBytes(to destination: UnsafeMutableRawPointer) {
    destination.storeBytes(of: bytes.0.bigEndian, toByteOffset: 0, as: UInt64.self)
    destination.storeBytes(of: bytes.1.bigEndian, toByteOffset: 8, as: UInt64.self)
    destination.storeBytes(of: bytes.2.bigEndian, toByteOffset: 16, as: UInt32.self)
  }

  private static func nibble(_ unit: UInt8) -> UInt8? {
    switch unit {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): return unit - UInt8(ascii: "0")
    case UInt8(ascii: "a")...UInt8(ascii: "f"): return unit - UInt8(ascii: "a") + 10
    case UInt8(ascii: "A")...UInt8(ascii: "F"): return unit - UInt8(ascii: "A") + 10
    default: return nil
    }
  }
}
