import AnnostoreGit
import AnnostoreModel

/// After a merge, drops the references left dangling: connections with an end that no
/// longer exists and values of annotations that no longer exist. Every commit the store
/// makes is free of them, so only records that differ from the merge base can dangle:
/// those are the only ones looked at.
struct DanglingPrune {
  let source: TreeSource
  let sink: ObjectSink

  struct Outcome {
    var droppedConnections = 0
    var droppedValues = 0
  }

  /// Prunes the dataset entries `entries` (kind directories of the merged dataset) in place.
  func prune(_ entries: inout [String: TreeEntry], base: DatasetNode?) throws -> Outcome {
    var outcome = Outcome()
    func tree(_ kind: RecordKind) -> ObjectID? {
      guard let entry = entries[kind.directory], entry.isTree else { return nil }
      return entry.id
    }
    let annotations = tree(.annotations)
    func exists(_ id: String) throws -> Bool {
      try source.lookup(id, in: annotations, sharded: true) != nil
    }
    let walk = TreeWalk(source: source)
    let editor = TreeEditor(source: source, sink: sink)

    var valueDrops: [String: ObjectID?] = [:]
    try walk.differences(from: base?.tree(of: .values), to: tree(.values), sharded: true) {
      change in
      if change.theirs != nil, try !exists(change.id) { valueDrops[change.id] = .some(nil) }
    }
    var candidates: [(id: String, blob: ObjectID)] = []
    try walk.differences(from: base?.tree(of: .connections), to: tree(.connections), sharded: true)
    { change in
      if let blob = change.theirs { candidates.append((change.id, blob)) }
    }
    try source.prefetch(Set(candidates.map(\.blob)))
    var connectionDrops: [String: ObjectID?] = [:]
    for candidate in candidates {
      guard let ends = NimbusDocuments.connectionEnds(try source.document(candidate.blob)) else {
        continue
      }
      if try !exists(ends.parent) || !exists(ends.child) {
        connectionDrops[candidate.id] = .some(nil)
      }
    }
    for (kind, drops) in [(RecordKind.values, valueDrops), (.connections, connectionDrops)]
    where !drops.isEmpty {
      let pruned = try editor.apply(drops, to: tree(kind), sharded: true)
      entries[kind.directory] = pruned.map { TreeEntry(name: kind.directory, id: $0, isTree: true) }
    }
    outcome.droppedValues = valueDrops.count
    outcome.droppedConnections = connectionDrops.count
    return outcome
  }
}
