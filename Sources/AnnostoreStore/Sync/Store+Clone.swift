import AnnostoreGit
import Foundation

/// What `clone` made.
public struct CloneReport: Sendable {
  /// The new store's directory.
  public var path: String
  /// The URL cloned (any secret hidden), recorded as the remote `origin`.
  public var url: String
  /// The remote branch the store's `main` took, nil for an empty remote.
  public var branch: String?
  /// The store's head, nil for an empty remote.
  public var head: String?
  /// Objects received.
  public var receivedObjects: Int
  /// Bytes received.
  public var receivedBytes: Int
}

extension Store {
  /// Makes a new store at `path` (default: named after the URL) from the store at `url`:
  /// a bare repository with the remote `origin`, its branches fetched, and `main` at the
  /// remote's `main` (or its only branch). The clone is built in a hidden directory beside
  /// `path` and moved into place only when complete, so a failure (unreachable remote,
  /// refused login, a repository that is not a store) leaves nothing behind.
  public static func clone(url: String, to path: String?, options: SyncOptions) throws
    -> CloneReport
  {
    let url = try checkedRemoteURL(url)
    let target = URL(fileURLWithPath: path ?? defaultClonePath(for: url)).standardizedFileURL
    try checkCloneTarget(target.path)
    let parent = target.deletingLastPathComponent().path
    do {
      try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true)
    } catch {
      throw AnnostoreError(.other, "cannot create \(parent): \(error.localizedDescription)")
    }
    let temporary = parent + "/.\(target.lastPathComponent).clone-\(getpid())"
    try? FileManager.default.removeItem(atPath: temporary)
    var complete = false
    defer { if !complete { try? FileManager.default.removeItem(atPath: temporary) } }

    let remoteURL = RemoteURL(url)
    let report: CloneReport
    do {
      let repository = try Repository.create(at: temporary, branch: "main")
      try repository.addRemote(name: "origin", url: url)
      let fetched: FetchResult
      do {
        fetched = try repository.fetch(
          remote: "origin", access: options.access(config: nil, remote: "origin", url: url),
          progress: options.progress)
      } catch let error as GitError {
        throw RemoteFailure.error(error, doing: "cloning", url: remoteURL, remote: "origin")
      }
      let store = Store(repository: repository)
      let branch = try store.cloneBranch()
      if let branch {
        try store.checkStoreCommit(branch.target, from: remoteURL.redacted)
        try repository.updateReference(
          StoreLayout.branch, to: branch.target, expected: nil,
          message: "clone: from \(remoteURL.redacted)")
        try repository.setConfigString("branch.main.remote", "origin")
        try repository.setConfigString("branch.main.merge", "refs/heads/\(branch.name)")
      }
      try repository.setConfigString(StoreLayout.configMarker, String(StoreLayout.formatVersion))
      report = CloneReport(
        path: target.path, url: remoteURL.redacted, branch: branch?.name,
        head: branch?.target.description, receivedObjects: fetched.receivedObjects,
        receivedBytes: fetched.receivedBytes)
    } catch let error as GitError {
      throw AnnostoreError.git(error, doing: "cloning \(remoteURL.redacted)")
    }
    // An empty directory at the target is replaced; anything else was refused above.
    if FileManager.default.fileExists(atPath: target.path) { rmdir(target.path) }
    guard rename(temporary, target.path) == 0 else {
      throw AnnostoreError(
        .other, "cannot move the clone to \(target.path): \(String(cString: strerror(errno)))")
    }
    complete = true
    return report
  }

  /// The remote branch a clone's `main` takes: `main`, else the only branch there is;
  /// nil when the remote has no branch at all.
  private func cloneBranch() throws -> (name: String, target: ObjectID)? {
    let prefix = "refs/remotes/origin/"
    let branches = try repository.references(withPrefix: prefix).map {
      (name: String($0.name.dropFirst(prefix.count)), target: $0.target)
    }
    if let main = branches.first(where: { $0.name == "main" }) { return main }
    if branches.count <= 1 { return branches.first }
    throw AnnostoreError(
      .remote,
      "the remote has no branch main, and several others: "
        + branches.map(\.name).joined(separator: ", "),
      hint: "Clone a store whose history is on main; nothing was created.")
  }

  /// Refuses a target that exists and is not an empty directory.
  private static func checkCloneTarget(_ path: String) throws {
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { return }
    let empty = (try? FileManager.default.contentsOfDirectory(atPath: path))?.isEmpty ?? false
    guard isDirectory.boolValue && empty else {
      throw AnnostoreError(
        .usage, "\(path) exists and is not an empty directory",
        hint: "Choose a new path for the clone.")
    }
  }

  /// `lab.annostore` for `ssh://host/x/lab.annostore.git` (the last path component
  /// without `.git`), in the current directory.
  static func defaultClonePath(for url: String) -> String {
    var name = Substring(url)
    while name.hasSuffix("/") { name = name.dropLast() }
    if let slash = name.lastIndex(where: { $0 == "/" || $0 == ":" }) {
      name = name[name.index(after: slash)...]
    }
    if name.hasSuffix(".git") { name = name.dropLast(4) }
    return name.isEmpty ? "store.annostore" : String(name)
  }
}
