import AnnostoreGit
import AnnostoreModel
import Dispatch
import Foundation

/// What `export json` writes.
public struct JSONExportRequest: Sendable {
  public var dataset: String?
  public var revision: String?
  /// The parts to write, in any order; the file always lists them in NimbusImage's order.
  public var parts: Set<RecordKind>

  public init(
    dataset: String?, revision: String?, parts: Set<RecordKind> = Set(RecordKind.allCases)
  ) {
    self.dataset = dataset
    self.revision = revision
    self.parts = parts
  }
}

/// What `export json` wrote.
public struct JSONExportReport: Sendable {
  public var dataset: String
  public var commit: String
  public var counts: [RecordKind: Int]
}

extension Store {
  /// Writes a dataset as NimbusImage's server export: one compact line, the selected parts
  /// in NimbusImage's key order, records in id order. The store's files are canonical, so
  /// the same revision always gives the same bytes.
  ///
  /// Objects are read with the git layer's bulk reader; on a machine with more than one
  /// core, a second reader on a worker thread walks half of each record tree and renders
  /// every other chunk of records.
  public func exportJSON(_ request: JSONExportRequest, to output: OutputFile) throws
    -> JSONExportReport
  {
    let commit = try resolveOrHead(request.revision)
    let dataset = try selectDataset(request.dataset, at: commit)
    let reader = try repository.makeBulkReader()
    let worker =
      ProcessInfo.processInfo.activeProcessorCount > 1 ? ExportWorker(packs: reader.packs) : nil
    var report = JSONExportReport(dataset: dataset.name, commit: commit.description, counts: [:])
    var first = true
    try output.write("{")
    for kind in RecordKind.allCases where request.parts.contains(kind) {
      try output.write((first ? "\"" : ",\"") + kind.section.rawValue + "\":")
      first = false
      let records = try ExportRecords(of: kind, in: dataset, reader: reader, worker: worker)
      report.counts[kind] = records.sorted.count
      try output.write(kind == .values ? "{" : "[")
      // Chunk k is rendered here while chunk k + 1 is rendered on the worker.
      let count = records.sorted.count
      let chunks = stride(from: 0, to: count, by: ExportRecords.chunkSize).map {
        $0..<min($0 + ExportRecords.chunkSize, count)
      }
      let keyed = kind == .values
      var next = 0
      while next < chunks.count {
        let ahead = next + 1 < chunks.count ? chunks[next + 1] : nil
        let pending = ahead.flatMap { chunk in
          worker?.submit { try records.render(chunk, keyed: keyed, with: $0) }
        }
        try output.write(records.render(chunks[next], keyed: keyed, with: reader))
        if let pending { try output.write(pending.wait()) }
        next += pending == nil ? 1 : 2
      }
      try output.write(kind == .values ? "}" : "]")
    }
    try output.write("}")
    try output.finish()
    return report
  }
}

/// The records of one kind to export, in id order.
///
/// The sort moves only plain values (a key, a blob id, a position), never the id strings,
/// so it costs no reference counting.
private struct ExportRecords: Sendable {
  /// One record: its id's key, its blob, and where the tree walk met it.
  struct Entry: Sendable {
    var key: RecordIDKey
    var blob: ObjectID
    var walk: Int
  }

  /// The record ids in tree-walk order.
  private(set) var ids: [String] = []
  /// The records in id order.
  private(set) var sorted: [Entry] = []

  /// Records rendered per chunk (one chunk is a few megabytes of output).
  static let chunkSize = 4096

  /// Every record of `kind` in `dataset` (an id listed twice keeps its last blob, as
  /// `RevisionReader.records` does). With a worker, the second half of the shard
  /// directories is walked and sorted there.
  init(of kind: RecordKind, in dataset: DatasetTrees, reader: ObjectReader, worker: ExportWorker?)
    throws
  {
    guard let top = dataset.tree(of: kind) else { return }
    let depth = kind.isSharded ? 2 : 0
    let entries = try reader.tree(top)
    let half = depth > 0 && worker != nil ? entries.count / 2 : entries.count
    let rest = Array(entries[half...])
    let pending =
      rest.isEmpty
      ? nil
      : worker?.submit { reader in
        var part = ExportRecords()
        try part.collect(rest, depth: depth, reader: reader)
        part.sortWalked()
        return part
      }
    try collect(entries[..<half], depth: depth, reader: reader)
    sortWalked()
    if let pending { merge(try pending.wait()) }
    removeDuplicates()
  }

  private init() {}

  /// Adds the records under `entries` (`depth` levels of shard directories above them).
  private mutating func collect(
    _ entries: some Collection<TreeEntry>, depth: Int, reader: ObjectReader
  ) throws {
    for entry in entries {
      if depth > 0 {
        if entry.isTree { try collect(reader.tree(entry.id), depth: depth - 1, reader: reader) }
      } else if !entry.isTree, let id = StoreLayout.id(fromFileName: entry.name) {
        sorted.append(Entry(key: RecordIDKey(id), blob: entry.id, walk: ids.count))
        ids.append(id)
      }
    }
  }

  /// Whether `a` comes before `b`: by id bytes, then by walk order.
  private static func precedes(_ a: Entry, _ b: Entry, ids: [String]) -> Bool {
    if a.key != b.key { return a.key < b.key }
    let first = ids[a.walk]
    let second = ids[b.walk]
    if (first.utf8.count > 24 || second.utf8.count > 24) && first != second {
      return first.utf8.lexicographicallyPrecedes(second.utf8)
    }
    return a.walk < b.walk
  }

  /// Sorts the records collected so far.
  private mutating func sortWalked() {
    let ids = ids
    sorted.sort { Self.precedes($0, $1, ids: ids) }
  }

  /// Merges another part's sorted records, walked after this part's.
  private mutating func merge(_ other: ExportRecords) {
    let shift = ids.count
    var combined = ExportRecords()
    combined.ids = ids + other.ids
    combined.sorted.reserveCapacity(sorted.count + other.sorted.count)
    var mine = sorted.makeIterator()
    var theirs = other.sorted.lazy.map { Entry(key: $0.key, blob: $0.blob, walk: $0.walk + shift) }
      .makeIterator()
    var a = mine.next()
    var b = theirs.next()
    while let left = a, let right = b {
      if Self.precedes(right, left, ids: combined.ids) {
        combined.sorted.append(right)
        b = theirs.next()
      } else {
        combined.sorted.append(left)
        a = mine.next()
      }
    }
    while let left = a {
      combined.sorted.append(left)
      a = mine.next()
    }
    while let right = b {
      combined.sorted.append(right)
      b = theirs.next()
    }
    self = combined
  }

  /// Keeps only the last walked record of each id.
  private mutating func removeDuplicates() {
    var unique = 0
    for index in sorted.indices {
      if index + 1 < sorted.count, sorted[index + 1].key == sorted[index].key,
        ids[sorted[index + 1].walk] == ids[sorted[index].walk]
      {
        continue
      }
      sorted[unique] = sorted[index]
      unique += 1
    }
    sorted.removeSubrange(unique...)
  }

  /// The output bytes of the records at `positions` of the sorted order: each preceded by
  /// a comma unless it is the very first, keyed by `"<id>":` for property values, without
  /// its file's final newline.
  func render(_ positions: Range<Int>, keyed: Bool, with reader: ObjectReader) throws -> [UInt8] {
    var bytes: [UInt8] = []
    bytes.reserveCapacity(positions.count * 512)
    for position in positions {
      let entry = sorted[position]
      if position + 2 < positions.upperBound { reader.prefetch(sorted[position + 2].blob) }
      if position > 0 { bytes.append(UInt8(ascii: ",")) }
      if keyed {
        bytes.append(UInt8(ascii: "\""))
        bytes.append(contentsOf: ids[entry.walk].utf8)
        bytes.append(contentsOf: "\":".utf8)
      }
      let start = bytes.count
      try reader.appendBlob(entry.blob, to: &bytes)
      if bytes.count > start && bytes.last == 10 { bytes.removeLast() }
    }
    return bytes
  }
}

/// A second thread with its own reader over the same packs, running one job at a time.
///
/// Unchecked Sendable: `reader` is touched only by jobs on the serial `queue`.
private final class ExportWorker: @unchecked Sendable {
  private let packs: PackSet
  private let queue = DispatchQueue(label: "annostore.export-json", qos: .userInitiated)
  private var reader: ObjectReader?

  init(packs: PackSet) { self.packs = packs }

  /// Starts `job` on the worker thread; its result is waited for with `wait()`.
  func submit<T: Sendable>(_ job: @escaping @Sendable (ObjectReader) throws -> T) -> Pending<T> {
    let pending = Pending<T>()
    queue.async { [self] in
      pending.fulfil(
        Result {
          if reader == nil { reader = try ObjectReader(packs: packs) }
          return try job(reader!)
        })
    }
    return pending
  }
}

/// The result of a job on the worker, once it is done.
///
/// Unchecked Sendable: `result` is written once, before `done` is signalled, and read only
/// after waiting on `done`.
private final class Pending<T: Sendable>: @unchecked Sendable {
  private let done = DispatchSemaphore(value: 0)
  private var result: Result<T, any Error>?

  func fulfil(_ result: Result<T, any Error>) {
    self.result = result
    done.signal()
  }

  /// Waits for the job and returns its result (or throws its error).
  func wait() throws -> T {
    done.wait()
    return try result!.get()
  }
}
