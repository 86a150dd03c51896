// Remotes as the repository's config records them: list, look up, add, remove.

import CGit2

extension Repository {
  /// Every configured remote, sorted by name.
  public func remotes() throws -> [RemoteInfo] {
    var names = git_strarray()
    try gitCheck("git_remote_list", git_remote_list(&names, repository.pointer))
    defer { git_strarray_dispose(&names) }
    var found: [RemoteInfo] = []
    for index in 0..<names.count {
      guard let name = names.strings[index] else { continue }
      if let info = try remote(named: String(cString: name)) { found.append(info) }
    }
    return found.sorted { $0.name < $1.name }
  }

  /// The remote called `name`, nil if there is none.
  public func remote(named name: String) throws -> RemoteInfo? {
    let handle: GitHandle
    do {
      handle = try lookupRemote(name)
    } catch let error as GitError where error.kind == .notFound {
      return nil
    }
    return handle.use { remote in
      RemoteInfo(
        name: name, url: git_remote_url(remote).map { String(cString: $0) } ?? "",
        pushURL: git_remote_pushurl(remote).map { String(cString: $0) })
    }
  }

  /// Adds a remote with git's default fetch refspec (`+refs/heads/*:refs/remotes/NAME/*`).
  /// `.exists` when the name is taken, `.invalid` when it is not a valid remote name.
  public func addRemote(name: String, url: String) throws {
    guard Self.isValidRemoteName(name) else {
      throw GitError(
        call: "git_remote_create", message: "\"\(name)\" is not a valid remote name",
        kind: .invalid)
    }
    _ = try GitHandle.make("git_remote_create", .remote) {
      git_remote_create(&$0, repository.pointer, name, url)
    }
  }

  /// Removes a remote: its config section and its remote-tracking references.
  /// `.notFound` when there is no such remote.
  public func removeRemote(named name: String) throws {
    try gitCheck("git_remote_delete", git_remote_delete(repository.pointer, name))
  }

  /// Whether `name` may name a remote (git's rules for a reference component).
  public static func isValidRemoteName(_ name: String) -> Bool {
    guard (try? LibGit2Runtime.ensureInitialized()) != nil else { return false }
    var valid: Int32 = 0
    guard git_remote_name_is_valid(&valid, name) >= 0 else { return false }
    return valid != 0
  }

  /// The libgit2 remote object called `name`.
  func lookupRemote(_ name: String) throws -> GitHandle {
    try GitHandle.make("git_remote_lookup", .remote) {
      git_remote_lookup(&$0, repository.pointer, name)
    }
  }
}
