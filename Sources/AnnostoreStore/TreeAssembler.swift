import AnnostoreGit

/// Builds git trees from records and writes the ones the store lacks into a sink.
struct TreeAssembler {
  let sink: ObjectSink

  /// A tree holding `entries`; nil when there are none (git has no empty trees).
  func tree(_ entries: [TreeEntry]) throws -> ObjectID? {
    guard !entries.isEmpty else { return nil }
    return try sink.storeTree(entries)
  }

  /// The tree of one kind of records: `<aa>/<bb>/<id>.json` when sharded, else flat.
  func recordTree(_ records: [String: ObjectID], sharded: Bool) throws -> ObjectID? {
    guard sharded else {
      return try tree(
        records.map {
          TreeEntry(name: StoreLayout.fileName(of: $0.key), id: $0.value, isTree: false)
        })
    }
    var shards: [String: [String: [TreeEntry]]] = [:]
    for (id, blob) in records {
      let (first, second) = StoreLayout.shard(of: id)
      shards[first, default: [:]][second, default: []].append(
        TreeEntry(name: StoreLayout.fileName(of: id), id: blob, isTree: false))
    }
    var top: [TreeEntry] = []
    top.reserveCapacity(shards.count)
    for (first, inner) in shards {
      var middle: [TreeEntry] = []
      middle.reserveCapacity(inner.count)
      for (second, files) in inner {
        if let leaf = try tree(files) {
          middle.append(TreeEntry(name: second, id: leaf, isTree: true))
        }
      }
      if let tree = try tree(middle) {
        top.append(TreeEntry(name: first, id: tree, isTree: true))
      }
    }
    return try tree(top)
  }

  /// `entries` with the entry called `name` replaced by `id` (removed when nil).
  static func replacing(_ name: String, with id: ObjectID?, isTree: Bool, in entries: [TreeEntry])
    -> [TreeEntry]
  {
    var result = entries.filter { $0.name != name }
    if let id { result.append(TreeEntry(name: name, id: id, isTree: isTree)) }
    return result
  }
}
