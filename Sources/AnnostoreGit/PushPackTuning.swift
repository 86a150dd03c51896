// A repository handle whose pack builder sends objects without a delta search.

import CGit2
import Foundation

extension Repository {
  /// Runs `body` with a second handle on this repository whose pack builder skips the
  /// delta search.
  ///
  /// libgit2 1.5's pack builder redoes a delta search (window 10) over every object it
  /// sends, which dominates pushing millions of small JSON objects. It takes its size
  /// limit for delta candidates from `pack.deltaCacheSize` (a libgit2 quirk; git itself
  /// reads `core.bigFileThreshold`), so a value of 1 byte makes every object too big to
  /// delta. The setting lives in a temporary config file added to this handle's config
  /// in memory only: the store's own config file is never touched.
  func withoutDeltaSearch<R>(_ body: (Repository) throws -> R) throws -> R {
    let handle = try Repository.open(at: path)
    let file = try PosixFile.createTemporary(
      in: NSTemporaryDirectory(), prefix: "annostore-push-config-")
    defer { removeFileQuietly(file.path) }
    try Array("[pack]\n\tdeltaCacheSize = 1\n".utf8).withUnsafeBytes { try file.write($0) }
    try file.close()
    let config = try GitHandle.make("git_repository_config", .config) {
      git_repository_config(&$0, handle.repository.pointer)
    }
    try config.use { config in
      _ = try gitCheck(
        "git_config_add_file_ondisk",
        git_config_add_file_ondisk(
          config, file.path, GIT_CONFIG_LEVEL_APP, handle.repository.pointer, 0))
    }
    return try body(handle)
  }
}
