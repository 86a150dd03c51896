import AnnostoreGit
import AnnostoreModel

/// The new records of one kind, shard by shard: which shards changed, their members sorted
/// as git sorts files, duplicates, dangling references dropped, the changes against the old
/// records, and the trees of the shards that changed.
///
/// A shard is looked at only when it may have changed: it holds a record that was not
/// recognised, an old record that is gone, or (for values and connections) a reference to
/// an annotation that is gone. Every other shard keeps its old tree. Without the ingest
/// index (`incremental` false) every shard is looked at.
struct KindAssembly {
  let kind: RecordKind
  let old: KindState
  /// Whether the export carried this kind (else the old records are kept).
  let carried: Bool
  /// The new records: >= 0, old entry; < 0, `~i` for `misses[i]`.
  let items: [Int32]
  let offsets: [Int]
  let misses: RecordColumns
  /// For each old entry, the item that repeats it (-1: none).
  let hitItem: [Int32]
  /// Empty property values (no records, but their ids count as repeats).
  let emptyNames: NameHeap
  let emptyShards: [UInt16]
  let emptyOffsets: [Int]
  /// Whether shards that look unchanged may be trusted (the old records come from the index).
  let incremental: Bool

  /// Shards to look at.
  private(set) var dirty: [Bool]
  /// Sorted members (items) of the shards looked at; after `assemble`, without dropped ones.
  private var groups: [[Int32]?]
  /// Misses in shard order.
  private var missStarts: [UInt32] = []
  private var missByShard: [UInt32] = []
  /// Items dropped as dangling references.
  private(set) var dropped: [Bool]
  private(set) var droppedCount = 0
  private(set) var leaves: [ObjectID]
  private(set) var middles: [ObjectID]
  private(set) var tree: ObjectID?
  private(set) var change = KindChange()
  /// Shards where an old record is gone (annotations: the references to check).
  private(set) var removalShards: [Bool] = []
  private(set) var removedAny = false

  init(kind: RecordKind, old: KindState, ingested: IngestedKind?, incremental: Bool) {
    self.kind = kind
    self.old = old
    self.incremental = incremental
    if let ingested {
      carried = true
      items = ingested.items
      offsets = ingested.offsets
      misses = ingested.misses
      hitItem = ingested.hitItem
      emptyNames = ingested.emptyNames
      emptyShards = ingested.emptyShards
      emptyOffsets = ingested.emptyOffsets
    } else {
      emptyNames = NameHeap()
      emptyShards = []
      emptyOffsets = []
      carried = false
      items = (0..<Int32(old.count)).map { $0 }
      offsets = []
      misses = RecordColumns()
      hitItem = items
    }
    dirty = [Bool](repeating: false, count: kind.shardCount)
    groups = [[Int32]?](repeating: nil, count: kind.shardCount)
    dropped = [Bool](repeating: false, count: items.count)
    leaves = old.leaves
    middles = old.middles
    tree = old.tree
    groupMisses()
    markChangedShards()
  }

  // MARK: Items

  @inline(__always)
  func shard(_ item: Int32) -> Int {
    let value = items[Int(item)]
    return Int(value >= 0 ? old.records.shards[Int(value)] : misses.shards[Int(~value)])
  }

  @inline(__always)
  func blob(_ item: Int32) -> ObjectID {
    let value = items[Int(item)]
    return value >= 0 ? old.records.blobs[Int(value)] : misses.blobs[Int(~value)]
  }

  /// Calls `body` with access to every item's name.
  func withNames<R>(_ body: (Names) throws -> R) rethrows -> R {
    try ItemStrings.with(items: items, old: old.records.names, miss: misses.names) {
      try body(Names(strings: $0))
    }
  }

  /// Item names, valid inside `withNames`.
  struct Names {
    let strings: ItemStrings

    @inline(__always)
    func callAsFunction(_ item: Int32) -> UnsafeBufferPointer<UInt8> {
      strings(item, perRecord: 1, slot: 0)
    }

    func oldName(_ entry: UInt32) -> UnsafeBufferPointer<UInt8> { strings.old(Int(entry)) }
  }

  /// The shards of a connection item's two ends, nil when its ends are not known.
  @inline(__always)
  func endShards(_ item: Int32) -> (parent: Int, child: Int)? {
    let value = items[Int(item)]
    let columns = value >= 0 ? old.records : misses
    let record = Int(value >= 0 ? value : ~value)
    guard columns.endShards.count > 2 * record + 1,
      !columns.ends.range(2 * record).isEmpty
    else { return nil }
    return (Int(columns.endShards[2 * record]), Int(columns.endShards[2 * record + 1]))
  }

  /// Calls `body` with access to the ends of every connection item (valid inside only).
  func withEnds<R>(_ body: (Ends) throws -> R) rethrows -> R {
    try ItemStrings.with(items: items, old: old.records.ends, miss: misses.ends) {
      try body(Ends(strings: $0))
    }
  }

  /// The ids at the ends of connection items.
  struct Ends {
    let strings: ItemStrings

    /// The parent (`which` 0) or child (1) id of a connection item.
    @inline(__always)
    func callAsFunction(_ item: Int32, _ which: Int) -> UnsafeBufferPointer<UInt8> {
      strings(item, perRecord: 2, slot: which)
    }
  }

  /// Whether item `item` repeats an old record (or keeps one, for a kind not carried).
  @inline(__always)
  func isOld(_ item: Int32) -> Bool { items[Int(item)] >= 0 }

  /// The hashed id of a record just read (nil for one repeating an old record).
  @inline(__always)
  func key(_ item: Int32) -> RecordDigest? {
    let value = items[Int(item)]
    return value < 0 && !misses.keys.isEmpty ? misses.keys[Int(~value)] : nil
  }

  /// The hashed id at one end (`which` 0: parent, 1: child) of a connection just read.
  @inline(__always)
  func endKey(_ item: Int32, _ which: Int) -> RecordDigest? {
    let value = items[Int(item)]
    return value < 0 && !misses.endKeys.isEmpty ? misses.endKeys[2 * Int(~value) + which] : nil
  }

  /// The hashed ids of all the records, when every one was just read (else nil).
  func keySet() -> IDKeySet? {
    guard carried, misses.count == items.count, misses.keys.count == misses.count else {
      return nil
    }
    return IDKeySet(misses.keys, count: misses.count)
  }

  // MARK: Shards

  private mutating func groupMisses() {
    let shardCount = kind.shardCount
    var starts = [UInt32](repeating: 0, count: shardCount + 1)
    for shard in misses.shards { starts[Int(shard) + 1] += 1 }
    for index in 0..<shardCount { starts[index + 1] += starts[index] }
    var next = starts
    var order = [UInt32](repeating: 0, count: misses.count)
    for (miss, shard) in misses.shards.enumerated() {
      order[Int(next[Int(shard)])] = UInt32(miss)
      next[Int(shard)] += 1
    }
    missStarts = starts
    missByShard = order
  }

  private mutating func markChangedShards() {
    if !incremental {
      for shard in 0..<kind.shardCount {
        dirty[shard] =
          !old.entries(inShard: shard).isEmpty || missStarts[shard] != missStarts[shard + 1]
      }
      return
    }
    for shard in misses.shards { dirty[Int(shard)] = true }
    if carried {
      for (entry, item) in hitItem.enumerated() where item < 0 {
        dirty[Int(old.records.shards[entry])] = true
      }
    }
  }

  /// Marks a shard to be looked at.
  mutating func markDirty(_ shard: Int) { dirty[shard] = true }

  /// The members of shard `shard`, sorted by file name, then by place in the file.
  mutating func members(_ shard: Int, _ names: Names) -> [Int32] {
    if let group = groups[shard] { return group }
    var group: [Int32] = []
    for entry in old.entries(inShard: shard) {
      let item = hitItem[Int(entry)]
      if item >= 0 { group.append(item) }
    }
    let missItems = missItemIndex
    for position in Int(missStarts[shard])..<Int(missStarts[shard + 1]) {
      group.append(missItems[Int(missByShard[position])])
    }
    if group.count > 1 {
      let offsets = offsets
      group.sort { a, b in
        let order = FileNameOrder.compare(names(a), names(b))
        if order != 0 { return order < 0 }
        return offsets.isEmpty ? a < b : offsets[Int(a)] < offsets[Int(b)]
      }
    }
    groups[shard] = group
    return group
  }

  /// The item of each miss.
  private var missItemIndex: [Int32] {
    mutating get {
      if let cached = missItemsCache { return cached }
      var result = [Int32](repeating: 0, count: misses.count)
      for (item, value) in items.enumerated() where value < 0 {
        result[Int(~value)] = Int32(item)
      }
      missItemsCache = result
      return result
    }
  }
  private var missItemsCache: [Int32]?

  /// The first duplicate id in file order among the records, nil when ids are unique. Only
  /// shards with new records can hold one (an old record repeated twice is caught when read).
  mutating func firstDuplicate() -> IngestFailure? {
    guard carried else { return nil }
    var first: IngestFailure?
    func note(_ name: UnsafeBufferPointer<UInt8>, index: Int, offset: Int) {
      if first.map({ offset < $0.offset }) ?? true {
        first = .duplicate(
          kind: kind, id: String(decoding: name, as: UTF8.self), index: index, offset: offset)
      }
    }
    var emptiesByShard: [Int: [Int]] = [:]
    for (empty, shard) in emptyShards.enumerated() {
      emptiesByShard[Int(shard), default: []].append(empty)
    }
    emptyNames.bytes.withUnsafeBufferPointer { emptyHeap in
      withNames { names in
        for shard in 0..<kind.shardCount
        where missStarts[shard] != missStarts[shard + 1] || emptiesByShard[shard] != nil {
          var group = members(shard, names).map { item in
            (name: names(item), index: Int(item), offset: offsets[Int(item)])
          }
          if let empties = emptiesByShard[shard] {
            for empty in empties {
              group.append(
                (
                  UnsafeBufferPointer(rebasing: emptyHeap[emptyNames.range(empty)]), -1,
                  emptyOffsets[empty]
                ))
            }
            group.sort {
              let order = FileNameOrder.compare($0.name, $1.name)
              return order != 0 ? order < 0 : $0.offset < $1.offset
            }
          }
          var index = 1
          while index < group.count {
            if FileNameOrder.compare(group[index - 1].name, group[index].name) == 0 {
              note(group[index].name, index: group[index].index, offset: group[index].offset)
              // Later members of the same id are later in the file: skip them.
              while index < group.count
                && FileNameOrder.compare(group[index - 1].name, group[index].name) == 0
              {
                index += 1
              }
            }
            index += 1
          }
        }
      }
    }
    return first
  }

  /// The sorted new members of shard `shard` when it was looked at (after `assemble`).
  func lookedAt(_ shard: Int) -> [Int32]? { dirty[shard] ? groups[shard] : nil }

  /// Whether a record named `name` is among the new ones in shard `shard` (after `assemble`).
  func contains(_ name: UnsafeBufferPointer<UInt8>, inShard shard: Int, _ names: Names) -> Bool {
    guard dirty[shard], let group = groups[shard] else {
      return old.entry(named: name, inShard: shard) != nil
    }
    var low = 0
    var high = group.count
    while low < high {
      let middle = (low + high) / 2
      let order = FileNameOrder.compare(names(group[middle]), name)
      if order == 0 { return true }
      if order < 0 { low = middle + 1 } else { high = middle }
    }
    return false
  }

  /// Looks at every dirty shard: drops the members `keep` refuses, counts the changes, and
  /// (with a sink) writes the trees that changed.
  mutating func assemble(
    sink: ObjectSink?, keep: (([Int32], Int, Names) throws -> [Bool])? = nil
  ) throws {
    var treeBuffer: [UInt8] = []
    var total = old.count
    var changedMiddles = [Bool](repeating: false, count: middles.count)
    var anyChanged = false
    try withNames { names in
      for shard in 0..<kind.shardCount where dirty[shard] {
        var group = members(shard, names)
        if let keep, !group.isEmpty {
          let mask = try keep(group, shard, names)
          var kept: [Int32] = []
          kept.reserveCapacity(group.count)
          for (item, keepIt) in zip(group, mask) {
            if keepIt {
              kept.append(item)
            } else {
              dropped[Int(item)] = true
              droppedCount += 1
            }
          }
          group = kept
          groups[shard] = kept
        }
        let oldEntries = old.entries(inShard: shard)
        total += group.count - oldEntries.count
        countChanges(old: oldEntries, new: group, shard: shard, names)
        guard let sink else { continue }
        let leaf = try leafTree(
          group, names, buffer: &treeBuffer, sink: sink, old: old.leaves[shard])
        if leaf != leaves[shard] {
          leaves[shard] = leaf
          anyChanged = true
          if kind.isSharded { changedMiddles[shard >> 8] = true }
        }
      }
    }
    change.total = total
    guard let sink, anyChanged else { return }
    if !kind.isSharded {
      tree = leaves[0].isZero ? nil : leaves[0]
      return
    }
    for high in 0..<256 where changedMiddles[high] {
      var entries: [(name: Int, id: ObjectID)] = []
      for low in 0..<256 where !leaves[high << 8 | low].isZero {
        entries.append((low, leaves[high << 8 | low]))
      }
      middles[high] = try directoryTree(
        entries, buffer: &treeBuffer, sink: sink, old: old.middles[high])
    }
    var top: [(name: Int, id: ObjectID)] = []
    for high in 0..<256 where !middles[high].isZero { top.append((high, middles[high])) }
    let topTree = try directoryTree(top, buffer: &treeBuffer, sink: sink, old: old.tree ?? .zero)
    tree = topTree.isZero ? nil : topTree
  }

  /// Adds the differences between the old entries and the new members of one shard.
  private mutating func countChanges(
    old entries: ArraySlice<UInt32>, new group: [Int32], shard: Int, _ names: Names
  ) {
    var oldSorted = Array(entries)
    if oldSorted.count > 1 {
      oldSorted.sort { FileNameOrder.compare(names.oldName($0), names.oldName($1)) < 0 }
    }
    var oldIndex = 0
    var newIndex = 0
    while oldIndex < oldSorted.count || newIndex < group.count {
      if oldIndex == oldSorted.count {
        change.added += 1
        newIndex += 1
        continue
      }
      if newIndex == group.count {
        change.removed += 1
        removed(shard)
        oldIndex += 1
        continue
      }
      let order = FileNameOrder.compare(names.oldName(oldSorted[oldIndex]), names(group[newIndex]))
      if order == 0 {
        if old.records.blobs[Int(oldSorted[oldIndex])] != blob(group[newIndex]) {
          change.modified += 1
        }
        oldIndex += 1
        newIndex += 1
      } else if order < 0 {
        change.removed += 1
        removed(shard)
        oldIndex += 1
      } else {
        change.added += 1
        newIndex += 1
      }
    }
  }

  private mutating func removed(_ shard: Int) {
    if removalShards.isEmpty { removalShards = [Bool](repeating: false, count: kind.shardCount) }
    removalShards[shard] = true
    removedAny = true
  }

  /// Whether an old record of shard `shard` is gone.
  func hasRemoval(inShard shard: Int) -> Bool {
    !removalShards.isEmpty && removalShards[shard]
  }

  // MARK: Trees

  /// The tree of one shard's records; written unless it is `old`.
  private func leafTree(
    _ group: [Int32], _ names: Names, buffer: inout [UInt8], sink: ObjectSink, old: ObjectID
  ) throws -> ObjectID {
    guard !group.isEmpty else { return .zero }
    buffer.removeAll(keepingCapacity: true)
    for item in group {
      buffer.append(contentsOf: Self.blobMode)
      buffer.append(contentsOf: names(item))
      buffer.append(contentsOf: Self.jsonSuffix)
      buffer.append(0)
      Self.appendRaw(blob(item), to: &buffer)
    }
    return try store(buffer, sink: sink, unless: old)
  }

  /// A tree of directories named by two hex digits; written unless it is `old`.
  private func directoryTree(
    _ entries: [(name: Int, id: ObjectID)], buffer: inout [UInt8], sink: ObjectSink,
    old: ObjectID
  ) throws -> ObjectID {
    guard !entries.isEmpty else { return .zero }
    buffer.removeAll(keepingCapacity: true)
    for entry in entries {
      buffer.append(contentsOf: Self.treeMode)
      buffer.append(contentsOf: Shard.hex(entry.name).utf8)
      buffer.append(0)
      Self.appendRaw(entry.id, to: &buffer)
    }
    return try store(buffer, sink: sink, unless: old)
  }

  private func store(_ content: [UInt8], sink: ObjectSink, unless old: ObjectID) throws
    -> ObjectID
  {
    try content.withUnsafeBytes { bytes in
      let id = GitObjectFormat.id(of: .tree, bytes: bytes)
      if id != old { try sink.store(.tree, bytes: bytes, id: id) }
      return id
    }
  }

  private static let blobMode = Array("100644 ".utf8)
  private static let treeMode = Array("40000 ".utf8)
  private static let jsonSuffix = Array(".json".utf8)

  private static func appendRaw(_ id: ObjectID, to out: inout [UInt8]) {
    withUnsafeBytes(of: (id.bytes.0.bigEndian, id.bytes.1.bigEndian, id.bytes.2.bigEndian)) {
      out.append(contentsOf: $0.prefix(20))
    }
  }
}
