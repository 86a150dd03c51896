import AnnostoreModel
import AnnostoreStore
import ArgumentParser

/// `annostore restore R [--dataset D]`: brings an old revision's data back as a new commit.
struct RestoreCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "restore",
    abstract: "Make a new commit whose data equals a revision's (one dataset or all).",
    discussion: """
      Nothing in history is lost: the current state stays in the log, and the restore is \
      one more commit on top of it. When the data already equals the revision's, no \
      commit is made.
      """)

  @Argument(help: "The revision to bring back: HEAD~2, a tag, a commit id.")
  var revision: String

  @Option(help: "Restore only this dataset (default: every dataset).")
  var dataset: String?

  @OptionGroup var commitOptions: CommitOptions<RestoreCommand>

  @Flag(help: "Print the outcome as JSON.")
  var json = false

  @OptionGroup var store: StoreOptions

  func run() throws {
    let identity = try commitOptions.identity()
    let report = try store.open().restore(
      RestoreRequest(
        revision: revision, dataset: dataset, message: commitOptions.message, author: identity))
    if json {
      JSONOutput.print(
        .object([
          JSONMember("source", .string(report.source)),
          JSONMember("commit", JSONOutput.string(report.commit)),
          JSONMember("parent", JSONOutput.string(report.parent)),
          JSONMember("changed", .bool(report.commit != nil)),
          JSONMember(
            "changes",
            .object(
              report.changes.sorted { $0.key < $1.key }.map {
                JSONMember($0.key, DiffJSONRenderer.summary($0.value))
              })),
        ]))
      return
    }
    let what = dataset.map { "dataset \($0)" } ?? "the data"
    guard let commit = report.commit else {
      print("nothing to restore: \(what) already equals \(revision)")
      return
    }
    print(
      "Restored \(what) to \(revision) (\(report.source.shortCommit)) as commit \(commit.shortCommit)"
    )
    for (name, summary) in report.changes.sorted(by: { $0.key < $1.key }) {
      let counts = DiffTextRenderer.countsText(summary)
      print("  \(name): " + (counts.isEmpty ? "dataset record changed" : counts))
    }
  }
}

extension RestoreCommand: CommitMessageHelp {
  static let messageHelp = "The commit message (default: Restore <dataset> to <R>)."
}
