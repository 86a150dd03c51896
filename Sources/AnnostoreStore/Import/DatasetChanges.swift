import AnnostoreGit

/// Per kind, how a dataset's records differ between two versions (tree to tree, unchanged
/// subtrees skipped). `total` is left at 0: counting would read every tree.
enum DatasetChanges {
  static func between(
    _ before: DatasetNode?, _ after: DatasetNode?, source: TreeSource
  ) throws -> [RecordKind: KindChange] {
    var result: [RecordKind: KindChange] = [:]
    for kind in RecordKind.allCases {
      var change = KindChange()
      try TreeWalk(source: source).differences(
        from: before?.tree(of: kind), to: after?.tree(of: kind), sharded: kind.isSharded
      ) { record in
        switch (record.base, record.theirs) {
        case (nil, _): change.added += 1
        case (_, nil): change.removed += 1
        default: change.modified += 1
        }
      }
      result[kind] = change
    }
    return result
  }
}
