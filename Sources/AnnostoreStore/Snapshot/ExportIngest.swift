import AnnostoreGit
import AnnostoreModel
import Dispatch
import Foundation

/// The records of one kind an export carried, in file order.
struct IngestedKind {
  /// Each record: >= 0, the old entry whose bytes it repeats exactly; < 0, `~i` with `i` its
  /// place in `misses`.
  var items: [Int32] = []
  /// The byte offset in the file of each record.
  var offsets: [Int] = []
  /// The records not recognised: parsed, checked and canonicalised.
  var misses = RecordColumns()
  /// For each old entry, the item that repeats it; -1 when none does.
  var hitItem: [Int32]
  /// Property values that are an empty object (the same as none): not records, but their
  /// annotation ids still may not repeat. Their ids, shards and offsets.
  var emptyNames = NameHeap()
  var emptyShards: [UInt16] = []
  var emptyOffsets: [Int] = []

  init(oldCount: Int) {
    hitItem = [Int32](repeating: -1, count: oldCount)
  }
}

extension IngestedKind {
  /// The first record, in file order, whose id an earlier one has (empty property values
  /// included); nil when ids are unique. For records all just read (each has its key).
  func firstRepeat(of kind: RecordKind) -> IngestFailure? {
    var ids = IDKeySet(capacity: misses.count + emptyShards.count)
    var empty = 0
    func emptyRepeats(before offset: Int) -> IngestFailure? {
      while empty < emptyOffsets.count && emptyOffsets[empty] < offset {
        let name = emptyNames.string(empty)
        if !ids.insert(IDKey(name).key) {
          return .duplicate(kind: kind, id: name, index: -1, offset: emptyOffsets[empty])
        }
        empty += 1
      }
      return nil
    }
    for (item, value) in items.enumerated() {
      if let repeated = emptyRepeats(before: offsets[item]) { return repeated }
      let miss = Int(~value)
      if !ids.insert(misses.keys[miss]) {
        return .duplicate(
          kind: kind, id: misses.names.string(miss), index: item, offset: offsets[item])
      }
    }
    return emptyRepeats(before: Int.max)
  }
}

/// What reading an export produced.
struct IngestedExport {
  /// The parts the file carried, in file order.
  var sections: [ExportSection] = []
  /// The records of each kind (by `RecordKind.position`), for the parts carried.
  var kinds: [IngestedKind]
  /// The NimbusImage dataset id the annotations carry, if any.
  var nimbusDatasetId: String?
  /// Bytes of the file.
  var bytesRead = 0
  /// The first problem met in file order; reported unless the records before it hold a
  /// duplicate id (found once they are sorted into shards).
  var failure: IngestFailure?

  func carries(_ kind: RecordKind) -> Bool { sections.contains(kind.section) }
}

/// A problem with the export, not reported yet: its place in the file decides whether it is
/// the first one.
struct IngestFailure: Sendable {
  enum Problem: Sendable {
    /// Reported as it is.
    case located(AnnostoreError)
    /// A JSON error inside a record, whose line and column are still to be found.
    case json(JSONError)
    /// A record that is not a valid document; `recordOffset` is where the record starts.
    case record(RecordError, recordOffset: Int)
    /// A repeated key of `annotationPropertyValues` (`id`): the reader's own check says
    /// where and how.
    case repeatedValuesKey(String)
  }

  /// Where in the file the problem is (the record's start for record errors).
  var offset: Int
  var problem: Problem

  /// The error to report, with line and column found (this reads the file again).
  func error(file: String) -> AnnostoreError {
    let reader = ExportReader(path: file)
    switch problem {
    case .located(let error):
      return error
    case .json(let error):
      return AnnostoreError.badInput(file: file, (try? reader.locate(error)) ?? error)
    case .record(let error, let recordOffset):
      return AnnostoreError.badInput(
        file: file, error, line: try? reader.location(ofOffset: recordOffset))
    case .repeatedValuesKey(let id):
      // Nothing before it is wrong, so the reader's structural check stops right there.
      do {
        _ = try reader.validate()
      } catch let error as JSONError {
        return AnnostoreError.badInput(file: file, error)
      } catch {}
      return AnnostoreError(
        .badInput,
        "\(file): /annotationPropertyValues/\(JSONPointer.escape(id)): duplicate key \"\(id)\"",
        hint: "Nothing was written. Fix the file (or export it again from NimbusImage) and retry.")
    }
  }

  /// A duplicate id at the record `index` of `kind`, which starts at `offset`.
  static func duplicate(kind: RecordKind, id: String, index: Int, offset: Int) -> IngestFailure {
    if kind == .values {
      return IngestFailure(offset: offset, problem: .repeatedValuesKey(id))
    }
    return IngestFailure(
      offset: offset,
      problem: .record(
        RecordError(
          "duplicate \(kind.singular) id \"\(id)\" (ids must be unique)",
          at: "/\(kind.section.rawValue)/\(index)/_id"),
        recordOffset: offset))
  }
}

/// Reads a NimbusImage export: finds each record's bytes, recognises records identical to
/// ones of the previous revision by a digest of their bytes (`old`, from the ingest index),
/// and parses, checks and canonicalises only the others, writing their blobs into the sink
/// unless the previous revision has them. Records are handled in batches on other threads
/// while the file is read; the pack writer compresses on its own threads.
struct ExportIngest {
  let file: String
  /// Where blobs go; nil to check the file only (no canonical form is made).
  let sink: ObjectSink?
  /// The previous revision's records (by `RecordKind.position`), possibly still loading.
  let previous: PreviousRecords
  /// Whether to compute the digest of every record (to recognise it now, and next time).
  let digests: Bool

  private static let batchRecords = 2048
  private static let batchBytes = 1 << 20
  /// Batches handed over and not yet merged: a few, and more while the previous records
  /// are still loading (so that the reading runs ahead meanwhile).
  private static let batchesInFlight = 4
  private static let batchesInFlightWhileLoading = 64

  func run(progress: ((Int) -> Void)? = nil) throws -> IngestedExport {
    var reading = Reading(
      ingest: self,
      context: IngestContext(previous: previous, encode: sink != nil, digests: digests))
    var readerFailure: IngestFailure?
    do {
      // Repeated annotation ids of the values are found with the other duplicates.
      try ExportReader(path: file).scan(progress: progress, checkingValueKeys: false) {
        try reading.take($0)
      }
    } catch is StopReading {
    } catch let error as JSONError {
      readerFailure = IngestFailure(
        offset: error.location.offset, problem: .located(.badInput(file: file, error)))
    } catch let error as ExportFileError {
      reading.abandon()
      throw AnnostoreError(
        .badInput, "\(error.path): \(error.message)",
        hint: "Check the path of the export file.")
    }
    return try reading.finish(readerFailure: readerFailure)
  }

  /// The state of one reading: the batch being filled, the batches handed over, and what
  /// the merged ones gave.
  private struct Reading {
    let ingest: ExportIngest
    let context: IngestContext
    var result = IngestedExport(kinds: [])
    var inFlight: [IngestBatch] = []
    var batch = IngestBatch(sequence: 0)
    /// Merged batches, to reuse.
    var spare: [IngestBatch] = []

    init(ingest: ExportIngest, context: IngestContext) {
      self.ingest = ingest
      self.context = context
    }

    mutating func take(_ event: ExportRawEvent) throws {
      switch event {
      case .record(let record):
        batch.append(record)
        if batch.records.count >= ExportIngest.batchRecords || batch.used >= ExportIngest.batchBytes
        {
          submit()
          try mergeFinished(
            keeping: (ingest.previous.isReady
              ? ExportIngest.batchesInFlight : ExportIngest.batchesInFlightWhileLoading) - 1)
          if result.failure != nil { throw StopReading() }
        }
      case .sectionStart(let section):
        result.sections.append(section)
      case .sectionEnd:
        break
      }
    }

    mutating func submit() {
      guard !batch.records.isEmpty else { return }
      let submitted = batch
      if let reused = spare.popLast() {
        reused.reuse(as: submitted.sequence + 1)
        batch = reused
      } else {
        batch = IngestBatch(sequence: submitted.sequence + 1)
      }
      let context = context
      DispatchQueue.global(qos: .userInitiated).async(group: submitted.group) {
        submitted.process(context)
      }
      inFlight.append(submitted)
    }

    mutating func mergeFinished(keeping count: Int) throws {
      while inFlight.count > count {
        let finished = inFlight.removeFirst()
        finished.group.wait()
        try ingest.merge(finished, into: &result, context: context)
        if spare.count < 8 { spare.append(finished) }
      }
    }

    /// Waits for the batches handed over (the reading failed).
    func abandon() {
      for finished in inFlight { finished.group.wait() }
    }

    /// Hands over the last batch and merges everything.
    mutating func finish(readerFailure: IngestFailure?) throws -> IngestedExport {
      if result.failure == nil { submit() }
      try mergeFinished(keeping: 0)
      if result.kinds.isEmpty {
        result.kinds = try ingest.previous.get().kinds.map { IngestedKind(oldCount: $0.count) }
      }
      if result.failure == nil { result.failure = readerFailure }
      result.nimbusDatasetId = context.datasetId
      result.bytesRead = fileSize(ingest.file)
      return result
    }
  }

  /// Takes a handled batch into the result, in file order; stops at the first failure.
  fileprivate func merge(
    _ batch: IngestBatch, into result: inout IngestedExport, context: IngestContext
  ) throws {
    guard result.failure == nil else { return }
    let old = try previous.get().kinds
    if result.kinds.isEmpty { result.kinds = old.map { IngestedKind(oldCount: $0.count) } }
    if let datasetId = batch.datasetId { context.offer(datasetId, batch: batch.sequence) }
    for (record, outcome) in zip(batch.records, batch.outcomes) {
      let position = record.kind.position
      switch outcome {
      case .failed(let failure):
        result.failure = failure
        return
      case .empty(let shard):
        if let key = record.key { result.kinds[position].emptyNames.append(key) }
        result.kinds[position].emptyShards.append(shard)
        result.kinds[position].emptyOffsets.append(record.offset)
      case .hit(let entry):
        let item = Int32(result.kinds[position].items.count)
        if result.kinds[position].hitItem[Int(entry)] >= 0 {
          result.failure = .duplicate(
            kind: record.kind, id: old[position].records.names.string(Int(entry)),
            index: record.index, offset: record.offset)
          return
        }
        result.kinds[position].hitItem[Int(entry)] = item
        result.kinds[position].items.append(entry)
        result.kinds[position].offsets.append(record.offset)
      case .miss(let miss):
        let index = Int32(result.kinds[position].misses.count)
        result.kinds[position].misses.append(miss)
        result.kinds[position].items.append(~index)
        result.kinds[position].offsets.append(record.offset)
        if let sink, let content = miss.content {
          try batch.output.withUnsafeBytes {
            try sink.store(
              .blob, bytes: UnsafeRawBufferPointer(rebasing: $0[content]), id: miss.blob)
          }
        }
      }
    }
  }
}

/// Ends the scan early once a failure is known.
private struct StopReading: Error {}

extension RecordColumns {
  /// Appends a record read from an export.
  mutating func append(_ miss: MissedRecord) {
    names.append(miss.id)
    blobs.append(miss.blob)
    digests.append(miss.digest)
    shards.append(miss.shard)
    keys.append(miss.key)
    if let ends = miss.ends {
      self.ends.append(ends.parent)
      self.ends.append(ends.child)
      endShards.append(ends.parentKey.shard)
      endShards.append(ends.childKey.shard)
      endKeys.append(ends.parentKey.key)
      endKeys.append(ends.childKey.key)
    }
  }
}

/// The previous records of one kind, shared read-only by the workers (a class, so that
/// handing it to each record costs no copy of its columns).
final class OldRecords: Sendable {
  let state: KindState

  init(_ state: KindState) { self.state = state }
}

/// What every batch shares: the previous revision, the options, and the dataset id found.
final class IngestContext: @unchecked Sendable {
  let previous: PreviousRecords
  let encode: Bool
  let digests: Bool
  private let lock = NSLock()
  private var found: (id: String, batch: Int)?
  private var cachedOld: [OldRecords]?

  init(previous: PreviousRecords, encode: Bool, digests: Bool) {
    self.previous = previous
    self.encode = encode
    self.digests = digests
  }

  /// The previous records (waiting for them); nil when they could not be read (the reading
  /// thread reports why).
  func old() -> [OldRecords]? {
    lock.lock()
    if let cachedOld {
      lock.unlock()
      return cachedOld
    }
    lock.unlock()
    guard let kinds = try? previous.get().kinds else { return nil }
    let old = kinds.map(OldRecords.init)
    lock.lock()
    defer { lock.unlock() }
    if cachedOld == nil { cachedOld = old }
    return cachedOld
  }

  /// The NimbusImage dataset id of the first annotation that has one.
  var datasetId: String? {
    lock.lock()
    defer { lock.unlock() }
    return found?.id
  }

  /// Whether batch `sequence` may still hold the first annotation with a dataset id.
  func wantsDatasetId(batch sequence: Int) -> Bool {
    lock.lock()
    defer { lock.unlock() }
    return found.map { sequence < $0.batch } ?? true
  }

  /// The first dataset id of batch `sequence`.
  func offer(_ id: String, batch sequence: Int) {
    lock.lock()
    defer { lock.unlock() }
    if found.map({ sequence < $0.batch }) ?? true { found = (id, sequence) }
  }
}

/// One record as the scanner found it: where its bytes are in the batch.
struct BatchRecord {
  var kind: RecordKind
  var section: ExportSection
  var index: Int
  var key: String?
  var offset: Int
  var start: Int
  var count: Int
}

/// A record that was not recognised, checked and made canonical.
struct MissedRecord {
  var id: String
  var shard: UInt16
  /// 128 bits of the SHA-1 of the id (its shard is the first 16).
  var key: RecordDigest
  var blob: ObjectID
  var digest: RecordDigest
  /// The canonical file in the batch's output, nil when it need not be written (the
  /// previous revision has the same blob under the same id, or only checking).
  var content: Range<Int>?
  var ends: (parent: String, child: String, parentKey: IDKey, childKey: IDKey)?
}

/// What handling one record gave.
enum RecordOutcome {
  /// The record repeats an old entry exactly.
  case hit(Int32)
  case miss(MissedRecord)
  /// Property values that are an empty object: the same as none (its id's shard).
  case empty(UInt16)
  case failed(IngestFailure)
}

/// Records copied out of the reader's buffer, handled together on another thread.
///
/// Unchecked Sendable: filled by the reading thread, then handled by one worker, then read
/// by the reading thread after waiting on `group`.
final class IngestBatch: @unchecked Sendable {
  /// Batches are numbered in file order.
  @exclusivity(unchecked) private(set) var sequence: Int
  let group = DispatchGroup()
  // One thread at a time uses a batch (see above): no need for run-time access checks.
  @exclusivity(unchecked) private(set) var bytes: UnsafeMutableRawPointer
  @exclusivity(unchecked) private var capacity: Int
  @exclusivity(unchecked) private(set) var used = 0
  @exclusivity(unchecked) private(set) var records: [BatchRecord] = []
  @exclusivity(unchecked) private(set) var outcomes: [RecordOutcome] = []
  @exclusivity(unchecked) private var digests: [RecordDigest] = []
  /// Canonical files of the misses, side by side.
  @exclusivity(unchecked) private(set) var output: [UInt8] = []
  /// The dataset id of the first annotation in the batch that has one.
  @exclusivity(unchecked) private(set) var datasetId: String?

  init(sequence: Int) {
    self.sequence = sequence
    capacity = (1 << 20) + (1 << 18)
    bytes = .allocate(byteCount: capacity, alignment: 16)
    records.reserveCapacity(2048)
  }

  deinit { bytes.deallocate() }

  /// Empties a merged batch for reuse as batch `sequence` (its memory is kept: fresh
  /// memory for every batch costs a page fault per 4 KiB).
  func reuse(as sequence: Int) {
    self.sequence = sequence
    used = 0
    records.removeAll(keepingCapacity: true)
    outcomes.removeAll(keepingCapacity: true)
    output.removeAll(keepingCapacity: true)
    datasetId = nil
  }

  func append(_ record: RawExportRecord) {
    let count = record.bytes.count
    if capacity - used < count {
      var newCapacity = capacity * 2
      while newCapacity - used < count { newCapacity *= 2 }
      let grown = UnsafeMutableRawPointer.allocate(byteCount: newCapacity, alignment: 16)
      grown.copyMemory(from: bytes, byteCount: used)
      bytes.deallocate()
      bytes = grown
      capacity = newCapacity
    }
    if let source = record.bytes.baseAddress, count > 0 {
      (bytes + used).copyMemory(from: source, byteCount: count)
    }
    records.append(
      BatchRecord(
        kind: RecordKind(section: record.section), section: record.section, index: record.index,
        key: record.key, offset: record.offset, start: used, count: count))
    used += count
  }

  /// Handles every record (on a worker thread).
  func process(_ context: IngestContext) {
    guard let old = context.old() else { return }
    let parser = JSONRecordParser()
    var guesses = [Int](repeating: -1, count: RecordKind.allCases.count)
    outcomes.reserveCapacity(records.count)
    output.reserveCapacity(context.encode ? used + used / 4 : 0)
    if context.digests { computeDigests() }
    for (index, record) in records.enumerated() {
      let raw = RawExportRecord(
        section: record.section, index: record.index, key: record.key,
        bytes: UnsafeRawBufferPointer(start: bytes + record.start, count: record.count),
        offset: record.offset)
      outcomes.append(
        handle(
          raw, record.kind, context.digests ? digests[index] : .none,
          old[record.kind.position], context, parser, &guesses))
    }
  }

  /// The digest of every record, two at a time where the CPU can.
  private func computeDigests() {
    digests.removeAll(keepingCapacity: true)
    digests.reserveCapacity(records.count)
    guard RecordDigest.pairsAvailable else {
      for record in records {
        digests.append(
          RecordDigest.of(
            kind: record.kind, key: record.key,
            bytes: UnsafeRawBufferPointer(start: bytes + record.start, count: record.count)))
      }
      return
    }
    var index = 0
    while index + 1 < records.count {
      let (first, second) = RecordDigest.pair(
        records[index], records[index + 1], in: UnsafeRawPointer(bytes))
      digests.append(first)
      digests.append(second)
      index += 2
    }
    if index < records.count {
      let record = records[index]
      digests.append(
        RecordDigest.of(
          kind: record.kind, key: record.key,
          bytes: UnsafeRawBufferPointer(start: bytes + record.start, count: record.count)))
    }
  }

  private func handle(
    _ raw: RawExportRecord, _ kind: RecordKind, _ digest: RecordDigest, _ old: OldRecords,
    _ context: IngestContext, _ parser: JSONRecordParser, _ guesses: inout [Int]
  ) -> RecordOutcome {
    if context.digests {
      if old.state.hasDigests {
        let guess = guesses[kind.position] + 1
        let entry: Int?
        if guess < old.state.count && old.state.records.digests[guess] == digest {
          entry = guess
        } else {
          entry = old.state.entry(withDigest: digest)
        }
        if let entry {
          guesses[kind.position] = entry
          if kind == .annotations && datasetId == nil
            && context.wantsDatasetId(batch: sequence),
            let value = try? parser.parse(raw)
          {
            datasetId = value["datasetId"]?.stringValue
          }
          return .hit(Int32(entry))
        }
      }
    }
    let id: String
    let document: JSONValue
    let ends: (parent: String, child: String)?
    switch Self.check(raw, kind, parser) {
    case .failed(let failure): return .failed(failure)
    case .empty(let id): return .empty(Shard.of(id))
    case .document(let checkedId, let checked, let checkedEnds):
      (id, document, ends) = (checkedId, checked, checkedEnds)
    }
    if kind == .annotations && datasetId == nil {
      datasetId = document["datasetId"]?.stringValue
    }
    do {
      let idKey = IDKey(id)
      let shard = kind.isSharded ? idKey.shard : 0
      var blob = ObjectID.zero
      var content: Range<Int>?
      if context.encode {
        let bytes = CanonicalJSON.fileBytes(document)
        blob = GitObjectFormat.id(of: .blob, bytes)
        var known = false
        if !old.state.isEmpty {
          var name = id
          known = name.withUTF8 { name in
            old.state.entry(named: name, inShard: Int(shard)).map {
              old.state.records.blobs[$0] == blob
            } ?? false
          }
        }
        if !known {
          content = output.count..<(output.count + bytes.count)
          output.append(contentsOf: bytes)
        }
      }
      return .miss(
        MissedRecord(
          id: id, shard: shard, key: idKey.key, blob: blob, digest: digest, content: content,
          ends: ends.map { ($0.parent, $0.child, IDKey($0.parent), IDKey($0.child)) }))
    }
  }

  /// What checking one record gave.
  enum Checked {
    /// The record's id, its document as the store keeps it, and a connection's ends.
    case document(String, JSONValue, (parent: String, child: String)?)
    /// Property values that are an empty object (the annotation id).
    case empty(String)
    case failed(IngestFailure)
  }

  /// Parses one record strictly and checks it as NimbusImage's schema does.
  static func check(_ raw: RawExportRecord, _ kind: RecordKind, _ parser: JSONRecordParser)
    -> Checked
  {
    let value: JSONValue
    do {
      value = try parser.parse(raw)
    } catch {
      return .failed(IngestFailure(offset: error.location.offset, problem: .json(error)))
    }
    do throws(RecordError) {
      switch kind {
      case .annotations:
        let record = try NimbusDocuments.annotation(value, at: raw.pointer)
        return .document(record.id, record.document, nil)
      case .connections:
        let record = try NimbusDocuments.connection(value, at: raw.pointer)
        return .document(
          record.id, record.document, NimbusDocuments.connectionEnds(record.document) ?? ("", ""))
      case .properties:
        let record = try NimbusDocuments.property(value, at: raw.pointer)
        return .document(record.id, record.document, nil)
      case .values:
        let id = raw.key ?? ""
        if let problem = RecordID.problem(with: id) {
          throw RecordError("annotation id: \(problem)", at: raw.pointer)
        }
        guard let values = try NimbusDocuments.values(value, at: raw.pointer) else {
          return .empty(id)
        }
        return .document(id, values, nil)
      }
    } catch {
      return .failed(
        IngestFailure(offset: raw.offset, problem: .record(error, recordOffset: raw.offset)))
    }
  }
}

extension KindState {
  var isEmpty: Bool { records.count == 0 }
}

extension RecordKind {
  /// The kind of records an export section carries.
  init(section: ExportSection) {
    switch section {
    case .annotations: self = .annotations
    case .annotationConnections: self = .connections
    case .annotationProperties: self = .properties
    case .annotationPropertyValues: self = .values
    }
  }

  /// The name of one record of this kind, for messages.
  public var singular: String {
    switch self {
    case .annotations: return "annotation"
    case .connections: return "connection"
    case .properties: return "property"
    case .values: return "property-values"
    }
  }
}

/// The size of a file in bytes, 0 when unknown.
func fileSize(_ path: String) -> Int {
  ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int) ?? 0
}
