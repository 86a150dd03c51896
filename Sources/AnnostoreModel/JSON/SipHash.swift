/// SipHash (Aumasson and Bernstein), as in the reference `siphash.c`: a keyed hash whose
/// outputs an attacker who does not know the key cannot make collide.
///
/// Used with 1 compression and 3 finalization rounds and a 128-bit output (`KeyDigestSet`);
/// the round counts and the output width are parameters so that the reference test vectors
/// (SipHash-2-4) check the code.
struct SipHash {
  var key0: UInt64
  var key1: UInt64

  /// A key drawn from the system's random source.
  static func randomKey() -> SipHash {
    var random = SystemRandomNumberGenerator()
    return SipHash(key0: random.next(), key1: random.next())
  }

  /// SipHash-1-3 with a 128-bit output.
  @inline(__always)
  func digest128(_ bytes: UnsafeRawBufferPointer) -> (UInt64, UInt64) {
    let words = hash(bytes, compressionRounds: 1, finalizationRounds: 3, wide: true)
    return (words.0, words.1)
  }

  /// SipHash-c-d of `bytes`: the 64-bit output, or with `wide` the 128-bit output as two
  /// words (each written little-endian by the reference code, first word first).
  @inline(__always)
  func hash(
    _ bytes: UnsafeRawBufferPointer, compressionRounds: Int, finalizationRounds: Int, wide: Bool
  ) -> (UInt64, UInt64) {
    var state = (
      0x736f_6d65_7073_6575 ^ key0, 0x646f_7261_6e64_6f6d ^ key1,
      0x6c79_6765_6e65_7261 ^ key0, 0x7465_6462_7974_6573 ^ key1
    )
    if wide { state.1 ^= 0xEE }
    let count = bytes.count
    var offset = 0
    while count - offset >= 8 {
      let word = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
      Self.absorb(word, into: &state, rounds: compressionRounds)
      offset += 8
    }
    var last = UInt64(truncatingIfNeeded: count) << 56
    var shift: UInt64 = 0
    while offset < count {
      last |= UInt64(bytes[offset]) << shift
      shift += 8
      offset += 1
    }
    Self.absorb(last, into: &state, rounds: compressionRounds)
    state.2 ^= wide ? 0xEE : 0xFF
    for _ in 0..<finalizationRounds { Self.round(&state) }
    let first = state.0 ^ state.1 ^ state.2 ^ state.3
    guard wide else { return (first, 0) }
    state.1 ^= 0xDD
    for _ in 0..<finalizationRounds { Self.round(&state) }
    return (first, state.0 ^ state.1 ^ state.2 ^ state.3)
  }

  @inline(__always)
  private static func absorb(
    _ word: UInt64, into state: inout (UInt64, UInt64, UInt64, UInt64), rounds: Int
  ) {
    state.3 ^= word
    for _ in 0..<rounds { round(&state) }
    state.0 ^= word
  }

  @inline(__always)
  private static func round(_ v: inout (UInt64, UInt64, UInt64, UInt64)) {
    v.0 &+= v.1
    v.1 = rotate(v.1, 13) ^ v.0
    v.0 = rotate(v.0, 32)
    v.2 &+= v.3
    v.3 = rotate(v.3, 16) ^ v.2
    v.0 &+= v.3
    v.3 = rotate(v.3, 21) ^ v.0
    v.2 &+= v.1
    v.1 = rotate(v.1, 17) ^ v.2
    v.2 = rotate(v.2, 32)
  }

  @inline(__always)
  private static func rotate(_ value: UInt64, _ count: UInt64) -> UInt64 {
    (value << count) | (value >> (64 - count))
  }
}
