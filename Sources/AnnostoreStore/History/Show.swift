import AnnostoreGit
import AnnostoreModel

/// One revision as `show` presents it: who made it, when, why, and what it changed.
public struct RevisionDetails: Sendable {
  public var revision: RevisionSummary
  /// The diff against each parent in order (a merge has several), or against nothing for
  /// the first commit.
  public var diffs: [RevisionDiff]
}

extension RevisionSummary {
  /// The summary of a commit, with the datasets it changed against its first parent.
  init(_ info: CommitInfo, datasetsChanged: [String]) {
    self.init(
      commit: info.id.description, parents: info.parents.map(\.description),
      authorName: info.author.name, authorEmail: info.author.email, time: info.author.time,
      offsetMinutes: info.author.offsetMinutes, message: info.message,
      datasetsChanged: datasetsChanged)
  }
}

extension Store {
  /// A revision (default: the head) with its diff against each of its parents, for one
  /// dataset or all.
  public func show(_ revision: String?, dataset: String? = nil, detail: DiffDetail = .full)
    throws -> RevisionDetails
  {
    if let dataset { try DatasetName.check(dataset) }
    let commit = try resolveOrHead(revision)
    let info = try readCommit(commit)
    let parents: [ObjectID?] = info.parents.isEmpty ? [nil] : info.parents
    let diffs = try parents.map {
      try diff(from: $0, to: commit, dataset: dataset, detail: detail)
    }
    let changed = diffs.first?.datasets.filter { !$0.isEmpty }.map(\.name) ?? []
    return RevisionDetails(revision: RevisionSummary(info, datasetsChanged: changed), diffs: diffs)
  }
}
