import AnnostoreGit
import AnnostoreModel
import Dispatch

/// Lists the records of a dataset's sharded directories on every core, in id order. A
/// million records sit in some 65,000 small trees per kind; reading them is a good part of
/// an export's start. Each worker reads every `workers`-th top-level shard with a bulk
/// object reader of its own (made from the shared `packs`) and sorts what it found by
/// `RecordIDKey`; the sorted parts are then merged.
enum CSVTreeWalk {
  /// The records of `kind`: (id, blob), sorted by id (plain ASCII tokens, so `<` is byte
  /// order).
  static func sortedRecords(
    _ kind: RecordKind, in dataset: DatasetTrees, packs: PackSet, workers: Int
  ) throws -> [(id: String, blob: ObjectID)] {
    guard let top = dataset.tree(of: kind) else { return [] }
    let reader = try ObjectReader(packs: packs)
    if !kind.isSharded || workers <= 1 {
      var part = WalkedPart()
      try reader.forEachRecord(of: kind, in: dataset) { part.add($0, $1) }
      part.sort()
      return WalkedPart.merged([part])
    }
    let shards = try reader.tree(top).filter(\.isTree).map(\.id)
    let results = ResultSlots<WalkedPart>(count: workers)
    DispatchQueue.concurrentPerform(iterations: workers) { worker in
      results.set(
        worker,
        Result {
          let reader = try ObjectReader(packs: packs)
          var part = WalkedPart()
          for index in stride(from: worker, to: shards.count, by: workers) {
            try reader.forEachRecord(inShard: shards[index], depth: 1) { part.add($0, $1) }
          }
          part.sort()
          return part
        })
    }
    var parts: [WalkedPart] = []
    for worker in 0..<workers {
      guard let result = results.get(worker) else { continue }
      parts.append(try result.get())
    }
    return WalkedPart.merged(parts)
  }
}

/// The records one worker walked, and their order by id.
private struct WalkedPart: Sendable {
  var ids: [String] = []
  var blobs: [ObjectID] = []
  /// Positions in `ids`, with their keys, sorted by id once `sort` has run.
  var order: [(key: RecordIDKey, walk: Int32)] = []

  mutating func add(_ id: String, _ blob: ObjectID) {
    order.append((RecordIDKey(id), Int32(ids.count)))
    ids.append(id)
    blobs.append(blob)
  }

  mutating func sort() {
    let ids = ids
    order.sort { a, b in
      RecordIDKey.precedes(a.key, ids[Int(a.walk)], b.key, ids[Int(b.walk)])
    }
  }

  /// The records of sorted parts (whose ids are distinct) in one list, in id order.
  static func merged(_ parts: [WalkedPart]) -> [(id: String, blob: ObjectID)] {
    var records: [(id: String, blob: ObjectID)] = []
    records.reserveCapacity(parts.reduce(0) { $0 + $1.ids.count })
    var next = [Int](repeating: 0, count: parts.count)
    while true {
      var best = -1
      for part in parts.indices where next[part] < parts[part].order.count {
        if best < 0 {
          best = part
          continue
        }
        let candidate = parts[part].order[next[part]]
        let leader = parts[best].order[next[best]]
        if RecordIDKey.precedes(
          candidate.key, parts[part].ids[Int(candidate.walk)], leader.key,
          parts[best].ids[Int(leader.walk)])
        {
          best = part
        }
      }
      guard best >= 0 else { return records }
      let walk = Int(parts[best].order[next[best]].walk)
      records.append((parts[best].ids[walk], parts[best].blobs[walk]))
      next[best] += 1
    }
  }
}
