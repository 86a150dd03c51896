import AnnostoreModel
import AnnostoreStore
import ArgumentParser

/// `annostore show [R]`: one revision with its message, author, date and diff.
struct ShowCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "show",
    abstract: "Show a revision: its message, author, date, and what it changed.",
    discussion: """
      The diff is against the revision's parent; a merge shows one diff per parent, the \
      first commit a diff against nothing.
      """)

  @Argument(help: "The revision (default: the head).")
  var revision: String?

  @Option(help: "Only this dataset.")
  var dataset: String?

  @Option(help: "text, json or stat (as for diff).")
  var format: DiffFormat = .text

  @OptionGroup var store: StoreOptions

  func run() throws {
    let details = try store.open().show(revision, dataset: dataset)
    let revision = details.revision
    if format == .json {
      guard case .object(var members) = LogCommand.json(revision) else { return }
      members.append(JSONMember("diffs", .array(details.diffs.map(DiffJSONRenderer.document))))
      JSONOutput.print(.object(members))
      return
    }
    var lines = ["commit \(revision.commit)"]
    if revision.parents.count > 1 {
      lines.append("Merge:  " + revision.parents.map(\.shortCommit).joined(separator: " "))
    }
    lines.append("Author: \(revision.authorName) <\(revision.authorEmail)>")
    lines.append("Date:   \(LogCommand.date(revision.time, revision.offsetMinutes))")
    lines.append("")
    lines += LogCommand.messageLines(revision.message)
    for diff in details.diffs {
      lines.append("")
      if details.diffs.count > 1, let parent = diff.from {
        lines.append("against parent \(parent.shortCommit):")
      }
      lines += DiffOutput.lines(diff, format: format)
    }
    try DiffOutput.writeLines(lines)
  }
}
