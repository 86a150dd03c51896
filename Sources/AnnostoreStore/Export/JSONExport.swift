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
  /// core, a second reader on a worker thread renders every other chunk of records.
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
      let records = try ExportRecords(of: kind, in: dataset, reader: reader)
      report.counts[kind] = records.sorted.count
      try output.write(kind == .values ? "{" : "[")
      // Chunk k is rendered here while chunk k + 1 is rendered on the worker.
      let count = records.sorted.count
      let chunks = stride(from: 0, to: count, by: ExportRecords.chunkSize).map {
        $0..<min($0 + ExportRecords.chunkSize, count)
      }
      var next = 0
      while next < chunks.count {
        let ahead = next + 1 < chunks.count ? worker : nil
        ahead?.start(records, chunks[next + 1], keyed: kind == .values)
        try output.write(records.render(chunks[next], keyed: kind == .values, with: reader))
        if let ahead { try output.write(ahead.finish()) }
        next += ahead == nil ? 1 : 2
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
  /// One record: its id's first 24 bytes (zero-padded, big-endian words: record ids are
  /// ASCII tokens without NUL, so keys order as the ids' bytes do), its blob, and where the
  /// tree walk met it.
  struct Entry: Sendable {
    var key: (UInt64, UInt64, UInt64)
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
  /// `RevisionReader.records` does).
  init(of kind: RecordKind, in dataset: DatasetTrees, reader: ObjectReader) throws {
    if let top = dataset.tree(of: kind) {
      try collect(tree: top, depth: kind.isSharded ? 2 : 0, reader: reader)
    }
    let ids = ids
    sorted.sort { a, b in
      if a.key != b.key { return a.key < b.key }
      if ids[a.walk].utf8.count > 24 || ids[b.walk].utf8.count > 24, ids[a.walk] != ids[b.walk] {
        return ids[a.walk].utf8.lexicographicallyPrecedes(ids[b.walk].utf8)
      }
      return a.walk < b.walk
    }
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

  private mutating func collect(tree: ObjectID, depth: Int, reader: ObjectReader) throws {
    for entry in try reader.tree(tree) {
      if depth > 0 {
        if entry.isTree { try collect(tree: entry.id, depth: depth - 1, reader: reader) }
      } else if !entry.isTree, let id = StoreLayout.id(fromFileName: entry.name) {
        var words: (UInt64, UInt64, UInt64) = (0, 0, 0)
        withUnsafeMutableBytes(of: &words) { raw in
          for (index, byte) in id.utf8.prefix(24).enumerated() { raw[index] = byte }
        }
        let key = (
          UInt64(bigEndian: words.0), UInt64(bigEndian: words.1), UInt64(bigEndian: words.2)
        )
        sorted.append(Entry(key: key, blob: entry.id, walk: ids.count))
        ids.append(id)
      }
    }
  }

  /// The output bytes of the records at `positions` of the sorted order: each preceded by
  /// a comma unless it is the very first, keyed by `"<id>":` for property values, without
  /// its file's final newline.
  func render(_ positions: Range<Int>, keyed: Bool, with reader: ObjectReader) throws -> [UInt8] {
    var bytes: [UInt8] = []
    bytes.reserveCapacity(positions.count * 512)
    for position in positions {
      let entry = sorted[position]
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

/// A second thread rendering chunks with its own reader over the same packs.
///
/// Unchecked Sendable: `reader` is touched only by jobs on the serial `queue`; `result` is
/// written by a job before it signals `done`, and read by the owner only after waiting on
/// `done`; the owner starts one job and waits for it before starting the next.
private final class ExportWorker: @unchecked Sendable {
  private let packs: PackSet
  private let queue = DispatchQueue(label: "annostore.export-json", qos: .userInitiated)
  private let done = DispatchSemaphore(value: 0)
  private var reader: ObjectReader?
  private var result: Result<[UInt8], any Error> = .success([])

  init(packs: PackSet) { self.packs = packs }

  /// Starts rendering the records at `positions` on the worker thread.
  func start(_ records: ExportRecords, _ positions: Range<Int>, keyed: Bool) {
    queue.async { [self] in
      result = Result {
        if reader == nil { reader = try ObjectReader(packs: packs) }
        return try records.render(positions, keyed: keyed, with: reader!)
      }
      done.signal()
    }
  }

  /// Waits for the chunk started last and returns its bytes (or throws its error).
  func finish() throws -> [UInt8] {
    done.wait()
    return try result.get()
  }
}
