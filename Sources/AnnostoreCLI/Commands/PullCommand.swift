import AnnostoreModel
import AnnostoreStore
import ArgumentParser

/// `annostore pull [NAME] [BRANCH] [--on-conflict ...]`: fetch, then merge.
struct PullCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "pull",
    abstract: "Fetch a remote's branch and merge it into the store's branch.",
    discussion: """
      A fast-forward when the store has nothing the remote lacks; otherwise the same \
      three-way merge as import (ours = the branch, theirs = the remote branch, base = \
      their merge base), with the same conflict options.
      """)

  /// How conflicts are settled, as for import.
  enum OnConflict: String, ExpressibleByArgument, CaseIterable {
    case fail, ours, theirs, manual
  }

  @Argument(help: "The remote (default: origin, or the only remote).")
  var remote: String?

  @Argument(help: "The remote branch to merge (default: main).")
  var branch: String?

  @Option(help: "fail (default: write nothing, list the conflicts), ours, theirs, or manual.")
  var onConflict: OnConflict = .fail

  @OptionGroup var access: RemoteAccessOptions

  @Flag(help: "Print what happened as JSON.")
  var json = false

  @OptionGroup var store: StoreOptions

  func run() throws {
    let progress = TransferProgressLine()
    defer { progress.finish() }
    let report = try store.open().pull(
      remote: remote, branch: branch, options: access.syncOptions(progress: progress))
    progress.finish()
    if json {
      JSONOutput.print(
        .object([
          JSONMember("fetch", SyncOutput.fetch(report.fetch)),
          JSONMember("branch", .string(report.branch)),
          JSONMember("outcome", .string(report.outcome.rawValue)),
          JSONMember("before", JSONOutput.string(report.before)),
          JSONMember("after", JSONOutput.string(report.after)),
        ]))
      return
    }
    let name = "\(report.fetch.remote)/\(report.branch)"
    switch report.outcome {
    case .upToDate:
      print("Already up to date with \(name)")
    case .fastForward:
      let from = report.before.map(\.shortCommit) ?? "(no commits)"
      print("Fast-forward to \(name): \(from) -> \((report.after ?? "").shortCommit)")
    }
  }
}
