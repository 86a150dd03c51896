import AnnostoreModel
import AnnostoreStore
import ArgumentParser

/// `annostore clone URL [PATH]`: a new store from another one.
struct CloneCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "clone",
    abstract: "Make a new store from another store reachable by a path or URL.",
    discussion: """
      The new store records the URL as the remote origin and takes its main branch. \
      A repository that is not an annostore store is refused, and a failed clone leaves \
      nothing behind.
      """)

  @Argument(help: "URL or path of the store to clone.")
  var url: String

  @Argument(help: "Directory of the new store (default: named after the URL).")
  var path: String?

  @OptionGroup var access: RemoteAccessOptions

  @Flag(help: "Print what was cloned as JSON.")
  var json = false

  func run() throws {
    let progress = TransferProgressLine()
    defer { progress.finish() }
    let report = try Store.clone(
      url: url, to: path, options: access.syncOptions(progress: progress))
    progress.finish()
    if json {
      JSONOutput.print(
        .object([
          JSONMember("store", .string(report.path)),
          JSONMember("url", .string(report.url)),
          JSONMember("branch", JSONOutput.string(report.branch)),
          JSONMember("head", JSONOutput.string(report.head)),
          JSONMember("receivedObjects", .number(Double(report.receivedObjects))),
          JSONMember("receivedBytes", .number(Double(report.receivedBytes))),
        ]))
      return
    }
    print("Cloned \(report.url) into \(report.path)")
    if let head = report.head {
      print("main is at \(head.shortCommit) (origin/\(report.branch ?? "main"))")
    } else {
      print("the remote is empty: the store has no commits yet")
    }
  }
}
