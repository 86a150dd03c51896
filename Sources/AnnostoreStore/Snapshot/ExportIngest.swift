import AnnostoreGit
import AnnostoreModel
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
struct ExportIngest {
  let file: String
  /// Where blobs go; nil to check the file only.
  let sink: ObjectSink?
  /// The records of the previous revision, to skip unchanged blobs.
  let previous: [RecordKind: [String: ObjectID]]

  func run(progress: ((Int) -> Void)? = nil) throws -> IngestedExport {
    var result = IngestedExport()
    let noID = ObjectID(bytes: (0, 0, 0))
    do {
      try ExportReader(path: file).read(progress: progress) { event in
        switch event {
        case .sectionStart(let section):
          result.sections.insert(section)
          if let kind = RecordKind.allCases.first(where: { $0.section == section }) {
            result.records[kind] = result.records[kind] ?? [:]
          }
        case .sectionEnd:
          break
        case .record(let section, let value, let index, let location):
          let pointer = "/\(section.rawValue)/\(index)"
          let kind: RecordKind
          let record: NormalizedRecord
          do throws(RecordError) {
            switch section {
            case .annotations:
              kind = .annotations
              record = try NimbusDocuments.annotation(value, at: pointer)
              if result.nimbusDatasetId == nil {
                result.nimbusDatasetId = record.document["datasetId"]?.stringValue
              }
            case .annotationConnections:
              kind = .connections
              record = try NimbusDocuments.connection(value, at: pointer)
              if let ends = NimbusDocuments.connectionEnds(record.document) {
                result.connectionEnds[record.id] = ends
              }
            case .annotationProperties:
              kind = .properties
              record = try NimbusDocuments.property(value, at: pointer)
            case .annotationPropertyValues:
              return
            }
          } catch {
            throw AnnostoreError.badInput(file: file, error, line: location)
          }
          if result.records[kind]?[record.id] != nil {
            throw AnnostoreError.badInput(
              file: file,
              RecordError(
                "duplicate \(kind.singular) id \"\(record.id)\" (ids must be unique)",
                at: pointer + "/_id"), line: location)
          }
          result.records[kind, default: [:]][record.id] =
            try write(record.document, id: record.id, kind: kind) ?? noID
        case .values(let annotationId, let value, let location):
          let pointer = "/annotationPropertyValues/" + annotationId
          let values: JSONValue?
          do throws(RecordError) {
            if let problem = RecordID.problem(with: annotationId) {
              throw RecordError("annotation id: \(problem)", at: pointer)
            }
            values = try NimbusDocuments.values(value, at: pointer)
          } catch {
            throw AnnostoreError.badInput(file: file, error, line: location)
          }
          guard let values else { return }
          result.records[.values, default: [:]][annotationId] =
            try write(values, id: annotationId, kind: .values) ?? noID
        }
      }
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

  /// Writes a record's canonical file unless unchanged; nil in check-only mode.
  private func write(_ document: JSONValue, id: String, kind: RecordKind) throws -> ObjectID? {
    guard let sink else { return nil }
    let content = CanonicalJSON.fileBytes(document)
    let blob = GitObjectFormat.id(of: .blob, content)
    if previous[kind]?[id] != blob {
      try sink.store(.blob, content, id: blob)
    }
    return blob
  }
}

extension RecordKind {
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
