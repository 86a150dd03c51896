import AnnostoreGit
import Foundation

extension Store {
  /// The configured remotes, sorted by name; any secret in a URL is hidden.
  public func remotes() throws -> [RemoteInfo] {
    do {
      return try repository.remotes().map { remote in
        RemoteInfo(
          name: remote.name, url: RemoteURL(remote.url).redacted,
          pushURL: remote.pushURL.map { RemoteURL($0).redacted })
      }
    } catch let error as GitError {
      throw AnnostoreError.git(error, doing: "reading the remotes")
    }
  }

  /// Adds the remote `name` at `url`. A local path is stored absolute; a URL carrying a
  /// password or token is refused (the config would hold it in clear text).
  public func addRemote(name: String, url: String) throws {
    let url = try Self.checkedRemoteURL(url)
    guard Repository.isValidRemoteName(name) else {
      throw AnnostoreError(
        .usage, "\"\(name)\" is not a valid remote name",
        hint: "Use a short name of letters, digits, '-', '_' or '.', e.g. origin.")
    }
    let lock = try StoreLock(storePath: path)
    defer { lock.release() }
    do {
      if let existing = try repository.remote(named: name) {
        throw AnnostoreError(
          .usage, "a remote named \(name) exists already (\(RemoteURL(existing.url).redacted))",
          hint: "Choose another name, or remove it first with `annostore remote remove \(name)`.")
      }
      try repository.addRemote(name: name, url: url)
    } catch let error as GitError {
      throw AnnostoreError.git(error, doing: "adding the remote \(name)")
    }
  }

  /// Removes the remote `name` and its remote-tracking branches.
  public func removeRemote(name: String) throws {
    let lock = try StoreLock(storePath: path)
    defer { lock.release() }
    do {
      guard try repository.remote(named: name) != nil else { throw Self.noRemote(name) }
      try repository.removeRemote(named: name)
    } catch let error as GitError {
      throw AnnostoreError.git(error, doing: "removing the remote \(name)")
    }
  }

  /// The remote a command means: `name` if given, else `origin`, else the only remote.
  func resolveRemote(_ name: String?) throws -> RemoteInfo {
    do {
      if let name {
        guard let remote = try repository.remote(named: name) else { throw Self.noRemote(name) }
        return remote
      }
      let all = try repository.remotes()
      if let origin = all.first(where: { $0.name == "origin" }) { return origin }
      if all.count == 1 { return all[0] }
      if all.isEmpty {
        throw AnnostoreError(
          .usage, "this store has no remote",
          hint: "Add one with `annostore remote add origin URL`.")
      }
      throw AnnostoreError(
        .usage,
        "this store has several remotes and none is called origin: "
          + all.map(\.name).joined(separator: ", "),
        hint: "Name the remote to use, e.g. `annostore fetch \(all[0].name)`.")
    } catch let error as GitError {
      throw AnnostoreError.git(error, doing: "reading the remotes")
    }
  }

  /// `url` checked and, for a local path, made absolute.
  static func checkedRemoteURL(_ url: String) throws -> String {
    guard !url.isEmpty else {
      throw AnnostoreError(.usage, "the remote URL is empty", hint: "Give a URL or a path.")
    }
    let parsed = RemoteURL(url)
    if parsed.hasSecret {
      throw AnnostoreError(
        .usage, "the URL \(parsed.redacted) carries a password or token",
        hint: "Leave it out of the URL: put the user in \(SyncOptions.httpUserVariable) "
          + "and the token in \(SyncOptions.httpTokenVariable) instead, so it is never "
          + "stored in the config.")
    }
    guard parsed.transport == .local, !url.contains("://") else { return url }
    return URL(fileURLWithPath: url).standardizedFileURL.path
  }

  static func noRemote(_ name: String) -> AnnostoreError {
    AnnostoreError(
      .usage, "no remote named \(name)",
      hint: "See the remotes with `annostore remote list`; add one with "
        + "`annostore remote add \(name) URL`.")
  }
}
