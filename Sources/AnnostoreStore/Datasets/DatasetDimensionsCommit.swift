import AnnostoreGit
import AnnostoreModel

extension Store {
  /// Records a dataset's dimensions and channel count in its `dataset.json`, as a commit
  /// that changes nothing else. Returns the new commit, nil when they were already set so.
  public func setDimensions(
    _ dimensions: DatasetDimensions, dataset: String, author: Identity? = nil
  ) throws -> String? {
    try DatasetName.check(dataset)
    for (name, value) in [
      ("xy", dimensions.xy), ("z", dimensions.z), ("time", dimensions.time),
      ("channels", dimensions.channels),
    ] where value < 1 {
      throw AnnostoreError(
        .usage, "--\(name) must be at least 1 (it is a count), not \(value)",
        hint: "Give the number of XY positions, Z slices, time points and channels.")
    }
    let lock = try StoreLock(storePath: path)
    defer { lock.release() }
    try ensureNoMergeInProgress()
    guard let head = try headCommit() else {
      throw AnnostoreError(
        .usage, "the store has no commits yet",
        hint: "Record the dataset first: `annostore commit EXPORT.json --dataset \(dataset)`.")
    }
    let sink = try ObjectSink(repository: repository)
    var installed = false
    defer { if !installed { sink.discard() } }
    let source = TreeSource(repository: repository, sink: sink)
    let root = try repository.commit(head).tree
    guard let node = try source.dataset(dataset, inRoot: root) else {
      _ = try selectDataset(dataset, at: head)
      throw AnnostoreError(.usage, "no dataset \"\(dataset)\"")
    }
    let old = try source.document(node.datasetFile)
    let document = RecordMerge.setting(dimensions.document, at: ["dimensions"], in: old)
    let file = try sink.store(.blob, CanonicalJSON.fileBytes(document ?? .object([])))
    if file == node.datasetFile { return nil }
    var entries = node.entries
    entries[StoreLayout.datasetFile] = TreeEntry(
      name: StoreLayout.datasetFile, id: file, isTree: false)
    let datasetTree = try sink.storeTree(Array(entries.values))
    let newRoot = try MergeFinisher(source: source, sink: sink).replacingDataset(
      dataset, with: datasetTree, inRoot: root)
    let signature = (author ?? Identity.fromEnvironment()).signatureNow()
    let message =
      "Set the dimensions of \(dataset): XY \(dimensions.xy), Z \(dimensions.z), "
      + "Time \(dimensions.time), channels \(dimensions.channels)"
    let commit = try sink.store(
      .commit,
      GitObjectFormat.commitContent(
        tree: newRoot, parents: [head], author: signature, committer: signature,
        message: message))
    try sink.install()
    installed = true
    try moveRef(StoreLayout.branch, to: commit, expected: head, message: "dataset: \(message)")
    return commit.hex
  }
}
