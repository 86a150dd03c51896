import AnnostoreModel
import AnnostoreStore
import ArgumentParser

/// `annostore merge --continue` / `--abort`: finish or drop a merge stopped on conflicts.
struct MergeCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "merge",
    abstract: "Finish (--continue) or drop (--abort) the merge in progress.")

  @Flag(name: .customLong("continue"), help: "Commit the merge once every conflict is settled.")
  var continueMerge = false

  @Flag(help: "Drop the merge; the branch stays as it was.")
  var abort = false

  @Flag(help: "Print the outcome as JSON.")
  var json = false

  @OptionGroup var store: StoreOptions

  func validate() throws {
    guard continueMerge != abort else {
      throw ValidationError("Pass exactly one of --continue and --abort.")
    }
  }

  func run() throws {
    let opened = try store.open()
    if abort {
      try opened.abortMerge()
      if json {
        JSONOutput.print(.object([JSONMember("aborted", .bool(true))]))
      } else {
        print("merge aborted: the branch is as it was")
      }
      return
    }
    let report = try opened.continueMerge()
    if json {
      JSONOutput.print(
        .object([
          JSONMember("dataset", .string(report.dataset)),
          JSONMember("commit", .string(report.commit)),
          JSONMember("changes", ConflictOutput.changesJSON(report.changes)),
          JSONMember("droppedAfterMerge", ConflictOutput.droppedJSON(report.droppedAfterMerge)),
        ]))
      return
    }
    print("merged into \(report.dataset): commit \(report.commit.shortCommit)")
    for line in ConflictOutput.changesText(report.changes) { print(line) }
    if report.droppedAfterMerge.total > 0 {
      print(
        "  dropped references the merge left dangling: \(report.droppedAfterMerge.values) "
          + "property values, \(report.droppedAfterMerge.connections) connections")
    }
  }
}
