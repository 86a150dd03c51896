import AnnostoreGit
import AnnostoreModel

extension ImportJob {
  /// `--overwrite`: the branch's dataset takes the parts the file carries, as `commit`
  /// would record them; the commit also joins the import when it is new to the branch.
  mutating func overwrite(
    report: ImportReport, tsource: TreeSource, file: String, oursRoot: ObjectID,
    theirs: ObjectID, linked: Bool, newImport: Bool, previous: ObjectID?, message: String,
    signature: Signature
  ) throws -> ImportReport {
    var report = report
    guard let head else { return report }
    let rebuilt = try SnapshotBuilder(repository: repository, sink: sink).build(
      file: file, dataset: request.dataset, onto: head, excluding: request.excludedKinds)
    let ours = try tsource.dataset(request.dataset, inRoot: oursRoot)
    let after = try tsource.dataset(request.dataset, inRoot: rebuilt.root)
    var outOfRange = try outOfRangeCheck(tsource, ours: ours)
    if outOfRange.isActive {
      var changed: [(id: String, blob: ObjectID)] = []
      try TreeWalk(source: tsource).differences(
        from: ours?.tree(of: .annotations), to: after?.tree(of: .annotations), sharded: true
      ) { change in
        if let blob = change.theirs { changed.append((change.id, blob)) }
      }
      try tsource.prefetch(Set(changed.map(\.blob)))
      for change in changed {
        outOfRange.check(id: change.id, try tsource.document(change.blob))
      }
    }
    if let refusal = outOfRange.refusal(dataset: request.dataset) { throw refusal }
    report.changes = try DatasetChanges.between(ours, after, source: tsource)
    // The rebuilt dataset drops the file's own orphans again, and what the parts kept from
    // the branch lose with it.
    report.droppedAfterMerge = DroppedCounts(
      values: max(0, rebuilt.report.droppedValues - snapshotDrops.values),
      connections: max(0, rebuilt.report.droppedConnections - snapshotDrops.connections))
    if !rebuilt.changed && linked { return report }
    report.outcome = .overwritten
    if request.dryRun { return report }
    let commit = try sink.store(
      .commit,
      GitObjectFormat.commitContent(
        tree: rebuilt.root, parents: linked ? [head] : [head, theirs], author: signature,
        committer: signature, message: message + " (overwrite)"))
    try install()
    try store.moveRef(StoreLayout.branch, to: commit, expected: head, message: "import: \(message)")
    if newImport {
      try store.moveRef(importRef, to: theirs, expected: previous, message: "import snapshot")
    }
    report.commit = commit.hex
    return report
  }
}
