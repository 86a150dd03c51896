// One reader's view into its packs: bytes read with pread into a buffer that is reused,
// growing the read size while reads move forward through a pack, so that sequential reads
// cost one system call per few hundred kilobytes and random ones read little.

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A window of pack bytes in a reusable buffer.
///
/// Reading with pread rather than mapping the pack keeps memory flat: a mapped pack stays
/// resident page by page as it is read, which for a 900 MB pack read at random is most of
/// it, while this buffer never holds more than one read.
final class PackWindow {
  /// The smallest read: enough for the header and data of a typical small object.
  static let minimumRead = 512
  /// The largest read-ahead while reads go forward.
  static let maximumRead = 512 << 10

  private var buffer: UnsafeMutableRawPointer
  private var capacity: Int
  /// Which pack (by position in the reader's pack set) the window holds, -1 for none.
  private var pack = -1
  private var start: UInt64 = 0
  private var count = 0
  private var readSize = minimumRead

  init() {
    capacity = Self.maximumRead
    buffer = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 16)
  }

  deinit { buffer.deallocate() }

  /// Up to `wanted` bytes of pack number `number` (`data`) from `offset`: fewer only where
  /// the pack's entries end. Valid until the next call.
  func bytes(
    of data: PackData, number: Int, at offset: UInt64, wanted: Int
  ) throws -> UnsafeRawBufferPointer {
    guard offset < data.entriesEnd else { return UnsafeRawBufferPointer(start: buffer, count: 0) }
    let available = Int(min(UInt64(wanted), data.entriesEnd - offset))
    if number == pack && offset >= start && offset + UInt64(available) <= start + UInt64(count) {
      return UnsafeRawBufferPointer(start: buffer + Int(offset - start), count: available)
    }
    // Reading on from (or just past) the window: read further ahead each time.
    let forward =
      number == pack && offset >= start && offset <= start + UInt64(count) + UInt64(readSize)
    readSize = forward ? min(readSize * 2, Self.maximumRead) : Self.minimumRead
    let length = Int(min(UInt64(max(available, readSize)), data.entriesEnd - offset))
    reserve(length)
    pack = -1
    let read = try data.read(
      into: UnsafeMutableRawBufferPointer(start: buffer, count: length), at: offset)
    pack = number
    start = offset
    count = read
    return UnsafeRawBufferPointer(start: buffer, count: min(available, read))
  }

  /// Makes the buffer hold at least `size` bytes (its contents are not kept).
  private func reserve(_ size: Int) {
    guard size > capacity else { return }
    buffer.deallocate()
    capacity = max(size, capacity * 2)
    buffer = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 16)
  }

  /// Gives back a buffer grown past the usual size for one large object.
  func shrink() {
    guard capacity > Self.maximumRead else { return }
    buffer.deallocate()
    capacity = Self.maximumRead
    buffer = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 16)
    pack = -1
    count = 0
  }
}
