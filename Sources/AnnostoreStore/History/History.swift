import AnnostoreGit
import Foundation

/// One revision as `log` shows it.
public struct RevisionSummary: Sendable {
  public var commit: String
  public var parents: [String]
  public var authorName: String
  public var authorEmail: String
  /// Seconds since 1970 UTC, and the author's offset from UTC in minutes.
  public var time: Int64
  public var offsetMinutes: Int32
  public var message: String
  /// The datasets this revision changed, compared with its first parent.
  public var datasetsChanged: [String]
}

extension Store {
  /// The history of the branch (or of `revision`), newest first, optionally only the
  /// revisions that changed `dataset`.
  public func history(from revision: String?, dataset: String?, limit: Int?) throws
    -> [RevisionSummary]
  {
    let start: ObjectID
    if let revision {
      start = try resolve(revision)
    } else {
      guard let head = try headCommit() else { return [] }
      start = head
    }
    let reader = RevisionReader(repository: repository)
    var result: [RevisionSummary] = []
    try repository.walk(from: start) { info in
      let current = try reader.datasets(inRoot: info.tree)
      let previous =
        try info.parents.first.map { try reader.datasets(inRoot: repository.commit($0).tree) }
        ?? [:]
      let names = Set(current.keys).union(previous.keys).filter {
        current[$0]?.tree != previous[$0]?.tree
      }.sorted()
      if let dataset, !names.contains(dataset) { return true }
      result.append(
        RevisionSummary(
          commit: info.id.description, parents: info.parents.map(\.description),
          authorName: info.author.name, authorEmail: info.author.email, time: info.author.time,
          offsetMinutes: info.author.offsetMinutes, message: info.message,
          datasetsChanged: names))
      if let limit, result.count >= limit { return false }
      return true
    }
    return result
  }
}
