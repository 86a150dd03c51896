import AnnostoreModel
import AnnostoreStore
import ArgumentParser

/// `annostore fetch [NAME]`: get a remote's new commits without touching the branch.
struct FetchCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "fetch",
    abstract: "Download a remote's branches and tags into remote-tracking branches.",
    discussion: """
      The store's own branch does not move: `pull` merges, `log origin/main` shows what \
      arrived. Without a name, uses origin or the only remote.
      """)

  @Argument(help: "The remote (default: origin, or the only remote).")
  var remote: String?

  @OptionGroup var access: RemoteAccessOptions

  @Flag(help: "Print what changed as JSON.")
  var json = false

  @OptionGroup var store: StoreOptions

  func run() throws {
    let progress = TransferProgressLine()
    defer { progress.finish() }
    let report = try store.open().fetch(
      remote: remote, options: access.syncOptions(progress: progress))
    progress.finish()
    if json {
      JSONOutput.print(SyncOutput.fetch(report))
      return
    }
    SyncOutput.printChanges(report.changes, from: report.url)
  }
}
