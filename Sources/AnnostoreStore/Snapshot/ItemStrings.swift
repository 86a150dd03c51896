/// The strings (names, or connection ends) of a `KindAssembly`'s items, read where they lie
/// in two heaps: the old records' for an item value >= 0, the records just read (`~value`)
/// otherwise. `KindAssembly.Names` and `KindAssembly.Ends` are views of it, so that both
/// look their strings up the same way. Valid only inside `with`.
struct ItemStrings {
  let items: [Int32]
  let oldHeap: UnsafeBufferPointer<UInt8>
  let oldEnds: NameHeap
  let missHeap: UnsafeBufferPointer<UInt8>
  let missEnds: NameHeap

  /// Calls `body` with the strings of `items`, kept in `old` (old records) and `miss`
  /// (records just read).
  static func with<R>(
    items: [Int32], old: NameHeap, miss: NameHeap, _ body: (ItemStrings) throws -> R
  ) rethrows -> R {
    try old.bytes.withUnsafeBufferPointer { oldHeap in
      try miss.bytes.withUnsafeBufferPointer { missHeap in
        try body(
          ItemStrings(
            items: items, oldHeap: oldHeap, oldEnds: old, missHeap: missHeap, missEnds: miss))
      }
    }
  }

  /// String `slot` of item `item`, whose record has `perRecord` strings in a row.
  @inline(__always)
  func callAsFunction(_ item: Int32, perRecord: Int, slot: Int) -> UnsafeBufferPointer<UInt8> {
    let value = items[Int(item)]
    if value >= 0 {
      return UnsafeBufferPointer(rebasing: oldHeap[oldEnds.range(perRecord * Int(value) + slot)])
    }
    return UnsafeBufferPointer(rebasing: missHeap[missEnds.range(perRecord * Int(~value) + slot)])
  }

  /// String `index` of the old records' heap.
  @inline(__always)
  func old(_ index: Int) -> UnsafeBufferPointer<UInt8> {
    UnsafeBufferPointer(rebasing: oldHeap[oldEnds.range(index)])
  }
}
