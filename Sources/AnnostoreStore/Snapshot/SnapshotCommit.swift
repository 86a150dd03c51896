import AnnostoreGit
import AnnostoreModel

/// What to record with `commit`.
public struct SnapshotRequest: Sendable {
  /// The NimbusImage JSON export to record.
  public var file: String
  /// The dataset it becomes the new state of.
  public var dataset: String
  /// The commit message; a default names the file.
  public var message: String?
  /// The author; the environment's identity when nil.
  public var author: Identity?

  public init(file: String, dataset: String, message: String? = nil, author: Identity? = nil) {
    self.file = file
    self.dataset = dataset
    self.message = message
    self.author = author
  }
}

extension Store {
  /// Records an export as the new state of a dataset: every part the export carries
  /// replaces that part of the dataset, parts it lacks stay as they were. References left
  /// dangling (values or connections of annotations that do not exist) are dropped and
  /// counted. Unchanged data makes no commit. On any failure the store is left as it was.
  public func commitSnapshot(
    _ request: SnapshotRequest, progress: ((Int) -> Void)? = nil
  ) throws -> SnapshotReport {
    try DatasetName.check(request.dataset)
    let lock = try StoreLock(storePath: path)
    defer { lock.release() }
    try ensureNoMergeInProgress()
    let sink = try ObjectSink(repository: repository)
    var installed = false
    defer { if !installed { sink.discard() } }

    let parent = try headCommit()
    var builder = SnapshotBuilder(repository: repository, sink: sink)
    builder.writesIndex = true
    let snapshot = try builder.build(
      file: request.file, dataset: request.dataset, onto: parent, progress: progress)
    var indexed = false
    defer { if !indexed { snapshot.cache?.discard() } }
    var report = snapshot.report
    if !snapshot.changed {
      snapshot.cache?.install(tree: snapshot.datasetTree)
      indexed = true
      return report
    }

    let signature = (request.author ?? Identity.fromEnvironment()).signatureNow()
    let message = request.message ?? "Record \(request.file) into \(request.dataset)"
    let commit = try sink.store(
      .commit,
      GitObjectFormat.commitContent(
        tree: snapshot.root, parents: parent.map { [$0] } ?? [], author: signature,
        committer: signature, message: message))
    report.newObjects = sink.newObjectCount
    try sink.install()
    installed = true
    PhaseClock.mark("pack installed")
    do {
      try repository.updateReference(
        StoreLayout.branch, to: commit, expected: parent, message: "commit: \(message)")
    } catch let error as GitError {
      throw AnnostoreError.git(error, doing: "moving the branch")
    }
    report.commit = commit.description
    snapshot.cache?.install(tree: snapshot.datasetTree)
    indexed = true
    PhaseClock.mark("index written")
    return report
  }
}

/// The rule for dataset names: the same plain tokens as record ids.
enum DatasetName {
  static func check(_ name: String) throws {
    if let problem = RecordID.problem(with: name) {
      throw AnnostoreError(
        .usage, "dataset name: \(problem)",
        hint: "Name datasets with letters, digits, '_' and '-', e.g. --dataset hela_plate1.")
    }
  }
}
