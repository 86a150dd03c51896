import AnnostoreGit
import AnnostoreModel

/// What the CSV export reads with a bulk reader (one per worker thread): the record lists
/// of the sharded trees, and the annotation and values documents of the rows.
extension ObjectReader {
  /// Calls `visit(id, blob)` for every record of one kind, in tree order, without building
  /// a dictionary (the CSV export sorts a plain list instead).
  func forEachRecord(
    of kind: RecordKind, in dataset: DatasetTrees, _ visit: (String, ObjectID) throws -> Void
  ) throws {
    guard let top = dataset.tree(of: kind) else { return }
    try walk(top, depth: kind.isSharded ? 2 : 0, visit)
  }

  /// Calls `visit(id, blob)` for every record under one shard tree, `depth` levels of
  /// shard directories above the files.
  func forEachRecord(
    inShard tree: ObjectID, depth: Int, _ visit: (String, ObjectID) throws -> Void
  ) throws {
    try walk(tree, depth: depth, visit)
  }

  private func walk(
    _ tree: ObjectID, depth: Int, _ visit: (String, ObjectID) throws -> Void
  ) throws {
    for entry in try self.tree(tree) {
      if depth > 0 {
        if entry.isTree { try walk(entry.id, depth: depth - 1, visit) }
      } else if !entry.isTree, let id = StoreLayout.id(fromFileName: entry.name) {
        try visit(id, entry.id)
      }
    }
  }

  /// Parses the bytes of blob `id`, as `RevisionReader.document` does.
  func parse(_ bytes: [UInt8], _ id: ObjectID) throws -> JSONValue {
    do {
      return try JSONParser.parse(bytes)
    } catch {
      throw AnnostoreError(
        .storeDamaged, "object \(id) is not valid JSON: \(error)",
        hint: "Run `annostore verify` to check the store.")
    }
  }

  /// Reads and parses one JSON blob, as `RevisionReader.document` does.
  func document(_ id: ObjectID) throws -> JSONValue {
    try parse(try blob(id), id)
  }

  /// Adds the values object in `bytes` (blob `id`) to `collector` as the row at `ordinal`:
  /// walked in its canonical bytes, or parsed first when the bytes need the parser.
  func addLeafPaths(
    of bytes: [UInt8], _ id: ObjectID, ordinal: Int, to collector: LeafPathCollector
  ) throws {
    let walked = bytes.withUnsafeBufferPointer {
      collector.add(canonicalValues: $0, ordinal: ordinal)
    }
    if !walked { collector.add(try parse(bytes, id), ordinal: ordinal) }
  }

  /// The members of an annotation a CSV row needs (see `AnnotationFields`), or the whole
  /// document when it cannot be skimmed.
  func annotationFields(_ id: ObjectID) throws -> JSONValue {
    try annotationFields(of: try blob(id), id)
  }

  /// The members a CSV row needs of the annotation in `bytes` (blob `id`).
  func annotationFields(of bytes: [UInt8], _ id: ObjectID) throws -> JSONValue {
    if let fields = AnnotationFields.read(bytes) { return fields }
    return try parse(bytes, id)
  }
}
