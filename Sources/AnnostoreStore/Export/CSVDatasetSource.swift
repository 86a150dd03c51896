import AnnostoreGit
import AnnostoreModel

/// One dataset of one revision, read for a CSV export: the annotation ids in row order and
/// the blobs behind them, the property names, the listed paths. Documents are read one at
/// a time as rows are written; only ids and blob ids are held for the whole dataset.
struct CSVDatasetSource {
  let name: String
  let reader: RevisionReader
  /// Annotation ids in row order: sorted by their UTF-8 bytes (the store's id order).
  let annotationIDs: [String]
  let annotationBlobs: [String: ObjectID]
  let valueBlobs: [String: ObjectID]
  /// Property id → name, for every property of the dataset (an absent name is "").
  let propertyNames: [String: String]
  /// `listedPropertyPaths` of `dataset.json`; nil when the dataset has none.
  let listedPaths: [PropertyPath]?

  init(_ dataset: DatasetTrees, reader: RevisionReader) throws {
    name = dataset.name
    self.reader = reader
    annotationBlobs = try reader.records(of: .annotations, in: dataset)
    annotationIDs = annotationBlobs.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    valueBlobs = try reader.records(of: .values, in: dataset)
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

  /// The annotation document with this id.
  func annotation(_ id: String) throws -> JSONValue? {
    try annotationBlobs[id].map { try reader.document($0) }
  }

  /// The property values of this annotation, nil when it has none.
  func values(_ id: String) throws -> JSONValue? {
    try valueBlobs[id].map { try reader.document($0) }
  }

  /// NimbusImage's computed property paths over every annotation's values in row order,
  /// keeping paths whose property is one of the dataset's.
  func leafPaths() throws -> [PropertyPath] {
    let collector = LeafPathCollector()
    for id in annotationIDs {
      if let values = try values(id) { collector.add(values) }
    }
    return collector.paths { propertyNames[$0] != nil }
  }

  /// The property paths a selection stands for in this dataset. `lenient`: a column name
  /// that names no property gives no column instead of an error (for all datasets).
  func paths(for selection: CSVColumnSelection, lenient: Bool = false) throws -> [PropertyPath] {
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
