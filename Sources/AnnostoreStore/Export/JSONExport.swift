import AnnostoreGit
import AnnostoreModel

/// What `export json` writes.
public struct JSONExportRequest: Sendable {
  public var dataset: String?
  public var revision: String?
  /// The parts to write, in any order; the file always lists them in NimbusImage's order.
  public var parts: Set<RecordKind>

  public init(
    dataset: String?, revision: String?, parts: Set<RecordKind> = Set(RecordKind.allCases)
  ) {
    self.dataset = dataset
    self.revision = revision
    self.parts = parts
  }
}

/// What `export json` wrote.
public struct JSONExportReport: Sendable {
  public var dataset: String
  public var commit: String
  public var counts: [RecordKind: Int]
}

extension Store {
  /// Writes a dataset as NimbusImage's server export: one compact line, the selected parts
  /// in NimbusImage's key order, records in id order. The store's files are canonical, so
  /// the same revision always gives the same bytes.
  public func exportJSON(_ request: JSONExportRequest, to output: OutputFile) throws
    -> JSONExportReport
  {
    let commit = try resolveOrHead(request.revision)
    let dataset = try selectDataset(request.dataset, at: commit)
    let reader = RevisionReader(repository: repository)
    var report = JSONExportReport(dataset: dataset.name, commit: commit.description, counts: [:])
    var first = true
    try output.write("{")
    for kind in RecordKind.allCases where request.parts.contains(kind) {
      try output.write((first ? "\"" : ",\"") + kind.section.rawValue + "\":")
      first = false
      let records = try reader.records(of: kind, in: dataset)
      report.counts[kind] = records.count
      let ids = records.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
      try output.write(kind == .values ? "{" : "[")
      for (index, id) in ids.enumerated() {
        if index > 0 { try output.write(",") }
        if kind == .values { try output.write("\"" + id + "\":") }
        let blob = try repository.blob(records[id]!)
        try output.write(blob[..<(blob.count - (blob.last == 10 ? 1 : 0))])
      }
      try output.write(kind == .values ? "}" : "]")
    }
    try output.write("}")
    try output.finish()
    return report
  }
}
