import AnnostoreModel
import AnnostoreStore
import ArgumentParser

/// `annostore diff [A [B]]`: what changed between two revisions, record by record.
struct DiffCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "diff",
    abstract:
      "Show what changed between two revisions: annotations, connections, properties, values.",
    discussion: """
      With no revision: the head's parent against the head. With one: that revision \
      against the head. With two: the first against the second. Revisions are named as \
      git names them (HEAD~1, a tag, a commit id). Only changed parts of the trees are \
      read, so the time follows the size of the change. See docs/DIFF.md for the formats.
      """)

  @Argument(help: "The older revision (default: the head's parent).")
  var from: String?

  @Argument(help: "The newer revision (default: the head).")
  var to: String?

  @Option(help: "Only this dataset (default: every dataset that changed).")
  var dataset: String?

  @Option(help: "text (for people), json (Schemas/diff.schema.json) or stat (counts).")
  var format: DiffFormat = .text

  @Flag(help: "Exit with status 1 when there are differences.")
  var exitCode = false

  @OptionGroup var store: StoreOptions

  func run() throws {
    let diff = try store.open().diff(
      DiffRequest(from: from, to: to, dataset: dataset), detail: format.detail)
    try DiffOutput.write(diff, format: format)
    if exitCode, !diff.isEmpty { throw ExitWith(status: .differences) }
  }
}
