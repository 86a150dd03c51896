// Pushing to a bare repository on this machine by writing the objects it lacks straight
// into its object database.

import CGit2
import Foundation

extension Repository {
  /// The directory a remote URL names when it is a repository on this machine (a path or
  /// a `file://` URL), nil for a network URL.
  public static func localPath(ofRemoteURL url: String) -> String? {
    guard RemoteURL(url).transport == .local else { return nil }
    if url.lowercased().hasPrefix("file://") {
      return URL(string: url)?.path ?? String(url.dropFirst("file://".count))
    }
    return url
  }

  /// Pushes `refspecs` (`src:dst`, no wildcards) to the bare repository at `path`, the
  /// remote `name`, then moves the matching remote-tracking branches here.
  ///
  /// libgit2's local transport packs objects with its pack builder (a second compression
  /// of every object, on one core) and indexes them again on the other side; for a store
  /// of millions of objects that costs several times what `git push` does. Here the
  /// objects the remote lacks are found by walking from the pushed commits, pruned at every
  /// commit and tree the remote already has, and written into one pack in the remote's
  /// object database by the same parallel pack writer the store's own commits use. Only
  /// once the pack and its index are in place do the remote's references move, each with a
  /// compare-and-swap, so a failure leaves the remote's references as they were.
  ///
  /// A reference must fast-forward (`.nonFastForward` otherwise); a tag that exists on the
  /// remote with another target is refused. Remote-side hooks do not run.
  public func pushLocally(
    remote name: String, path: String, refspecs: [String],
    progress: ((TransferProgress) -> Void)? = nil
  ) throws -> PushResult {
    let remote = try Repository.openForPush(at: path)
    var updates: [ReferenceUpdate] = []
    for refspec in refspecs {
      let parts = refspec.split(separator: ":", maxSplits: 1).map(String.init)
      guard parts.count == 2, !parts[0].hasPrefix("+") else {
        throw GitError(
          call: "pushLocally", message: "unsupported refspec \(refspec)", kind: .invalid)
      }
      guard let local = try reference(parts[0]) else {
        throw GitError(
          call: "pushLocally", message: "\(parts[0]) does not exist here", kind: .notFound)
      }
      let current = try remote.reference(parts[1])
      if current == local { continue }
      if let current { try checkFastForward(parts[1], from: current, to: local) }
      updates.append(ReferenceUpdate(name: parts[1], old: current, new: local))
    }
    guard !updates.isEmpty else {
      return PushResult(updates: [], sentObjects: 0, sentBytes: 0)
    }
    let sent = try copyMissingObjects(
      reachableFrom: updates.compactMap(\.new), into: remote, progress: progress)
    for update in updates {
      guard let new = update.new else { continue }
      try remote.updateReference(
        update.name, to: new, expected: update.old, message: "push from annostore")
    }
    try updateTrackingBranches(remote: name, after: updates)
    // Each push adds a pack to the remote, as each write does here: keep them few there
    // too (housekeeping only; the push is complete either way).
    _ = try? remote.consolidatePacks()
    return PushResult(updates: updates, sentObjects: sent.objects, sentBytes: sent.bytes)
  }

  /// Opens the bare repository a local push writes into.
  private static func openForPush(at path: String) throws -> Repository {
    let remote = try Repository.open(at: path)
    let bare = remote.repository.use { git_repository_is_bare($0) } != 0
    guard bare else {
      throw GitError(
        call: "pushLocally",
        message: "\(path) is not a bare repository: pushing into a work tree is not supported",
        kind: .invalid)
    }
    return remote
  }

  /// Throws `.nonFastForward` unless `current` (the remote's) is an ancestor of `target`.
  func checkFastForward(
    _ name: String, from current: ObjectID, to target: ObjectID, call: String = "pushLocally"
  ) throws {
    if name.hasPrefix("refs/tags/") {
      throw GitError(
        call: call,
        message: "\(name) already exists on the remote with another target", kind: .other)
    }
    guard contains(current), try mergeBase(current, target) == current else {
      throw GitError(
        call: call,
        message: "\(name) on the remote has commits that are not present here "
          + "(not a fast-forward)", kind: .nonFastForward)
    }
  }

  /// Writes every object reachable from `tips` that `remote` lacks into one pack there.
  private func copyMissingObjects(
    reachableFrom tips: [ObjectID], into remote: Repository,
    progress: ((TransferProgress) -> Void)?
  ) throws -> (objects: Int, bytes: Int) {
    let reporter = ProgressThrottle(progress)
    let reader = try makeBulkReader()
    // A repository without references holds nothing worth asking about (at most the
    // leftovers of a failed push): asking about every object costs a file lookup each.
    let targetIsEmpty = try remote.references(withPrefix: "").isEmpty
    var missing = MissingObjects(
      source: self, reader: reader, target: targetIsEmpty ? nil : remote
    ) { count in
      reporter.report(.counting, count, 0, 0)
    }
    for tip in tips { try missing.add(tip) }
    reporter.report(.counting, missing.objects.count, missing.objects.count, 0, force: true)
    let pack = try PackWriter(repository: remote)
    let bytes = try pack.add(missing.objects, from: reader, reporter: reporter)
    try pack.install()
    reporter.report(.sending, missing.objects.count, missing.objects.count, bytes, force: true)
    return (missing.objects.count, bytes)
  }

  /// Moves `refs/remotes/<remote>/<branch>` to what was pushed to each branch.
  func updateTrackingBranches(remote: String, after updates: [ReferenceUpdate]) throws {
    for update in updates where update.name.hasPrefix("refs/heads/") {
      guard let new = update.new else { continue }
      let tracking = "refs/remotes/\(remote)/" + update.name.dropFirst("refs/heads/".count)
      let current = try reference(tracking)
      if current == new { continue }
      try updateReference(tracking, to: new, expected: current, message: "update by push")
    }
  }
}

extension Repository {
  /// Whether the object database holds `id`, without rescanning the pack directory when it
  /// does not (libgit2 rescans on every miss otherwise, and a push to an empty repository
  /// asks about millions of objects it does not have).
  fileprivate func hasObject(_ id: ObjectID) -> Bool {
    var oid = id.gitOID
    return git_odb_exists_ext(objectDatabase.pointer, &oid, GIT_ODB_LOOKUP_NO_REFRESH.rawValue)
      != 0
  }
}

/// The objects a push must send: everything reachable from the pushed commits, except
/// what the target has (a commit or tree the target has brings everything below it).
private struct MissingObjects {
  let source: Repository
  let reader: ObjectReader
  /// The repository receiving the push, nil when it is empty (it lacks everything).
  let target: Repository?
  /// Told the number of objects found so far, every few thousand.
  let counted: (Int) -> Void
  private(set) var objects: [ObjectID] = []
  private var seen = Set<ObjectID>()

  init(
    source: Repository, reader: ObjectReader, target: Repository?,
    counted: @escaping (Int) -> Void
  ) {
    self.source = source
    self.reader = reader
    self.target = target
    self.counted = counted
  }

  /// Adds what the target lacks of the history of `tip` (a commit or an annotated tag).
  mutating func add(_ tip: ObjectID) throws {
    var pending = [tip]
    while let id = pending.popLast() {
      guard !seen.contains(id), target?.hasObject(id) != true else { continue }
      let (kind, content) = try reader.object(id)
      switch kind {
      case .commit:
        _ = take(id)
        let commit = try source.commit(id)
        try addTree(commit.tree)
        pending += commit.parents
      case .tag:
        _ = take(id)
        if let target = GitObjectFormat.tagTarget(content) { pending.append(target) }
      case .tree:
        try addTree(id)
      case .blob:
        _ = take(id)
      }
    }
  }

  private mutating func addTree(_ id: ObjectID) throws {
    guard take(id) else { return }
    for entry in try reader.tree(id) {
      if entry.isTree {
        try addTree(entry.id)
      } else {
        _ = take(entry.id)
      }
    }
  }

  /// Records `id` as to be sent unless already seen or held by the target.
  private mutating func take(_ id: ObjectID) -> Bool {
    guard seen.insert(id).inserted, target?.hasObject(id) != true else { return false }
    objects.append(id)
    if objects.count % 4096 == 0 { counted(objects.count) }
    return true
  }

}
