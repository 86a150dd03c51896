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

/// Runs diff units on every core, each worker with its own repository handle (a handle
/// belongs to one thread); the calling thread's handle serves the first worker.
struct ParallelDiff {
  let repository: Repository
  let names: PropertyNames

  /// The diffs of all units, each kind in id order (ids are ASCII tokens, so this is byte
  /// order).
  func run(_ units: [DiffUnit]) throws -> DiffUnitResult {
    let workers = min(units.count, ProcessInfo.processInfo.activeProcessorCount, 8)
    var total = DiffUnitResult()
    if workers <= 1 {
      for unit in units { total.append(try Self.diff(unit, repository: repository, names: names)) }
    } else {
      let board = WorkBoard(units: units)
      let path = repository.path
      let names = names
      let first = UncheckedBox(repository)
      DispatchQueue.concurrentPerform(iterations: workers) { worker in
        do {
          let handle = worker == 0 ? first.value : try Repository.open(at: path)
          while let (index, unit) = board.next() {
            board.finish(index, try Self.diff(unit, repository: handle, names: names))
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

  /// Walks one unit's trees, reads the changed files and compares them.
  static func diff(_ unit: DiffUnit, repository: Repository, names: PropertyNames) throws
    -> DiffUnitResult
  {
    let reader = RevisionReader(repository: repository)
    let changes = try TreeDiff(repository: repository).changes(
      old: unit.old, new: unit.new, depth: unit.depth)
    func documents(_ change: ChangedRecord) throws -> (JSONValue?, JSONValue?) {
      (
        try change.old.map { try reader.document($0) },
        try change.new.map { try reader.document($0) }
      )
    }
    var result = DiffUnitResult()
    for change in changes {
      let (before, after) = try documents(change)
      switch unit.kind {
      case .annotations:
        if let diff = RecordComparer.annotation(id: change.id, before: before, after: after) {
          result.annotations.append(diff)
        }
      case .connections:
        if let diff = RecordComparer.connection(id: change.id, before: before, after: after) {
          result.connections.append(diff)
        }
      case .properties:
        if let diff = RecordComparer.property(id: change.id, before: before, after: after) {
          result.properties.append(diff)
        }
      case .values:
        if let diff = ValuesComparer.compare(
          annotationId: change.id, before: before, after: after, names: names)
        {
          result.values.append(diff)
        }
      }
    }
    return result
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

/// Carries a value into the one worker that uses it, and only that one.
private struct UncheckedBox<Value>: @unchecked Sendable {
  let value: Value
  init(_ value: Value) { self.value = value }
}
