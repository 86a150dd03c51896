import AnnostoreModel
import AnnostoreStore
import ArgumentParser

/// `annostore tag NAME [R]`: names a revision for good, e.g. the one behind a figure.
struct TagCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "tag",
    abstract: "Name a revision with an annotated tag (a fixed, reproducible snapshot).",
    discussion: """
      A tag can be given anywhere a revision is expected (export, diff, show, restore). \
      An existing tag is never moved or replaced.
      """)

  @Argument(help: "The tag's name, e.g. figure-3 or paper/v1.")
  var name: String

  @Argument(help: "The revision to tag (default: the head).")
  var revision: String?

  @Option(name: .shortAndLong, help: "The tag's message (default: its name).")
  var message: String?

  @Option(help: ArgumentHelp("The tagger, as \"Name <email>\".", valueName: "name <email>"))
  var author: String?

  @Flag(help: "Print the new tag as JSON.")
  var json = false

  @OptionGroup var store: StoreOptions

  func run() throws {
    let identity = try author.map { try Identity(parsing: $0) }
    let tag = try store.open().createTag(
      name, revision: revision, message: message, tagger: identity)
    if json {
      JSONOutput.print(TagsCommand.json(tag))
    } else {
      print("Tagged \(tag.commit.shortCommit) as \(tag.name)")
    }
  }
}
