import AnnostoreModel
import AnnostoreStore
import ArgumentParser

/// `annostore export csv`: NimbusImage's CSV/TSV export of one revision.
struct ExportCSVCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "csv",
    abstract: "Write a dataset as NimbusImage's CSV or TSV export, from any revision.",
    discussion: """
      Columns: "Id", Channel, XY, Z, Time, "Tags", "Shape", "Name" (XY, Z and Time \
      counted from 1), then one column per property path, named "Property / sub / sub". \
      Rows: one per annotation, in id order. Byte-identical to NimbusImage's server \
      export, except that a cell or header name NimbusImage would leave unquoted although \
      it holds the delimiter, a quote or a line break is quoted (RFC 4180), and a cell \
      holding an object is written as canonical JSON instead of a Python repr.

      Property columns, by default: every leaf path of the values, in NimbusImage's \
      "all properties" order (its computed-path walk over the values in annotation id \
      order: the last annotation's paths first, and within an object the last key first, \
      keys being in canonical order). --listed takes the dataset's listed paths \
      (set with `annostore dataset set-listed-paths`) in that same order; --property \
      and --path name columns in the order given (--property ones first).

      --request FILE takes the JSON body of NimbusImage's CSV request \
      (propertyPaths, undefinedValue, delimiter, sanitizeColumnNames, annotationIds) and \
      writes exactly that export.
      """)

  @Option(help: "The dataset (may be left out when the store holds only one).")
  var dataset: String?

  @Flag(help: "Write every dataset, one file each (<dataset>.csv or .tsv) into the -o directory.")
  var allDatasets = false

  @Option(help: "The revision to export: HEAD, HEAD~1, a tag, a commit id (default: HEAD).")
  var rev: String?

  @Option(help: ArgumentHelp("A NimbusImage CSV request body (JSON).", valueName: "file"))
  var request: String?

  @Option(
    name: .shortAndLong,
    help: "Write to this file (a directory with --all-datasets) instead of standard output.")
  var output: String?

  @Flag(help: "Only the dataset's listed property paths.")
  var listed = false

  @Option(
    help: ArgumentHelp(
      "A property column by name, e.g. \"nucleus Blob Metrics / Area\" (repeatable).",
      valueName: "name"))
  var property: [String] = []

  @Option(
    help: ArgumentHelp(
      "A property column by path, PROPERTYID.sub.sub (repeatable).", valueName: "path"))
  var path: [String] = []

  @Option(help: "What an undefined or null value is written as: empty, NA or NaN.")
  var undefined: UndefinedValue?

  @Flag(help: "Separate with tabs (TSV).")
  var tsv = false

  @Option(help: "The delimiter: comma or tab.")
  var delimiter: DelimiterChoice?

  @Flag(help: "Sanitise column names (letters, digits, _) and make them unique.")
  var sanitize = false

  @Option(
    help: ArgumentHelp(
      "Only the annotations listed in this file, one id per line.", valueName: "file"))
  var ids: String?

  @Option(help: "Only annotations with this tag (repeatable: all of them).")
  var tag: [String] = []

  @Option(help: "Only annotations of this shape (repeatable: any of them).")
  var shape: [String] = []

  @Option(help: "Only annotations on this channel (repeatable).")
  var channel: [Int] = []

  @Option(help: "Only annotations at this XY position, counted from 1 as in the CSV (repeatable).")
  var xy: [Int] = []

  @Option(help: "Only annotations at this Z slice, counted from 1 (repeatable).")
  var z: [Int] = []

  @Option(help: "Only annotations at this time point, counted from 1 (repeatable).")
  var time: [Int] = []

  @Flag(help: "Print the columns and the first rows (10, or N) instead of writing the file.")
  var preview = false

  @Argument(help: ArgumentHelp("With --preview: how many rows to show.", valueName: "N"))
  var previewRows: Int?

  @OptionGroup var store: StoreOptions

  enum UndefinedValue: String, ExpressibleByArgument, CaseIterable {
    case empty
    case notAvailable = "NA"
    case notANumber = "NaN"
    var text: String { self == .empty ? "" : rawValue }
  }

  enum DelimiterChoice: String, ExpressibleByArgument, CaseIterable {
    case comma, tab
  }

  func validate() throws {
    if previewRows != nil, !preview {
      throw ValidationError("Unexpected argument \(previewRows!); did you mean --preview N?")
    }
    if let previewRows, previewRows < 0 {
      throw ValidationError("--preview N needs N >= 0.")
    }
    if request != nil {
      let clashes = [
        listed ? "--listed" : nil, property.isEmpty ? nil : "--property",
        path.isEmpty ? nil : "--path", undefined == nil ? nil : "--undefined",
        tsv ? "--tsv" : nil, delimiter == nil ? nil : "--delimiter",
        sanitize ? "--sanitize" : nil,
      ].compactMap { $0 }
      if !clashes.isEmpty {
        throw ValidationError(
          "--request sets the columns and format itself; leave out "
            + clashes.joined(separator: ", ") + ".")
      }
    }
    if listed, !property.isEmpty || !path.isEmpty {
      throw ValidationError("Use either --listed or --property/--path, not both.")
    }
    if tsv, delimiter == .comma {
      throw ValidationError("--tsv and --delimiter comma contradict each other.")
    }
    if allDatasets {
      if dataset != nil { throw ValidationError("Use either --dataset or --all-datasets.") }
      if preview { throw ValidationError("--preview shows one dataset; name it with --dataset.") }
      if output == nil {
        throw ValidationError(
          "--all-datasets writes one file per dataset: name a directory with -o DIR.")
      }
    }
    if preview, output != nil {
      throw ValidationError("--preview prints to the terminal; leave out -o.")
    }
  }

  func run() throws {
    var columns = CSVColumnSelection.allLeafPaths
    if listed {
      columns = .listed
    } else if !property.isEmpty || !path.isEmpty {
      var choices = property.map(CSVColumnChoice.name)
      for text in path {
        do {
          choices.append(.path(try PropertyColumnName.parseDotted(text)))
        } catch {
          throw AnnostoreError(.usage, "--path \(text): \(error.message)", hint: error.hint)
        }
      }
      columns = .chosen(choices)
    }
    var filter = CSVRowFilter()
    filter.tags = tag
    filter.shapes = Set(shape)
    filter.channels = Set(channel)
    filter.xy = Set(xy)
    filter.z = Set(z)
    filter.time = Set(time)
    let format = CSVFormat(
      delimiter: tsv || delimiter == .tab ? .tab : .comma, undefinedValue: undefined?.text ?? "",
      sanitizeColumnNames: sanitize)
    let request = CSVExportRequest(
      dataset: dataset, revision: rev, requestFile: self.request, columns: columns,
      format: format, idsFile: ids, filter: filter)
    let opened = try store.open()

    if preview {
      print(Self.render(try opened.previewCSV(request, rows: previewRows ?? 10)), terminator: "")
    } else if allDatasets, let output {
      for report in try opened.exportCSVAllDatasets(request, into: output) {
        print(Self.summary(report))
        Self.warnDropped(report.droppedPaths)
      }
    } else {
      let sink = try output.map { try OutputFile(path: $0) } ?? OutputFile()
      var report = try opened.exportCSV(request, to: sink)
      if let output {
        report.path = output
        print(Self.summary(report))
      }
      Self.warnDropped(report.droppedPaths)
    }
  }

  static func summary(_ report: CSVExportReport) -> String {
    "Wrote \(report.path ?? "standard output"): dataset \(report.dataset) at "
      + "\(report.commit.shortCommit): \(report.rows) rows, \(report.columns.count) columns"
  }

  static func warnDropped(_ paths: [PropertyPath]) {
    guard !paths.isEmpty else { return }
    printError(
      "annostore: no column for \(paths.count) path(s) whose property is unknown or unnamed: "
        + paths.prefix(5).map(\.description).joined(separator: ", ")
        + (paths.count > 5 ? ", …" : ""))
  }

  /// The preview: a numbered list of columns (with the path --path takes), then the rows.
  static func render(_ preview: CSVPreview) -> String {
    var lines = [
      "dataset \(preview.dataset) at \(preview.commit.shortCommit): "
        + "\(preview.columns.count) columns"
    ]
    let width = preview.columns.map(\.name.count).max() ?? 0
    for (index, column) in preview.columns.enumerated() {
      var line =
        String(repeating: " ", count: max(0, 4 - String(index + 1).count))
        + "\(index + 1)  \(column.name)"
      if case .property(let path) = column.field {
        line += String(repeating: " ", count: width - column.name.count + 2) + path.description
      }
      lines.append(line)
    }
    let shown = preview.truncated ? "first \(preview.rows) rows" : "all \(preview.rows) rows"
    lines.append("")
    lines.append(shown + ":")
    var text = lines.joined(separator: "\n") + "\n" + preview.text
    if preview.truncated { text += "…\n" }
    if !preview.droppedPaths.isEmpty {
      text +=
        "(no column for: " + preview.droppedPaths.map(\.description).joined(separator: ", ")
        + ")\n"
    }
    return text
  }
}
