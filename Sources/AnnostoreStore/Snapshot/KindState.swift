import AnnostoreGit
import AnnostoreModel

/// The records of one kind in one revision of a dataset, with the trees that hold them:
/// read from the ingest index, or from the revision's trees when there is none.
struct KindState: Sendable {
  let kind: RecordKind
  var records = RecordColumns()
  /// The kind's directory tree; nil when the dataset has no records of this kind.
  var tree: ObjectID?
  /// The tree of each leaf directory (`<aa>/<bb>`, or the flat directory of an unsharded
  /// kind), zero when empty.
  var leaves: [ObjectID]
  /// The tree of each first-level directory `<aa>` (sharded kinds), zero when empty.
  var middles: [ObjectID]
  /// Whether the digests are those of the records' bytes in the export they came from
  /// (from the index), so that unchanged records can be recognised.
  var hasDigests = false

  /// Entries in shard order: the entries of shard s are `byShard[shardStarts[s]..<shardStarts[s+1]]`.
  private(set) var shardStarts: [UInt32] = []
  private(set) var byShard: [UInt32] = []
  /// Open-addressing table of entry + 1 by digest (0: free); empty without digests.
  var slots: [UInt32] = []

  init(kind: RecordKind) {
    self.kind = kind
    leaves = [ObjectID](repeating: .zero, count: kind.shardCount)
    middles = [ObjectID](repeating: .zero, count: kind.isSharded ? 256 : 0)
  }

  var count: Int { records.count }

  /// Sorts the entries into shards (counting sort); call once the records are complete.
  mutating func groupByShard() {
    let shardCount = kind.shardCount
    var starts = [UInt32](repeating: 0, count: shardCount + 1)
    for shard in records.shards { starts[Int(shard) + 1] += 1 }
    for index in 0..<shardCount { starts[index + 1] += starts[index] }
    var next = starts
    var order = [UInt32](repeating: 0, count: records.count)
    for (entry, shard) in records.shards.enumerated() {
      order[Int(next[Int(shard)])] = UInt32(entry)
      next[Int(shard)] += 1
    }
    shardStarts = starts
    byShard = order
  }

  /// The entries of shard `shard`.
  @inline(__always)
  func entries(inShard shard: Int) -> ArraySlice<UInt32> {
    byShard[Int(shardStarts[shard])..<Int(shardStarts[shard + 1])]
  }

  /// The entry named `name` in shard `shard`, nil when there is none.
  func entry(named name: UnsafeBufferPointer<UInt8>, inShard shard: Int) -> Int? {
    guard !shardStarts.isEmpty else { return nil }
    return records.names.bytes.withUnsafeBufferPointer { heap in
      for entry in entries(inShard: shard) {
        let range = records.names.range(Int(entry))
        if range.count == name.count
          && FileNameOrder.compare(UnsafeBufferPointer(rebasing: heap[range]), name) == 0
        {
          return Int(entry)
        }
      }
      return nil
    }
  }

  /// Builds the digest table (entries without a digest are left out).
  mutating func buildDigestTable() {
    var size = 16
    while size < records.count * 2 { size *= 2 }
    var table = [UInt32](repeating: 0, count: size)
    let mask = size - 1
    for (entry, digest) in records.digests.enumerated() where !digest.isNone {
      var slot = Int(truncatingIfNeeded: digest.low) & mask
      while table[slot] != 0 { slot = (slot + 1) & mask }
      table[slot] = UInt32(entry + 1)
    }
    slots = table
  }

  /// The entry whose record had exactly this digest, nil when none did.
  @inline(__always)
  func entry(withDigest digest: RecordDigest) -> Int? {
    guard !slots.isEmpty else { return nil }
    let mask = slots.count - 1
    var slot = Int(truncatingIfNeeded: digest.low) & mask
    while true {
      let value = slots[slot]
      if value == 0 { return nil }
      if records.digests[Int(value) - 1] == digest { return Int(value) - 1 }
      slot = (slot + 1) & mask
    }
  }
}

extension ObjectID {
  /// All zeros: no object (never the id of a real one).
  static let zero = ObjectID(bytes: (0, 0, 0))

  var isZero: Bool { self == .zero }
}

extension KindState {
  /// The records of one kind as a revision's trees hold them (no digests): every tree of
  /// the kind is read, so this is the slow way, for when the ingest index is missing.
  static func read(
    _ kind: RecordKind, of dataset: DatasetTrees, repository: Repository
  ) throws -> KindState {
    var state = KindState(kind: kind)
    guard let top = dataset.tree(of: kind) else {
      state.groupByShard()
      return state
    }
    state.tree = top
    func addFiles(of tree: ObjectID, shard: Int) throws {
      for entry in try repository.tree(tree) where !entry.isTree {
        guard let id = StoreLayout.id(fromFileName: entry.name) else { continue }
        state.records.names.append(id)
        state.records.blobs.append(entry.id)
        state.records.digests.append(.none)
        state.records.shards.append(UInt16(shard))
        if kind == .connections {
          state.records.ends.append(UnsafeRawBufferPointer(start: nil, count: 0))
          state.records.ends.append(UnsafeRawBufferPointer(start: nil, count: 0))
          state.records.endShards.append(contentsOf: [0, 0])
        }
      }
    }
    if kind.isSharded {
      for first in try repository.tree(top) where first.isTree {
        guard let high = Shard.byte(first.name) else { continue }
        state.middles[high] = first.id
        for second in try repository.tree(first.id) where second.isTree {
          guard let low = Shard.byte(second.name) else { continue }
          state.leaves[high << 8 | low] = second.id
          try addFiles(of: second.id, shard: high << 8 | low)
        }
      }
    } else {
      state.leaves[0] = top
      try addFiles(of: top, shard: 0)
    }
    state.groupByShard()
    return state
  }
}
