import AnnostoreGit
import AnnostoreModel
import Foundation

extension Store {
  /// Writes one dataset of a revision as NimbusImage's CSV/TSV export (FORMAT.md §4, with
  /// the two deviations `CSVLineEncoder` documents): one row per annotation in id order,
  /// streamed row by row from the store, so memory does not grow with the dataset.
  public func exportCSV(_ request: CSVExportRequest, to output: OutputFile) throws
    -> CSVExportReport
  {
    let inputs = try CSVExportInputs(request)
    let commit = try resolveOrHead(request.revision)
    let dataset = try selectDataset(request.dataset, at: commit)
    return try writeCSV(
      dataset, commit: commit, request: request, inputs: inputs, output: output, path: nil)
  }

  /// Writes every dataset of a revision into `directory` (made if missing), one file per
  /// dataset named `<dataset>.csv` or `<dataset>.tsv`. Each dataset gets its own columns
  /// from the same selection; a column name no property of a dataset has gives no column
  /// in that dataset's file.
  public func exportCSVAllDatasets(_ request: CSVExportRequest, into directory: String) throws
    -> [CSVExportReport]
  {
    let inputs = try CSVExportInputs(request)
    let commit = try resolveOrHead(request.revision)
    let reader = RevisionReader(repository: repository)
    let datasets = try reader.datasets(inRoot: try reader.rootTree(of: commit))
    guard !datasets.isEmpty else {
      throw AnnostoreError(
        .usage, "revision \(commit.description.prefix(12)) holds no datasets",
        hint: "Record an export first: `annostore commit EXPORT.json --dataset NAME`.")
    }
    do {
      try FileManager.default.createDirectory(
        atPath: directory, withIntermediateDirectories: true)
    } catch {
      throw AnnostoreError(
        .other, "cannot make the directory \(directory): \(error.localizedDescription)",
        hint: "Choose a directory you can write to with -o DIR.")
    }
    let suffix = "." + inputs.format(request).delimiter.fileExtension
    var reports: [CSVExportReport] = []
    for name in datasets.keys.sorted() {
      let path = (directory as NSString).appendingPathComponent(name + suffix)
      reports.append(
        try writeCSV(
          datasets[name]!, commit: commit, request: request, inputs: inputs,
          output: try OutputFile(path: path), path: path, lenient: true))
    }
    return reports
  }

  /// The columns and first `rows` rows of an export, for choosing properties before
  /// writing a large file.
  public func previewCSV(_ request: CSVExportRequest, rows: Int) throws -> CSVPreview {
    let inputs = try CSVExportInputs(request)
    let commit = try resolveOrHead(request.revision)
    let dataset = try selectDataset(request.dataset, at: commit)
    let source = try CSVDatasetSource(dataset, reader: RevisionReader(repository: repository))
    let producer = try CSVRowProducer(storePath: path, workers: CSVRowProducer.defaultWorkers)
    let (encoder, dropped) = try Self.encoder(
      source, request: request, inputs: inputs, producer: producer)
    var text: [UInt8] = []
    encoder.appendHeader(into: &text)
    var count = 0
    var truncated = false
    for row in Self.selectedRows(source, inputs: inputs) {
      let annotation = try source.annotation(row)
      guard request.filter.matches(annotation) else { continue }
      if count == rows {
        truncated = true
        break
      }
      encoder.appendRow(annotation: annotation, values: try source.values(row), into: &text)
      count += 1
    }
    return CSVPreview(
      dataset: source.name, commit: commit.description, columns: encoder.columns.columns,
      text: String(decoding: text, as: UTF8.self), rows: count, truncated: truncated,
      droppedPaths: dropped)
  }

  private func writeCSV(
    _ dataset: DatasetTrees, commit: ObjectID, request: CSVExportRequest,
    inputs: CSVExportInputs, output: OutputFile, path: String?, lenient: Bool = false
  ) throws -> CSVExportReport {
    let source = try CSVDatasetSource(dataset, reader: RevisionReader(repository: repository))
    let producer = try CSVRowProducer(
      storePath: self.path, workers: CSVRowProducer.defaultWorkers)
    let (encoder, dropped) = try Self.encoder(
      source, request: request, inputs: inputs, producer: producer, lenient: lenient)
    var header: [UInt8] = []
    encoder.appendHeader(into: &header)
    try output.write(header)
    var rows = 0
    try producer.encode(
      Self.selectedRows(source, inputs: inputs), encoder: encoder, filter: request.filter
    ) { bytes, count in
      try output.write(bytes)
      rows += count
    }
    try output.finish()
    return CSVExportReport(
      dataset: source.name, commit: commit.description, path: path,
      columns: encoder.columns.columns, rows: rows, droppedPaths: dropped)
  }

  /// The line encoder for a dataset: its columns from the selection, and the format.
  private static func encoder(
    _ source: CSVDatasetSource, request: CSVExportRequest, inputs: CSVExportInputs,
    producer: CSVRowProducer, lenient: Bool = false
  ) throws -> (CSVLineEncoder, [PropertyPath]) {
    let format = inputs.format(request)
    let paths = try source.paths(for: inputs.selection(request), lenient: lenient) {
      try producer.leafPaths(source.rows).paths { source.propertyNames[$0] != nil }
    }
    let columns = CSVColumns(
      paths: paths, propertyNames: source.propertyNames, sanitize: format.sanitizeColumnNames)
    return (CSVLineEncoder(columns: columns, format: format), columns.dropped)
  }

  /// The rows the id lists keep (all when there are none), in row order.
  private static func selectedRows(_ source: CSVDatasetSource, inputs: CSVExportInputs)
    -> [CSVDatasetSource.Row]
  {
    guard let subset = inputs.subset else { return source.rows }
    return source.rows.filter { subset.contains($0.id) }
  }
}
