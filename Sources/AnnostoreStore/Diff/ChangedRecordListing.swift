import AnnostoreGit
import AnnostoreModel
import Foundation

/// A piece of diff work: one subtree of one kind of records whose ids differ between the
/// two revisions (a top-level shard directory, or the whole flat `properties` directory).
struct DiffUnit: Sendable {
  var kind: RecordKind
  var old: ObjectID?
  var new: ObjectID?
  /// Shard levels between this tree and the files.
  var depth: Int
}

/// Finds the changed records of diff units on every core, from the trees alone, each worker
/// with a bulk object reader of its own over the store's packs (a reader belongs to one
/// thread). Reading and comparing the records is left to `RecordDiffPages`.
struct ChangedRecordListing {
  let packs: PackSet

  /// The changed records per kind, each kind in id order (ids are ASCII tokens, so this
  /// is byte order).
  func run(_ units: [DiffUnit]) throws -> [RecordKind: [ChangedRecord]] {
    let workers = min(units.count, SlicedWork.defaultWorkers)
    var parts: [[ChangedRecord]] = []
    if workers <= 1 {
      let walk = TreeDiff(reader: try Self.reader(packs))
      for unit in units {
        parts.append(try walk.changes(old: unit.old, new: unit.new, depth: unit.depth))
      }
    } else {
      let board = WorkBoard(units: units)
      let packs = packs
      DispatchQueue.concurrentPerform(iterations: workers) { _ in
        do {
          let walk = TreeDiff(reader: try Self.reader(packs))
          while let (index, unit) = board.next() {
            board.finish(index, try walk.changes(old: unit.old, new: unit.new, depth: unit.depth))
          }
        } catch {
          board.fail(error)
        }
      }
      parts = try board.results()
    }
    // Each kind's list is reserved at its final size and each part released once copied,
    // so the records are held about once, not twice, on the way.
    var sizes: [RecordKind: Int] = [:]
    for (unit, part) in zip(units, parts) { sizes[unit.kind, default: 0] += part.count }
    var result: [RecordKind: [ChangedRecord]] = [:]
    for (kind, size) in sizes {
      var records: [ChangedRecord] = []
      records.reserveCapacity(size)
      for index in units.indices where units[index].kind == kind {
        records += parts[index]
        parts[index] = []
      }
      records.sort(by: ChangedRecord.precedes)
      result[kind] = records
    }
    return result
  }

  /// A bulk reader for one worker.
  fileprivate static func reader(_ packs: PackSet) throws -> ObjectReader {
    do {
      return try ObjectReader(packs: packs)
    } catch let error as GitError {
      throw AnnostoreError.git(error, doing: "opening the store for reading")
    }
  }
}

/// The shared state of the workers: the next unit to take, the results, the first error.
private final class WorkBoard: @unchecked Sendable {
  private let lock = NSLock()
  private let units: [DiffUnit]
  private var taken = 0
  private var done: [[ChangedRecord]?]
  private var error: Error?

  init(units: [DiffUnit]) {
    self.units = units
    done = Array(repeating: nil, count: units.count)
  }

  /// The next unit to work on, nil when all are taken or a worker failed.
  func next() -> (Int, DiffUnit)? {
    lock.lock()
    defer { lock.unlock() }
    guard error == nil, taken < units.count else { return nil }
    taken += 1
    return (taken - 1, units[taken - 1])
  }

  func finish(_ index: Int, _ result: [ChangedRecord]) {
    lock.lock()
    done[index] = result
    lock.unlock()
  }

  func fail(_ failure: Error) {
    lock.lock()
    if error == nil { error = failure }
    lock.unlock()
  }

  /// The results in unit order, or the first error.
  func results() throws -> [[ChangedRecord]] {
    lock.lock()
    defer { lock.unlock() }
    if let error { throw error }
    return done.map { $0 ?? [] }
  }
}
