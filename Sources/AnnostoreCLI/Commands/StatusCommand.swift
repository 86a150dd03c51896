import AnnostoreModel
import AnnostoreStore
import ArgumentParser

/// `annostore status`: the branch, its head, and what each dataset holds.
struct StatusCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "status",
    abstract: "Show the branch, its head revision, and each dataset's record counts.")

  @Flag(help: "Print the status as JSON.")
  var json = false

  @OptionGroup var store: StoreOptions

  func run() throws {
    let status = try store.open().status()
    if json {
      JSONOutput.print(
        .object([
          JSONMember("store", .string(status.path)),
          JSONMember("branch", .string(status.branch)),
          JSONMember("head", JSONOutput.string(status.head)),
          JSONMember("mergeInProgress", .bool(status.mergeInProgress)),
          JSONMember(
            "datasets",
            .object(
              status.datasets.sorted { $0.key < $1.key }.map {
                JSONMember($0.key, JSONOutput.counts($0.value))
              })),
        ]))
      return
    }
    print("store \(status.path)")
    print(
      "on branch \(status.branch), "
        + (status.head.map { "at \($0.shortCommit)" } ?? "no commits yet"))
    if status.mergeInProgress {
      print(
        "a merge is in progress: see `annostore conflicts`, settle with `annostore resolve`, "
          + "then `annostore merge --continue` (or `annostore merge --abort`)")
    }
    for (name, counts) in status.datasets.sorted(by: { $0.key < $1.key }) {
      let parts = RecordKind.allCases.map { "\(counts[$0] ?? 0) \($0.rawValue)" }
      print("  \(name): " + parts.joined(separator: ", "))
    }
  }
}
