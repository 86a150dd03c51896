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
    let ingested = try ExportIngest(file: file, sink: nil, previous: [:]).run(progress: progress)
    let annotations = ingested.records[.annotations] ?? [:]
    var report = ValidationReport(
      file: file, sections: RecordKind.allCases.filter { ingested.carries($0) }, counts: [:],
      orphanedValues: 0, orphanedConnections: 0, bytes: ingested.bytesRead)
    for kind in RecordKind.allCases where ingested.carries(kind) {
      report.counts[kind] = ingested.records[kind]?.count ?? 0
    }
    if ingested.carries(.annotations) {
      report.orphanedValues =
        (ingested.records[.values] ?? [:]).keys.filter {
          annotations[$0] == nil
        }.count
      report.orphanedConnections =
        ingested.connectionEnds.values.filter {
          annotations[$0.parent] == nil || annotations[$0.child] == nil
        }.count
    }
    return report
  }
}
