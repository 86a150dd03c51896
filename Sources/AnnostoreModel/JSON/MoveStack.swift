/// A manually managed stack the parser collects container elements on.
///
/// Elements of every open container sit on one stack; when a container closes its elements
/// are *moved* into an exactly sized array (no reference-count traffic, no regrowth of
/// per-container arrays). The owner must call `release()`.
struct MoveStack<Element> {
  private(set) var base: UnsafeMutablePointer<Element>
  private(set) var count = 0
  private var capacity: Int

  init(capacity: Int = 64) {
    self.capacity = max(capacity, 1)
    base = .allocate(capacity: self.capacity)
  }

  /// Frees the storage (and whatever is still on the stack).
  mutating func release() {
    base.deinitialize(count: count)
    base.deallocate()
    count = 0
    capacity = 0
  }

  @inline(__always)
  mutating func push(_ element: consuming Element) {
    if count == capacity { grow() }
    (base + count).initialize(to: element)
    count += 1
  }

  @inline(never)
  private mutating func grow() {
    let newCapacity = capacity * 2
    let newBase = UnsafeMutablePointer<Element>.allocate(capacity: newCapacity)
    newBase.moveInitialize(from: base, count: count)
    base.deallocate()
    base = newBase
    capacity = newCapacity
  }

  /// Drops everything above `mark`.
  mutating func truncate(to mark: Int) {
    guard mark < count else { return }
    (base + mark).deinitialize(count: count - mark)
    count = mark
  }

  /// Moves everything above `mark` into a new array.
  mutating func popArray(from mark: Int) -> [Element] {
    let length = count - mark
    guard length > 0 else { return [] }
    // reserveCapacity + append, not Array(unsafeUninitializedCapacity:): the latter calls
    // an unspecialized runtime entry point that looks up the storage class's metadata on
    // every call, about a tenth of the parse time.
    var result: [Element] = []
    result.reserveCapacity(length)
    for index in mark..<count { result.append((base + index).move()) }
    count = mark
    return result
  }

  /// Forgets everything above `mark` without deinitializing it (the caller moved it out).
  mutating func forget(from mark: Int) {
    count = mark
  }

  subscript(index: Int) -> Element {
    @inline(__always) get { base[index] }
  }
}
