import AnnostoreModel
import Foundation

/// The files a CSV export request names, read once before any dataset: the NimbusImage
/// request body and the ids file.
struct CSVExportInputs {
  /// The parsed `--request` body, if any.
  var body: CSVRequest?
  /// The rows to keep: the ids of the request body, the ids file and the request's own
  /// list, intersected; nil for every row.
  var subset: Set<String>?

  init(_ request: CSVExportRequest) throws {
    if let file = request.requestFile {
      let bytes = try Self.read(file, what: "request")
      let value: JSONValue
      do {
        value = try JSONParser.parse(bytes)
      } catch {
        throw AnnostoreError.badInput(file: file, error)
      }
      do {
        body = try CSVRequest(json: value)
      } catch {
        throw AnnostoreError(
          .badInput,
          "\(file): \(error.pointer.isEmpty ? "" : error.pointer + ": ")\(error.message)",
          hint: "Give the JSON body of NimbusImage's CSV request (propertyPaths, undefinedValue, "
            + "delimiter, sanitizeColumnNames, annotationIds).")
      }
    }
    var lists: [[String]] = []
    if let ids = body?.annotationIDs { lists.append(ids) }
    if let file = request.idsFile { lists.append(try Self.readIDs(file)) }
    if let ids = request.annotationIDs { lists.append(ids) }
    for list in lists {
      let set = Set(list)
      subset = subset.map { $0.intersection(set) } ?? set
    }
  }

  /// The columns, format of this request.
  func format(_ request: CSVExportRequest) -> CSVFormat { body?.format ?? request.format }

  /// The column selection of this request.
  func selection(_ request: CSVExportRequest) -> CSVColumnSelection {
    body.map { .chosen($0.propertyPaths.map(CSVColumnChoice.path)) } ?? request.columns
  }

  private static func read(_ file: String, what: String) throws -> [UInt8] {
    // FileHandle reads pipes and process substitutions too, not only regular files.
    guard let handle = FileHandle(forReadingAtPath: file),
      let data = try? handle.readToEnd() ?? Data()
    else {
      throw AnnostoreError(
        .usage, "cannot read the \(what) file \(file)", hint: "Check the path and its permissions.")
    }
    return Array(data)
  }

  /// An ids file: one id per line; blank lines and surrounding spaces are ignored.
  private static func readIDs(_ file: String) throws -> [String] {
    let bytes = try read(file, what: "ids")
    var ids: [String] = []
    for (index, line) in bytes.split(
      separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false
    )
    .enumerated() {
      let text = String(decoding: line, as: UTF8.self).trimmingCharacters(
        in: .whitespacesAndNewlines)
      if text.isEmpty { continue }
      if let problem = RecordID.problem(with: text) {
        throw AnnostoreError(
          .badInput, "\(file): line \(index + 1): \(problem)",
          hint: "An ids file holds one annotation id per line.")
      }
      ids.append(text)
    }
    return ids
  }
}
