import AnnostoreGit
import AnnostoreModel

/// One dataset of one revision, read for a CSV export: the annotations in row order with
/// the blobs of their documents and values, the property names, the listed paths. Only
/// ids and blob ids are held for the whole dataset; documents are read as rows are made.
struct CSVDatasetSource {
  /// One row to be: an annotation's id, its document's blob, its values' blob if any.
  struct Row: Sendable {
    /// The annotation's id and document blob (see `ListedRecord` for why not a string).
    var listed: ListedRecord
    var values: ObjectID?

    /// The annotation's id.
    var id: String { listed.id }
    /// The blob of the annotation's document.
    var annotation: ObjectID { listed.blob }
  }

  let name: String
  let reader: RevisionReader
  /// Every annotation in row order: ids sorted by their bytes (the store's id order).
  let rows: [Row]
  /// Property id → name, for every property of the dataset (an absent name is "").
  let propertyNames: [String: String]
  /// `listedPropertyPaths` of `dataset.json`; nil when the dataset has none.
  let listedPaths: [PropertyPath]?

  /// Reads the dataset's lists; the record trees are walked with bulk readers over `packs`
  /// on `workers` threads. Without `packs`, only the properties and listed paths are read
  /// (`rows` is empty).
  init(
    _ dataset: DatasetTrees, reader: RevisionReader, packs: PackSet?, workers: Int = 1
  ) throws {
    name = dataset.name
    self.reader = reader
    rows = try packs.map { try Self.rows(dataset, packs: $0, workers: workers) } ?? []
    var names: [String: String] = [:]
    for (id, blob) in try reader.records(of: .properties, in: dataset) {
      names[id] = try reader.document(blob)["name"]?.stringValue ?? ""
    }
    propertyNames = names
    let listed = try reader.datasetDocument(dataset)?["listedPropertyPaths"]?.arrayElements
    listedPaths = listed.map { paths in
      paths.compactMap { path in
        PropertyPath(components: path.arrayElements?.compactMap(\.stringValue) ?? [])
      }
    }
  }

  /// Every annotation in row order, with its blobs.
  private static func rows(
    _ dataset: DatasetTrees, packs: PackSet, workers: Int
  ) throws -> [Row] {
    let annotations = try CSVTreeWalk.sortedRecords(
      .annotations, in: dataset, packs: packs, workers: workers)
    let values = try CSVTreeWalk.sortedRecords(
      .values, in: dataset, packs: packs, workers: workers)
    // Both lists are sorted: join them in one pass.
    var rows: [Row] = []
    rows.reserveCapacity(annotations.count)
    var next = 0
    for record in annotations {
      while next < values.count, ListedRecord.precedes(values[next], record) { next += 1 }
      let match = next < values.count && ListedRecord.sameID(values[next], record)
      rows.append(Row(listed: record, values: match ? values[next].blob : nil))
    }
    return rows
  }

  /// The annotation document of a row.
  func annotation(_ row: Row) throws -> JSONValue {
    try reader.document(row.annotation)
  }

  /// The property values of a row, nil when it has none.
  func values(_ row: Row) throws -> JSONValue? {
    try row.values.map { try reader.document($0) }
  }

  /// The property paths a selection stands for in this dataset. `lenient`: a column name
  /// that names no property gives no column instead of an error (for all datasets).
  /// `leafPaths` computes NimbusImage's computed paths when the selection needs them.
  func paths(
    for selection: CSVColumnSelection, lenient: Bool = false,
    leafPaths: () throws -> [PropertyPath]
  ) throws -> [PropertyPath] {
    switch selection {
    case .allLeafPaths:
      return try leafPaths()
    case .listed:
      guard let listedPaths else {
        throw AnnostoreError(
          .usage, "dataset \(name) has no listed property paths",
          hint: "Set them with `annostore dataset set-listed-paths --dataset \(name) PATH...`, "
            + "or name columns with --property / --path.")
      }
      let listed = Set(listedPaths)
      return try leafPaths().filter(listed.contains)
    case .chosen(let choices):
      var paths: [PropertyPath] = []
      for choice in choices {
        switch choice {
        case .path(let path): paths.append(path)
        case .name(let column):
          do {
            paths.append(try PropertyColumnName.resolve(column, properties: propertyNames))
          } catch {
            if lenient, error.kind == .unknown { continue }
            throw AnnostoreError(
              .usage, "dataset \(name): --property \"\(column)\": \(error.message)",
              hint: error.hint)
          }
        }
      }
      return paths
    }
  }
}
