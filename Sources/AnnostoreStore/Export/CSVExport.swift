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
    let (encoder, dropped) = try Self.encoder(source, request: request, inputs: inputs)
    var text: [UInt8] = []
    encoder.appendHeader(into: &text)
    var count = 0
    var truncated = false
    try Self.forEachRow(source, request: request, inputs: inputs) { annotation, values in
      if count == rows {
        truncated = true
        return false
      }
      encoder.appendRow(annotation: annotation, values: values, into: &text)
      count += 1
      return true
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
    let (encoder, dropped) = try Self.encoder(
      source, request: request, inputs: inputs, lenient: lenient)
    let writer = CSVWriter(encoder: encoder, output: output)
    try writer.writeHeader()
    try Self.forEachRow(source, request: request, inputs: inputs) { annotation, values in
      try writer.writeRow(annotation: annotation, values: values)
      return true
    }
    try writer.finish()
    return CSVExportReport(
      dataset: source.name, commit: commit.description, path: path,
      columns: encoder.columns.columns, rows: writer.rowCount, droppedPaths: dropped)
  }

  /// The line encoder for a dataset: its columns from the selection, and the format.
  private static func encoder(
    _ source: CSVDatasetSource, request: CSVExportRequest, inputs: CSVExportInputs,
    lenient: Bool = false
  ) throws -> (CSVLineEncoder, [PropertyPath]) {
    let format = inputs.format(request)
    let paths = try source.paths(for: inputs.selection(request), lenient: lenient)
    let columns = CSVColumns(
      paths: paths, propertyNames: source.propertyNames, sanitize: format.sanitizeColumnNames)
    return (CSVLineEncoder(columns: columns, format: format), columns.dropped)
  }

  /// Hands each selected annotation, in id order, with its values to `row` until it
  /// returns false.
  private static func forEachRow(
    _ source: CSVDatasetSource, request: CSVExportRequest, inputs: CSVExportInputs,
    _ row: (JSONValue, JSONValue?) throws -> Bool
  ) throws {
    let ids: [String]
    if let subset = inputs.subset {
      ids = source.annotationIDs.filter(subset.contains)
    } else {
      ids = source.annotationIDs
    }
    for id in ids {
      guard let annotation = try source.annotation(id) else { continue }
      guard request.filter.matches(annotation) else { continue }
      guard try row(annotation, try source.values(id)) else { return }
    }
  }
}
