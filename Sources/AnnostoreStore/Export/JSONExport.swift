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
      let records = try ExportRecord.all(of: kind, in: dataset, reader: reader)
      report.counts[kind] = records.count
      try output.write(kind == .values ? "{" : "[")
      // Chunk k is rendered here while chunk k + 1 is rendered on the worker.
      let chunks = stride(from: 0, to: records.count, by: ExportRecord.chunkSize).map {
        records[$0..<min($0 + ExportRecord.chunkSize, records.count)]
      }
      var next = 0
      while next < chunks.count {
        let ahead = next + 1 < chunks.count ? worker : nil
        ahead?.start(chunks[next + 1], keyed: kind == .values)
        try output.write(ExportRecord.render(chunks[next], keyed: kind == .values, with: reader))
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

/// One record to export: its id, the id's first 24 bytes as a sort key, and its blob.
private struct ExportRecord: Sendable {
  var key: (UInt64, UInt64, UInt64)
  var id: String
  var blob: ObjectID
  /// Where the record was met in the tree walk, so duplicates resolve as a dictionary would.
  var order: Int

  /// Records rendered per chunk (one chunk is a few megabytes of output).
  static let chunkSize = 4096

  init(id: String, blob: ObjectID, order: Int) {
    self.id = id
    self.blob = blob
    self.order = order
    var words: (UInt64, UInt64, UInt64) = (0, 0, 0)
    withUnsafeMutableBytes(of: &words) { raw in
      for (index, byte) in id.utf8.prefix(24).enumerated() { raw[index] = byte }
    }
    key = (UInt64(bigEndian: words.0), UInt64(bigEndian: words.1), UInt64(bigEndian: words.2))
  }

  /// Byte order of the ids (record ids are ASCII tokens without NUL, so the zero-padded
  /// prefix orders as the bytes do), then walk order.
  static func < (a: ExportRecord, b: ExportRecord) -> Bool {
    if a.key != b.key { return a.key < b.key }
    if a.id.utf8.count > 24 || b.id.utf8.count > 24, a.id != b.id {
      return a.id.utf8.dropFirst(24).lexicographicallyPrecedes(b.id.utf8.dropFirst(24))
    }
    return a.order < b.order
  }

  /// Every record of `kind` in `dataset`, in id order (an id listed twice keeps its last
  /// blob, as `RevisionReader.records` does).
  static func all(of kind: RecordKind, in dataset: DatasetTrees, reader: ObjectReader) throws
    -> [ExportRecord]
  {
    var records: [ExportRecord] = []
    if let top = dataset.tree(of: kind) {
      try collect(tree: top, depth: kind.isSharded ? 2 : 0, into: &records, reader: reader)
    }
    records.sort(by: <)
    var unique = 0
    for index in records.indices {
      if index + 1 < records.count && records[index + 1].id == records[index].id { continue }
      records[unique] = records[index]
      unique += 1
    }
    records.removeSubrange(unique...)
    return records
  }

  private static func collect(
    tree: ObjectID, depth: Int, into records: inout [ExportRecord], reader: ObjectReader
  ) throws {
    for entry in try reader.tree(tree) {
      if depth > 0 {
        if entry.isTree {
          try collect(tree: entry.id, depth: depth - 1, into: &records, reader: reader)
        }
      } else if !entry.isTree, let id = StoreLayout.id(fromFileName: entry.name) {
        records.append(ExportRecord(id: id, blob: entry.id, order: records.count))
      }
    }
  }

  /// The output bytes of `chunk`: each record preceded by a comma unless it is the very
  /// first, keyed by `"<id>":` for property values, without its file's final newline.
  static func render(_ chunk: ArraySlice<ExportRecord>, keyed: Bool, with reader: ObjectReader)
    throws -> [UInt8]
  {
    var bytes: [UInt8] = []
    bytes.reserveCapacity(chunk.count * 512)
    for (index, record) in zip(chunk.indices, chunk) {
      if index > 0 { bytes.append(UInt8(ascii: ",")) }
      if keyed {
        bytes.append(UInt8(ascii: "\""))
        bytes.append(contentsOf: record.id.utf8)
        bytes.append(contentsOf: "\":".utf8)
      }
      let start = bytes.count
      try reader.appendBlob(record.blob, to: &bytes)
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

  /// Starts rendering `chunk` on the worker thread.
  func start(_ chunk: ArraySlice<ExportRecord>, keyed: Bool) {
    queue.async { [self] in
      result = Result {
        if reader == nil { reader = try ObjectReader(packs: packs) }
        return try ExportRecord.render(chunk, keyed: keyed, with: reader!)
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
