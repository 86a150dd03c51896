import AnnostoreModel
import AnnostoreStore

/// `log --annotation ID`: the revisions that changed one annotation, each with what changed.
enum AnnotationLog {
  /// Finds the revisions and prints them, as text or as a JSON array.
  static func run(_ request: AnnotationHistoryRequest, store: Store, json: Bool) throws {
    let revisions = try store.annotationHistory(request)
    if json {
      JSONOutput.print(.array(revisions.map(Self.json)))
      return
    }
    if revisions.isEmpty {
      print("no revision changed annotation \(request.annotation)")
      return
    }
    var lines: [String] = []
    for (index, entry) in revisions.enumerated() {
      let revision = entry.revision
      if index > 0 { lines.append("") }
      lines.append("commit \(revision.commit)")
      lines.append("Author: \(revision.authorName) <\(revision.authorEmail)>")
      lines.append("Date:   \(LogCommand.date(revision.time, revision.offsetMinutes))")
      lines.append("")
      lines += LogCommand.messageLines(revision.message)
      lines.append("")
      if let annotation = entry.annotation {
        lines.append(DiffTextRenderer.annotationLine(annotation))
      }
      if let values = entry.values { lines.append(DiffTextRenderer.valuesLine(values)) }
    }
    try DiffOutput.writeLines(lines)
  }

  /// A revision as `log --json` writes it, plus `annotation` and `values` (the record
  /// changes of Schemas/diff.schema.json, or null where that part did not change).
  static func json(_ entry: AnnotationRevision) -> JSONValue {
    guard case .object(var members) = LogCommand.json(entry.revision) else { return .null }
    members.append(
      JSONMember("annotation", entry.annotation.map(DiffJSONRenderer.annotation) ?? .null))
    members.append(JSONMember("values", entry.values.map(DiffJSONRenderer.values) ?? .null))
    return .object(members)
  }
}
