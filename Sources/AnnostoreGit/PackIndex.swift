// Looking objects up in a version-2 pack index (`.idx`), the table git keeps beside each
// pack: a 256-entry fan-out, the sorted ids, their CRC-32s and their offsets in the pack.

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

  /// The position of `id` among the sorted ids.
  ///
  /// SHA-1 ids are uniformly spread, so a few interpolation steps on their first 64 bits
  /// land next to the answer (each step is a likely cache miss in a table of tens of
  /// megabytes, against about 13 for a plain binary search of a million-object pack); a
  /// binary search finishes whatever range is left.
  func position(of id: ObjectID) -> Int? {
    let bucket = Int(id.firstByte)
    var low = bucket == 0 ? 0 : Int(file.uint32(at: Self.fanoutAt + 4 * (bucket - 1)))
    var high = Int(file.uint32(at: Self.fanoutAt + 4 * bucket))
    let key = id.bytes.0
    // Every id in [low, high) has a first word in [lowKey, highKey], and so has `id`.
    var lowKey = UInt64(bucket) << 56
    var highKey = lowKey | 0x00ff_ffff_ffff_ffff
    var steps = 0
    while high - low > 8 && steps < 4 && highKey > lowKey {
      steps += 1
      let product = (key &- lowKey).multipliedFullWidth(by: UInt64(high - low))
      let quotient = (highKey &- lowKey).dividingFullWidth(product).quotient
      let guess = min(low + Int(quotient), high - 1)
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

  /// The id at `position` of the sorted table.
  private func id(at position: Int) -> ObjectID {
    let at = Self.namesAt + 20 * position
    return ObjectID(bytes: (file.uint64(at: at), file.uint64(at: at + 8), file.uint32(at: at + 16)))
  }
}
