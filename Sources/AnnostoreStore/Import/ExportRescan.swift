import AnnostoreGit
import AnnostoreModel

/// Finds records of an export again by their blob id: a second, checking pass over the
/// file, for the few records a merge must look inside when they were not kept in memory.
enum ExportRescan {
  static func contents(of wanted: Set<ObjectID>, in file: String) throws -> [ObjectID: [UInt8]] {
    var found: [ObjectID: [UInt8]] = [:]
    func take(_ kind: RecordKind, _ value: JSONValue) {
      let document: JSONValue?
      switch kind {
      case .annotations: document = try? NimbusDocuments.annotation(value, at: "").document
      case .connections: document = try? NimbusDocuments.connection(value, at: "").document
      case .properties: document = try? NimbusDocuments.property(value, at: "").document
      case .values: document = (try? NimbusDocuments.values(value, at: "")) ?? nil
      }
      guard let document else { return }
      let content = CanonicalJSON.fileBytes(document)
      let blob = GitObjectFormat.id(of: .blob, content)
      if wanted.contains(blob) { found[blob] = content }
    }
    do {
      try ExportReader(path: file).read { event in
        switch event {
        case .record(let section, let value, _, _):
          switch section {
          case .annotations: take(.annotations, value)
          case .annotationConnections: take(.connections, value)
          case .annotationProperties: take(.properties, value)
          case .annotationPropertyValues: take(.values, value)
          }
        case .values(_, let value, _):
          take(.values, value)
        case .sectionStart, .sectionEnd:
          break
        }
      }
    } catch let error as JSONError {
      throw AnnostoreError.badInput(file: file, error)
    }
    return found
  }
}
