import AnnostoreModel
import AnnostoreStore
import ArgumentParser

/// `annostore remote add|remove|list`: the remotes a store shares with.
struct RemoteCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "remote",
    abstract: "Add, remove or list the remotes the store shares with.",
    discussion: """
      A remote is another store reachable by a local path, file://, git://, http(s):// \
      (smart HTTP) or ssh:// (or user@host:path) URL. `fetch`, `pull` and `push` use the \
      remote named origin, or the only one, when none is named.
      """,
    subcommands: [RemoteAddCommand.self, RemoteRemoveCommand.self, RemoteListCommand.self],
    defaultSubcommand: RemoteListCommand.self)
}

/// `annostore remote add NAME URL`.
struct RemoteAddCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "add",
    abstract: "Add a remote.",
    discussion: """
      A URL may not carry a password or token (it would sit in the config in clear \
      text): set ANNOSTORE_HTTP_USER and ANNOSTORE_HTTP_TOKEN instead.
      """)

  @Argument(help: "Name of the remote, e.g. origin.")
  var name: String

  @Argument(help: "URL or path of the other store.")
  var url: String

  @OptionGroup var store: StoreOptions

  func run() throws {
    try store.open().addRemote(name: name, url: url)
  }
}

/// `annostore remote remove NAME`.
struct RemoteRemoveCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "remove",
    abstract: "Remove a remote and its remote-tracking branches.",
    aliases: ["rm"])

  @Argument(help: "Name of the remote.")
  var name: String

  @OptionGroup var store: StoreOptions

  func run() throws {
    try store.open().removeRemote(name: name)
  }
}

/// `annostore remote list [--json]`.
struct RemoteListCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "list",
    abstract: "List the remotes with their URLs.")

  @Flag(help: "Print the remotes as a JSON array.")
  var json = false

  @OptionGroup var store: StoreOptions

  func run() throws {
    let remotes = try store.open().remotes()
    if json {
      JSONOutput.print(
        .array(
          remotes.map { remote in
            var members = [
              JSONMember("name", .string(remote.name)), JSONMember("url", .string(remote.url)),
            ]
            if let push = remote.pushURL { members.append(JSONMember("pushUrl", .string(push))) }
            return .object(members)
          }))
      return
    }
    for remote in remotes {
      print("\(remote.name)\t\(remote.url)")
      if let push = remote.pushURL { print("\(remote.name)\t\(push) (push)") }
    }
  }
}
