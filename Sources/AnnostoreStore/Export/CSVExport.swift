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
    let packs = try PackSet(repository: repository)
    let source = try CSVDatasetSource(
      dataset, reader: RevisionReader(repository: repository), packs: packs,
      workers: SlicedWork.defaultWorkers)
    let producer = try CSVRowProducer(packs: packs)
    let (encoder, dropped) = try Self.encoder(
      source, selection: inputs.selection(request), format: inputs.format(request)
    ) { try producer.leafPaths(source.rows).paths { source.propertyNames[$0] != nil } }
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
    let packs = try PackSet(repository: repository)
    let source = try CSVDatasetSource(
      dataset, reader: RevisionReader(repository: repository), packs: packs,
      workers: SlicedWork.defaultWorkers)
    let producer = try CSVRowProducer(packs: packs)
    PhaseClock.mark("rows listed")
    let format = inputs.format(request)
    let selection = inputs.selection(request)
    var rows = 0
    let encoder: CSVLineEncoder
    let dropped: [PropertyPath]
    switch selection {
    case .allLeafPaths, .listed:
      // The columns come from the values: one pass reads every annotation and its values
      // and spools the rows half made, the second completes them.
      let first = try producer.spool(
        source.rows, selected: inputs.subset, filter: request.filter,
        fixedCells: CSVLineEncoder(
          columns: CSVColumns(paths: [], propertyNames: [:], sanitize: false), format: format))
      (encoder, dropped) = try Self.encoder(
        source, selection: selection, format: format, lenient: lenient
      ) { first.paths.paths { source.propertyNames[$0] != nil } }
      PhaseClock.mark("first pass")
      try Self.writeHeader(encoder, to: output)
      try producer.encode(first.spool, encoder: encoder) { try output.write($0) }
      PhaseClock.mark("second pass")
      rows = first.rows
    case .chosen:
      (encoder, dropped) = try Self.encoder(
        source, selection: selection, format: format, lenient: lenient
      ) { [] }
      try Self.writeHeader(encoder, to: output)
      try producer.encode(
        Self.selectedRows(source, inputs: inputs), encoder: encoder, filter: request.filter
      ) { bytes, count in
        try output.write(bytes)
        rows += count
      }
    }
    try output.finish()
    return CSVExportReport(
      dataset: source.name, commit: commit.description, path: path,
      columns: encoder.columns.columns, rows: rows, droppedPaths: dropped)
  }

  private static func writeHeader(_ encoder: CSVLineEncoder, to output: OutputFile) throws {
    var header: [UInt8] = []
    encoder.appendHeader(into: &header)
    try output.write(header)
  }

  /// The line encoder for a dataset: its columns from the selection, and the format.
  private static func encoder(
    _ source: CSVDatasetSource, selection: CSVColumnSelection, format: CSVFormat,
    lenient: Bool = false, leafPaths: () throws -> [PropertyPath]
  ) throws -> (CSVLineEncoder, [PropertyPath]) {
    let paths = try source.paths(for: selection, lenient: lenient, leafPaths: leafPaths)
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
