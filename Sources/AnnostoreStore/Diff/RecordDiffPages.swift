import AnnostoreGit
import AnnostoreModel

/// Makes the lists of a dataset diff from its changed records: each list, when read, reads
/// and compares its records a page at a time on every core (`SlicedWork`), so only one
/// page of record diffs exists at a time, however large the diff.
struct RecordDiffPages: Sendable {
  let packs: PackSet
  /// Property names, for the column names of values entries.
  let names: PropertyNames
  let detail: DiffDetail

  /// The annotations list: with `.counts` only the sketches (for counts per tag).
  func annotations(_ records: [ChangedRecord]) -> ChangeList<AnnotationDiff> {
    let detail = detail
    return list(records, reading: true) { record, before, after, _ in
      if detail == .full,
        let diff = RecordComparer.annotation(id: record.id, before: before, after: after)
      {
        return diff
      }
      return AnnotationDiff(
        id: record.id, change: record.change, before: before.map(AnnotationSketch.init),
        after: after.map(AnnotationSketch.init))
    }
  }

  /// A connections or properties list (`kind` says which): with `.counts`, ids only.
  func records(_ records: [ChangedRecord], kind: RecordKind) -> ChangeList<RecordDiff> {
    list(records, reading: detail == .full) { record, before, after, _ in
      let diff =
        kind == .connections
        ? RecordComparer.connection(id: record.id, before: before, after: after)
        : RecordComparer.property(id: record.id, before: before, after: after)
      return diff
        ?? RecordDiff(id: record.id, change: record.change, before: before, after: after)
    }
  }

  /// The values list: with `.counts`, ids only.
  func values(_ records: [ChangedRecord]) -> ChangeList<ValuesDiff> {
    let names = names
    return list(records, reading: detail == .full) { record, before, after, columns in
      ValuesComparer.compare(
        annotationId: record.id, before: before, after: after, names: names, cache: columns)
        ?? ValuesDiff(id: record.id, change: record.change, entries: [])
    }
  }

  /// A list of `records` whose elements `compare` makes from each record and, when
  /// `reading`, its documents before and after (nil without `reading`); `compare` shares
  /// path and column strings through the cache it is given (one per slice of work).
  ///
  /// The counts come from the records; a record whose two files differ is always listed
  /// (a comparer finding no difference between different canonical files cannot happen
  /// in a store, and would still be listed, with no fields).
  private func list<T: RecordChangeItem>(
    _ records: [ChangedRecord], reading: Bool,
    _ compare: @escaping @Sendable (ChangedRecord, JSONValue?, JSONValue?, ColumnCache) -> T
  ) -> ChangeList<T> {
    var counts = ChangeCounts()
    for record in records { counts[record.change] += 1 }
    guard reading else {
      return ChangeList(counts: counts) { page in
        let columns = ColumnCache()
        var start = 0
        while start < records.count {
          let end = min(records.count, start + 4096)
          try page(records[start..<end].map { compare($0, nil, nil, columns) })
          start = end
        }
      }
    }
    let packs = packs
    return ChangeList(counts: counts) { page in
      try SlicedWork(packs: packs).forEachSlice(count: records.count) { range, reader in
        var diffs: [T] = []
        diffs.reserveCapacity(range.count)
        let columns = ColumnCache()
        for index in range {
          if index + 2 < range.upperBound {
            let ahead = records[index + 2]
            for id in [ahead.old, ahead.new] { if let id { reader.prefetch(id) } }
          }
          let record = records[index]
          let before = try record.old.map { try reader.document($0) }
          let after = try record.new.map { try reader.document($0) }
          diffs.append(compare(record, before, after, columns))
        }
        return diffs
      } merge: { diffs in
        try page(diffs)
      }
    }
  }
}
