// Writes a version-2 pack index (`.idx`) for a pack whose entries we wrote ourselves.

/// Builds `.idx` v2: magic `\377tOc`, version 2, 256-entry fan-out, sorted ids, CRC-32s,
/// 4-byte offsets (with a table of 8-byte offsets for those at or past 2 GiB), the pack's
/// checksum, and the index's own SHA-1.
enum PackIndexWriter {
  /// Writes the index of a pack holding the objects `ids` at `offsets` with entry CRCs
  /// `crcs` (all three in pack order) to `file`.
  static func write(
    to file: PosixFile, ids: [ObjectID], offsets: [UInt64], crcs: [UInt32],
    packChecksum: ObjectID
  ) throws {
    precondition(ids.count == offsets.count && ids.count == crcs.count)
    let order = sortedOrder(ids)
    var output = HashingOutput(file: file)

    try output.append([0xff, 0x74, 0x4f, 0x63, 0, 0, 0, 2])
    var fanout = [UInt32](repeating: 0, count: 256)
    for id in ids { fanout[Int(id.firstByte)] += 1 }
    var running: UInt32 = 0
    for bucket in 0..<256 {
      running += fanout[bucket]
      try output.append(bigEndian: running)
    }
    for index in order { try output.append(ids[Int(index)]) }
    for index in order { try output.append(bigEndian: crcs[Int(index)]) }
    var largeOffsets: [UInt64] = []
    for index in order {
      let offset = offsets[Int(index)]
      if offset < 0x8000_0000 {
        try output.append(bigEndian: UInt32(offset))
      } else {
        try output.append(bigEndian: 0x8000_0000 | UInt32(largeOffsets.count))
        largeOffsets.append(offset)
      }
    }
    for offset in largeOffsets { try output.append(bigEndian: offset) }
    try output.append(packChecksum)
    let indexChecksum = try output.finishHashing()
    try indexChecksum.rawBytes.withUnsafeBytes { try file.write($0) }
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

/// Buffers writes to a file and hashes every byte that passes through.
private struct HashingOutput {
  private let file: PosixFile
  private var buffer: [UInt8] = []
  private var hash = SHA1Stream()

  init(file: PosixFile) {
    self.file = file
    buffer.reserveCapacity(1 << 20)
  }

  mutating func append(_ bytes: [UInt8]) throws {
    buffer.append(contentsOf: bytes)
    try flushIfFull()
  }

  mutating func append(_ id: ObjectID) throws {
    withUnsafeBytes(of: (id.bytes.0.bigEndian, id.bytes.1.bigEndian, id.bytes.2.bigEndian)) {
      buffer.append(contentsOf: $0.prefix(20))
    }
    try flushIfFull()
  }

  mutating func append<T: FixedWidthInteger>(bigEndian value: T) throws {
    withUnsafeBytes(of: value.bigEndian) { buffer.append(contentsOf: $0) }
    try flushIfFull()
  }

  /// Writes what is buffered and returns the SHA-1 of everything appended.
  mutating func finishHashing() throws -> ObjectID {
    try flush()
    return hash.finish()
  }

  private mutating func flushIfFull() throws {
    if buffer.count >= 1 << 20 { try flush() }
  }

  private mutating func flush() throws {
    try buffer.withUnsafeBytes { bytes in
      hash.update(bytes)
      try file.write(bytes)
    }
    buffer.removeAll(keepingCapacity: true)
  }
}
