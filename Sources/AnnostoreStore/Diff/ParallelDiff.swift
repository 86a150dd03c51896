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

/// The record diffs found in some units.
struct DiffUnitResult: Sendable {
  var annotations: [AnnotationDiff] = []
  var connections: [RecordDiff] = []
  var properties: [RecordDiff] = []
  var values: [ValuesDiff] = []

  mutating func append(_ other: DiffUnitResult) {
    annotations += other.annotations
    connections += other.connections
    properties += other.properties
    values += other.values
  }
}

/// Runs diff units on every core, each worker with a bulk object reader of its own over the
/// store's packs (a reader belongs to one thread).
struct ParallelDiff {
  let repository: Repository
  let names: PropertyNames
  var detail: DiffDetail = .full

  /// The diffs of all units, each kind in id order (ids are ASCII tokens, so this is byte
  /// order).
  func run(_ units: [DiffUnit]) throws -> DiffUnitResult {
    let workers = min(units.count, ProcessInfo.processInfo.activeProcessorCount, 8)
    var total = DiffUnitResult()
    let packs: PackSet
    do {
      packs = try PackSet(repository: repository)
    } catch let error as GitError {
      throw AnnostoreError.git(error, doing: "opening the store for reading")
    }
    if workers <= 1 {
      let worker = UnitDiffer(
        reader: try Self.reader(packs), names: names, detail: detail)
      for unit in units { total.append(try worker.diff(unit)) }
    } else {
      let board = WorkBoard(units: units)
      let names = names
      let detail = detail
      DispatchQueue.concurrentPerform(iterations: workers) { _ in
        do {
          let worker = UnitDiffer(reader: try Self.reader(packs), names: names, detail: detail)
          while let (index, unit) = board.next() {
            board.finish(index, try worker.diff(unit))
          }
        } catch {
          board.fail(error)
        }
      }
      for part in try board.results() { total.append(part) }
    }
    func byID<T>(_ items: inout [T], _ id: (T) -> String) {
      items.sort { id($0) < id($1) }
    }
    byID(&total.annotations, \.id)
    byID(&total.connections, \.id)
    byID(&total.properties, \.id)
    byID(&total.values, \.id)
    return total
  }
}

extension ParallelDiff {
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
  private var done: [DiffUnitResult?]
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

  func finish(_ index: Int, _ result: DiffUnitResult) {
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
  func results() throws -> [DiffUnitResult] {
    lock.lock()
    defer { lock.unlock() }
    if let error { throw error }
    return done.map { $0 ?? DiffUnitResult() }
  }
}
