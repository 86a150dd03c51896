import AnnostoreGit
import AnnostoreModel

/// The three versions of one dataset a merge combines.
struct MergeInputs {
  var base: DatasetNode?
  var ours: DatasetNode?
  var theirs: DatasetNode?
}

/// A merge computed but not finished: the dataset's tree with every clean change applied
/// and each conflicted record in its provisional form (ours where they disagree).
struct PendingDataset {
  /// The dataset's tree (nil when it holds nothing).
  var tree: ObjectID?
  /// What could not be decided.
  var conflicts: [RecordConflict]
  /// Values and connections both sides changed, whose annotations the merge deleted:
  /// dropped rather than reported as conflicts.
  var dropped = DroppedCounts()
}

/// What the merge of later kinds needs to know about the merged annotations.
private struct MergeContext {
  /// The merged annotations' tree.
  var annotations: ObjectID?
  /// Annotations in conflict (their fate is not decided yet).
  var conflicted: Set<String> = []
  var dropped = DroppedCounts()
}

/// Three-way merge of one dataset, tree to tree: subtrees with equal ids are skipped,
/// records are compared by blob id first and parsed only when all three versions differ.
struct DatasetMerge {
  let source: TreeSource
  let sink: ObjectSink

  func run(_ inputs: MergeInputs, outOfRange: inout OutOfRangeCheck) throws -> PendingDataset {
    var entries = inputs.ours?.entries ?? [:]
    var conflicts: [RecordConflict] = []
    var context = MergeContext()
    let editor = TreeEditor(source: source, sink: sink)
    for kind in RecordKind.allCases {
      let ours = inputs.ours?.tree(of: kind)
      let theirTree = inputs.theirs?.tree(of: kind)
      if ours == inputs.base?.tree(of: kind) && !(kind == .annotations && outOfRange.isActive) {
        // Untouched on our side: their tree as it is, without looking at a record.
        entries[kind.directory] = theirTree.map {
          TreeEntry(name: kind.directory, id: $0, isTree: true)
        }
        if kind == .annotations { context.annotations = theirTree }
        continue
      }
      var triples: [RecordTriple] = []
      try TreeWalk(source: source).mergeCandidates(
        base: inputs.base?.tree(of: kind), ours: ours, theirs: theirTree, sharded: kind.isSharded
      ) { triples.append($0) }
      // Their versions to look inside: where both sides changed, and where a range check
      // applies. Read them in one go (they may not be in the store yet).
      let checksRange = kind == .annotations && outOfRange.isActive
      try source.prefetch(
        Set(triples.compactMap { checksRange || $0.ours != $0.base ? $0.theirs : nil }))
      var edits: [String: ObjectID?] = [:]
      for triple in triples {
        if let edit = try merge(
          triple, kind: kind, conflicts: &conflicts, outOfRange: &outOfRange, context: &context)
        {
          edits[triple.id] = edit
        }
      }
      let tree = try editor.apply(edits, to: ours, sharded: kind.isSharded)
      entries[kind.directory] = tree.map { TreeEntry(name: kind.directory, id: $0, isTree: true) }
      if kind == .annotations {
        context.annotations = tree
        context.conflicted = Set(conflicts.map(\.conflict.recordId))
      }
    }
    let datasetFile = try mergeDatasetFile(inputs)
    entries[StoreLayout.datasetFile] = datasetFile.map {
      TreeEntry(name: StoreLayout.datasetFile, id: $0, isTree: false)
    }
    let tree = entries.isEmpty ? nil : try sink.storeTree(Array(entries.values))
    return PendingDataset(tree: tree, conflicts: conflicts, dropped: context.dropped)
  }

  /// The edit one record needs relative to ours (`.some(nil)`: delete), nil for none.
  private func merge(
    _ triple: RecordTriple, kind: RecordKind, conflicts: inout [RecordConflict],
    outOfRange: inout OutOfRangeCheck, context: inout MergeContext
  ) throws -> ObjectID?? {
    if triple.ours == triple.base {
      if kind == .annotations, outOfRange.isActive {
        outOfRange.check(id: triple.id, try source.document(triple.theirs))
      }
      return .some(triple.theirs)
    }
    // Both sides changed the record, differently: look inside.
    let theirs = try source.document(triple.theirs)
    let ours = try source.document(triple.ours)
    if kind == .annotations { outOfRange.check(id: triple.id, theirs) }
    let result = RecordMerge.merge(
      id: triple.id, base: try source.document(triple.base), ours: ours, theirs: theirs,
      style: kind.mergeStyle)
    if !result.isClean,
      try orphaned(kind: kind, id: triple.id, versions: [ours, theirs], context: context)
    {
      if kind == .values { context.dropped.values += 1 } else { context.dropped.connections += 1 }
      return triple.ours == nil ? nil : .some(nil)
    }
    for conflict in result.conflicts {
      conflicts.append(RecordConflict(number: conflicts.count + 1, kind: kind, conflict: conflict))
    }
    guard let merged = result.merged else { return triple.ours == nil ? nil : .some(nil) }
    let blob = try source.storeBlob(CanonicalJSON.fileBytes(merged))
    return blob == triple.ours ? nil : .some(blob)
  }

  /// Whether every present version of a values or connections record refers to an
  /// annotation the merge deleted (and whose fate no conflict leaves open).
  private func orphaned(
    kind: RecordKind, id: String, versions: [JSONValue?], context: MergeContext
  ) throws -> Bool {
    func gone(_ annotation: String) throws -> Bool {
      try !context.conflicted.contains(annotation)
        && source.lookup(annotation, in: context.annotations, sharded: true) == nil
    }
    switch kind {
    case .values:
      return try gone(id)
    case .connections:
      for version in versions.compactMap({ $0 }) {
        guard let ends = NimbusDocuments.connectionEnds(version) else { return false }
        if try !gone(ends.parent) && !gone(ends.child) { return false }
      }
      return true
    case .annotations, .properties:
      return false
    }
  }

  /// `dataset.json` merged field by field, ours winning where both changed a field (the
  /// target's own settings, such as its dimensions, are never taken from an import).
  private func mergeDatasetFile(_ inputs: MergeInputs) throws -> ObjectID? {
    let ours = inputs.ours?.datasetFile
    let theirs = inputs.theirs?.datasetFile
    let base = inputs.base?.datasetFile
    if ours == theirs || theirs == base { return ours ?? theirs }
    guard let ours else { return theirs }
    if ours == base { return theirs }
    let result = RecordMerge.merge(
      id: StoreLayout.datasetFile, base: try source.document(base) ?? .object([]),
      ours: try source.document(ours), theirs: try source.document(theirs), style: .fields)
    guard let merged = result.merged else { return ours }
    return try source.storeBlob(CanonicalJSON.fileBytes(merged))
  }
}
