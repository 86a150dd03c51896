import AnnostoreGit
import AnnostoreModel

/// What `restore` is asked to do.
public struct RestoreRequest: Sendable {
  /// The revision whose data to bring back.
  public var revision: String
  /// Only this dataset (default: every dataset, exactly as the revision had them).
  public var dataset: String?
  /// The commit message (default: `Restore <dataset> to <revision> (<commit>)`, the commit
  /// id because a name like HEAD~1 means something else later).
  public var message: String?
  public var author: Identity?

  public init(
    revision: String, dataset: String? = nil, message: String? = nil, author: Identity? = nil
  ) {
    self.revision = revision
    self.dataset = dataset
    self.message = message
    self.author = author
  }
}

/// What `restore` did.
public struct RestoreReport: Sendable {
  /// The revision restored, as a commit id.
  public var source: String
  /// The new commit, nil when the data already equals the revision's.
  public var commit: String?
  /// The head before.
  public var parent: String?
  /// What the new commit changed, per dataset (counts only).
  public var changes: [String: DiffSummary]
}

extension Store {
  /// Makes a new commit on the branch whose data equals `revision`'s: for one dataset
  /// (the others stay as they are) or for all. History is only added to, never rewritten.
  /// If the data is the same already, nothing is written.
  public func restore(_ request: RestoreRequest) throws -> RestoreReport {
    if let dataset = request.dataset { try DatasetName.check(dataset) }
    let lock = try StoreLock(storePath: path)
    defer { lock.release() }
    try ensureNoMergeInProgress()
    let source = try resolve(request.revision)
    let parent = try headCommit()
    let reader = RevisionReader(repository: repository)
    let sourceRoot = try readCommit(source).tree
    let parentRoot = try parent.map { try readCommit($0).tree }
    let sink = try ObjectSink(repository: repository)
    var installed = false
    defer { if !installed { sink.discard() } }

    let root: ObjectID
    if let dataset = request.dataset {
      let sourceDatasets = try reader.datasets(inRoot: sourceRoot)
      guard let restored = sourceDatasets[dataset] else {
        let known = sourceDatasets.keys.sorted().joined(separator: ", ")
        throw AnnostoreError(
          .usage,
          "revision \(request.revision) has no dataset \"\(dataset)\" to restore",
          hint: known.isEmpty ? "That revision holds no datasets." : "Datasets there: \(known).")
      }
      let current = try parentRoot.map { try reader.datasets(inRoot: $0) } ?? [:]
      var entries = current.values.map { TreeEntry(name: $0.name, id: $0.tree, isTree: true) }
      entries = TreeAssembler.replacing(dataset, with: restored.tree, isTree: true, in: entries)
      for entry in entries { sink.markExisting(entry.id) }
      if let parentRoot {
        for entry in try repository.tree(parentRoot) { sink.markExisting(entry.id) }
      }
      root = try assembleRoot(datasets: entries, sink: sink)
    } else {
      root = sourceRoot
    }

    var report = RestoreReport(
      source: source.description, commit: nil, parent: parent?.description, changes: [:])
    let old = try parentRoot.map { try reader.datasets(inRoot: $0) } ?? [:]
    if root == parentRoot { return report }
    let shortID = String(source.description.prefix(12))
    let named =
      source.description.hasPrefix(request.revision) ? shortID : "\(request.revision) (\(shortID))"
    let message = request.message ?? "Restore \(request.dataset ?? "all datasets") to \(named)"
    let signature = (request.author ?? Identity.fromEnvironment()).signatureNow()
    let commit = try sink.store(
      .commit,
      GitObjectFormat.commitContent(
        tree: root, parents: parent.map { [$0] } ?? [], author: signature, committer: signature,
        message: message))
    try sink.install()
    installed = true
    do {
      try repository.updateReference(
        StoreLayout.branch, to: commit, expected: parent, message: "restore: \(message)")
    } catch let error as GitError {
      throw AnnostoreError.git(error, doing: "moving the branch")
    }
    report.commit = commit.description
    let new = try reader.datasets(inRoot: root)
    let differ = DatasetDiffer(reader: reader)
    for name in Set(old.keys).union(new.keys) where old[name]?.tree != new[name]?.tree {
      report.changes[name] = try differ.summary(old: old[name], new: new[name])
    }
    return report
  }

  /// A root tree holding the marker file and `datasets` (omitted when empty).
  private func assembleRoot(datasets: [TreeEntry], sink: ObjectSink) throws -> ObjectID {
    let assembler = TreeAssembler(sink: sink)
    let marker = try sink.store(.blob, CanonicalJSON.fileBytes(StoreLayout.markerDocument))
    var rootEntries = [TreeEntry(name: StoreLayout.markerFile, id: marker, isTree: false)]
    if let tree = try assembler.tree(datasets) {
      rootEntries.append(TreeEntry(name: StoreLayout.datasetsDirectory, id: tree, isTree: true))
    }
    guard let root = try assembler.tree(rootEntries) else {
      throw AnnostoreError(.other, "internal error: the restored revision has no tree")
    }
    return root
  }
}
