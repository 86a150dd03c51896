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
    var kinds = RecordKind.allCases.map { kind in
      KindAssembly(
        kind: kind, old: empty[kind.position],
        ingested: ingested.carries(kind) ? ingested.kinds[kind.position] : nil,
        incremental: true)
    }
    if let failure = SnapshotBuilder.firstFailure(ingested.failure, &kinds) {
      throw failure.error(file: file)
    }
    // Dangling references are counted only against annotations the file carries.
    try SnapshotBuilder.assemble(
      &kinds, sink: nil, reader: nil, pruneReferences: ingested.carries(.annotations))
    var report = ValidationReport(
      file: file, sections: RecordKind.allCases.filter { ingested.carries($0) }, counts: [:],
      orphanedValues: kinds[RecordKind.values.position].droppedCount,
      orphanedConnections: kinds[RecordKind.connections.position].droppedCount,
      bytes: ingested.bytesRead)
    for kind in RecordKind.allCases where ingested.carries(kind) {
      report.counts[kind] = ingested.kinds[kind.position].items.count
    }
    return report
  }
}
