import AnnostoreGit
import AnnostoreModel

/// The three-way merge behind `pull`: the store's branch (ours) and the remote branch
/// (theirs) from their merge base, every dataset merged exactly as `import` merges one
/// (`DatasetMerge`: records by id, fields three-way, tags as sets, values leaf by leaf,
/// dangling references dropped). A dataset only one side changed is taken whole from it.
struct PullMerge {
  let source: TreeSource
  let sink: ObjectSink

  /// A dataset both sides changed, merged but not finished.
  struct Pending {
    var dataset: String
    var merged: PendingDataset
    var base: DatasetNode?
  }

  /// What the merge found.
  struct Outcome {
    /// The root with every dataset without conflicts merged in (ours' root to begin with).
    var root: ObjectID
    /// Datasets both sides changed, in name order.
    var pending: [Pending] = []
    /// Datasets taken whole from theirs.
    var taken: [String] = []

    /// The datasets whose merge has conflicts.
    var conflicted: [Pending] { pending.filter { !$0.merged.conflicts.isEmpty } }
  }

  /// Merges every dataset of the three roots; datasets with conflicts stay pending.
  func merge(oursRoot: ObjectID, theirsRoot: ObjectID, baseRoot: ObjectID?) throws -> Outcome {
    var outcome = Outcome(root: oursRoot)
    let finisher = MergeFinisher(source: source, sink: sink)
    let names = try Set(datasetNames(oursRoot) + datasetNames(theirsRoot) + datasetNames(baseRoot))
    for name in names.sorted() {
      let ours = try source.dataset(name, inRoot: oursRoot)
      let theirs = try source.dataset(name, inRoot: theirsRoot)
      let base = try source.dataset(name, inRoot: baseRoot)
      if ours?.tree == theirs?.tree || theirs?.tree == base?.tree { continue }
      if ours?.tree == base?.tree {
        outcome.root = try finisher.replacingDataset(name, with: theirs?.tree, inRoot: outcome.root)
        outcome.taken.append(name)
        continue
      }
      // Dimensions are not checked: both sides' annotations passed their own checks.
      var unchecked = OutOfRangeCheck(dimensions: nil)
      let merged = try DatasetMerge(source: source, sink: sink).run(
        MergeInputs(base: base, ours: ours, theirs: theirs), outOfRange: &unchecked)
      outcome.pending.append(Pending(dataset: name, merged: merged, base: base))
    }
    return outcome
  }

  /// Finishes `pending` (its conflicts settled) into `root`; returns the new root and the
  /// references dropped.
  func finish(_ pending: Pending, conflicts: [RecordConflict], into root: ObjectID) throws
    -> (root: ObjectID, dropped: DroppedCounts)
  {
    let finished = try MergeFinisher(source: source, sink: sink).finish(
      dataset: pending.dataset, pending: pending.merged.tree, conflicts: conflicts,
      base: pending.base, oursRoot: root)
    return (
      finished.root,
      DroppedCounts(
        values: finished.dropped.droppedValues + pending.merged.dropped.values,
        connections: finished.dropped.droppedConnections + pending.merged.dropped.connections)
    )
  }

  /// The dataset names under `datasets/` of a root tree.
  private func datasetNames(_ root: ObjectID?) throws -> [String] {
    guard let root, let datasets = try source.entries(root)[StoreLayout.datasetsDirectory],
      datasets.isTree
    else { return [] }
    return try source.tree(datasets.id).filter(\.isTree).map(\.name)
  }
}
