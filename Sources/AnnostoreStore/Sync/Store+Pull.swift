import AnnostoreGit
import AnnostoreModel

/// What `pull` did.
public struct PullReport: Sendable {
  /// How the branch took the remote's work.
  public enum Outcome: String, Sendable {
    /// The remote branch had nothing new.
    case upToDate = "up-to-date"
    /// The branch moved forward to the remote's commit (or was empty and took it).
    case fastForward = "fast-forward"
    /// A merge commit joins both sides.
    case merged
    /// Conflicts and `--on-conflict fail`: nothing was written to the branch.
    case refused
    /// Conflicts and `--on-conflict manual`: the merge waits, its state saved.
    case stopped
  }

  /// The fetch that came first.
  public var fetch: FetchReport
  /// The remote branch merged.
  public var branch: String
  public var outcome: Outcome
  /// The branch head before and after.
  public var before: String?
  public var after: String?
  /// The merge base, for a merge.
  public var base: String?
  /// Datasets the merge changed (both sides changed, or theirs alone).
  public var mergedDatasets: [String] = []
  /// The conflicts found, by dataset (settled ones carry their resolution).
  public var conflicts: [(dataset: String, conflicts: [RecordConflict])] = []
  /// The policy that met them.
  public var onConflict: ConflictPolicy
  /// References the merge dropped because their annotation is gone.
  public var dropped = DroppedCounts()
}

extension Store {
  /// Fetches the remote, then brings its `branch` (default `main`) into the store's
  /// branch: nothing to do when the store has it already, a fast-forward when the store
  /// has nothing the remote lacks, else a three-way merge of every dataset with the same
  /// rules and conflict options as import (ours = the branch, theirs = the remote branch,
  /// base = their merge base). The branch moves only at the end, with compare-and-swap.
  public func pull(
    remote name: String?, branch: String?, onConflict: ConflictPolicy = .fail,
    options: SyncOptions
  ) throws -> PullReport {
    let lock = try StoreLock(storePath: path)
    defer { lock.release() }
    try ensureNoMergeInProgress()
    let remote = try resolveRemote(name)
    let fetched = try fetchLocked(remote, options: options)
    let branch = branch ?? "main"
    let tracking = "refs/remotes/\(remote.name)/\(branch)"
    do {
      guard let theirs = try repository.reference(tracking) else {
        let branches = try repository.references(withPrefix: "refs/remotes/\(remote.name)/")
          .map { String($0.name.dropFirst("refs/remotes/\(remote.name)/".count)) }
        throw AnnostoreError(
          .remote, "the remote \(remote.name) has no branch \(branch)",
          hint: branches.isEmpty
            ? "It holds no commits yet: push to it first (`annostore push \(remote.name)`)."
            : "Its branches: \(branches.joined(separator: ", ")).")
      }
      try checkStoreCommit(theirs, from: "\(remote.name)/\(branch)")
      let ours = try headCommit()
      var report = PullReport(
        fetch: fetched, branch: branch, outcome: .upToDate, before: ours?.description,
        after: ours?.description, onConflict: onConflict)
      guard let ours else {
        try moveRef(StoreLayout.branch, to: theirs, expected: nil, message: "pull: fast-forward")
        report.outcome = .fastForward
        report.after = theirs.description
        return report
      }
      if ours == theirs { return report }
      let base = try repository.mergeBase(ours, theirs)
      if base == theirs { return report }
      if base == ours {
        try moveRef(StoreLayout.branch, to: theirs, expected: ours, message: "pull: fast-forward")
        report.outcome = .fastForward
        report.after = theirs.description
        return report
      }
      report.base = base?.description
      return try mergePulled(
        theirs, into: ours, base: base, remote: remote.name, branch: branch, report: report)
    } catch let error as GitError {
      throw AnnostoreError.git(error, doing: "pulling \(remote.name)/\(branch)")
    }
  }

  /// The merge of a diverged pull; `report` says how it ended.
  private func mergePulled(
    _ theirs: ObjectID, into ours: ObjectID, base: ObjectID?, remote: String, branch: String,
    report: PullReport
  ) throws -> PullReport {
    var report = report
    let name = "\(remote)/\(branch)"
    let sink = try ObjectSink(repository: repository)
    sink.remembersTrees = true
    var installed = false
    defer { if !installed { sink.discard() } }
    let merge = PullMerge(source: TreeSource(repository: repository, sink: sink), sink: sink)
    var outcome = try merge.merge(
      oursRoot: try repository.commit(ours).tree, theirsRoot: try repository.commit(theirs).tree,
      baseRoot: try base.map { try repository.commit($0).tree })
    report.mergedDatasets = (outcome.taken + outcome.pending.map(\.dataset)).sorted()
    report.conflicts = outcome.conflicted.map { ($0.dataset, $0.merged.conflicts) }
    let message = "Merge \(name) into main"
    let author = Identity.fromEnvironment()

    if !report.conflicts.isEmpty {
      switch report.onConflict {
      case .fail:
        report.outcome = .refused
        return report
      case .manual:
        guard report.conflicts.count == 1, let stopped = outcome.conflicted.first else {
          throw AnnostoreError(
            .conflicts,
            "conflicts in \(report.conflicts.count) datasets ("
              + report.conflicts.map(\.dataset).joined(separator: ", ")
              + "): a manual merge settles one dataset at a time",
            hint: "Nothing was written. Pull with --on-conflict ours or theirs, or see the "
              + "conflicts with --on-conflict fail.")
        }
        for pending in outcome.pending where pending.dataset != stopped.dataset {
          let finished = try merge.finish(pending, conflicts: [], into: outcome.root)
          outcome.root = finished.root
          report.dropped = add(report.dropped, finished.dropped)
        }
        let state = MergeState(
          dataset: stopped.dataset, source: remote, file: name, message: message,
          author: author, ours: ours, theirs: theirs, base: base,
          importRef: "refs/remotes/\(name)", importRefBefore: theirs,
          pendingDataset: stopped.merged.tree, conflicts: stopped.merged.conflicts,
          droppedInMerge: stopped.merged.dropped, oursRoot: outcome.root)
        try sink.install()
        installed = true
        try state.save(to: path)
        report.outcome = .stopped
        return report
      case .ours, .theirs:
        let side: MergeSide = report.onConflict == .ours ? .ours : .theirs
        report.conflicts = report.conflicts.map { entry in
          (
            entry.dataset,
            entry.conflicts.map { conflict in
              var settled = conflict
              settled.resolution = .side(side)
              return settled
            }
          )
        }
      }
    }
    for pending in outcome.pending {
      let settled = report.conflicts.first { $0.dataset == pending.dataset }?.conflicts ?? []
      let finished = try merge.finish(pending, conflicts: settled, into: outcome.root)
      outcome.root = finished.root
      report.dropped = add(report.dropped, finished.dropped)
    }
    let signature = author.signatureNow()
    let commit = try sink.store(
      .commit,
      GitObjectFormat.commitContent(
        tree: outcome.root, parents: [ours, theirs], author: signature, committer: signature,
        message: message))
    try sink.install()
    installed = true
    try moveRef(StoreLayout.branch, to: commit, expected: ours, message: "pull: \(message)")
    report.outcome = .merged
    report.after = commit.description
    return report
  }

  private func add(_ a: DroppedCounts, _ b: DroppedCounts) -> DroppedCounts {
    DroppedCounts(values: a.values + b.values, connections: a.connections + b.connections)
  }

  /// Refuses a commit whose tree is not a store's (no `annostore.json` at its root).
  func checkStoreCommit(_ commit: ObjectID, from name: String) throws {
    let tree = try repository.commit(commit).tree
    guard let marker = try repository.entry(atPath: StoreLayout.markerFile, inTree: tree),
      !marker.isTree
    else {
      throw AnnostoreError(
        .notAStore,
        "\(name) is not an annostore store: its commit \(commit.description.prefix(12)) has no "
          + "\(StoreLayout.markerFile)",
        hint: "Share stores only with annostore stores; nothing was changed.")
    }
  }
}
