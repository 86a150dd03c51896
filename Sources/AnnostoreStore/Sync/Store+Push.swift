import AnnostoreGit

/// What `push` did.
public struct PushReport: Sendable {
  /// The remote's name and URL (any secret hidden).
  public var remote: String
  /// The URL pushed to.
  public var url: String
  /// The branch pushed.
  public var branch: String
  /// The remote's references that moved; empty when it was up to date.
  public var changes: [ReferenceChange]
  /// Objects sent.
  public var sentObjects: Int
  /// Bytes sent.
  public var sentBytes: Int
}

extension Store {
  /// Pushes `branch` (default `main`) to the same branch of the remote, and with `tags`
  /// every tag. The remote's branch must fast-forward: when it has commits this store lacks
  /// the push is refused and nothing changes on either side.
  public func push(remote name: String?, branch: String?, tags: Bool, options: SyncOptions)
    throws -> PushReport
  {
    let lock = try StoreLock(storePath: path)
    defer { lock.release() }
    try ensureNoMergeInProgress()
    let remote = try resolveRemote(name)
    let branch = branch ?? "main"
    let local = "refs/heads/" + branch
    var refspecs: [String]
    do {
      guard try repository.reference(local) != nil else {
        throw AnnostoreError(
          .usage,
          branch == "main"
            ? "nothing to push: the store has no commits yet"
            : "this store has no branch \(branch)",
          hint: branch == "main"
            ? "Record an export first: `annostore commit EXPORT.json --dataset NAME`."
            : "Push the store's branch: `annostore push \(remote.name) main`.")
      }
      refspecs = ["\(local):\(local)"]
      if tags {
        refspecs += try repository.references(withPrefix: "refs/tags/").map {
          "\($0.name):\($0.name)"
        }
      }
    } catch let error as GitError {
      throw AnnostoreError.git(error, doing: "reading the branch")
    }
    let url = RemoteURL(remote.pushURL ?? remote.url)
    do {
      let result: PushResult
      if let local = Repository.localPath(ofRemoteURL: url.text) {
        // A store used as a remote is written under its own lock, like any write to it.
        let remoteLock = Self.isStore(at: local) ? try StoreLock(storePath: local) : nil
        defer { remoteLock?.release() }
        result = try repository.pushLocally(
          remote: remote.name, path: local, refspecs: refspecs, progress: options.progress)
      } else {
        result = try repository.push(
          remote: remote.name, refspecs: refspecs,
          access: options.access(config: repository, remote: remote.name, url: url.text),
          progress: options.progress)
      }
      return PushReport(
        remote: remote.name, url: url.redacted, branch: branch,
        changes: result.updates.map(ReferenceChange.init), sentObjects: result.sentObjects,
        sentBytes: result.sentBytes)
    } catch let error as GitError {
      throw RemoteFailure.error(error, doing: "pushing to", url: url, remote: remote.name)
    }
  }
}
