import AnnostoreModel
import AnnostoreStore

/// How fetch, push and pull print reference changes, for people and as JSON.
enum SyncOutput {
  static func describe(_ change: ReferenceChange) -> String {
    let name = shortName(change.name)
    switch (change.old, change.new) {
    case (nil, let new?): return "* [new] \(name) \(new.shortCommit)"
    case (_?, nil): return "- [deleted] \(name)"
    case (let old?, let new?): return "  \(old.shortCommit)..\(new.shortCommit) \(name)"
    case (nil, nil): return name
    }
  }

  static func printChanges(_ changes: [ReferenceChange], from url: String) {
    guard !changes.isEmpty else {
      print("Nothing new from \(url)")
      return
    }
    print("From \(url)")
    for change in changes { print("  " + describe(change)) }
  }

  static func fetch(_ report: FetchReport) -> JSONValue {
    .object([
      JSONMember("remote", .string(report.remote)),
      JSONMember("url", .string(report.url)),
      JSONMember("changes", .array(report.changes.map(change))),
      JSONMember("receivedObjects", .number(Double(report.receivedObjects))),
      JSONMember("receivedBytes", .number(Double(report.receivedBytes))),
    ])
  }

  static func push(_ report: PushReport) -> JSONValue {
    .object([
      JSONMember("remote", .string(report.remote)),
      JSONMember("url", .string(report.url)),
      JSONMember("branch", .string(report.branch)),
      JSONMember("changes", .array(report.changes.map(change))),
      JSONMember("sentObjects", .number(Double(report.sentObjects))),
      JSONMember("sentBytes", .number(Double(report.sentBytes))),
    ])
  }

  static func change(_ change: ReferenceChange) -> JSONValue {
    .object([
      JSONMember("ref", .string(change.name)),
      JSONMember("old", JSONOutput.string(change.old)),
      JSONMember("new", JSONOutput.string(change.new)),
    ])
  }

  /// `origin/main` for `refs/remotes/origin/main`, `main` for `refs/heads/main`.
  static func shortName(_ name: String) -> String {
    for prefix in ["refs/remotes/", "refs/heads/", "refs/tags/"] where name.hasPrefix(prefix) {
      return String(name.dropFirst(prefix.count))
    }
    return name
  }
}
