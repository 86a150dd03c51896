/// Remembers recently made short strings by their bytes, so that the keys and short values
/// repeated in every record ("x", "y", "_id", "polygon") are made once, not per occurrence.
///
/// Direct-mapped, 256 entries: a string of at most 15 UTF-8 bytes (Swift stores those
/// inline) is keyed by its bytes packed into two words, the length in the top byte.
struct StringCache {
  private static let slots = 256
  private var packed: UnsafeMutablePointer<(UInt64, UInt64)>
  private var strings: UnsafeMutablePointer<String>

  init() {
    packed = .allocate(capacity: Self.slots)
    packed.initialize(repeating: (0, 0), count: Self.slots)
    strings = .allocate(capacity: Self.slots)
    strings.initialize(repeating: "", count: Self.slots)
  }

  mutating func release() {
    packed.deallocate()
    strings.deinitialize(count: Self.slots)
    strings.deallocate()
  }

  /// The string of the `length` (1...15) validated UTF-8 bytes at `start`; `readable`
  /// bytes from `start` may be read (more than `length` allows two plain loads).
  @inline(__always)
  mutating func string(
    _ start: UnsafePointer<UInt8>, length: Int, readable: Int
  ) -> String {
    var low: UInt64 = 0
    var high: UInt64 = 0
    if readable >= 16 {
      let raw = UnsafeRawPointer(start)
      low = UInt64(littleEndian: raw.loadUnaligned(as: UInt64.self))
      high = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self))
      if length < 8 {
        low &= (1 << UInt64(length * 8)) - 1
        high = 0
      } else {
        high &= (1 << UInt64((length - 8) * 8)) - 1
      }
    } else {
      withUnsafeMutableBytes(of: &low) {
        $0.copyMemory(from: UnsafeRawBufferPointer(start: start, count: min(length, 8)))
      }
      if length > 8 {
        withUnsafeMutableBytes(of: &high) {
          $0.copyMemory(from: UnsafeRawBufferPointer(start: start + 8, count: length - 8))
        }
      }
      low = UInt64(littleEndian: low)
      high = UInt64(littleEndian: high)
    }
    high |= UInt64(length) << 56
    let mixed = ((low &* 0x9E37_79B9_7F4A_7C15) ^ high) &* 0xBF58_476D_1CE4_E5B9
    let slot = Int(truncatingIfNeeded: mixed >> 56)
    let entry = packed[slot]
    if entry.0 == low && entry.1 == high { return strings[slot] }
    let made = String(decoding: UnsafeBufferPointer(start: start, count: length), as: UTF8.self)
    packed[slot] = (low, high)
    strings[slot] = made
    return made
  }
}
