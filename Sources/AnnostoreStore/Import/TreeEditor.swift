import AnnostoreGit

/// Applies record edits (id → new blob, or nil to delete) to a record tree, rewriting only
/// the shard trees that hold an edited record; every other subtree is kept by id.
struct TreeEditor {
  let source: TreeSource
  let sink: ObjectSink

  /// The tree after the edits; nil when it ends up empty.
  func apply(_ edits: [String: ObjectID?], to tree: ObjectID?, sharded: Bool) throws -> ObjectID? {
    guard !edits.isEmpty else { return tree }
    guard sharded else { return try applyFiles(edits, to: tree) }
    var byShard: [String: [String: [String: ObjectID?]]] = [:]
    for (id, blob) in edits {
      let (first, second) = StoreLayout.shard(of: id)
      byShard[first, default: [:]][second, default: [:]][id] = blob
    }
    var top = try tree.map { try source.entries($0) } ?? [:]
    for (first, inner) in byShard {
      var middle = try subtree(top[first]).map { try source.entries($0) } ?? [:]
      for (second, files) in inner {
        let leaf = try applyFiles(files, to: subtree(middle[second]))
        middle[second] = leaf.map { TreeEntry(name: second, id: $0, isTree: true) }
      }
      let written = try write(middle)
      top[first] = written.map { TreeEntry(name: first, id: $0, isTree: true) }
    }
    return try write(top)
  }

  private func applyFiles(_ edits: [String: ObjectID?], to tree: ObjectID?) throws -> ObjectID? {
    var files = try tree.map { try source.entries($0) } ?? [:]
    for (id, blob) in edits {
      let name = StoreLayout.fileName(of: id)
      files[name] = blob.map { TreeEntry(name: name, id: $0, isTree: false) }
    }
    return try write(files)
  }

  private func subtree(_ entry: TreeEntry?) -> ObjectID? {
    guard let entry, entry.isTree else { return nil }
    return entry.id
  }

  private func write(_ entries: [String: TreeEntry]) throws -> ObjectID? {
    guard !entries.isEmpty else { return nil }
    return try sink.storeTree(Array(entries.values))
  }
}
