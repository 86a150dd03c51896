import AnnostoreModel

/// What `validate` found in an export file.
public struct ValidationReport: Sendable {
  public var file: String
  /// The parts the file carries.
  public var sections: [RecordKind]
  /// How many records of each part.
  public var counts: [RecordKind: Int]
  /// Property values whose annotation is not in the file.
  public var orphanedValues: Int
  /// Connections with an end that is not in the file.
  public var orphanedConnections: Int
  public var bytes: Int
}

/// Checks NimbusImage export files without writing anything.
public enum ExportValidator {
  /// Reads and checks every record of `file`. Throws a bad-input error at the first problem.
  public static func validate(file: String, progress: ((Int) -> Void)? = nil) throws
    -> ValidationReport
  {
    let empty = RecordKind.allCases.map { kind in
      var state = KindState(kind: kind)
      state.groupByShard()
      return state
    }
    let ingested = try ExportIngest(
      file: file, sink: nil, previous: PreviousRecords(ready: empty), digests: false
    ).run(progress: progress)
    PhaseClock.mark("read the export")
    // Every record was just read, so ids are found by hash: no sorting into shards.
    var first = ingested.failure
    for kind in RecordKind.allCases where ingested.carries(kind) {
      if let repeated = ingested.kinds[kind.position].firstRepeat(of: kind),
        first.map({ repeated.offset < $0.offset }) ?? true
      {
        first = repeated
      }
    }
    if let first { throw first.error(file: file) }
    var orphanedValues = 0
    var orphanedConnections = 0
    // Dangling references are counted only against annotations the file carries.
    if ingested.carries(.annotations) {
      let annotations = ingested.kinds[RecordKind.annotations.position].misses
      let ids = IDKeySet(annotations.keys, count: annotations.count)
      for key in ingested.kinds[RecordKind.values.position].misses.keys where !ids.contains(key) {
        orphanedValues += 1
      }
      let ends = ingested.kinds[RecordKind.connections.position].misses.endKeys
      for index in stride(from: 0, to: ends.count, by: 2)
      where !ids.contains(ends[index]) || !ids.contains(ends[index + 1]) {
        orphanedConnections += 1
      }
    }
    PhaseClock.mark("duplicates and references")
    var report = ValidationReport(
      file: file, sections: RecordKind.allCases.filter { ingested.carries($0) }, counts: [:],
      orphanedValues: orphanedValues, orphanedConnections: orphanedConnections,
      bytes: ingested.bytesRead)
    for kind in RecordKind.allCases where ingested.carries(kind) {
      report.counts[kind] = ingested.kinds[kind.position].items.count
    }
    return report
  }
}
