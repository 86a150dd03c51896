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
      their merge base), dataset by dataset, with the same conflict options: fail (the \
      default) writes nothing and lists the conflicts (exit 4); ours or theirs settles \
      them all; manual saves the merge for `annostore conflicts`, `resolve` and \
      `merge --continue` (conflicts in one dataset at a time).
      """)

  @Argument(help: "The remote (default: origin, or the only remote).")
  var remote: String?

  @Argument(help: "The remote branch to merge (default: main).")
  var branch: String?

  @Option(help: "fail (default: write nothing, list the conflicts), ours, theirs, or manual.")
  var onConflict: ConflictPolicy = .fail

  @OptionGroup var access: RemoteAccessOptions

  @Flag(help: "Print what happened as JSON.")
  var json = false

  @OptionGroup var store: StoreOptions

  func run() throws {
    let progress = TransferProgressLine()
    defer { progress.finish() }
    let report = try store.open().pull(
      remote: remote, branch: branch, onConflict: onConflict,
      options: access.syncOptions(progress: progress))
    progress.finish()
    if json {
      JSONOutput.print(Self.json(report))
    } else {
      print(Self.text(report))
    }
    if report.outcome == .refused || report.outcome == .stopped {
      throw ExitWith(status: .conflicts)
    }
  }

  static func text(_ report: PullReport) -> String {
    let name = "\(report.fetch.remote)/\(report.branch)"
    var lines: [String] = []
    switch report.outcome {
    case .upToDate:
      lines.append("Already up to date with \(name)")
    case .fastForward:
      let from = report.before.map(\.shortCommit) ?? "(no commits)"
      lines.append("Fast-forward to \(name): \(from) -> \((report.after ?? "").shortCommit)")
    case .merged:
      let datasets =
        report.mergedDatasets.isEmpty
        ? "no dataset changed" : "datasets: " + report.mergedDatasets.joined(separator: ", ")
      lines.append("Merged \(name): commit \((report.after ?? "").shortCommit) (\(datasets))")
    case .refused:
      lines.append(
        "\(conflictCount(report)) conflict(s) merging \(name): nothing was written to the "
          + "branch (--on-conflict fail; the remote's commits are in \(name))")
    case .stopped:
      lines.append(
        "\(conflictCount(report)) conflict(s) merging \(name): merge stopped, state saved. "
          + "Settle them with `annostore resolve`, then `annostore merge --continue` "
          + "(or `annostore merge --abort`).")
    }
    if report.dropped.total > 0 {
      lines.append(
        "  dropped \(report.dropped.values) property-values and \(report.dropped.connections) "
          + "connections of deleted annotations")
    }
    for (dataset, conflicts) in report.conflicts {
      if report.outcome == .merged {
        lines.append(
          "  \(dataset): \(conflicts.count) conflict(s) settled with "
            + report.onConflict.rawValue)
      } else {
        lines.append("  \(dataset):")
      }
      lines += conflicts.map { ConflictOutput.text($0) }
    }
    return lines.joined(separator: "\n")
  }

  static func conflictCount(_ report: PullReport) -> Int {
    report.conflicts.reduce(0) { $0 + $1.conflicts.count }
  }

  static func json(_ report: PullReport) -> JSONValue {
    .object([
      JSONMember("fetch", SyncOutput.fetch(report.fetch)),
      JSONMember("branch", .string(report.branch)),
      JSONMember("outcome", .string(report.outcome.rawValue)),
      JSONMember("before", JSONOutput.string(report.before)),
      JSONMember("after", JSONOutput.string(report.after)),
      JSONMember("base", JSONOutput.string(report.base)),
      JSONMember("onConflict", .string(report.onConflict.rawValue)),
      JSONMember("datasets", .array(report.mergedDatasets.map { .string($0) })),
      JSONMember(
        "conflicts",
        .array(
          report.conflicts.map { entry in
            .object([
              JSONMember("dataset", .string(entry.dataset)),
              JSONMember("conflicts", .array(entry.conflicts.map(ConflictJSON.encode))),
            ])
          })),
      JSONMember(
        "dropped",
        .object([
          JSONMember("values", .number(Double(report.dropped.values))),
          JSONMember("connections", .number(Double(report.dropped.connections))),
        ])),
    ])
  }
}
