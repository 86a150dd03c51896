// One-time libgit2 set-up, shared by every Repository in the process.

import CGit2

/// Initialises libgit2 exactly once, the first time a repository is created or opened.
enum LibGit2Runtime {
  /// Throws the failure of the one-time initialisation, if it failed.
  static func ensureInitialized() throws {
    try initialization.get()
  }

  /// Runs on first use only (a static `let` is initialised lazily and thread-safely).
  private static let initialization: Result<Void, GitError> = {
    let count = git_libgit2_init()
    guard count >= 0 else {
      return .failure(GitError.libgit2(call: "git_libgit2_init", code: count))
    }
    // Never read /etc/gitconfig, ~/.gitconfig or $XDG_CONFIG_HOME/git/config: a store's
    // behaviour must not depend on the user's settings (URL rewrites, hooks, identities).
    let levels = [
      GIT_CONFIG_LEVEL_PROGRAMDATA, GIT_CONFIG_LEVEL_SYSTEM, GIT_CONFIG_LEVEL_XDG,
      GIT_CONFIG_LEVEL_GLOBAL,
    ]
    for level in levels {
      let code = annostore_git_set_search_path(Int32(level.rawValue), "")
      if code < 0 {
        return .failure(GitError.libgit2(call: "git_libgit2_opts(SET_SEARCH_PATH)", code: code))
      }
    }
    // The store builds trees itself from ids it has just computed; checking that every
    // referenced object exists costs about a second per 100,000 entries.
    var code = annostore_git_set_strict_object_creation(0)
    if code < 0 {
      return .failure(
        GitError.libgit2(call: "git_libgit2_opts(ENABLE_STRICT_OBJECT_CREATION)", code: code))
    }
    // Reading stays paranoid: every object read is re-hashed and compared with its id.
    code = annostore_git_set_strict_hash_verification(1)
    if code < 0 {
      return .failure(
        GitError.libgit2(call: "git_libgit2_opts(ENABLE_STRICT_HASH_VERIFICATION)", code: code))
    }
    // Network transports whose writes reach the wire in large blocks (a push sends
    // millions of small pieces otherwise).
    code = BufferedSubtransport.register()
    if code < 0 {
      return .failure(GitError.libgit2(call: "git_transport_register", code: code))
    }
    return .success(())
  }()
}
