import AnnostoreGit
import AnnostoreModel
import Dispatch
import Foundation

/// What reading an export produced: for each part it carried, its records (id → blob id).
struct IngestedExport {
  /// The parts the file carried.
  var sections: Set<ExportSection> = []
  /// Records by kind, for the parts carried.
  var records: [RecordKind: [String: ObjectID]] = [:]
  /// The two ends of each connection read.
  var connectionEnds: [String: (parent: String, child: String)] = [:]
  /// The NimbusImage dataset id the annotations carry, if any.
  var nimbusDatasetId: String?
  /// Bytes of the file.
  var bytesRead = 0

  func carries(_ kind: RecordKind) -> Bool { sections.contains(kind.section) }
}

/// Reads a NimbusImage export, checks every record, and (when given a sink) writes each
/// record's canonical file as a blob, skipping blobs the previous revision already has.
/// Any problem stops it with a bad-input error naming the file and the place.
///
/// Records are checked, canonicalised and hashed in batches on a second thread while the
/// reader parses the next batch; the pack writer compresses on its own threads.
struct ExportIngest {
  let file: String
  /// Where blobs go; nil to check the file only.
  let sink: ObjectSink?
  /// The records of the previous revision, to skip unchanged blobs.
  let previous: [RecordKind: [String: ObjectID]]

  private static let batchSize = 2048

  func run(progress: ((Int) -> Void)? = nil) throws -> IngestedExport {
    var result = IngestedExport()
    let pipeline = BatchPipeline(file: file, encode: sink != nil)
    do {
      try ExportReader(path: file).read(progress: progress) { event in
        switch event {
        case .sectionStart(let section):
          result.sections.insert(section)
          let kind = RecordKind(section: section)
          result.records[kind] = result.records[kind] ?? [:]
        case .sectionEnd:
          break
        case .record(let section, let value, let index, let location):
          pipeline.append(
            RawRecord(
              kind: RecordKind(section: section), value: value, index: index, key: nil,
              location: location))
        case .values(let annotationId, let value, let location):
          pipeline.append(
            RawRecord(
              kind: .values, value: value, index: 0, key: annotationId, location: location))
        }
        if pipeline.pendingCount >= Self.batchSize {
          try merge(pipeline.submit(), into: &result)
        }
      }
      try merge(pipeline.submit(), into: &result)
      try merge(pipeline.submit(), into: &result)
    } catch let error as JSONError {
      throw AnnostoreError.badInput(file: file, error)
    } catch let error as ExportFileError {
      throw AnnostoreError(
        .badInput, "\(error.path): \(error.message)",
        hint: "Check the path of the export file.")
    }
    result.bytesRead = fileSize(file)
    return result
  }

  /// Takes a checked batch into the result, in file order: the first bad record stops it.
  private func merge(_ batch: [PreparedRecord], into result: inout IngestedExport) throws {
    for prepared in batch {
      let record: CheckedRecord
      switch prepared {
      case .failed(let error): throw error
      case .empty: continue
      case .checked(let checked): record = checked
      }
      if record.kind != .values, result.records[record.kind]?[record.id] != nil {
        throw AnnostoreError.badInput(
          file: file,
          RecordError(
            "duplicate \(record.kind.singular) id \"\(record.id)\" (ids must be unique)",
            at: record.pointer + "/_id"), line: record.location)
      }
      if record.kind == .annotations, result.nimbusDatasetId == nil {
        result.nimbusDatasetId = record.datasetId
      }
      if let ends = record.ends { result.connectionEnds[record.id] = ends }
      result.records[record.kind, default: [:]][record.id] = record.blob
      if let sink, let content = record.content, previous[record.kind]?[record.id] != record.blob {
        try sink.store(.blob, content, id: record.blob)
      }
    }
  }
}

/// One record as the reader delivered it.
struct RawRecord: Sendable {
  var kind: RecordKind
  var value: JSONValue
  var index: Int
  /// The annotation id of a property-values entry.
  var key: String?
  var location: JSONLocation

  var pointer: String {
    if let key { return "/annotationPropertyValues/" + JSONPointer.escape(key) }
    return "/\(kind.section.rawValue)/\(index)"
  }
}

/// A record that passed its checks, with its canonical file and blob id.
struct CheckedRecord: Sendable {
  var kind: RecordKind
  var id: String
  var blob: ObjectID
  /// The canonical file, nil when only checking.
  var content: [UInt8]?
  var ends: (parent: String, child: String)?
  var datasetId: String?
  var pointer: String
  var location: JSONLocation
}

/// The outcome of checking one record.
enum PreparedRecord: Sendable {
  case checked(CheckedRecord)
  /// Property values that are an empty object: the same as none.
  case empty
  case failed(AnnostoreError)
}

/// Checks batches of records on a background thread, one batch in flight while the
/// caller reads the next.
final class BatchPipeline {
  private let file: String
  private let encode: Bool
  private var pending: [RawRecord] = []
  private let group = DispatchGroup()
  private let inFlight = BatchBox()
  private var hasInFlight = false

  init(file: String, encode: Bool) {
    self.file = file
    self.encode = encode
  }

  var pendingCount: Int { pending.count }

  func append(_ record: RawRecord) { pending.append(record) }

  /// Starts checking what is pending, and returns the results of the batch before it
  /// (empty when there was none).
  func submit() -> [PreparedRecord] {
    group.wait()
    let finished = hasInFlight ? inFlight.output : []
    inFlight.output = []
    hasInFlight = !pending.isEmpty
    guard hasInFlight else { return finished }
    let box = inFlight
    box.input = pending
    pending = []
    let file = file
    let encode = encode
    DispatchQueue.global().async(group: group) {
      box.output = box.input.map { Self.prepare($0, file: file, encode: encode) }
      box.input = []
    }
    return finished
  }

  deinit { group.wait() }

  /// Checks one record and, when encoding, makes its canonical file and blob id.
  static func prepare(_ raw: RawRecord, file: String, encode: Bool) -> PreparedRecord {
    do throws(RecordError) {
      var id: String
      var document: JSONValue
      var ends: (parent: String, child: String)?
      switch raw.kind {
      case .annotations:
        (id, document) = unpack(try NimbusDocuments.annotation(raw.value, at: raw.pointer))
      case .connections:
        (id, document) = unpack(try NimbusDocuments.connection(raw.value, at: raw.pointer))
        ends = NimbusDocuments.connectionEnds(document)
      case .properties:
        (id, document) = unpack(try NimbusDocuments.property(raw.value, at: raw.pointer))
      case .values:
        id = raw.key ?? ""
        if let problem = RecordID.problem(with: id) {
          throw RecordError("annotation id: \(problem)", at: raw.pointer)
        }
        guard let values = try NimbusDocuments.values(raw.value, at: raw.pointer) else {
          return .empty
        }
        document = values
      }
      var content: [UInt8]?
      var blob = ObjectID(bytes: (0, 0, 0))
      if encode {
        let bytes = CanonicalJSON.fileBytes(document)
        blob = GitObjectFormat.id(of: .blob, bytes)
        content = bytes
      }
      return .checked(
        CheckedRecord(
          kind: raw.kind, id: id, blob: blob, content: content, ends: ends,
          datasetId: raw.kind == .annotations ? document["datasetId"]?.stringValue : nil,
          pointer: raw.pointer, location: raw.location))
    } catch {
      return .failed(AnnostoreError.badInput(file: file, error, line: raw.location))
    }
  }

  private static func unpack(_ record: NormalizedRecord) -> (String, JSONValue) {
    (record.id, record.document)
  }
}

/// The batch being checked in the background.
private final class BatchBox: @unchecked Sendable {
  var input: [RawRecord] = []
  var output: [PreparedRecord] = []
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
