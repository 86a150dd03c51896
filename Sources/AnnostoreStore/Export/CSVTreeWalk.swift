import AnnostoreGit
import AnnostoreModel
import Dispatch

/// Lists the records of a dataset's sharded directories on every core. A million records
/// sit in some 65,000 small trees per kind; reading them is a good part of an export's
/// start. Each worker reads whole top-level shards with a bulk object reader of its own,
/// made from the shared `packs` for the walk.
enum CSVTreeWalk {
  /// The records of `kind`: (id, blob), sorted by id (plain ASCII tokens, so `<` is byte
  /// order).
  static func sortedRecords(
    _ kind: RecordKind, in dataset: DatasetTrees, packs: PackSet, workers: Int
  ) throws -> [(id: String, blob: ObjectID)] {
    guard let top = dataset.tree(of: kind) else { return [] }
    var records: [(id: String, blob: ObjectID)] = []
    let reader = try ObjectReader(packs: packs)
    if !kind.isSharded || workers <= 1 {
      try reader.forEachRecord(of: kind, in: dataset) { records.append(($0, $1)) }
    } else {
      let shards = try reader.tree(top).filter(\.isTree).map(\.id)
      let results = WalkSlots(count: workers)
      DispatchQueue.concurrentPerform(iterations: workers) { worker in
        results.set(
          worker,
          Result {
            let reader = try ObjectReader(packs: packs)
            var found: [(id: String, blob: ObjectID)] = []
            for index in stride(from: worker, to: shards.count, by: workers) {
              try reader.forEachRecord(inShard: shards[index], depth: 1) {
                found.append(($0, $1))
              }
            }
            return found
          })
      }
      for worker in 0..<workers {
        guard let result = results.get(worker) else { continue }
        records += try result.get()
      }
    }
    records.sort { $0.id < $1.id }
    return records
  }
}

/// One result slot per worker, each written by its worker only and read after
/// `concurrentPerform` returns.
private final class WalkSlots: @unchecked Sendable {
  typealias Found = Result<[(id: String, blob: ObjectID)], any Error>
  private let slots: UnsafeMutablePointer<Found?>
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
  func set(_ index: Int, _ result: Found) { slots[index] = result }
  func get(_ index: Int) -> Found? { slots[index] }
}
