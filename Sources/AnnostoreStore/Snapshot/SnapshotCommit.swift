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
    let sink = try ObjectSink(repository: repository)
    var installed = false
    defer { if !installed { sink.discard() } }

    let parent = try headCommit()
    let reader = RevisionReader(repository: repository)
    let oldRoot = try parent.map { try reader.rootTree(of: $0) }
    let oldDatasets = try oldRoot.map { try reader.datasets(inRoot: $0) } ?? [:]
    let oldDataset = oldDatasets[request.dataset]
    var old: [RecordKind: [String: ObjectID]] = [:]
    if let oldDataset {
      for kind in RecordKind.allCases {
        old[kind] = try reader.records(of: kind, in: oldDataset, trees: sink)
      }
    }

    let ingested = try ExportIngest(file: request.file, sink: sink, previous: old).run(
      progress: progress)

    var new: [RecordKind: [String: ObjectID]] = [:]
    for kind in RecordKind.allCases {
      new[kind] = ingested.carries(kind) ? ingested.records[kind] ?? [:] : old[kind] ?? [:]
    }
    let references = try ReferenceCheck(reader: reader).prune(
      &new, old: old, ingested: ingested)

    let datasetDocument = try updatedDatasetDocument(
      oldDataset.flatMap { try reader.datasetDocument($0) }, name: request.dataset,
      nimbusDatasetId: ingested.nimbusDatasetId)
    let assembler = TreeAssembler(sink: sink)
    var datasetEntries = [
      TreeEntry(
        name: StoreLayout.datasetFile,
        id: try sink.store(.blob, CanonicalJSON.fileBytes(datasetDocument)), isTree: false)
    ]
    for kind in RecordKind.allCases {
      if let tree = try assembler.recordTree(new[kind] ?? [:], sharded: kind.isSharded) {
        datasetEntries.append(TreeEntry(name: kind.directory, id: tree, isTree: true))
      }
    }
    let datasetTree = try assembler.tree(datasetEntries)
    var datasetsEntries = oldDatasets.values.map {
      TreeEntry(name: $0.name, id: $0.tree, isTree: true)
    }
    datasetsEntries = TreeAssembler.replacing(
      request.dataset, with: datasetTree, isTree: true, in: datasetsEntries)
    let marker = try sink.store(.blob, CanonicalJSON.fileBytes(StoreLayout.markerDocument))
    var rootEntries = [TreeEntry(name: StoreLayout.markerFile, id: marker, isTree: false)]
    if let datasets = try assembler.tree(datasetsEntries) {
      rootEntries.append(TreeEntry(name: StoreLayout.datasetsDirectory, id: datasets, isTree: true))
    }
    guard let root = try assembler.tree(rootEntries) else {
      throw AnnostoreError(.other, "internal error: the new revision has no tree")
    }

    var report = SnapshotReport(
      dataset: request.dataset, commit: nil, parent: parent?.description,
      sectionsRead: RecordKind.allCases.filter { ingested.carries($0) }, changes: [:],
      droppedValues: references.droppedValues, droppedConnections: references.droppedConnections,
      newObjects: 0)
    for kind in RecordKind.allCases {
      report.changes[kind] = KindChange.between(old[kind] ?? [:], new[kind] ?? [:])
    }
    if root == oldRoot { return report }

    let signature = (request.author ?? Identity.fromEnvironment()).signatureNow()
    let message = request.message ?? "Record \(request.file) into \(request.dataset)"
    let commit = try sink.store(
      .commit,
      GitObjectFormat.commitContent(
        tree: root, parents: parent.map { [$0] } ?? [], author: signature, committer: signature,
        message: message))
    report.newObjects = sink.newObjectCount
    try sink.install()
    installed = true
    do {
      try repository.updateReference(
        StoreLayout.branch, to: commit, expected: parent, message: "commit: \(message)")
    } catch let error as GitError {
      throw AnnostoreError.git(error, doing: "moving the branch")
    }
    report.commit = commit.description
    return report
  }

  /// The dataset's record with its name and NimbusImage id brought up to date; every
  /// other field it had (dimensions, listed property paths) is kept.
  private func updatedDatasetDocument(
    _ old: JSONValue?, name: String, nimbusDatasetId: String?
  ) throws -> JSONValue {
    var members = old?.objectMembers ?? []
    func set(_ key: String, _ value: JSONValue) {
      if let index = members.firstIndex(where: { $0.key == key }) {
        members[index].value = value
      } else {
        members.append(JSONMember(key, value))
      }
    }
    set("name", .string(name))
    if let nimbusDatasetId {
      set("nimbusDatasetId", .string(nimbusDatasetId))
    } else if old?["nimbusDatasetId"] == nil {
      set("nimbusDatasetId", .null)
    }
    return .object(members)
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
