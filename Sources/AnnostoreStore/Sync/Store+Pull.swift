import AnnostoreGit

/// What `pull` did.
public struct PullReport: Sendable {
  /// How the branch took the remote's work.
  public enum Outcome: String, Sendable {
    /// The remote branch had nothing new.
    case upToDate = "up-to-date"
    /// The branch moved forward to the remote's commit (or was empty and took it).
    case fastForward = "fast-forward"
  }

  /// The fetch that came first.
  public var fetch: FetchReport
  /// The remote branch merged.
  public var branch: String
  public var outcome: Outcome
  /// The branch head before and after.
  public var before: String?
  public var after: String?
}

extension Store {
  /// Fetches the remote, then brings its `branch` (default `main`) into the store's
  /// branch: nothing to do when the store has it already, a fast-forward when the store
  /// has nothing the remote lacks, else a three-way merge with the same rules as import.
  public func pull(remote name: String?, branch: String?, options: SyncOptions) throws
    -> PullReport
  {
    let lock = try StoreLock(storePath: path)
    defer { lock.release() }
    let remote = try resolveRemote(name)
    let fetched = try fetchLocked(remote, options: options)
    let branch = branch ?? "main"
    let tracking = "refs/remotes/\(remote.name)/\(branch)"
    do {
      guard let theirs = try repository.reference(tracking) else {
        let branches = try repository.references(withPrefix: "refs/remotes/\(remote.name)/")
          .map { String($0.name.dropFirst("refs/remotes/\(remote.name)/".count)) }
        throw AnnostoreError(
          .remote, "the remote \(remote.name) has no branch \(branch)",
          hint: branches.isEmpty
            ? "It holds no commits yet: push to it first (`annostore push \(remote.name)`)."
            : "Its branches: \(branches.joined(separator: ", ")).")
      }
      try checkStoreCommit(theirs, from: "\(remote.name)/\(branch)")
      let ours = try headCommit()
      var report = PullReport(
        fetch: fetched, branch: branch, outcome: .upToDate, before: ours?.description,
        after: ours?.description)
      if let ours {
        if ours == theirs { return report }
        let base = try repository.mergeBase(ours, theirs)
        if base == theirs { return report }
        guard base == ours else {
          throw AnnostoreError(
            .other,
            "diverged: this store and \(remote.name)/\(branch) both have commits the other "
              + "lacks; merge support pending",
            hint: "Nothing was changed on the branch (the remote's commits were fetched into "
              + "\(tracking)).")
        }
      }
      try moveReference(
        StoreLayout.branch, to: theirs, expected: ours, message: "pull: fast-forward")
      report.outcome = .fastForward
      report.after = theirs.description
      return report
    } catch let error as GitError {
      throw AnnostoreError.git(error, doing: "pulling \(remote.name)/\(branch)")
    }
  }

  /// Refuses a commit whose tree is not a store's (no `annostore.json` at its root).
  func checkStoreCommit(_ commit: ObjectID, from name: String) throws {
    let tree = try repository.commit(commit).tree
    guard let marker = try repository.entry(atPath: StoreLayout.markerFile, inTree: tree),
      !marker.isTree
    else {
      throw AnnostoreError(
        .notAStore,
        "\(name) is not an annostore store: its commit \(commit.description.prefix(12)) has no "
          + "\(StoreLayout.markerFile)",
        hint: "Share stores only with annostore stores; nothing was changed.")
    }
  }

  /// Moves a reference with compare-and-swap, as a store write.
  func moveReference(_ name: String, to target: ObjectID, expected: ObjectID?, message: String)
    throws
  {
    do {
      try repository.updateReference(name, to: target, expected: expected, message: message)
    } catch let error as GitError {
      throw AnnostoreError.git(error, doing: "moving \(name)")
    }
  }
}
