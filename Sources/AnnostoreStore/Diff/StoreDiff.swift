import AnnostoreGit
import AnnostoreModel

/// Which two revisions `diff` compares, and which datasets.
public struct DiffRequest: Sendable {
  /// The older revision. With neither revision given: the head's parent.
  public var from: String?
  /// The newer revision (default: the branch head).
  public var to: String?
  /// Only this dataset (default: every dataset of either revision).
  public var dataset: String?

  public init(from: String? = nil, to: String? = nil, dataset: String? = nil) {
    self.from = from
    self.to = to
    self.dataset = dataset
  }
}

/// How much a diff finds out.
public enum DiffDetail: Sendable {
  /// Every changed record compared field by field and leaf by leaf.
  case full
  /// Only what the counts need: which records were added, removed or modified (from the
  /// trees alone) and the tags of changed annotations (for counts per tag). Connections,
  /// properties and values are not read.
  case counts
}

extension Store {
  /// The semantic diff between two revisions: no revision means the head's parent against
  /// the head (the head against nothing for the first commit), one means that revision
  /// against the head, two mean the first against the second. A dataset present on one
  /// side only is all added or all removed.
  public func diff(_ request: DiffRequest, detail: DiffDetail = .full) throws -> RevisionDiff {
    let to = try resolveOrHead(request.to)
    let from: ObjectID?
    if let name = request.from {
      from = try resolve(name)
    } else {
      from = try readCommit(to).parents.first
    }
    if let dataset = request.dataset { try DatasetName.check(dataset) }
    return try diff(from: from, to: to, dataset: request.dataset, detail: detail)
  }

  /// The diff between two commits (`from` nil: against nothing), for one dataset or all.
  /// A named dataset must exist in at least one of them.
  func diff(from: ObjectID?, to: ObjectID, dataset: String?, detail: DiffDetail = .full) throws
    -> RevisionDiff
  {
    let reader = RevisionReader(repository: repository)
    let old = try from.map { try reader.datasets(inRoot: try readCommit($0).tree) } ?? [:]
    let new = try reader.datasets(inRoot: try readCommit(to).tree)
    var names = Set(old.keys).union(new.keys)
    if let dataset {
      guard names.contains(dataset) else {
        let known = names.sorted().joined(separator: ", ")
        throw AnnostoreError(
          .usage, "no dataset \"\(dataset)\" in either revision",
          hint: known.isEmpty ? "Neither revision holds a dataset." : "Datasets there: \(known).")
      }
      names = [dataset]
    }
    let differ = DatasetDiffer(reader: reader)
    var datasets: [DatasetDiff] = []
    for name in names.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }) {
      let diff = try differ.diff(name: name, old: old[name], new: new[name], detail: detail)
      if dataset != nil || !diff.isEmpty { datasets.append(diff) }
    }
    return RevisionDiff(from: from?.description, to: to.description, datasets: datasets)
  }

  /// Reads a commit, with a store-level error.
  func readCommit(_ id: ObjectID) throws -> CommitInfo {
    do {
      return try repository.commit(id)
    } catch let error as GitError {
      throw AnnostoreError.git(error, doing: "reading commit \(id)")
    }
  }
}
