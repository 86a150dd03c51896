import AnnostoreModel
import AnnostoreStore
import ArgumentParser

extension ConflictPolicy: ExpressibleByArgument {}

/// `annostore import EXPORT.json --dataset D`: merges an export into a dataset.
struct ImportCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "import",
    abstract: "Merge a NimbusImage JSON export into a dataset (a three-way merge).",
    discussion: """
      The file is recorded as a snapshot on the side ref refs/imports/DATASET/SOURCE, \
      parented on the previous import from that source, then merged into the branch \
      (base: their merge base) as a commit with two parents. Re-importing the same file \
      changes nothing; a later export of the same source brings its edits and deletions.

      Records are matched by id (property values by annotation, property and path). A \
      field changed on one side takes that side; changed differently on both is a \
      conflict. Tags merge as sets, property values leaf by leaf. Add/add with different \
      content and delete/modify are conflicts. References left dangling are dropped and \
      counted.

      Conflicts: --on-conflict fail (default) writes nothing and lists them (exit 4); \
      ours or theirs settles them all; manual saves the merge for `annostore conflicts`, \
      `annostore resolve` and `annostore merge --continue` (or --abort).
      """)

  @Argument(help: "The NimbusImage JSON export file.")
  var file: String

  @Option(help: "The dataset to merge into.")
  var dataset: String

  @Option(help: "Where the file comes from (default: the datasetId its annotations carry).")
  var source: String?

  @Option(
    name: .customLong("on-conflict"),
    help: "fail (write nothing), ours, theirs, or manual (stop for `resolve`).")
  var onConflict: ConflictPolicy = .fail

  @Flag(help: "Let the parts the file carries replace the dataset's (still a commit).")
  var overwrite = false

  @Flag(
    name: .customLong("new-ids"),
    help: "Give every record a fresh id derived from (source, old id): a transfer.")
  var newIds = false

  @Flag(name: .customLong("dry-run"), help: "Report what would happen; write nothing.")
  var dryRun = false

  @Flag(
    name: .customLong("no-annotations"),
    help: "Leave out annotations (and so connections and values).")
  var noAnnotations = false

  @Flag(name: .customLong("no-connections"), help: "Leave out connections.")
  var noConnections = false

  @Flag(name: .customLong("no-properties"), help: "Leave out properties (and so values).")
  var noProperties = false

  @Flag(name: .customLong("no-values"), help: "Leave out property values.")
  var noValues = false

  @Flag(help: "Refuse a file with dangling references instead of dropping them (exit 3).")
  var strict = false

  @Flag(
    name: .customLong("allow-out-of-range"),
    help: "Import annotations outside the dataset's known dimensions anyway.")
  var allowOutOfRange = false

  @OptionGroup var commitOptions: CommitOptions<ImportCommand>

  @Flag(help: "Print the outcome as JSON.")
  var json = false

  @OptionGroup var store: StoreOptions

  func run() throws {
    var request = ImportRequest(file: file, dataset: dataset)
    request.source = source
    request.onConflict = onConflict
    request.overwrite = overwrite
    request.newIds = newIds
    request.dryRun = dryRun
    request.skipAnnotations = noAnnotations
    request.skipConnections = noConnections
    request.skipProperties = noProperties
    request.skipValues = noValues
    request.strict = strict
    request.allowOutOfRange = allowOutOfRange
    request.message = commitOptions.message
    request.author = try commitOptions.identity()
    let opened = try store.open()
    let progress = ProgressLine("reading \(file)", total: ProgressLine.fileSize(file))
    defer { progress.finish() }
    let report = try opened.importExport(request, progress: progress.update(bytes:))
    progress.finish()
    if json {
      JSONOutput.print(Self.json(report))
    } else {
      print(Self.text(report))
    }
    let stopped = report.outcome == .refused || report.outcome == .stopped
    if stopped && !report.dryRun { throw ExitWith(status: .conflicts) }
  }

  static func text(_ report: ImportReport) -> String {
    var lines: [String] = []
    let prefix = report.dryRun ? "dry run, nothing written: " : ""
    switch report.outcome {
    case .unchanged:
      lines.append(
        "\(prefix)nothing changed: \(report.file) from \(report.source) is already merged "
          + "into \(report.dataset)")
    case .firstCommit:
      lines.append(
        "\(prefix)imported \(report.file) into \(report.dataset) as its first commit "
          + (report.commit.map { $0.shortCommit } ?? ""))
    case .merged:
      lines.append(
        "\(prefix)merged \(report.file) into \(report.dataset) from \(report.source)"
          + (report.commit.map { ": commit \($0.shortCommit)" } ?? ""))
    case .overwritten:
      lines.append(
        "\(prefix)overwrote \(report.dataset) with \(report.file)"
          + (report.commit.map { ": commit \($0.shortCommit)" } ?? ""))
    case .refused:
      lines.append(
        "\(prefix)\(report.conflicts.count) conflict(s): nothing was written "
          + "(--on-conflict fail)")
    case .stopped:
      lines.append(
        "\(prefix)\(report.conflicts.count) conflict(s): merge stopped, state saved. "
          + "Settle them with `annostore resolve`, then `annostore merge --continue` "
          + "(or `annostore merge --abort`).")
    }
    if report.baseFromHistory, let base = report.base {
      lines.append(
        "  base: \(base.shortCommit), the oldest commit recording \(report.source) (no earlier "
          + "import from it)")
    }
    if !report.excluded.isEmpty {
      lines.append("  not imported: " + report.excluded.map(\.rawValue).joined(separator: ", "))
    }
    lines += ConflictOutput.changesText(report.changes)
    if report.droppedInFile.total > 0 {
      lines.append(
        "  dropped dangling references in the file: \(report.droppedInFile.values) property "
          + "values, \(report.droppedInFile.connections) connections")
    }
    if report.droppedAfterMerge.total > 0 {
      lines.append(
        "  dropped references the merge left dangling: \(report.droppedAfterMerge.values) "
          + "property values, \(report.droppedAfterMerge.connections) connections")
    }
    if !report.conflicts.isEmpty {
      if report.outcome == .merged {
        lines.append(
          "  \(report.conflicts.count) conflict(s) settled with \(report.onConflict.rawValue):")
      }
      lines += report.conflicts.map { ConflictOutput.text($0) }
    }
    return lines.joined(separator: "\n")
  }

  static func json(_ report: ImportReport) -> JSONValue {
    .object([
      JSONMember("dataset", .string(report.dataset)),
      JSONMember("source", .string(report.source)),
      JSONMember("file", .string(report.file)),
      JSONMember("outcome", .string(report.outcome.rawValue)),
      JSONMember("dryRun", .bool(report.dryRun)),
      JSONMember("onConflict", .string(report.onConflict.rawValue)),
      JSONMember("commit", JSONOutput.string(report.commit)),
      JSONMember("importCommit", JSONOutput.string(report.importCommit)),
      JSONMember("importRef", .string(report.importRef)),
      JSONMember("base", JSONOutput.string(report.base)),
      JSONMember("baseFromHistory", .bool(report.baseFromHistory)),
      JSONMember("excluded", .array(report.excluded.map { .string($0.rawValue) })),
      JSONMember("changes", ConflictOutput.changesJSON(report.changes)),
      JSONMember(
        "dropped",
        .object([
          JSONMember("inFile", ConflictOutput.droppedJSON(report.droppedInFile)),
          JSONMember("afterMerge", ConflictOutput.droppedJSON(report.droppedAfterMerge)),
        ])),
      JSONMember("conflicts", .array(report.conflicts.map(ConflictJSON.encode))),
    ])
  }
}

extension ImportCommand: CommitMessageHelp {
  static let messageHelp = "The merge commit's message."
}
