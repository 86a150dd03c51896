import AnnostoreGit

/// A reference a fetch or push moved, as reports show it.
public struct ReferenceChange: Sendable, Equatable {
  /// The full reference name, e.g. `refs/remotes/origin/main`.
  public var name: String
  /// The commit it pointed at before, nil when it is new.
  public var old: String?
  /// The commit it points at now, nil when it was deleted.
  public var new: String?

  init(_ update: ReferenceUpdate) {
    name = update.name
    old = update.old?.description
    new = update.new?.description
  }
}

/// What `fetch` did.
public struct FetchReport: Sendable {
  /// The remote's name and URL (any secret hidden).
  public var remote: String
  /// The URL fetched from.
  public var url: String
  /// The remote-tracking branches and tags it created, moved or deleted.
  public var changes: [ReferenceChange]
  /// Objects received.
  public var receivedObjects: Int
  /// Bytes received.
  public var receivedBytes: Int
}

extension Store {
  /// Fetches the remote's branches into `refs/remotes/<remote>/*` and the tags pointing
  /// into them. The store's own branch does not move. On failure nothing changes.
  public func fetch(remote name: String?, options: SyncOptions) throws -> FetchReport {
    let lock = try StoreLock(storePath: path)
    defer { lock.release() }
    return try fetchLocked(try resolveRemote(name), options: options)
  }

  /// `fetch` for a caller that holds the store's lock.
  func fetchLocked(_ remote: RemoteInfo, options: SyncOptions) throws -> FetchReport {
    let url = RemoteURL(remote.url)
    do {
      let result = try repository.fetch(
        remote: remote.name,
        access: options.access(config: repository, remote: remote.name, url: remote.url),
        progress: options.progress)
      return FetchReport(
        remote: remote.name, url: url.redacted, changes: result.updates.map(ReferenceChange.init),
        receivedObjects: result.receivedObjects, receivedBytes: result.receivedBytes)
    } catch let error as GitError {
      throw RemoteFailure.error(error, doing: "fetching from", url: url, remote: remote.name)
    }
  }
}
