import AnnostoreGit
import AnnostoreModel

/// The trees of one dataset in one revision.
struct DatasetTrees {
  var name: String
  var tree: ObjectID
  var entries: [String: TreeEntry]

  /// The tree of one kind of records, nil when the dataset has none of them.
  func tree(of kind: RecordKind) -> ObjectID? {
    guard let entry = entries[kind.directory], entry.isTree else { return nil }
    return entry.id
  }
}

/// Reads a revision's tree: its datasets, their records and documents.
struct RevisionReader {
  let repository: Repository

  /// The root tree of a commit.
  func rootTree(of commit: ObjectID) throws -> ObjectID {
    try repository.commit(commit).tree
  }

  /// Every dataset of a root tree by name.
  func datasets(inRoot root: ObjectID) throws -> [String: DatasetTrees] {
    var result: [String: DatasetTrees] = [:]
    let rootEntries = try repository.tree(root)
    guard let datasets = rootEntries.first(where: { $0.name == StoreLayout.datasetsDirectory }),
      datasets.isTree
    else { return result }
    for entry in try repository.tree(datasets.id) where entry.isTree {
      let entries = try repository.tree(entry.id)
      result[entry.name] = DatasetTrees(
        name: entry.name, tree: entry.id,
        entries: Dictionary(entries.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a }))
    }
    return result
  }

  /// Reads and parses one JSON blob.
  func document(_ id: ObjectID) throws -> JSONValue {
    let bytes = try repository.blob(id)
    do {
      return try JSONParser.parse(bytes)
    } catch {
      throw AnnostoreError(
        .storeDamaged, "object \(id) is not valid JSON: \(error)",
        hint: "Run `annostore verify` to check the store.")
    }
  }

  /// The `dataset.json` of a dataset, nil when absent.
  func datasetDocument(_ dataset: DatasetTrees) throws -> JSONValue? {
    guard let entry = dataset.entries[StoreLayout.datasetFile], !entry.isTree else { return nil }
    return try document(entry.id)
  }

  /// Every record of one kind: record id → blob id. Tree ids met on the way are added to
  /// `trees` as existing objects when given, so unchanged subtrees are not written again.
  func records(
    of kind: RecordKind, in dataset: DatasetTrees, trees: ObjectSink? = nil
  ) throws -> [String: ObjectID] {
    var result: [String: ObjectID] = [:]
    guard let top = dataset.tree(of: kind) else { return result }
    try collect(tree: top, depth: kind.isSharded ? 2 : 0, into: &result, trees: trees)
    return result
  }

  private func collect(
    tree: ObjectID, depth: Int, into result: inout [String: ObjectID],
    trees: ObjectSink?
  ) throws {
    trees?.markExisting(tree)
    for entry in try repository.tree(tree) {
      if depth > 0 {
        if entry.isTree {
          try collect(tree: entry.id, depth: depth - 1, into: &result, trees: trees)
        }
      } else if !entry.isTree, let id = StoreLayout.id(fromFileName: entry.name) {
        result[id] = entry.id
      }
    }
  }
}
