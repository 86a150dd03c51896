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
    let details = try store.open().show(revision, dataset: dataset, detail: format.detail)
    let revision = details.revision
    let output = OutputFile()
    if format == .json {
      guard case .object(let members) = LogCommand.json(revision) else { return }
      let diffs = details.diffs
      let document = StreamedJSON.object(
        members.map { ($0.key, StreamedJSON.value($0.value)) }
          + [
            (
              "diffs",
              .elements { each in
                for diff in diffs { try each(DiffJSONRenderer.streamed(diff)) }
              }
            )
          ])
      try document.write { try output.write($0) }
      try output.write("\n")
      try output.finish()
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
    for line in lines { try DiffOutput.writeLine(line, to: output) }
    for diff in details.diffs {
      try DiffOutput.writeLine("", to: output)
      if details.diffs.count > 1, let parent = diff.from {
        try DiffOutput.writeLine("against parent \(parent.shortCommit):", to: output)
      }
      try DiffOutput.writeBody(diff, format: format, to: output)
    }
    try output.finish()
  }
}
