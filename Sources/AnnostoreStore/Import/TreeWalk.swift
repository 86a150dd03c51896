import AnnostoreGit

/// One record in three versions (blob ids; nil where absent).
struct RecordTriple {
  var id: String
  var base: ObjectID?
  var ours: ObjectID?
  var theirs: ObjectID?
}

/// Walks record trees side by side, skipping every subtree whose id shows it unchanged,
/// so the cost follows the size of the change, not of the dataset.
struct TreeWalk {
  let source: TreeSource

  /// The records a three-way merge must look at: those where their version differs from
  /// both the base and ours. (Where theirs equals the base, ours stands; where theirs
  /// equals ours, there is nothing to do.)
  func mergeCandidates(
    base: ObjectID?, ours: ObjectID?, theirs: ObjectID?, sharded: Bool,
    _ visit: (RecordTriple) throws -> Void
  ) throws {
    try walk(base, ours, theirs, depth: sharded ? 2 : 0, visit)
  }

  /// The records that differ between two record trees: (id, before, after).
  func differences(
    from before: ObjectID?, to after: ObjectID?, sharded: Bool,
    _ visit: (RecordTriple) throws -> Void
  ) throws {
    // As a merge where ours is absent: every record whose `after` differs from `before`.
    try walk(before, nil, after, depth: sharded ? 2 : 0, skipEqualOurs: false, visit)
  }

  private func walk(
    _ base: ObjectID?, _ ours: ObjectID?, _ theirs: ObjectID?, depth: Int,
    skipEqualOurs: Bool = true, _ visit: (RecordTriple) throws -> Void
  ) throws {
    if theirs == base { return }
    if skipEqualOurs && ours == theirs { return }
    let baseEntries = try base.map { try source.entries($0) } ?? [:]
    let ourEntries = try ours.map { try source.entries($0) } ?? [:]
    let theirEntries = try theirs.map { try source.entries($0) } ?? [:]
    var names = Set(theirEntries.keys)
    names.formUnion(baseEntries.keys)
    for name in names.sorted() {
      func pick(_ entries: [String: TreeEntry]) -> ObjectID? {
        guard let entry = entries[name], entry.isTree == (depth > 0) else { return nil }
        return entry.id
      }
      let b = pick(baseEntries)
      let o = pick(ourEntries)
      let t = pick(theirEntries)
      if depth > 0 {
        try walk(b, o, t, depth: depth - 1, skipEqualOurs: skipEqualOurs, visit)
      } else if t != b && (!skipEqualOurs || o != t), let id = StoreLayout.id(fromFileName: name) {
        try visit(RecordTriple(id: id, base: b, ours: o, theirs: t))
      }
    }
  }
}
