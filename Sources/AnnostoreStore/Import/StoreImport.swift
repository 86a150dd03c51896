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

  /// Refuses to write while a merge waits for its conflicts to be settled. Every write
  /// command calls this once it holds the store's lock.
  public func ensureNoMergeInProgress() throws {
    guard MergeState.exists(in: path) else { return }
    let what = (try? MergeState.load(from: path)).flatMap { $0 }.map {
      " (import of \($0.file) into \($0.dataset))"
    }
    throw AnnostoreError(
      .usage, "a merge is in progress\(what ?? ""); no other write is allowed until it ends",
      hint: "Settle its conflicts (`annostore conflicts`, `annostore resolve`) and finish with "
        + "`annostore merge --continue`, or drop it with `annostore merge --abort`.")
  }

  /// Whether `ancestor` is `commit` or one of its ancestors.
  func isAncestor(_ ancestor: ObjectID, of commit: ObjectID) throws -> Bool {
    if ancestor == commit { return true }
    return try mergeBase(commit, ancestor) == ancestor
  }

  func mergeBase(_ a: ObjectID, _ b: ObjectID) throws -> ObjectID? {
    do {
      return try repository.mergeBase(a, b)
    } catch let error as GitError {
      throw AnnostoreError.git(error, doing: "finding the merge base")
    }
  }

  /// The oldest commit reachable from `head` whose `dataset` records `source` as its
  /// NimbusImage dataset id, nil when none does.
  func oldestCommit(recording source: String, in dataset: String, from head: ObjectID) throws
    -> ObjectID?
  {
    let path = "\(StoreLayout.datasetsDirectory)/\(dataset)/\(StoreLayout.datasetFile)"
    var matches: [ObjectID: Bool] = [:]
    var found: ObjectID?
    do {
      try repository.walk(from: head) { commit in
        guard let entry = try repository.entry(atPath: path, inTree: commit.tree) else {
          return true
        }
        if matches[entry.id] == nil {
          let document = try? JSONParser.parse(try repository.blob(entry.id))
          matches[entry.id] = document?["nimbusDatasetId"]?.stringValue == source
        }
        if matches[entry.id] == true { found = commit.id }
        return true
      }
    } catch let error as GitError {
      throw AnnostoreError.git(error, doing: "reading the history")
    }
    return found
  }

  /// Moves a ref with compare-and-swap, as an AnnostoreError on failure.
  func moveRef(_ name: String, to target: ObjectID, expected: ObjectID?, message: String) throws {
    do {
      try repository.updateReference(name, to: target, expected: expected, message: message)
    } catch let error as GitError {
      throw AnnostoreError.git(error, doing: "moving \(name)")
    }
  }

  /// The side ref's commit, nil when there is none.
  func reference(_ name: String) throws -> ObjectID? {
    do {
      return try repository.reference(name)
    } catch let error as GitError {
      throw AnnostoreError.git(error, doing: "reading \(name)")
    }
  }
}

/// One run of `import`: the steps of `Store.importExport`, sharing their state.
struct ImportJob {
  let store: Store
  let request: ImportRequest
  let source: String
  let head: ObjectID?
  let sink: ObjectSink
  private var installed = false
  private var temporaryFile: String?
  /// The file's own dangling references, dropped when it was recorded.
  private var snapshotDrops = DroppedCounts()

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
    if !installed { sink.discard() }
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
    let snapshot = try SnapshotBuilder(repository: repository, sink: sink).build(
      file: file, dataset: request.dataset, onto: previous, excluding: request.excludedKinds,
      progress: progress)
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
    } else {
      theirs = try sink.store(
        .commit,
        GitObjectFormat.commitContent(
          tree: snapshot.root, parents: previous.map { [$0] } ?? [], author: signature,
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

    var base =
      newImport
      ? try previous.flatMap { try store.mergeBase(head, $0) } : try store.mergeBase(head, theirs)
    if base == nil && previous == nil {
      // No earlier import from this source: the oldest commit that recorded the dataset
      // from it (a `commit` of an earlier export) is a common ancestor in all but name.
      base = try store.oldestCommit(recording: source, in: request.dataset, from: head)
      report.baseFromHistory = base != nil
    }
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

  /// `--overwrite`: the branch's dataset takes the parts the file carries, as `commit`
  /// would record them; the commit also joins the import when it is new to the branch.
  private mutating func overwrite(
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

  private func outOfRangeCheck(_ tsource: TreeSource, ours: DatasetNode?) throws
    -> OutOfRangeCheck
  {
    if request.allowOutOfRange { return OutOfRangeCheck(dimensions: nil) }
    return OutOfRangeCheck(
      dimensions: DatasetDimensions(datasetDocument: try tsource.document(ours?.datasetFile)))
  }

  private mutating func install() throws {
    try sink.install()
    installed = true
  }
}
