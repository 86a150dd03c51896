import AnnostoreStore
import ArgumentParser

/// `-C PATH`: which store a command works on.
struct StoreOptions: ParsableArguments {
  @Option(
    name: .customShort("C"),
    help: ArgumentHelp(
      "The store to work on (default: the current directory or the nearest one above it).",
      valueName: "path"))
  var storePath: String?

  /// Opens the store the user means.
  func open() throws -> Store {
    try Store.locate(explicitPath: storePath)
  }
}
