import AnnostoreGit
import AnnostoreModel

extension RevisionReader {
  /// Calls `visit(id, blob)` for every record of one kind, in tree order, without building
  /// a dictionary (the CSV export sorts a plain list instead).
  func forEachRecord(
    of kind: RecordKind, in dataset: DatasetTrees, _ visit: (String, ObjectID) throws -> Void
  ) throws {
    guard let top = dataset.tree(of: kind) else { return }
    try walk(top, depth: kind.isSharded ? 2 : 0, visit)
  }

  private func walk(
    _ tree: ObjectID, depth: Int, _ visit: (String, ObjectID) throws -> Void
  ) throws {
    for entry in try repository.tree(tree) {
      if depth > 0 {
        if entry.isTree { try walk(entry.id, depth: depth - 1, visit) }
      } else if !entry.isTree, let id = StoreLayout.id(fromFileName: entry.name) {
        try visit(id, entry.id)
      }
    }
  }
}
