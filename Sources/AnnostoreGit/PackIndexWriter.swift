// Lays out a version-2 pack index (`.idx`) for a pack whose entries we wrote ourselves.

/// A `.idx` v2 in memory: magic `\377tOc`, version 2, 256-entry fan-out, sorted ids,
/// CRC-32s, 4-byte offsets (with a table of 8-byte offsets for those at or past 2 GiB), the
/// pack's checksum, and the index's own SHA-1.
///
/// Everything but the two checksums is laid out by `init`, so that the slow part can run
/// while the pack's checksum is still being computed.
struct PackIndexLayout {
  private var bytes: [UInt8]

  /// Lays out the index of a pack holding the objects `ids` at `offsets` with entry CRCs
  /// `crcs` (all three in pack order).
  init(ids: [ObjectID], offsets: [UInt64], crcs: [UInt32]) {
    precondition(ids.count == offsets.count && ids.count == crcs.count)
    let count = ids.count
    let largeCount = offsets.reduce(0) { $0 + ($1 >= 0x8000_0000 ? 1 : 0) }
    let fanoutAt = 8
    let namesAt = fanoutAt + 256 * 4
    let crcsAt = namesAt + count * 20
    let offsetsAt = crcsAt + count * 4
    let largeAt = offsetsAt + count * 4
    let checksumsAt = largeAt + largeCount * 8
    let order = Self.sortedOrder(ids)
    bytes = [UInt8](repeating: 0, count: checksumsAt + 40)
    bytes.withUnsafeMutableBytes { out in
      func store<T: FixedWidthInteger>(_ value: T, at offset: Int) {
        out.storeBytes(of: value.bigEndian, toByteOffset: offset, as: T.self)
      }
      store(UInt32(0xff74_4f63), at: 0)
      store(UInt32(2), at: 4)
      var fanout = [UInt32](repeating: 0, count: 256)
      for id in ids { fanout[Int(id.firstByte)] += 1 }
      var running: UInt32 = 0
      for bucket in 0..<256 {
        running += fanout[bucket]
        store(running, at: fanoutAt + 4 * bucket)
      }
      var large = 0
      for (position, index) in order.enumerated() {
        let index = Int(index)
        ids[index].writeRawBytes(to: out.baseAddress! + namesAt + 20 * position)
        store(crcs[index], at: crcsAt + 4 * position)
        let offset = offsets[index]
        if offset < 0x8000_0000 {
          store(UInt32(offset), at: offsetsAt + 4 * position)
        } else {
          store(0x8000_0000 | UInt32(large), at: offsetsAt + 4 * position)
          store(offset, at: largeAt + 8 * large)
          large += 1
        }
      }
    }
  }

  /// The complete index: stores the pack's checksum and then the SHA-1 of all before it.
  mutating func finish(packChecksum: ObjectID) -> [UInt8] {
    let end = bytes.count
    bytes.withUnsafeMutableBytes { out in
      packChecksum.writeRawBytes(to: out.baseAddress! + end - 40)
      let own = GitObjectFormat.sha1(UnsafeRawBufferPointer(rebasing: out[0..<(end - 20)]))
      own.writeRawBytes(to: out.baseAddress! + end - 20)
    }
    return bytes
  }

  /// Positions of `ids` in ascending id order: a counting sort on the first byte, then a
  /// comparison sort inside each of the 256 buckets.
  static func sortedOrder(_ ids: [ObjectID]) -> [UInt32] {
    var starts = [Int](repeating: 0, count: 257)
    for id in ids { starts[Int(id.firstByte) + 1] += 1 }
    for bucket in 0..<256 { starts[bucket + 1] += starts[bucket] }
    var next = starts
    var keyed = [(id: ObjectID, index: UInt32)](
      repeating: (ObjectID(bytes: (0, 0, 0)), 0), count: ids.count)
    for (index, id) in ids.enumerated() {
      let bucket = Int(id.firstByte)
      keyed[next[bucket]] = (id, UInt32(index))
      next[bucket] += 1
    }
    keyed.withUnsafeMutableBufferPointer { all in
      for bucket in 0..<256 where starts[bucket + 1] - starts[bucket] > 1 {
        var slice = UnsafeMutableBufferPointer(rebasing: all[starts[bucket]..<starts[bucket + 1]])
        slice.sort { $0.id < $1.id }
      }
    }
    return keyed.map(\.index)
  }
}
