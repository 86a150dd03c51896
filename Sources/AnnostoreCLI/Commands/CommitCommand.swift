import AnnostoreModel
import AnnostoreStore
import ArgumentParser

/// `annostore commit EXPORT.json --dataset D`: records an export as a new revision.
struct CommitCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "commit",
    abstract: "Record a NimbusImage JSON export as the new state of a dataset.",
    discussion: """
      Every part the export carries (annotations, connections, properties, property \
      values) replaces that part of the dataset; a part the export lacks was not \
      exported and stays as it was. Values and connections of annotations that do not \
      exist are dropped and counted. An export that changes nothing makes no commit.
      """)

  @Argument(help: "The NimbusImage JSON export file.")
  var file: String

  @Option(help: "The dataset to record into (a plain name: letters, digits, _ and -).")
  var dataset: String

  @OptionGroup var commitOptions: CommitOptions<CommitCommand>

  @Flag(help: "Print the outcome as JSON.")
  var json = false

  @OptionGroup var store: StoreOptions

  func run() throws {
    let identity = try commitOptions.identity()
    let opened = try store.open()
    let progress = ProgressLine("reading \(file)", total: ProgressLine.fileSize(file))
    defer { progress.finish() }
    let report = try opened.commitSnapshot(
      SnapshotRequest(
        file: file, dataset: dataset, message: commitOptions.message, author: identity),
      progress: progress.update(bytes:))
    progress.finish()
    if json {
      JSONOutput.print(Self.json(report))
    } else {
      print(Self.text(report))
    }
  }

  static func text(_ report: SnapshotReport) -> String {
    var lines: [String] = []
    if let commit = report.commit {
      lines.append("Recorded dataset \(report.dataset) as commit \(commit.shortCommit)")
    } else {
      lines.append("nothing changed: dataset \(report.dataset) already holds this export")
    }
    for kind in RecordKind.allCases {
      guard let change = report.changes[kind] else { continue }
      let read = report.sectionsRead.contains(kind) ? "" : " (not in the export; kept)"
      lines.append(
        "  \(kind.rawValue): \(change.total) (+\(change.added) ~\(change.modified) "
          + "-\(change.removed))\(read)")
    }
    if report.droppedValues > 0 || report.droppedConnections > 0 {
      lines.append(
        "  dropped dangling references: \(report.droppedValues) property values, "
          + "\(report.droppedConnections) connections (their annotation does not exist)")
    }
    return lines.joined(separator: "\n")
  }

  static func json(_ report: SnapshotReport) -> JSONValue {
    .object([
      JSONMember("dataset", .string(report.dataset)),
      JSONMember("commit", JSONOutput.string(report.commit)),
      JSONMember("parent", JSONOutput.string(report.parent)),
      JSONMember("changed", .bool(!report.nothingChanged)),
      JSONMember("sections", .array(report.sectionsRead.map { .string($0.rawValue) })),
      JSONMember(
        "changes",
        .object(
          RecordKind.allCases.compactMap { kind in
            report.changes[kind].map {
              JSONMember(
                kind.rawValue,
                .object([
                  JSONMember("added", .number(Double($0.added))),
                  JSONMember("modified", .number(Double($0.modified))),
                  JSONMember("removed", .number(Double($0.removed))),
                  JSONMember("total", .number(Double($0.total))),
                ]))
            }
          })),
      JSONMember(
        "dropped",
        .object([
          JSONMember("values", .number(Double(report.droppedValues))),
          JSONMember("connections", .number(Double(report.droppedConnections))),
        ])),
    ])
  }
}

extension CommitCommand: CommitMessageHelp {
  static let messageHelp = "The commit message."
}
