import AnnostoreModel
import AnnostoreStore
import ArgumentParser

/// `annostore push [NAME] [BRANCH] [--tags]`: send the store's commits to a remote.
struct PushCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "push",
    abstract: "Send the store's branch (and, with --tags, its tags) to a remote.",
    discussion: """
      The remote's branch must fast-forward: when it has commits this store lacks, the \
      push is refused (exit 6) and nothing changes; pull first, then push.
      """)

  @Argument(help: "The remote (default: origin, or the only remote).")
  var remote: String?

  @Argument(help: "The branch to push (default: main).")
  var branch: String?

  @Flag(help: "Push every tag too.")
  var tags = false

  @OptionGroup var access: RemoteAccessOptions

  @Flag(help: "Print what was pushed as JSON.")
  var json = false

  @OptionGroup var store: StoreOptions

  func run() throws {
    let progress = TransferProgressLine()
    defer { progress.finish() }
    let report = try store.open().push(
      remote: remote, branch: branch, tags: tags,
      options: access.syncOptions(progress: progress))
    progress.finish()
    if json {
      JSONOutput.print(SyncOutput.push(report))
      return
    }
    if report.changes.isEmpty {
      print("\(report.remote) is up to date (\(report.url))")
      return
    }
    print("To \(report.url)")
    for change in report.changes {
      print("  " + SyncOutput.describe(change))
    }
  }
}
