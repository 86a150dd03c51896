import AnnostoreGit
import AnnostoreModel

/// What `dataset set-listed-paths` records.
public struct ListedPathsRequest: Sendable {
  /// The dataset; nil when the store holds only one.
  public var dataset: String?
  /// The paths, in order; empty to clear the list.
  public var paths: [CSVColumnChoice]
  public var message: String?
  public var author: Identity?

  public init(
    dataset: String?, paths: [CSVColumnChoice], message: String? = nil, author: Identity? = nil
  ) {
    self.dataset = dataset
    self.paths = paths
    self.message = message
    self.author = author
  }
}

/// What `dataset set-listed-paths` did.
public struct ListedPathsReport: Sendable {
  public var dataset: String
  /// The new commit; nil when the list was already this.
  public var commit: String?
  public var paths: [PropertyPath]
}

extension Store {
  /// Sets the dataset's listed property paths (`listedPropertyPaths` in `dataset.json`,
  /// the columns of `export csv --listed`), NimbusImage's "listed properties". The new
  /// commit changes `dataset.json` only. Every path must start at a property of the
  /// dataset; an empty list removes the field.
  public func setListedPropertyPaths(_ request: ListedPathsRequest) throws -> ListedPathsReport {
    let lock = try StoreLock(storePath: path)
    defer { lock.release() }
    try ensureNoMergeInProgress()
    let parent = try resolveOrHead(nil)
    let dataset = try selectDataset(request.dataset, at: parent)
    let reader = RevisionReader(repository: repository)
    let source = try CSVDatasetSource(dataset, reader: reader, packs: nil)
    let paths = try source.paths(for: .chosen(request.paths)) { [] }
    for path in paths {
      guard source.propertyNames[path.propertyID] != nil else {
        throw AnnostoreError(
          .usage, "dataset \(dataset.name) has no property \(path.propertyID) (path \(path))",
          hint: "See the property ids with `annostore export csv --dataset \(dataset.name) "
            + "--preview 0`.")
      }
      guard !path.keys.contains("") else {
        throw AnnostoreError(
          .usage, "path \(path) has an empty key", hint: "Write paths as PROPERTYID.sub.sub.")
      }
    }
    var members = try reader.datasetDocument(dataset)?.objectMembers ?? []
    members.removeAll { $0.key == "listedPropertyPaths" }
    if !paths.isEmpty {
      members.append(
        JSONMember(
          "listedPropertyPaths",
          .array(paths.map { .array($0.components.map(JSONValue.string)) })))
    }
    var report = ListedPathsReport(dataset: dataset.name, commit: nil, paths: paths)
    let sink = try ObjectSink(repository: repository)
    var installed = false
    defer { if !installed { sink.discard() } }
    let blob = try sink.store(.blob, CanonicalJSON.fileBytes(.object(members)))
    if dataset.entries[StoreLayout.datasetFile]?.id == blob { return report }

    let assembler = TreeAssembler(sink: sink)
    let datasetTree = try assembler.tree(
      TreeAssembler.replacing(
        StoreLayout.datasetFile, with: blob, isTree: false, in: Array(dataset.entries.values)))
    let datasets = try reader.datasets(inRoot: try reader.rootTree(of: parent)).values.map {
      TreeEntry(name: $0.name, id: $0.tree, isTree: true)
    }
    let datasetsTree = try assembler.tree(
      TreeAssembler.replacing(dataset.name, with: datasetTree, isTree: true, in: datasets))
    let oldRoot = try repository.tree(try reader.rootTree(of: parent))
    guard
      let root = try assembler.tree(
        TreeAssembler.replacing(
          StoreLayout.datasetsDirectory, with: datasetsTree, isTree: true, in: oldRoot))
    else { throw AnnostoreError(.other, "internal error: the new revision has no tree") }

    let signature = (request.author ?? Identity.fromEnvironment()).signatureNow()
    let message =
      request.message
      ?? (paths.isEmpty
        ? "Clear the listed property paths of \(dataset.name)"
        : "Set the listed property paths of \(dataset.name)")
    let commit = try sink.store(
      .commit,
      GitObjectFormat.commitContent(
        tree: root, parents: [parent], author: signature, committer: signature, message: message))
    try sink.install()
    installed = true
    do {
      try repository.updateReference(
        StoreLayout.branch, to: commit, expected: parent, message: "dataset: \(message)")
    } catch let error as GitError {
      throw AnnostoreError.git(error, doing: "moving the branch")
    }
    report.commit = commit.description
    return report
  }
}
