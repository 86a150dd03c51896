import AnnostoreGit
import AnnostoreModel

/// The tree a snapshot makes: a revision's root tree with one dataset replaced by what an
/// export carries.
struct SnapshotTree {
  /// The new root tree (written into the sink, not yet installed).
  var root: ObjectID
  /// Whether it differs from the base revision's tree.
  var changed: Bool
  /// What changed, for the user (`commit` is still nil).
  var report: SnapshotReport
}

/// Builds the tree of "revision `base` with dataset D set to this export": the parts the
/// export carries replace D's, the others are kept, dangling references are dropped. Writes
/// new blobs and trees into a sink; commits, installs and moves no ref (its callers do).
struct SnapshotBuilder {
  let repository: Repository
  let sink: ObjectSink

  /// Builds the tree. Kinds in `excluding` are read but not taken from the file: they
  /// stay as `base` has them (import's `--no-annotations` and the like).
  func build(
    file: String, dataset: String, onto base: ObjectID?, excluding: Set<RecordKind> = [],
    progress: ((Int) -> Void)? = nil
  ) throws -> SnapshotTree {
    let reader = RevisionReader(repository: repository)
    let oldRoot = try base.map { try reader.rootTree(of: $0) }
    let oldDatasets = try oldRoot.map { try reader.datasets(inRoot: $0) } ?? [:]
    let oldDataset = oldDatasets[dataset]
    var old: [RecordKind: [String: ObjectID]] = [:]
    if let oldDataset {
      for kind in RecordKind.allCases {
        old[kind] = try reader.records(of: kind, in: oldDataset, trees: sink)
      }
    }

    var ingested = try ExportIngest(file: file, sink: sink, previous: old).run(
      progress: progress)
    for kind in excluding {
      ingested.sections.remove(kind.section)
      ingested.records[kind] = nil
      if kind == .connections { ingested.connectionEnds = [:] }
    }

    var new: [RecordKind: [String: ObjectID]] = [:]
    for kind in RecordKind.allCases {
      new[kind] = ingested.carries(kind) ? ingested.records[kind] ?? [:] : old[kind] ?? [:]
    }
    let references = try ReferenceCheck(reader: reader).prune(
      &new, old: old, ingested: ingested)

    let datasetDocument = Self.updatedDatasetDocument(
      try oldDataset.flatMap { try reader.datasetDocument($0) }, name: dataset,
      nimbusDatasetId: ingested.nimbusDatasetId)
    let root = try assembleRoot(
      dataset: dataset, document: datasetDocument, records: new, otherDatasets: oldDatasets)

    var report = SnapshotReport(
      dataset: dataset, commit: nil, parent: base?.description,
      sectionsRead: RecordKind.allCases.filter { ingested.carries($0) }, changes: [:],
      droppedValues: references.droppedValues, droppedConnections: references.droppedConnections,
      newObjects: 0)
    for kind in RecordKind.allCases {
      report.changes[kind] = KindChange.between(old[kind] ?? [:], new[kind] ?? [:])
    }
    return SnapshotTree(root: root, changed: root != oldRoot, report: report)
  }

  /// The root tree with `dataset` holding `records`, the other datasets as they were.
  func assembleRoot(
    dataset: String, document: JSONValue, records: [RecordKind: [String: ObjectID]],
    otherDatasets: [String: DatasetTrees]
  ) throws -> ObjectID {
    let assembler = TreeAssembler(sink: sink)
    var datasetEntries = [
      TreeEntry(
        name: StoreLayout.datasetFile,
        id: try sink.store(.blob, CanonicalJSON.fileBytes(document)), isTree: false)
    ]
    for kind in RecordKind.allCases {
      if let tree = try assembler.recordTree(records[kind] ?? [:], sharded: kind.isSharded) {
        datasetEntries.append(TreeEntry(name: kind.directory, id: tree, isTree: true))
      }
    }
    let datasetTree = try assembler.tree(datasetEntries)
    var datasetsEntries = otherDatasets.values.map {
      TreeEntry(name: $0.name, id: $0.tree, isTree: true)
    }
    datasetsEntries = TreeAssembler.replacing(
      dataset, with: datasetTree, isTree: true, in: datasetsEntries)
    let marker = try sink.store(.blob, CanonicalJSON.fileBytes(StoreLayout.markerDocument))
    var rootEntries = [TreeEntry(name: StoreLayout.markerFile, id: marker, isTree: false)]
    if let datasets = try assembler.tree(datasetsEntries) {
      rootEntries.append(TreeEntry(name: StoreLayout.datasetsDirectory, id: datasets, isTree: true))
    }
    guard let root = try assembler.tree(rootEntries) else {
      throw AnnostoreError(.other, "internal error: the new revision has no tree")
    }
    return root
  }

  /// The dataset's record with its name and NimbusImage id brought up to date; every
  /// other field it had (dimensions, listed property paths) is kept.
  static func updatedDatasetDocument(
    _ old: JSONValue?, name: String, nimbusDatasetId: String?
  ) -> JSONValue {
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
