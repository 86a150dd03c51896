// A reusable block of memory for one thread's intermediate bytes.

/// Raw memory that grows on demand and is given back after an unusually large use.
final class ScratchBuffer {
  /// The size kept between uses; anything larger is freed by `shrink`.
  static let usualCapacity = 64 << 10

  private var base: UnsafeMutableRawPointer
  private var capacity: Int

  init() {
    capacity = Self.usualCapacity
    base = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 16)
  }

  deinit { base.deallocate() }

  /// `count` bytes of the buffer (contents undefined), valid until the next call.
  func reserve(_ count: Int) -> UnsafeMutableRawBufferPointer {
    if count > capacity {
      base.deallocate()
      capacity = max(count, capacity * 2)
      base = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 16)
    }
    return UnsafeMutableRawBufferPointer(start: base, count: count)
  }

  /// Frees memory grown past the usual size.
  func shrink() {
    guard capacity > Self.usualCapacity else { return }
    base.deallocate()
    capacity = Self.usualCapacity
    base = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 16)
  }
}
