import AnnostoreGit
import AnnostoreModel
import Dispatch
import Foundation

/// The tree a snapshot makes: a revision's root tree with one dataset replaced by what an
/// export carries.
struct SnapshotTree {
  /// The new root tree (written into the sink, not yet installed).
  var root: ObjectID
  /// Whether it differs from the base revision's tree.
  var changed: Bool
  /// What changed, for the user (`commit` is still nil).
  var report: SnapshotReport
  /// The ingest index of the new dataset tree, being written; to install (with the tree
  /// below) once the tree is in the store, or to discard. Nil when the index in place is
  /// still right, or when not asked for.
  var cache: DatasetCache?
  /// The dataset's new tree.
  var datasetTree: ObjectID
}

/// The ingest index of the dataset tree being built: each kind's file is written on another
/// thread as soon as the kind is assembled (while the rest of the commit is made);
/// `install` puts the files in place with their head once the commit is in the store,
/// `discard` throws them away.
final class DatasetCache: @unchecked Sendable {
  let storePath: String
  let dataset: String
  let generation = UInt64.random(in: 1...UInt64.max)
  private let group = DispatchGroup()
  private let lock = NSLock()
  private var written: [RecordKind: String] = [:]

  init(storePath: String, dataset: String) {
    self.storePath = storePath
    self.dataset = dataset
  }

  /// Starts writing the file of an assembled kind.
  func write(_ assembly: KindAssembly) {
    let kind = UncheckedSendable(assembly)
    group.enter()
    DispatchQueue.global(qos: .userInitiated).async { [self] in
      defer { group.leave() }
      guard
        let temporary = IngestIndex.writeKind(
          storePath: storePath, dataset: dataset, generation: generation, kind.value.indexSource)
      else { return }
      lock.lock()
      written[kind.value.kind] = temporary
      lock.unlock()
    }
  }

  /// Waits for the files and puts them in place as the index of the dataset tree `tree`.
  func install(tree: ObjectID) {
    group.wait()
    IngestIndex.install(
      storePath: storePath, dataset: dataset, generation: generation, tree: tree, kinds: written)
  }

  /// Waits for the files and removes them.
  func discard() {
    group.wait()
    for temporary in written.values { unlink(temporary) }
    written = [:]
  }
}

/// The previous records of a dataset, loaded on another thread while the export is read.
final class PreviousRecords: @unchecked Sendable {
  typealias Records = (kinds: [KindState], fromIndex: Bool)
  private let group = DispatchGroup()
  private var result: Result<Records, any Error>?

  /// Starts `load` on another thread.
  init(_ load: @escaping @Sendable () throws -> Records) {
    group.enter()
    DispatchQueue.global(qos: .userInitiated).async { [self] in
      result = Result { try load() }
      group.leave()
    }
  }

  /// Records known already.
  init(ready: [KindState]) {
    result = .success((ready, true))
  }

  /// Whether the records are there (without waiting).
  var isReady: Bool { group.wait(timeout: .now()) == .success }

  /// Waits for the records.
  func get() throws -> Records {
    group.wait()
    return try result!.get()
  }
}

/// A value handed to another thread that only it uses meanwhile.
struct UncheckedSendable<Value>: @unchecked Sendable {
  let value: Value
  init(_ value: Value) { self.value = value }
}

/// Builds the tree of "revision `base` with dataset D set to this export": the parts the
/// export carries replace D's, the others are kept, dangling references are dropped. Writes
/// new blobs and trees into a sink; commits, installs and moves no ref (its callers do).
///
/// The previous records come from the dataset's ingest index when it describes the base
/// revision's dataset tree: records whose bytes are unchanged are then recognised without
/// being parsed, and only shards that changed get new trees. Without it they come from the
/// base revision's trees.
struct SnapshotBuilder {
  let repository: Repository
  let sink: ObjectSink
  /// Whether to write the dataset's ingest index for the new tree (`SnapshotTree.cache`).
  var writesIndex = false

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
    PhaseClock.mark("start")
    // Loaded on another thread while the reading starts.
    let loader = UncheckedSendable(self)
    let previous = PreviousRecords {
      try loader.value.previousRecords(of: oldDataset, dataset: dataset)
    }
    defer { _ = try? previous.get() }

    var ingested = try ExportIngest(
      file: file, sink: sink, previous: previous, digests: true
    ).run(progress: progress)
    let (old, fromIndex) = try previous.get()
    PhaseClock.mark("read the export (index \(fromIndex))")
    var kinds = RecordKind.allCases.map { kind in
      KindAssembly(
        kind: kind, old: old[kind.position],
        ingested: ingested.carries(kind) ? ingested.kinds[kind.position] : nil,
        incremental: fromIndex)
    }
    if let failure = Self.firstFailure(ingested.failure, &kinds) {
      throw failure.error(file: file)
    }
    // Excluded kinds were checked like the others, but stay as they were.
    for kind in excluding where ingested.carries(kind) {
      ingested.sections.removeAll { $0 == kind.section }
      kinds[kind.position] = KindAssembly(
        kind: kind, old: old[kind.position], ingested: nil, incremental: fromIndex)
    }
    PhaseClock.mark("duplicates")
    // The index needs rewriting unless every record was recognised and none is gone.
    let recognisedAll =
      fromIndex
      && kinds.allSatisfy { !$0.carried || ($0.misses.count == 0 && !$0.hitItem.contains(-1)) }
    var cache =
      writesIndex && !recognisedAll
      ? DatasetCache(storePath: repository.path, dataset: dataset) : nil
    do {
      try Self.assemble(&kinds, sink: sink, reader: reader) { cache?.write($0) }
    } catch {
      cache?.discard()
      throw error
    }
    PhaseClock.mark("trees")

    let datasetDocument = Self.updatedDatasetDocument(
      try oldDataset.flatMap { try reader.datasetDocument($0) }, name: dataset,
      nimbusDatasetId: ingested.nimbusDatasetId)
    let root: ObjectID
    let datasetTree: ObjectID
    do {
      (root, datasetTree) = try assembleRoot(
        dataset: dataset, document: datasetDocument,
        trees: kinds.map { ($0.kind, $0.tree) }, otherDatasets: oldDatasets)
    } catch {
      cache?.discard()
      throw error
    }
    if writesIndex && cache == nil && datasetTree != oldDataset?.tree {
      // Only the dataset's own record changed: the same records under a new tree.
      cache = DatasetCache(storePath: repository.path, dataset: dataset)
      for assembly in kinds { cache?.write(assembly) }
    }

    var report = SnapshotReport(
      dataset: dataset, commit: nil, parent: base?.description,
      sectionsRead: RecordKind.allCases.filter { ingested.carries($0) }, changes: [:],
      droppedValues: kinds[RecordKind.values.position].droppedCount,
      droppedConnections: kinds[RecordKind.connections.position].droppedCount,
      newObjects: 0)
    for assembly in kinds { report.changes[assembly.kind] = assembly.change }
    return SnapshotTree(
      root: root, changed: root != oldRoot, report: report, cache: cache,
      datasetTree: datasetTree)
  }

  /// The records of the dataset in the base revision: from its ingest index when that
  /// describes this very tree (and its kinds' trees), else read from the trees.
  private func previousRecords(of dataset: DatasetTrees?, dataset name: String) throws
    -> (kinds: [KindState], fromIndex: Bool)
  {
    guard let dataset else {
      return (
        RecordKind.allCases.map { kind in
          var state = KindState(kind: kind)
          state.groupByShard()
          return state
        }, false
      )
    }
    if let indexed = IngestIndex.load(
      storePath: repository.path, dataset: name, tree: dataset.tree),
      RecordKind.allCases.allSatisfy({ indexed[$0.position].tree == dataset.tree(of: $0) })
    {
      PhaseClock.mark("(index loaded)")
      return (indexed, true)
    }
    return (
      try RecordKind.allCases.map {
        try KindState.read($0, of: dataset, repository: repository)
      }, false
    )
  }

  /// The problem to report: the earliest in the file of the reader's first failure and the
  /// first duplicate id among the records before it.
  static func firstFailure(_ failure: IngestFailure?, _ kinds: inout [KindAssembly])
    -> IngestFailure?
  {
    var first = failure
    for index in kinds.indices {
      if let duplicate = kinds[index].firstDuplicate(),
        first.map({ duplicate.offset < $0.offset }) ?? true
      {
        first = duplicate
      }
    }
    return first
  }

  /// Assembles every kind: annotations first, then the kinds that refer to them.
  /// `assembled` is called with each kind as soon as it is complete.
  static func assemble(
    _ kinds: inout [KindAssembly], sink: ObjectSink?, reader: RevisionReader?,
    pruneReferences: Bool = true, assembled: (KindAssembly) -> Void = { _ in }
  ) throws {
    let annotationsAt = RecordKind.annotations.position
    try kinds[annotationsAt].assemble(sink: sink)
    assembled(kinds[annotationsAt])
    try kinds[RecordKind.properties.position].assemble(sink: sink)
    assembled(kinds[RecordKind.properties.position])
    let annotations = kinds[annotationsAt]
    let oldAnnotationsEmpty = annotations.old.count == 0

    // Values: an annotation's values share its shard; look again where one is gone.
    var values = kinds[RecordKind.values.position]
    if pruneReferences {
      for shard in 0..<values.dirty.count where annotations.hasRemoval(inShard: shard) {
        values.markDirty(shard)
      }
    }
    let trustOld = values.incremental
    let oldValues = values
    // When every annotation was just read, ids are found by hash.
    let annotationKeys = pruneReferences ? annotations.keySet() : nil
    try annotations.withNames { annotationNames in
      try values.assemble(
        sink: sink,
        keep: pruneReferences
          ? { group, shard, names in
            if let annotationKeys, group.allSatisfy({ oldValues.key($0) != nil }) {
              return group.map { annotationKeys.contains(oldValues.key($0)!) }
            }
            // Old values stay unless an annotation of their shard is gone; the others are
            // matched against the shard's annotations, both sorted by name.
            let removal = annotations.hasRemoval(inShard: shard)
            guard let sorted = annotations.lookedAt(shard) else {
              return group.map { item in
                (trustOld && !removal && oldValues.isOld(item))
                  || annotations.contains(names(item), inShard: shard, annotationNames)
              }
            }
            var mask = [Bool](repeating: false, count: group.count)
            var cursor = 0
            for (position, item) in group.enumerated() {
              let name = names(item)
              while cursor < sorted.count
                && FileNameOrder.compare(annotationNames(sorted[cursor]), name) < 0
              {
                cursor += 1
              }
              mask[position] =
                cursor < sorted.count
                && FileNameOrder.compare(annotationNames(sorted[cursor]), name) == 0
            }
            return mask
          } : nil)
    }
    kinds[RecordKind.values.position] = values
    assembled(values)

    // Connections: look again at those with an end that is gone.
    var connections = kinds[RecordKind.connections.position]
    let checkKept = annotations.removedAny || oldAnnotationsEmpty
    if pruneReferences && checkKept {
      for item in 0..<Int32(connections.items.count) where connections.isOld(item) {
        guard let ends = connections.endShards(item) else {
          connections.markDirty(connections.shard(item))
          continue
        }
        if oldAnnotationsEmpty || annotations.hasRemoval(inShard: ends.parent)
          || annotations.hasRemoval(inShard: ends.child)
        {
          connections.markDirty(connections.shard(item))
        }
      }
    }
    let known = connections
    try annotations.withNames { annotationNames in
      try known.withEnds { ends in
        func exists(_ id: UnsafeBufferPointer<UInt8>, _ shard: Int) -> Bool {
          annotations.contains(id, inShard: shard, annotationNames)
        }
        func exists(_ id: String) -> Bool {
          var id = id
          return id.withUTF8 { exists($0, Int(Shard.of(UnsafeRawBufferPointer($0)))) }
        }
        try connections.assemble(
          sink: sink,
          keep: pruneReferences
            ? { group, _, _ in
              try group.map { item in
                if let shards = known.endShards(item) {
                  if trustOld && known.isOld(item)
                    && !annotations.hasRemoval(inShard: shards.parent)
                    && !annotations.hasRemoval(inShard: shards.child)
                  {
                    return true
                  }
                  if let annotationKeys, let parent = known.endKey(item, 0),
                    let child = known.endKey(item, 1)
                  {
                    return annotationKeys.contains(parent) && annotationKeys.contains(child)
                  }
                  return exists(ends(item, 0), shards.parent) && exists(ends(item, 1), shards.child)
                }
                // An old connection whose ends the index does not know: read it.
                guard checkKept, let reader,
                  let ends = NimbusDocuments.connectionEnds(try reader.document(known.blob(item)))
                else { return true }
                return exists(ends.parent) && exists(ends.child)
              }
            } : nil)
      }
    }
    kinds[RecordKind.connections.position] = connections
    assembled(connections)
  }

  /// The root tree with `dataset` holding the kinds' `trees`, the other datasets as they
  /// were; also returns the dataset's tree.
  func assembleRoot(
    dataset: String, document: JSONValue, trees: [(RecordKind, ObjectID?)],
    otherDatasets: [String: DatasetTrees]
  ) throws -> (root: ObjectID, dataset: ObjectID) {
    let assembler = TreeAssembler(sink: sink)
    var datasetEntries = [
      TreeEntry(
        name: StoreLayout.datasetFile,
        id: try sink.store(.blob, CanonicalJSON.fileBytes(document)), isTree: false)
    ]
    for (kind, tree) in trees {
      if let tree { datasetEntries.append(TreeEntry(name: kind.directory, id: tree, isTree: true)) }
    }
    guard let datasetTree = try assembler.tree(datasetEntries) else {
      throw AnnostoreError(.other, "internal error: the dataset has no tree")
    }
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
    return (root, datasetTree)
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
