// Walking history and finding common ancestors.

import CGit2

extension Repository {
  /// Walks history from `start` (newest first, topological + time order), stopping
  /// when `visit` returns false.
  public func walk(from start: ObjectID, _ visit: (CommitInfo) throws -> Bool) throws {
    let walker = try GitHandle.make("git_revwalk_new", .revwalk) {
      git_revwalk_new(&$0, repository.pointer)
    }
    try walker.use { walker in
      try gitCheck(
        "git_revwalk_sorting",
        git_revwalk_sorting(walker, GIT_SORT_TOPOLOGICAL.rawValue | GIT_SORT_TIME.rawValue))
      var startID = start.gitOID
      try gitCheck("git_revwalk_push", git_revwalk_push(walker, &startID))
      var next = git_oid()
      while true {
        let code = git_revwalk_next(&next, walker)
        if code == GIT_ITEROVER.rawValue { return }
        try gitCheck("git_revwalk_next", code)
        guard try visit(commit(ObjectID(next))) else { return }
      }
    }
  }

  /// The best common ancestor of two commits, nil if they share none.
  public func mergeBase(_ a: ObjectID, _ b: ObjectID) throws -> ObjectID? {
    var base = git_oid()
    var first = a.gitOID
    var second = b.gitOID
    let code = git_merge_base(&base, repository.pointer, &first, &second)
    if code == GIT_ENOTFOUND.rawValue { return nil }
    try gitCheck("git_merge_base", code)
    return ObjectID(base)
  }
}
