// Reading the header that starts every pack entry: the object type and inflated size.

/// The header of one pack entry.
struct PackEntryHeader {
  /// The pack type number: 1 commit, 2 tree, 3 blob, 4 tag, 6 offset delta, 7 ref delta.
  var type: UInt8
  /// The size of the object (or, for a delta, of the delta data) once inflated.
  var size: Int
  /// How many bytes the header takes; the zlib stream (or a delta's base) follows.
  var length: Int

  /// The longest header accepted: 4 size bits, then 7 per byte, for sizes below 2^46.
  static let maximumLength = 7

  /// Parses the header at the start of `bytes`; nil when it is cut off or too long.
  init?(_ bytes: UnsafeRawBufferPointer) {
    guard let first = bytes.first else { return nil }
    type = (first >> 4) & 7
    var size = Int(first & 0x0f)
    var shift = 4
    var index = 0
    var byte = first
    while byte & 0x80 != 0 {
      index += 1
      guard index < Self.maximumLength, index < bytes.count else { return nil }
      byte = bytes[index]
      size |= Int(byte & 0x7f) << shift
      shift += 7
    }
    self.size = size
    length = index + 1
  }

  /// The object kind of a whole (non-delta) entry, nil for deltas and unknown types.
  var kind: ObjectKind? {
    switch type {
    case 1: return .commit
    case 2: return .tree
    case 3: return .blob
    case 4: return .tag
    default: return nil
    }
  }

  /// The most compressed bytes a zlib stream of this entry's size can reasonably take:
  /// zlib's own `compressBound` (stored blocks included), with room to spare. A stream
  /// longer than this is left to libgit2.
  var compressedBound: Int { size + (size >> 8) + 64 }
}
