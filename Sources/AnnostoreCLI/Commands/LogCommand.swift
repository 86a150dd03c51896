import AnnostoreModel
import AnnostoreStore
import ArgumentParser
import Foundation

/// `annostore log`: the history of recorded revisions.
struct LogCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "log",
    abstract: "Show the history of revisions, newest first.")

  @Argument(help: "Start from this revision instead of the branch head.")
  var revision: String?

  @Option(help: "Only revisions that changed this dataset.")
  var dataset: String?

  @Option(help: "Only revisions that changed this annotation or its values, with what changed.")
  var annotation: String?

  @Option(name: .shortAndLong, help: "Show at most this many revisions.")
  var number: Int?

  @Flag(help: "Print the history as a JSON array.")
  var json = false

  @OptionGroup var store: StoreOptions

  func run() throws {
    if let annotation {
      try AnnotationLog.run(
        AnnotationHistoryRequest(
          annotation: annotation, dataset: dataset, revision: revision, limit: number),
        store: store.open(), json: json)
      return
    }
    let revisions = try store.open().history(from: revision, dataset: dataset, limit: number)
    if json {
      JSONOutput.print(.array(revisions.map(Self.json)))
      return
    }
    if revisions.isEmpty {
      print("no revisions yet")
      return
    }
    for (index, revision) in revisions.enumerated() {
      if index > 0 { print("") }
      print("commit \(revision.commit)")
      if revision.parents.count > 1 {
        print("Merge:  " + revision.parents.map(\.shortCommit).joined(separator: " "))
      }
      print("Author: \(revision.authorName) <\(revision.authorEmail)>")
      print("Date:   \(Self.date(revision.time, revision.offsetMinutes))")
      if !revision.datasetsChanged.isEmpty {
        print("Datasets: " + revision.datasetsChanged.joined(separator: ", "))
      }
      print("")
      for line in Self.messageLines(revision.message) { print(line) }
    }
  }

  /// A commit message indented as git shows it, without trailing blank lines.
  static func messageLines(_ message: String) -> [String] {
    message.split(separator: "\n", omittingEmptySubsequences: false)
      .reversed().drop(while: \.isEmpty).reversed().map { "    \($0)" }
  }

  static func json(_ revision: RevisionSummary) -> JSONValue {
    .object([
      JSONMember("commit", .string(revision.commit)),
      JSONMember("parents", .array(revision.parents.map { .string($0) })),
      JSONMember(
        "author",
        .object([
          JSONMember("name", .string(revision.authorName)),
          JSONMember("email", .string(revision.authorEmail)),
          JSONMember("time", .string(date(revision.time, revision.offsetMinutes))),
        ])),
      JSONMember("message", .string(revision.message)),
      JSONMember("datasets", .array(revision.datasetsChanged.map { .string($0) })),
    ])
  }

  /// ISO 8601 in the author's own offset, e.g. `2026-11-25T07:13:25+01:00`.
  static func date(_ time: Int64, _ offsetMinutes: Int32) -> String {
    let formatter = ISO8601DateFormatter()
    formatter.timeZone = TimeZone(secondsFromGMT: Int(offsetMinutes) * 60)
    return formatter.string(from: Date(timeIntervalSince1970: TimeInterval(time)))
  }
}
