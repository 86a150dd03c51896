// Looking objects up in a version-2 pack index (`.idx`), the table git keeps beside each
// pack: a 256-entry fan-out, the sorted ids, their CRC-32s and their offsets in the pack.

import CDeflate

/// A mapped `.idx` v2: where each object of one pack starts.
///
/// The layout is checked once when the file is opened (magic, version, a non-decreasing
/// fan-out, and a size that fits the object count exactly), so lookups can read the table
/// without bounds checks of their own.
struct PackIndex: Sendable {
  /// How many objects the pack holds.
  let count: Int
  /// The SHA-1 of the pack file this index describes (the pack's own trailer).
  let packChecksum: ObjectID
  private let file: MappedFile
  /// A finer fan-out than the file's own, built on opening: for each value of the ids'
  /// first `prefixBits` bits, the position of the first id at or past it (one more entry
  /// holds `count`). At 16 bits it takes 256 KB, small enough to stay in cache, and leaves
  /// a few dozen ids per range even in a pack of millions.
  private let starts: [UInt32]
  private let prefixBits: Int
  private let offsetsAt: Int
  private let largeAt: Int
  private let largeCount: Int

  private static let fanoutAt = 8
  private static let namesAt = fanoutAt + 256 * 4

  /// Maps and checks the index at `path`; throws `.invalid` for anything but a well-formed
  /// version-2 index.
  init(path: String) throws {
    file = try MappedFile(path: path)
    let size = file.bytes.count
    func invalid(_ reason: String) -> GitError {
      GitError(call: "PackIndex", message: "\(path): \(reason)", kind: .invalid)
    }
    guard size >= Self.namesAt + 40, file.uint32(at: 0) == 0xff74_4f63 else {
      throw invalid("not a version-2 pack index")
    }
    guard file.uint32(at: 4) == 2 else {
      throw invalid("pack index version \(file.uint32(at: 4)) is not supported")
    }
    var previous: UInt32 = 0
    for bucket in 0..<256 {
      let running = file.uint32(at: Self.fanoutAt + 4 * bucket)
      guard running >= previous else { throw invalid("fan-out table decreases") }
      previous = running
    }
    count = Int(previous)
    offsetsAt = Self.namesAt + count * 24
    largeAt = offsetsAt + count * 4
    let rest = size - 40 - largeAt
    guard rest >= 0, rest % 8 == 0 else {
      throw invalid("size \(size) does not fit \(count) objects")
    }
    largeCount = rest / 8
    packChecksum = ObjectID(rawBytes: UnsafeRawBufferPointer(rebasing: file.bytes[(size - 40)...]))
    // About 32 ids per range, between the file's 8 bits and 16.
    var bits = 8
    while bits < 16 && count >> (bits + 5) > 0 { bits += 1 }
    prefixBits = bits
    starts = Self.starts(of: file, count: count, bits: bits)
  }

  /// The `starts` table of an index file (whose ids are sorted, so one pass does).
  private static func starts(of file: MappedFile, count: Int, bits: Int) -> [UInt32] {
    let ranges = 1 << bits
    return [UInt32](unsafeUninitializedCapacity: ranges + 1) { table, initialized in
      var position = 0
      for prefix in 0..<ranges {
        while position < count
          && Int(file.uint64(at: namesAt + 20 * position) >> (64 - bits)) < prefix
        {
          position += 1
        }
        table[prefix] = UInt32(position)
      }
      table[ranges] = UInt32(count)
      initialized = ranges + 1
    }
  }

  /// Where `id` starts in the pack, nil when this pack does not hold it (or its offset
  /// entry is damaged).
  func offset(of id: ObjectID) -> UInt64? {
    guard let position = position(of: id) else { return nil }
    let small = file.uint32(at: offsetsAt + 4 * position)
    if small & 0x8000_0000 == 0 { return UInt64(small) }
    let large = Int(small & 0x7fff_ffff)
    guard large < largeCount else { return nil }
    return file.uint64(at: largeAt + 8 * large)
  }

  /// Starts loading the index entries `id` most likely has (the id and offset at the first
  /// interpolation guess) into the CPU cache, so that a lookup soon after finds them there.
  func prefetch(_ id: ObjectID) {
    let key = id.bytes.0
    let prefix = Int(key >> (64 - prefixBits))
    let low = Int(starts[prefix])
    let high = Int(starts[prefix + 1])
    guard high > low, let base = file.bytes.baseAddress else { return }
    let position = firstGuess(key, prefix: prefix, low: low, high: high)
    annostore_prefetch(base + Self.namesAt + 20 * position)
    annostore_prefetch(base + offsetsAt + 4 * position)
  }

  /// Where `key` would sit in [low, high) if the range's keys were spread evenly over
  /// its prefix: a multiply and a shift, as the prefix's key span is a power of two.
  @inline(__always)
  private func firstGuess(_ key: UInt64, prefix: Int, low: Int, high: Int) -> Int {
    let below = key & (UInt64.max >> prefixBits)
    let product = below.multipliedFullWidth(by: UInt64(high - low))
    let shift = 64 - prefixBits
    let quotient = product.high << prefixBits | product.low >> shift
    return min(low + Int(quotient), high - 1)
  }

  /// The position of `id` among the sorted ids.
  ///
  /// SHA-1 ids are uniformly spread, so interpolating on their first 64 bits inside the
  /// range `starts` gives lands next to the answer (each probe of the table, tens of
  /// megabytes in a large pack, is a likely cache miss, against about 17 for a plain binary
  /// search of a million-object pack); a binary search finishes whatever is left.
  func position(of id: ObjectID) -> Int? {
    let key = id.bytes.0
    let prefix = Int(key >> (64 - prefixBits))
    var low = Int(starts[prefix])
    var high = Int(starts[prefix + 1])
    // Every id in [low, high) has a first word in [lowKey, highKey], and so has `id`.
    var lowKey = UInt64(prefix) << (64 - prefixBits)
    var highKey = lowKey | (UInt64.max >> prefixBits)
    var steps = 0
    while high - low > 4 && steps < 3 && highKey > lowKey {
      let guess: Int
      if steps == 0 {
        guess = firstGuess(key, prefix: prefix, low: low, high: high)
      } else {
        let product = (key &- lowKey).multipliedFullWidth(by: UInt64(high - low))
        let quotient = (highKey &- lowKey).dividingFullWidth(product).quotient
        guess = min(low + Int(quotient), high - 1)
      }
      steps += 1
      let found = self.id(at: guess)
      if found == id { return guess }
      if id < found {
        high = guess
        highKey = found.bytes.0
      } else {
        low = guess + 1
        lowKey = found.bytes.0
      }
    }
    while low < high {
      let middle = (low + high) / 2
      let found = self.id(at: middle)
      if found == id { return middle }
      if id < found { high = middle } else { low = middle + 1 }
    }
    return nil
  }

  /// The id at `position` (0..<count) of the sorted table.
  func id(at position: Int) -> ObjectID {
    let at = Self.namesAt + 20 * position
    return ObjectID(bytes: (file.uint64(at: at), file.uint64(at: at + 8), file.uint32(at: at + 16)))
  }
}
