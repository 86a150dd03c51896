// A set of object ids for millions of members: open addressing on the id's own bytes
// (SHA-1 output is already uniform), no hashing and no allocation per member.

/// A set of `ObjectID`s, much cheaper than `Set<ObjectID>` at millions of members: the ids
/// in insertion order (24 bytes each) and a table of 32-bit positions (8 to 16 bytes each).
public struct ObjectIDSet: Sendable {
  /// The members in insertion order.
  public private(set) var members: [ObjectID] = []
  /// Position + 1 of a member in `members`, 0 when the slot is free.
  private var slots: [UInt32]
  private var mask: Int

  /// An empty set with room for about `capacity` ids before it grows.
  public init(capacity: Int = 512) {
    var size = 16
    while size < capacity * 2 { size *= 2 }
    slots = [UInt32](repeating: 0, count: size)
    mask = size - 1
    members.reserveCapacity(capacity)
  }

  /// How many ids the set holds.
  public var count: Int { members.count }

  /// Adds `id`; returns false when it was already there.
  @discardableResult
  public mutating func insert(_ id: ObjectID) -> Bool {
    if (members.count + 1) * 2 > slots.count { grow() }
    var index = Int(truncatingIfNeeded: id.bytes.0) & mask
    while true {
      let slot = slots[index]
      if slot == 0 { break }
      if members[Int(slot) - 1] == id { return false }
      index = (index + 1) & mask
    }
    members.append(id)
    slots[index] = UInt32(members.count)
    return true
  }

  /// Whether the set holds `id`.
  public func contains(_ id: ObjectID) -> Bool {
    var index = Int(truncatingIfNeeded: id.bytes.0) & mask
    while true {
      let slot = slots[index]
      if slot == 0 { return false }
      if members[Int(slot) - 1] == id { return true }
      index = (index + 1) & mask
    }
  }

  private mutating func grow() {
    let size = slots.count * 2
    slots = [UInt32](repeating: 0, count: size)
    mask = size - 1
    for (position, id) in members.enumerated() {
      var index = Int(truncatingIfNeeded: id.bytes.0) & mask
      while slots[index] != 0 { index = (index + 1) & mask }
      slots[index] = UInt32(position + 1)
    }
  }
}
