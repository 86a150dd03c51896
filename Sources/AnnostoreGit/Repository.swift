// Opening and creating bare repositories, and their config.

import CGit2

/// A bare git repository opened through libgit2. Not Sendable: one owner, one thread.
public final class Repository {
  /// The `git_repository` handle.
  let repository: GitHandle
  /// The repository's object database, kept for fast reads and for refreshing after a pack
  /// has been installed.
  let objectDatabase: GitHandle
  private let directory: String

  private init(repository: GitHandle) throws {
    self.repository = repository
    objectDatabase = try GitHandle.make("git_repository_odb", .odb) {
      git_repository_odb(&$0, repository.pointer)
    }
    var path = String(cString: git_repository_path(repository.pointer))
    while path.count > 1 && path.hasSuffix("/") { path.removeLast() }
    directory = path
  }

  /// Creates a new bare repository at `path` whose HEAD points at `refs/heads/<branch>`.
  /// Fails with `.exists` if `path` already holds a repository.
  public static func create(at path: String, branch: String = "main") throws -> Repository {
    try LibGit2Runtime.ensureInitialized()
    var options = git_repository_init_options()
    try gitCheck(
      "git_repository_init_options_init",
      git_repository_init_options_init(&options, UInt32(GIT_REPOSITORY_INIT_OPTIONS_VERSION)))
    options.flags =
      GIT_REPOSITORY_INIT_BARE.rawValue | GIT_REPOSITORY_INIT_NO_REINIT.rawValue
      | GIT_REPOSITORY_INIT_MKPATH.rawValue
    let handle = try branch.withCString { branchName in
      options.initial_head = branchName
      return try GitHandle.make("git_repository_init_ext", .repository) {
        git_repository_init_ext(&$0, path, &options)
      }
    }
    return try Repository(repository: handle)
  }

  /// Opens the bare repository at `path` (exactly there, no upward search).
  public static func open(at path: String) throws -> Repository {
    try LibGit2Runtime.ensureInitialized()
    let flags = GIT_REPOSITORY_OPEN_NO_SEARCH.rawValue | GIT_REPOSITORY_OPEN_BARE.rawValue
    let handle = try GitHandle.make("git_repository_open_ext", .repository) {
      git_repository_open_ext(&$0, path, flags, nil)
    }
    return try Repository(repository: handle)
  }

  /// The repository directory (ends without a slash).
  public var path: String { directory }

  /// Reads a string from the repository's own config file, nil if unset.
  public func configString(_ key: String) throws -> String? {
    try localConfig().use { config in
      var buffer = git_buf()
      defer { git_buf_dispose(&buffer) }
      let code = git_config_get_string_buf(&buffer, config, key)
      if code == GIT_ENOTFOUND.rawValue { return nil }
      try gitCheck("git_config_get_string_buf", code)
      guard let text = buffer.ptr else { return "" }
      return String(cString: text)
    }
  }

  /// Sets a string in the repository's own config file.
  public func setConfigString(_ key: String, _ value: String) throws {
    try localConfig().use { config in
      _ = try gitCheck("git_config_set_string", git_config_set_string(config, key, value))
    }
  }

  /// The repository's own config file (`<repo>/config`), without any other level.
  private func localConfig() throws -> GitHandle {
    let all = try GitHandle.make("git_repository_config", .config) {
      git_repository_config(&$0, repository.pointer)
    }
    return try all.use { allConfig in
      try GitHandle.make("git_config_open_level", .config) {
        git_config_open_level(&$0, allConfig, GIT_CONFIG_LEVEL_LOCAL)
      }
    }
  }
}
