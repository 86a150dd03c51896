import AnnostoreGit
import AnnostoreModel
import Foundation

extension Store {
  /// Imports an export into a dataset as a three-way merge (README "Import and merge").
  ///
  /// The file is recorded as a snapshot commit on its source's side ref, parented on the
  /// previous import from that source; the branch is then merged with it (base: their
  /// merge base) into a two-parent commit. Everything new goes into one pack; refs move
  /// only at the end, the branch first and the side ref last, so a refused or failed
  /// import writes no ref at all (and, short of `--on-conflict manual`, no object).
  public func importExport(
    _ request: ImportRequest, progress: ((Int) -> Void)? = nil
  ) throws -> ImportReport {
    try DatasetName.check(request.dataset)
    let lock = try StoreLock(storePath: path)
    defer { lock.release() }
    try ensureNoMergeInProgress()
    let source = try request.source ?? ImportSource.sniff(request.file)
    try ImportSource.check(source)
    let head = try headCommit()
    var job = ImportJob(
      store: self, request: request, source: source, head: head,
      sink: try ObjectSink(repository: repository))
    defer { job.discardUnlessInstalled() }
    return try job.run(progress: progress)
  }
}

/// One run of `import`: the steps of `Store.importExport`, sharing their state.
struct ImportJob {
  let store: Store
  let request: ImportRequest
  let source: String
  let head: ObjectID?
  let sink: ObjectSink
  private(set) var installed = false
  private var temporaryFile: String?
  /// The ingest index of the file's snapshot, put in place once the snapshot is in the
  /// store: the next import from this source then recognises unchanged records unparsed.
  private var snapshotIndex: DatasetCache?
  /// The file's own dangling references, dropped when it was recorded.
  private(set) var snapshotDrops = DroppedCounts()
  private var snapshotTree: ObjectID?

  init(store: Store, request: ImportRequest, source: String, head: ObjectID?, sink: ObjectSink) {
    self.store = store
    self.request = request
    self.source = source
    self.head = head
    self.sink = sink
    sink.remembersTrees = true
  }

  var repository: Repository { store.repository }
  var importRef: String { ImportSource.ref(dataset: request.dataset, source: source) }

  func discardUnlessInstalled() {
    if !installed {
      sink.discard()
      snapshotIndex?.discard()
    }
    if let temporaryFile { try? FileManager.default.removeItem(atPath: temporaryFile) }
  }

  mutating func run(progress: ((Int) -> Void)?) throws -> ImportReport {
    let tsource = TreeSource(repository: repository, sink: sink)
    var file = request.file
    var droppedInFile = DroppedCounts()
    if request.newIds {
      let rewritten = try NewIDsRewrite.run(
        store: store, request: request, source: source, head: head, reader: tsource)
      temporaryFile = rewritten.path
      file = rewritten.path
      droppedInFile.values += rewritten.droppedValues
    }
    tsource.exportFile = file
    let previous = try store.reference(importRef)
    // Before the first import from a source, the import is parented on the oldest commit
    // that recorded the dataset from it (a `commit` of an earlier export), if any: the
    // merge then has that commit as its base, and parts the file lacks stay as it had them.
    // (Not for --new-ids: the fresh ids would read as deletions of the old ones.)
    var anchor: ObjectID?
    if previous == nil, let head, !request.newIds {
      anchor = try store.oldestCommit(recording: source, in: request.dataset, from: head)
    }
    let parent = previous ?? anchor
    var builder = SnapshotBuilder(repository: repository, sink: sink)
    // Kinds left out are not in the file, so an index could not describe them.
    builder.writesIndex = request.excludedKinds.isEmpty
    let snapshot = try builder.build(
      file: file, dataset: request.dataset, onto: parent, excluding: request.excludedKinds,
      progress: progress)
    snapshotIndex = snapshot.cache
    snapshotTree = snapshot.datasetTree
    snapshotDrops = DroppedCounts(
      values: snapshot.report.droppedValues, connections: snapshot.report.droppedConnections)
    droppedInFile.values += snapshotDrops.values
    droppedInFile.connections += snapshotDrops.connections
    if request.strict && droppedInFile.total > 0 {
      throw AnnostoreError(
        .badInput,
        "\(request.file): \(droppedInFile.values) property-values entries and "
          + "\(droppedInFile.connections) connections refer to annotations the file lacks",
        hint: "Nothing was written. Without --strict they are dropped and counted.")
    }

    let author = request.author ?? Identity.fromEnvironment()
    let signature = author.signatureNow()
    let theirs: ObjectID
    let newImport: Bool
    if let previous, !snapshot.changed {
      theirs = previous
      newImport = false
      // The snapshot is the previous import's tree, already in the store.
      if !request.dryRun { installSnapshotIndex() }
    } else {
      theirs = try sink.store(
        .commit,
        GitObjectFormat.commitContent(
          tree: snapshot.root, parents: parent.map { [$0] } ?? [], author: signature,
          committer: signature,
          message: "Snapshot of \(request.file) from \(source) for \(request.dataset)"))
      newImport = true
    }
    var report = ImportReport(
      dataset: request.dataset, source: source, file: request.file, outcome: .unchanged,
      dryRun: request.dryRun, importCommit: theirs.hex, importRef: importRef, commit: nil,
      base: nil, changes: [:], excluded: RecordKind.allCases.filter(request.excludedKinds.contains),
      droppedInFile: droppedInFile, droppedAfterMerge: DroppedCounts(), conflicts: [],
      onConflict: request.onConflict)

    guard let head else {
      // Nothing to merge with: the branch simply starts at the import.
      report.outcome = .firstCommit
      report.changes = try DatasetChanges.between(
        nil, try tsource.dataset(request.dataset, inRoot: snapshot.root), source: tsource)
      if request.dryRun { return report }
      try install()
      try store.moveRef(
        StoreLayout.branch, to: theirs, expected: nil, message: "import: \(request.file)")
      if newImport {
        try store.moveRef(importRef, to: theirs, expected: previous, message: "import snapshot")
      }
      report.commit = theirs.hex
      return report
    }

    let merged = try !newImport && store.isAncestor(theirs, of: head)
    let oursRoot = try repository.commit(head).tree
    let message =
      request.message ?? "Import \(request.file) into \(request.dataset) from \(source)"

    if request.overwrite {
      return try overwrite(
        report: report, tsource: tsource, file: file, oursRoot: oursRoot, theirs: theirs,
        linked: merged, newImport: newImport, previous: previous, message: message,
        signature: signature)
    }
    if merged { return report }

    let base =
      newImport
      ? try parent.flatMap { try store.mergeBase(head, $0) } : try store.mergeBase(head, theirs)
    report.baseFromHistory = anchor != nil
    report.base = base?.hex
    let baseRoot = try base.map { try repository.commit($0).tree }
    let inputs = MergeInputs(
      base: try tsource.dataset(request.dataset, inRoot: baseRoot),
      ours: try tsource.dataset(request.dataset, inRoot: oursRoot),
      theirs: try tsource.dataset(request.dataset, inRoot: snapshot.root))
    var outOfRange = try outOfRangeCheck(tsource, ours: inputs.ours)
    let pending = try DatasetMerge(source: tsource, sink: sink).run(
      inputs, outOfRange: &outOfRange)
    if let refusal = outOfRange.refusal(dataset: request.dataset) { throw refusal }

    var conflicts = pending.conflicts
    report.conflicts = conflicts
    if !conflicts.isEmpty {
      switch request.onConflict {
      case .fail:
        report.outcome = .refused
        return report
      case .manual:
        report.outcome = .stopped
        if request.dryRun { return report }
        let state = MergeState(
          dataset: request.dataset, source: source, file: request.file, message: message,
          author: author, ours: head, theirs: theirs, base: base, importRef: importRef,
          importRefBefore: previous, pendingDataset: pending.tree, conflicts: conflicts,
          droppedInMerge: pending.dropped)
        try install()
        try state.save(to: store.path)
        return report
      case .ours, .theirs:
        let side: MergeSide = request.onConflict == .ours ? .ours : .theirs
        for index in conflicts.indices { conflicts[index].resolution = .side(side) }
        report.conflicts = conflicts
      }
    }
    let finished = try MergeFinisher(source: tsource, sink: sink).finish(
      dataset: request.dataset, pending: pending.tree, conflicts: conflicts, base: inputs.base,
      oursRoot: oursRoot)
    report.changes = finished.changes
    report.droppedAfterMerge = DroppedCounts(
      values: finished.dropped.droppedValues + pending.dropped.values,
      connections: finished.dropped.droppedConnections + pending.dropped.connections)
    report.outcome = .merged
    if request.dryRun { return report }
    let commit = try sink.store(
      .commit,
      GitObjectFormat.commitContent(
        tree: finished.root, parents: [head, theirs], author: signature, committer: signature,
        message: message))
    try install()
    try store.moveRef(StoreLayout.branch, to: commit, expected: head, message: "import: \(message)")
    if newImport {
      try store.moveRef(importRef, to: theirs, expected: previous, message: "import snapshot")
    }
    report.commit = commit.hex
    return report
  }

  func outOfRangeCheck(_ tsource: TreeSource, ours: DatasetNode?) throws
    -> OutOfRangeCheck
  {
    if request.allowOutOfRange { return OutOfRangeCheck(dimensions: nil) }
    return OutOfRangeCheck(
      dimensions: DatasetDimensions(datasetDocument: try tsource.document(ours?.datasetFile)))
  }

  mutating func install() throws {
    try sink.install()
    installed = true
    installSnapshotIndex()
  }

  /// Puts the snapshot's ingest index in place (once; a no-op without one).
  private mutating func installSnapshotIndex() {
    if let snapshotIndex, let snapshotTree { snapshotIndex.install(tree: snapshotTree) }
    snapshotIndex = nil
  }
}
