import AnnostoreGit
import Dispatch
import Foundation

/// Runs work over a long list on every core, in order and in bounded memory: the list goes
/// in batches, each worker takes one contiguous slice of a batch with a bulk object reader
/// of its own, and the slices' results are handed on in list order before the next batch
/// starts. Reading blobs (index lookup, inflate) and parsing them is most of an export's or
/// a diff's work, and records are independent, so this is how both use the cores.
final class SlicedWork {
  /// Items per worker and batch.
  let sliceSize: Int
  private let pool: ReaderPool

  /// Work reading `packs` with `workers` threads (at least one), `sliceSize` items each.
  init(packs: PackSet, workers: Int = SlicedWork.defaultWorkers, sliceSize: Int = 2048) throws {
    var readers: [ObjectReader] = []
    for _ in 0..<max(1, workers) {
      do {
        readers.append(try ObjectReader(packs: packs))
      } catch let error as GitError {
        throw AnnostoreError.git(error, doing: "opening the store for reading")
      }
    }
    pool = ReaderPool(readers)
    self.sliceSize = max(1, sliceSize)
  }

  /// How many threads to use: the cores there are, at most 8.
  static var defaultWorkers: Int { min(8, max(1, ProcessInfo.processInfo.activeProcessorCount)) }

  /// Runs `work` over consecutive slices of `0..<count` on the workers, and `merge` on the
  /// results in slice order, one batch at a time.
  func forEachSlice<Output: Sendable>(
    count: Int, work: @Sendable (Range<Int>, ObjectReader) throws -> Output,
    merge: (Output) throws -> Void
  ) throws {
    let workers = pool.count
    let sliceSize = self.sliceSize
    let batch = sliceSize * workers
    var start = 0
    while start < count {
      let end = min(count, start + batch)
      let results = ResultSlots<Output>(count: workers)
      let pool = self.pool
      let first = start
      DispatchQueue.concurrentPerform(iterations: workers) { worker in
        let lower = min(end, first + worker * sliceSize)
        let upper = min(end, lower + sliceSize)
        guard lower < upper else { return }
        results.set(worker, Result { try work(lower..<upper, pool.reader(worker)) })
      }
      for worker in 0..<workers {
        guard let result = results.get(worker) else { continue }
        try merge(try result.get())
      }
      start = end
    }
  }
}

/// One bulk reader per worker. `concurrentPerform` runs each worker index on one thread at
/// a time, and worker `i` only ever uses reader `i`, so no reader is shared between
/// threads (`ObjectReader` has one owner at a time; its libgit2 fallback handle too).
private final class ReaderPool: @unchecked Sendable {
  private let readers: [ObjectReader]
  init(_ readers: [ObjectReader]) { self.readers = readers }
  var count: Int { readers.count }
  func reader(_ worker: Int) -> ObjectReader { readers[worker] }
}
