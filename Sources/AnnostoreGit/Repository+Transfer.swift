// Fetching from remotes through libgit2's transports.

import CGit2
import Foundation

extension Repository {
  /// Fetches from the remote `name` with its configured refspecs (for a remote added
  /// here, `+refs/heads/*:refs/remotes/NAME/*`), plus the tags that point into what was
  /// fetched; remote-tracking branches deleted on the remote are pruned.
  ///
  /// Objects arrive as one pack that libgit2 indexes and installs before any reference
  /// moves, so a broken connection leaves the references as they were. An HTTP(S) remote
  /// is reached through `access.proxy` when it names one (clone fetches this way too).
  public func fetch(
    remote name: String, access: RemoteAccess, progress: ((TransferProgress) -> Void)? = nil
  ) throws -> FetchResult {
    let remote = try lookupRemote(name)
    let session = RemoteSession(url: url(of: remote), access: access, progress: progress)
    var options = git_fetch_options()
    try gitCheck(
      "git_fetch_options_init",
      git_fetch_options_init(&options, UInt32(GIT_FETCH_OPTIONS_VERSION)))
    session.install(into: &options.callbacks)
    options.download_tags = GIT_REMOTE_DOWNLOAD_TAGS_AUTO
    options.prune = GIT_FETCH_PRUNE
    options.update_fetchhead = 0
    let code = try session.withProxyOptions { proxy in
      options.proxy_opts = proxy
      return try session.run {
        remote.use { git_remote_fetch($0, nil, &options, "annostore: fetch \(name)") }
      }
    }
    guard code >= 0 else { throw session.error(call: "git_remote_fetch", code: code) }
    let stats = remote.use { git_remote_stats($0)?.pointee }
    return FetchResult(
      updates: session.updates, receivedObjects: Int(stats?.received_objects ?? 0),
      receivedBytes: Int(stats?.received_bytes ?? 0))
  }

  /// The URL a libgit2 remote fetches from.
  private func url(of remote: GitHandle) -> String {
    remote.use { git_remote_url($0).map { String(cString: $0) } ?? "" }
  }
}

/// Runs `body` with `strings` as a libgit2 `git_strarray` valid for the call.
func withStringArray<R>(_ strings: [String], _ body: (inout git_strarray) throws -> R) rethrows
  -> R
{
  var pointers = strings.map { strdup($0) }
  defer {
    for pointer in pointers { free(pointer) }
  }
  return try pointers.withUnsafeMutableBufferPointer { buffer in
    var array = git_strarray(strings: buffer.baseAddress, count: buffer.count)
    return try body(&array)
  }
}
