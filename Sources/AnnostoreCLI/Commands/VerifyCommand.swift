import AnnostoreModel
import AnnostoreStore
import ArgumentParser

/// `annostore verify`: checks the store's objects and files.
struct VerifyCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "verify",
    abstract: "Check the store: object integrity, layout, canonical files, schemas, references.",
    discussion: "Exit status 0 when the store is sound, 7 when a problem was found.")

  @Argument(help: "The revision whose files to check (default: the branch head).")
  var revision: String?

  @Flag(help: "Print the report as JSON.")
  var json = false

  @OptionGroup var store: StoreOptions

  func run() throws {
    let report = try store.open().verify(revision: revision)
    if json {
      JSONOutput.print(
        .object([
          JSONMember("commit", JSONOutput.string(report.commit)),
          JSONMember("objects", .number(Double(report.objectsChecked))),
          JSONMember("files", .number(Double(report.filesChecked))),
          JSONMember("problems", .array(report.problems.map { .string($0) })),
          JSONMember("ok", .bool(report.isClean)),
        ]))
    } else if report.isClean {
      print(
        "ok: \(report.objectsChecked) objects intact; \(report.filesChecked) files of "
          + "\(report.commit?.shortCommit ?? "the empty store") canonical, valid and consistent")
    } else {
      for problem in report.problems { print("problem: \(problem)") }
      print("\(report.problems.count) problem(s) found")
    }
    if !report.isClean { throw ExitWith(status: .storeDamaged) }
  }
}
