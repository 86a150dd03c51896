import AnnostoreGit
import AnnostoreModel

/// Finds records of an export again by their blob id: a second, checking pass over the
/// file, for the few records a merge must look inside when they were not kept in memory.
enum ExportRescan {
  static func contents(of wanted: Set<ObjectID>, in file: String) throws -> [ObjectID: [UInt8]] {
    var found: [ObjectID: [UInt8]] = [:]
    func take(_ raw: RawRecord) {
      guard case .checked(let record) = BatchPipeline.prepare(raw, file: file, encode: true),
        wanted.contains(record.blob), let content = record.content
      else { return }
      found[record.blob] = content
    }
    do {
      try ExportReader(path: file).read { event in
        switch event {
        case .record(let section, let value, let index, let location):
          take(
            RawRecord(
              kind: RecordKind(section: section), value: value, index: index, key: nil,
              location: location))
        case .values(let annotationId, let value, let location):
          take(
            RawRecord(
              kind: .values, value: value, index: 0, key: annotationId, location: location))
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
