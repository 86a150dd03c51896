import AnnostoreGit
import AnnostoreModel

/// Diffs units on one thread with one bulk object reader: walks a unit's trees, reads the
/// changed files and compares them (or, for `DiffDetail.counts`, reads only what the
/// counts per tag need).
struct UnitDiffer {
  let reader: ObjectReader
  let names: PropertyNames
  let detail: DiffDetail
  /// Shared path and column strings, so a million values entries do not each carry copies.
  let columns = ColumnCache()

  /// The record diffs of one unit.
  func diff(_ unit: DiffUnit) throws -> DiffUnitResult {
    let changes = try TreeDiff(reader: reader).changes(
      old: unit.old, new: unit.new, depth: unit.depth)
    var result = DiffUnitResult()
    for change in changes {
      if detail == .counts, unit.kind != .annotations {
        result.appendCounted(unit.kind, change)
        continue
      }
      let before = try change.old.map { try reader.document($0) }
      let after = try change.new.map { try reader.document($0) }
      switch unit.kind {
      case .annotations:
        if detail == .counts {
          result.annotations.append(
            AnnotationDiff(
              id: change.id, change: change.change, before: before.map(AnnotationSketch.init),
              after: after.map(AnnotationSketch.init)))
        } else if let diff = RecordComparer.annotation(
          id: change.id, before: before, after: after)
        {
          result.annotations.append(diff)
        }
      case .connections:
        if let diff = RecordComparer.connection(id: change.id, before: before, after: after) {
          result.connections.append(diff)
        }
      case .properties:
        if let diff = RecordComparer.property(id: change.id, before: before, after: after) {
          result.properties.append(diff)
        }
      case .values:
        if let diff = ValuesComparer.compare(
          annotationId: change.id, before: before, after: after, names: names, cache: columns)
        {
          result.values.append(diff)
        }
      }
    }
    return result
  }
}

extension DiffUnitResult {
  /// A change known only from the trees: its kind and id, no content.
  mutating func appendCounted(_ kind: RecordKind, _ change: ChangedRecord) {
    switch kind {
    case .annotations:
      annotations.append(
        AnnotationDiff(id: change.id, change: change.change, before: nil, after: nil))
    case .connections:
      connections.append(RecordDiff(id: change.id, change: change.change, before: nil, after: nil))
    case .properties:
      properties.append(RecordDiff(id: change.id, change: change.change, before: nil, after: nil))
    case .values:
      values.append(ValuesDiff(id: change.id, change: change.change, entries: []))
    }
  }
}
