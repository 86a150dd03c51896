// Fetching from and pushing to remotes through libgit2's transports.

import CGit2
import Foundation

extension Repository {
  /// Fetches from the remote `name` with its configured refspecs (for a remote added
  /// here, `+refs/heads/*:refs/remotes/NAME/*`), plus the tags that point into what was
  /// fetched; remote-tracking branches deleted on the remote are pruned.
  ///
  /// Objects arrive as one pack that libgit2 indexes and installs before any reference
  /// moves, so a broken connection leaves the references as they were.
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
    let code = session.run {
      remote.use { git_remote_fetch($0, nil, &options, "annostore: fetch \(name)") }
    }
    guard code >= 0 else { throw session.error(call: "git_remote_fetch", code: code) }
    let stats = remote.use { git_remote_stats($0)?.pointee }
    return FetchResult(
      updates: session.updates, receivedObjects: Int(stats?.received_objects ?? 0),
      receivedBytes: Int(stats?.received_bytes ?? 0))
  }

  /// Pushes `refspecs` (e.g. `refs/heads/main:refs/heads/main`) to the remote `name`, then
  /// moves the matching remote-tracking branches.
  ///
  /// A refspec without `+` must fast-forward the remote's reference: `.nonFastForward`
  /// when it would not (checked here before sending, and by the server). Any reference
  /// the server refuses makes the push fail, naming the reference and the server's reason.
  /// Without `deltaSearch`, objects are sent as stored (see `withoutDeltaSearch`).
  public func push(
    remote name: String, refspecs: [String], access: RemoteAccess, deltaSearch: Bool = false,
    progress: ((TransferProgress) -> Void)? = nil
  ) throws -> PushResult {
    // The pack builder reads every object once: libgit2's object cache would only churn
    // (about 8% of a large push's time).
    _ = annostore_git_set_caching(0)
    defer { _ = annostore_git_set_caching(1) }
    // Nor does re-hashing each object read for the pack protect anything: the receiving
    // side computes every object's id from the data it gets (index-pack), and rejects a
    // pack whose objects do not match what the references need.
    _ = annostore_git_set_strict_hash_verification(0)
    defer { _ = annostore_git_set_strict_hash_verification(1) }
    if deltaSearch {
      return try pushWithHandle(
        remote: name, refspecs: refspecs, access: access, progress: progress)
    }
    return try withoutDeltaSearch { handle in
      try handle.pushWithHandle(
        remote: name, refspecs: refspecs, access: access, progress: progress)
    }
  }

  private func pushWithHandle(
    remote name: String, refspecs: [String], access: RemoteAccess,
    progress: ((TransferProgress) -> Void)?
  ) throws -> PushResult {
    let remote = try lookupRemote(name)
    let info = try self.remote(named: name)
    let session = RemoteSession(
      url: info?.pushURL ?? info?.url ?? "", access: access, progress: progress)
    var options = git_push_options()
    try gitCheck(
      "git_push_options_init", git_push_options_init(&options, UInt32(GIT_PUSH_OPTIONS_VERSION)))
    session.install(into: &options.callbacks)
    options.callbacks.push_negotiation = { updates, count, payload in
      guard let updates, let payload else { return 0 }
      let session = Unmanaged<RemoteSession>.fromOpaque(payload).takeUnretainedValue()
      for index in 0..<count {
        guard let update = updates[index]?.pointee else { continue }
        session.pushed.append(
          ReferenceUpdate(
            name: String(cString: update.dst_refname), old: RemoteSession.nonZero(update.src),
            new: RemoteSession.nonZero(update.dst)))
      }
      return 0
    }
    // Use every core for whatever the pack builder still does in threads.
    options.pb_parallelism = 0
    let code = withStringArray(refspecs) { array in
      session.run { remote.use { git_remote_push($0, &array, &options) } }
    }
    guard code >= 0 else { throw session.error(call: "git_remote_push", code: code) }
    if !session.rejections.isEmpty {
      let reasons = session.rejections.map { "\($0.reference): \($0.reason)" }
      let nonFastForward = session.rejections.contains { rejection in
        let reason = rejection.reason.lowercased()
        return reason.contains("fast-forward") || reason.contains("fast forward")
          || reason.contains("fetch first") || reason.contains("stale")
      }
      throw GitError(
        call: "git_remote_push",
        message: "the remote refused " + reasons.joined(separator: "; "),
        kind: nonFastForward ? .nonFastForward : .other)
    }
    return PushResult(
      updates: session.pushed.filter { $0.old != $0.new }, sentObjects: session.objects,
      sentBytes: session.bytes)
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
