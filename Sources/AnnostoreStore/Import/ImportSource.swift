import AnnostoreModel

/// Where an import comes from: a plain token naming its side ref
/// `refs/imports/<dataset>/<source>`.
enum ImportSource {
  /// The side ref of imports into `dataset` from `source`.
  static func ref(dataset: String, source: String) -> String {
    "refs/imports/\(dataset)/\(source)"
  }

  static func check(_ source: String) throws {
    if let problem = RecordID.problem(with: source) {
      throw AnnostoreError(
        .usage, "source: \(problem)",
        hint: "Name the source with letters, digits, '_' and '-', e.g. --source lab_server.")
    }
  }

  /// The `datasetId` the file's first annotation carries (read no further than that).
  static func sniff(_ file: String) throws -> String {
    struct Found: Error { var id: String? }
    var found: String?
    do {
      try ExportReader(path: file).read { event in
        switch event {
        case .record(.annotations, let value, _, _):
          throw Found(id: value["datasetId"]?.stringValue)
        case .sectionEnd(.annotations):
          throw Found(id: nil)
        default:
          break
        }
      }
    } catch let stop as Found {
      found = stop.id
    } catch let error as JSONError {
      throw AnnostoreError.badInput(file: file, error)
    } catch let error as ExportFileError {
      throw AnnostoreError(
        .badInput, "\(error.path): \(error.message)", hint: "Check the path of the export file.")
    }
    guard let found else {
      throw AnnostoreError(
        .usage, "\(file) names no source: its annotations carry no datasetId",
        hint: "Name where it comes from with --source NAME (a plain token, e.g. lab_server).")
    }
    return found
  }
}
