/// Per-worker result slots in memory of their own (not a Swift array, whose copy-on-write
/// check would be shared): each worker writes only its own slot, and they are read only
/// after `concurrentPerform` has returned.
final class ResultSlots<Output: Sendable>: @unchecked Sendable {
  private let slots: UnsafeMutablePointer<Result<Output, any Error>?>
  private let count: Int
  init(count: Int) {
    self.count = count
    slots = .allocate(capacity: count)
    slots.initialize(repeating: nil, count: count)
  }
  deinit {
    slots.deinitialize(count: count)
    slots.deallocate()
  }
  func set(_ index: Int, _ result: Result<Output, any Error>) { slots[index] = result }
  func get(_ index: Int) -> Result<Output, any Error>? { slots[index] }
}
