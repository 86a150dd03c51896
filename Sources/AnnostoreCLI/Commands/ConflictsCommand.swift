import AnnostoreModel
import AnnostoreStore
import ArgumentParser

/// `annostore conflicts`: the conflicts of the merge in progress.
struct ConflictsCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "conflicts",
    abstract: "List the conflicts of the merge in progress, with base, ours and theirs.")

  @Flag(help: "Print them as JSON (Schemas/conflicts.schema.json).")
  var json = false

  @OptionGroup var store: StoreOptions

  func run() throws {
    guard let progress = try store.open().mergeInProgress() else {
      throw AnnostoreError(
        .usage, "no merge is in progress",
        hint: "Conflicts wait here only after `annostore import --on-conflict manual`.")
    }
    if json {
      JSONOutput.print(ConflictOutput.json(progress))
      return
    }
    print(
      "merging \(progress.file) into \(progress.dataset) from \(progress.source): "
        + "\(progress.open.count) of \(progress.conflicts.count) conflict(s) open")
    for conflict in progress.conflicts { print(ConflictOutput.text(conflict)) }
    if progress.open.isEmpty {
      print("all settled: run `annostore merge --continue`")
    }
  }
}
