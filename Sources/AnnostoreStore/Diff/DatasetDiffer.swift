import AnnostoreGit
import AnnostoreModel

/// Compares one dataset between two revisions: the tree walk finds the changed files, then
/// only those are read and compared field by field, when the diff's lists are read.
struct DatasetDiffer {
  let reader: RevisionReader
  var repository: Repository { reader.repository }

  /// Everything that differs in dataset `name` (nil on a side where it does not exist). The
  /// dataset's own record is compared only when it exists on both sides.
  func diff(name: String, old: DatasetTrees?, new: DatasetTrees?, detail: DiffDetail = .full)
    throws -> DatasetDiff
  {
    let status: ChangeType = old == nil ? .added : new == nil ? .removed : .modified
    var result = DatasetDiff(name: name, status: status)
    guard old?.tree != new?.tree else { return result }
    let oldRecord = old?.entries[StoreLayout.datasetFile]
    let newRecord = new?.entries[StoreLayout.datasetFile]
    if detail == .full, status == .modified, oldRecord?.id != newRecord?.id {
      result.record = RecordComparer.datasetRecord(
        before: try oldRecord.map { try reader.document($0.id) },
        after: try newRecord.map { try reader.document($0.id) })
    }
    let units = try self.units(old: old, new: new)
    let names =
      detail == .full && units.contains { $0.kind == .values }
      ? try propertyNames(old: old, new: new) : PropertyNames()
    let packs: PackSet
    do {
      packs = try PackSet(repository: repository)
    } catch let error as GitError {
      throw AnnostoreError.git(error, doing: "opening the store for reading")
    }
    let changed = try ChangedRecordListing(packs: packs).run(units)
    let pages = RecordDiffPages(packs: packs, names: names, detail: detail)
    result.annotations = pages.annotations(changed[.annotations] ?? [])
    result.connections = pages.records(changed[.connections] ?? [], kind: .connections)
    result.properties = pages.records(changed[.properties] ?? [], kind: .properties)
    result.values = pages.values(changed[.values] ?? [])
    return result
  }

  /// The work of a diff: per kind, each top-level shard directory whose id differs (the
  /// flat `properties` directory as one piece).
  func units(old: DatasetTrees?, new: DatasetTrees?) throws -> [DiffUnit] {
    let walk = TreeDiff(repository: repository)
    var units: [DiffUnit] = []
    for kind in RecordKind.allCases {
      let a = old?.tree(of: kind)
      let b = new?.tree(of: kind)
      guard a != b else { continue }
      guard kind.isSharded else {
        units.append(DiffUnit(kind: kind, old: a, new: b, depth: 0))
        continue
      }
      for entry in try walk.differing(old: a, new: b, trees: true) {
        units.append(DiffUnit(kind: kind, old: entry.old, new: entry.new, depth: 1))
      }
    }
    return units
  }

  /// The counts of what differs, from the tree walk alone (no file is read): a file whose
  /// blob differs holds different data, since every file is canonical.
  func summary(old: DatasetTrees?, new: DatasetTrees?) throws -> DiffSummary {
    var summary = DiffSummary()
    guard old?.tree != new?.tree else { return summary }
    let walk = TreeDiff(repository: repository)
    for kind in RecordKind.allCases {
      let changes = try walk.changes(
        old: old?.tree(of: kind), new: new?.tree(of: kind), depth: kind.isSharded ? 2 : 0)
      var counts = ChangeCounts()
      for change in changes { counts[change.change] += 1 }
      summary[DiffKind(kind)] = counts
    }
    return summary
  }

  /// The names of the properties, from the newer revision's definitions, falling back to
  /// the older one's for properties that are gone.
  func propertyNames(old: DatasetTrees?, new: DatasetTrees?) throws -> PropertyNames {
    PropertyNames(preferred: try properties(new), fallback: try properties(old))
  }

  private func properties(_ dataset: DatasetTrees?) throws -> [String: JSONValue] {
    guard let dataset else { return [:] }
    var result: [String: JSONValue] = [:]
    for (id, blob) in try reader.records(of: .properties, in: dataset) {
      result[id] = try reader.document(blob)
    }
    return result
  }
}

extension DiffKind {
  /// The diff kind of a kind of stored record.
  init(_ kind: RecordKind) {
    switch kind {
    case .annotations: self = .annotations
    case .connections: self = .connections
    case .properties: self = .properties
    case .values: self = .values
    }
  }
}
