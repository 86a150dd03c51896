/// The annotation ids of `annotationPropertyValues` seen so far, remembered as 128-bit
/// keyed digests (16 bytes each, instead of the ids) to refuse a repeated id.
///
/// A digest is SipHash-1-3 of the id's UTF-8 bytes under a random key drawn per set; two
/// different ids match only by a 2^-128 coincidence, which no file can be crafted to cause
/// without the key. The digests are already uniform, so they index an open-addressing table
/// directly (linear probing, at most three quarters full, as Swift's `Set`): no further
/// hashing per id. Memory: 16 bytes per slot, 21 to 43 bytes per id.
struct KeyDigestSet {
  private struct Digest: Equatable {
    var first: UInt64
    var second: UInt64
  }

  private let hasher = SipHash.randomKey()
  /// The table; an all-zero slot is empty (`containsZero` stands for that digest).
  private var slots = [Digest](repeating: Digest(first: 0, second: 0), count: 1024)
  private var count = 0
  private var containsZero = false

  /// Adds `key`; false when it was there already.
  mutating func insert(_ key: String) -> Bool {
    var key = key
    let words = key.withUTF8 { hasher.digest128(UnsafeRawBufferPointer($0)) }
    let digest = Digest(first: words.0, second: words.1)
    if digest.first == 0 && digest.second == 0 {
      defer { containsZero = true }
      return !containsZero
    }
    if (count + 1) * 4 > slots.count * 3 { grow() }
    guard Self.place(digest, in: &slots) else { return false }
    count += 1
    return true
  }

  /// Puts `digest` in its slot or the next free one; false when it is there already.
  private static func place(_ digest: Digest, in slots: inout [Digest]) -> Bool {
    let mask = slots.count - 1
    var index = Int(truncatingIfNeeded: digest.first) & mask
    while true {
      let slot = slots[index]
      if slot == digest { return false }
      if slot.first == 0 && slot.second == 0 {
        slots[index] = digest
        return true
      }
      index = (index + 1) & mask
    }
  }

  private mutating func grow() {
    var larger = [Digest](repeating: Digest(first: 0, second: 0), count: slots.count * 2)
    for slot in slots where slot.first != 0 || slot.second != 0 {
      _ = Self.place(slot, in: &larger)
    }
    slots = larger
  }
}
