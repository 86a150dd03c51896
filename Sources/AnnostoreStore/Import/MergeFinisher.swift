import AnnostoreGit
import AnnostoreModel

/// What finishing a merge made: the new root tree and what it changed for the branch.
struct FinishedMerge {
  var root: ObjectID
  /// Per kind, what changed relative to ours.
  var changes: [RecordKind: KindChange]
  var dropped: DanglingPrune.Outcome
}

/// Finishes a merge: applies the conflicts' resolutions to the pending dataset, drops
/// dangling references, and builds the root tree (ours' root with the dataset replaced).
struct MergeFinisher {
  let source: TreeSource
  let sink: ObjectSink

  func finish(
    dataset: String, pending: ObjectID?, conflicts: [RecordConflict], base: DatasetNode?,
    oursRoot: ObjectID
  ) throws -> FinishedMerge {
    var entries = try pending.map { try source.entries($0) } ?? [:]
    try applyResolutions(conflicts, to: &entries)
    let dropped = try DanglingPrune(source: source, sink: sink).prune(&entries, base: base)
    let datasetTree = entries.isEmpty ? nil : try sink.storeTree(Array(entries.values))
    let ours = try source.dataset(dataset, inRoot: oursRoot)
    let after = datasetTree.map { DatasetNode(tree: $0, entries: entries) }
    let changes = try DatasetChanges.between(ours, after, source: source)
    let root = try replacingDataset(dataset, with: datasetTree, inRoot: oursRoot)
    return FinishedMerge(root: root, changes: changes, dropped: dropped)
  }

  /// Settles each conflicted record: its provisional version with every resolution applied.
  private func applyResolutions(
    _ conflicts: [RecordConflict], to entries: inout [String: TreeEntry]
  ) throws {
    let editor = TreeEditor(source: source, sink: sink)
    for kind in RecordKind.allCases {
      let mine = conflicts.filter { $0.kind == kind }
      guard !mine.isEmpty else { continue }
      let tree = entries[kind.directory].flatMap { $0.isTree ? $0.id : nil }
      var byRecord: [String: [RecordConflict]] = [:]
      for conflict in mine { byRecord[conflict.conflict.recordId, default: []].append(conflict) }
      var edits: [String: ObjectID?] = [:]
      for (id, recordConflicts) in byRecord {
        let provisional = try source.lookup(id, in: tree, sharded: kind.isSharded)
        var document = try source.document(provisional)
        for conflict in recordConflicts {
          document = RecordMerge.setting(
            conflict.chosenValue, at: conflict.conflict.path, in: document)
        }
        if kind == .values, case .object(let members)? = document, members.isEmpty {
          document = nil
        }
        if let document {
          try Self.check(document, kind: kind, id: id)
          let blob = try source.storeBlob(CanonicalJSON.fileBytes(document))
          if blob != provisional { edits[id] = .some(blob) }
        } else if provisional != nil {
          edits[id] = .some(nil)
        }
      }
      let edited = try editor.apply(edits, to: tree, sharded: kind.isSharded)
      entries[kind.directory] = edited.map { TreeEntry(name: kind.directory, id: $0, isTree: true) }
    }
  }

  /// A settled record must still be a valid document with its own id.
  static func check(_ document: JSONValue, kind: RecordKind, id: String) throws {
    let pointer = "\(kind.singular) \(id)"
    do throws(RecordError) {
      let normalized: NormalizedRecord
      switch kind {
      case .annotations: normalized = try NimbusDocuments.annotation(document, at: pointer)
      case .connections: normalized = try NimbusDocuments.connection(document, at: pointer)
      case .properties: normalized = try NimbusDocuments.property(document, at: pointer)
      case .values:
        _ = try NimbusDocuments.values(document, at: pointer)
        return
      }
      guard normalized.id == id else {
        throw RecordError(
          "the resolved record's _id is \"\(normalized.id)\", not \"\(id)\"", at: "")
      }
    } catch {
      throw AnnostoreError(
        .badInput, "the resolution of \(pointer) is not a valid \(kind.singular): \(error)",
        hint: "Resolve the conflict again (`annostore resolve ...`) with a valid value.")
    }
  }

  /// `root` with dataset `name` replaced by `tree` (removed when nil).
  func replacingDataset(_ name: String, with tree: ObjectID?, inRoot root: ObjectID) throws
    -> ObjectID
  {
    var rootEntries = try source.tree(root)
    let datasets = rootEntries.first { $0.name == StoreLayout.datasetsDirectory && $0.isTree }
    let datasetEntries = TreeAssembler.replacing(
      name, with: tree, isTree: true, in: try datasets.map { try source.tree($0.id) } ?? [])
    let datasetsTree = datasetEntries.isEmpty ? nil : try sink.storeTree(datasetEntries)
    rootEntries = TreeAssembler.replacing(
      StoreLayout.datasetsDirectory, with: datasetsTree, isTree: true, in: rootEntries)
    return try sink.storeTree(rootEntries)
  }
}
