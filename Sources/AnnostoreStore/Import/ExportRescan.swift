import AnnostoreGit
import AnnostoreModel

/// Finds records of an export again by their blob id: a second, checking pass over the
/// file, for the few records a merge must look inside when they were not kept in memory.
enum ExportRescan {
  static func contents(of wanted: Set<ObjectID>, in file: String) throws -> [ObjectID: [UInt8]] {
    var found: [ObjectID: [UInt8]] = [:]
    let parser = JSONRecordParser()
    do {
      try ExportReader(path: file).scan { event in
        guard case .record(let raw) = event else { return }
        let kind = RecordKind(section: raw.section)
        switch IngestBatch.check(raw, kind, parser) {
        case .document(_, let document, _):
          let content = CanonicalJSON.fileBytes(document)
          let blob = GitObjectFormat.id(of: .blob, content)
          if wanted.contains(blob) { found[blob] = content }
        case .failed, .empty:
          break
        }
      }
    } catch let error as JSONError {
      throw AnnostoreError.badInput(file: file, error)
    }
    return found
  }
}
