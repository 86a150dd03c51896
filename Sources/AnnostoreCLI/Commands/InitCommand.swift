import AnnostoreStore
import ArgumentParser

/// `annostore init PATH`: makes a new, empty store.
struct InitCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "init",
    abstract: "Create a new, empty store.",
    discussion: """
      A store is a bare git repository (no work tree): `git log`, `git show` and \
      `git clone` work on it directly.
      """)

  @Argument(help: "Directory of the new store (created if missing; must be empty).")
  var path: String?

  @OptionGroup var store: StoreOptions

  func run() throws {
    guard let target = path ?? store.storePath else {
      throw ValidationError("name the directory of the new store: annostore init PATH")
    }
    let created = try Store.create(at: target)
    print("Initialized empty annostore store in \(created.path)")
  }
}
