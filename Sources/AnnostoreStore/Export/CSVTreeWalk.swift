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
  ) throws -> [ListedRecord] {
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
  var records: [ListedRecord] = []
  /// Positions in `records`, with their keys, sorted by id once `sort` has run.
  var order: [(key: RecordIDKey, walk: Int32)] = []

  mutating func add(_ id: String, _ blob: ObjectID) {
    let record = ListedRecord(id: id, blob: blob)
    order.append((record.key, Int32(records.count)))
    records.append(record)
  }

  mutating func sort() {
    let records = records
    order.sort { a, b in
      RecordIDKey.precedes(a.key, records[Int(a.walk)].id, b.key, records[Int(b.walk)].id)
    }
  }

  /// The records of sorted parts (whose ids are distinct) in one list, in id order.
  static func merged(_ parts: [WalkedPart]) -> [ListedRecord] {
    var merged: [ListedRecord] = []
    merged.reserveCapacity(parts.reduce(0) { $0 + $1.records.count })
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
          candidate.key, parts[part].records[Int(candidate.walk)].id, leader.key,
          parts[best].records[Int(leader.walk)].id)
        {
          best = part
        }
      }
      guard best >= 0 else { return merged }
      merged.append(parts[best].records[Int(parts[best].order[next[best]].walk)])
      next[best] += 1
    }
  }
}
