// One reader's view into its packs: bytes read with pread into a few buffers that are
// reused, each growing its read size while reads move forward through a pack, so that
// sequential reads cost one system call per few hundred kilobytes and random ones read
// little.

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Windows of pack bytes in reusable buffers.
///
/// Reading with pread rather than mapping the pack keeps memory flat: a mapped pack stays
/// resident page by page as it is read, which for a 900 MB pack read at random is most of
/// it, while these buffers never hold more than a few reads.
///
/// There are several windows because readers often follow a few forward streams at once:
/// a CSV row reads an annotation and its property values, which lie in two regions of the
/// pack that each advance row by row. Each stream keeps its own window and read-ahead.
final class PackWindow {
  /// The smallest read: enough for the header and data of a typical small object.
  static let minimumRead = 512
  /// The largest read-ahead while reads go forward.
  static let maximumRead = 512 << 10
  /// How many forward streams are followed at once.
  static let slotCount = 4

  private var slots: [Slot]
  /// A counter for choosing the least recently used slot.
  private var clock = 0

  init() {
    slots = (0..<Self.slotCount).map { _ in Slot() }
  }

  deinit {
    for slot in slots { slot.buffer.deallocate() }
  }

  /// Up to `wanted` bytes of pack number `number` (`data`) from `offset`: fewer only where
  /// the pack's entries end. Valid until the next call.
  func bytes(
    of data: PackData, number: Int, at offset: UInt64, wanted: Int
  ) throws -> UnsafeRawBufferPointer {
    guard offset < data.entriesEnd else {
      return UnsafeRawBufferPointer(start: slots[0].buffer, count: 0)
    }
    let available = Int(min(UInt64(wanted), data.entriesEnd - offset))
    clock += 1
    for index in slots.indices where slots[index].holds(number, offset, available) {
      slots[index].used = clock
      return slots[index].view(at: offset, count: available)
    }
    // Reading on from (or just past) a window: read further ahead there.
    var chosen = -1
    for index in slots.indices where slots[index].isFollowed(by: number, offset) {
      chosen = index
      break
    }
    let forward = chosen >= 0
    if !forward {
      chosen = 0
      for index in slots.indices where slots[index].used < slots[chosen].used { chosen = index }
    }
    try slots[chosen].fill(
      from: data, number: number, at: offset, available: available, forward: forward)
    slots[chosen].used = clock
    return slots[chosen].view(at: offset, count: available)
  }

  /// Gives back buffers grown past the usual size for one large object.
  func shrink() {
    for index in slots.indices { slots[index].shrink() }
  }
}

/// One window: a buffer holding `count` bytes of pack `pack` from `start`.
private struct Slot {
  var buffer: UnsafeMutableRawPointer
  var capacity: Int
  /// Which pack (by position in the reader's pack set) the window holds, -1 for none.
  var pack = -1
  var start: UInt64 = 0
  var count = 0
  var readSize = PackWindow.minimumRead
  /// When the window was last read from (`PackWindow.clock`).
  var used = 0

  init() {
    capacity = PackWindow.maximumRead
    buffer = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 16)
  }

  func holds(_ number: Int, _ offset: UInt64, _ available: Int) -> Bool {
    number == pack && offset >= start && offset + UInt64(available) <= start + UInt64(count)
  }

  /// Whether a read at `offset` goes on from this window (at or just past its end).
  func isFollowed(by number: Int, _ offset: UInt64) -> Bool {
    number == pack && offset >= start && offset <= start + UInt64(count) + UInt64(readSize)
  }

  func view(at offset: UInt64, count available: Int) -> UnsafeRawBufferPointer {
    UnsafeRawBufferPointer(
      start: buffer + Int(offset - start), count: min(available, count - Int(offset - start)))
  }

  mutating func fill(
    from data: PackData, number: Int, at offset: UInt64, available: Int, forward: Bool
  ) throws {
    readSize = forward ? min(readSize * 2, PackWindow.maximumRead) : PackWindow.minimumRead
    let length = Int(min(UInt64(max(available, readSize)), data.entriesEnd - offset))
    reserve(length)
    pack = -1
    let read = try data.read(
      into: UnsafeMutableRawBufferPointer(start: buffer, count: length), at: offset)
    pack = number
    start = offset
    count = read
  }

  /// Makes the buffer hold at least `size` bytes (its contents are not kept).
  private mutating func reserve(_ size: Int) {
    guard size > capacity else { return }
    buffer.deallocate()
    capacity = max(size, capacity * 2)
    buffer = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 16)
  }

  mutating func shrink() {
    guard capacity > PackWindow.maximumRead else { return }
    buffer.deallocate()
    capacity = PackWindow.maximumRead
    buffer = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 16)
    pack = -1
    count = 0
  }
}
