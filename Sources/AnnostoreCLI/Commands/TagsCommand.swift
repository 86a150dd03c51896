import AnnostoreModel
import AnnostoreStore
import ArgumentParser

/// `annostore tags`: the named snapshots.
struct TagsCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "tags",
    abstract: "List the tags: name, the commit each marks, and its message.")

  @Flag(help: "Print the tags as a JSON array.")
  var json = false

  @OptionGroup var store: StoreOptions

  func run() throws {
    let tags = try store.open().tags()
    if json {
      JSONOutput.print(.array(tags.map(Self.json)))
      return
    }
    if tags.isEmpty {
      print("no tags yet")
      return
    }
    let width = tags.map(\.name.count).max() ?? 0
    for tag in tags {
      let summary = tag.message.split(separator: "\n").first.map(String.init) ?? ""
      let name = tag.name.padding(toLength: width, withPad: " ", startingAt: 0)
      print("\(name)  \(tag.commit.shortCommit)  \(summary)")
    }
  }

  static func json(_ tag: TagInfo) -> JSONValue {
    .object([
      JSONMember("name", .string(tag.name)),
      JSONMember("commit", .string(tag.commit)),
      JSONMember("message", .string(tag.message)),
      JSONMember("tagger", JSONOutput.string(tag.tagger)),
      JSONMember("annotated", .bool(tag.annotated)),
    ])
  }
}
