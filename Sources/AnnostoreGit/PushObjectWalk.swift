// Which objects a network push sends: what the pushed tips reach, less what the remote's
// advertised tips reach, found without walking the trees the two sides share.

/// The objects a push to a network remote must send.
///
/// The remote is known only by the tips it advertised. Every commit reachable from the
/// tips this repository also has is the remote's (a repository's references are complete),
/// and so is every tree and blob below those commits. Walking all of that would cost as
/// much as the push itself, so, like git's "uninteresting edge" marking, each new commit's
/// tree is compared path by path with the trees of the remote's commits at the edge of
/// the new history: an entry whose id equals the remote's entry at the same path is the
/// remote's with everything below it, and only subtrees whose ids differ are descended.
/// An object the remote holds at another path may be sent again; that is harmless (the
/// receiver keeps one copy), while leaving out an object it lacks cannot happen.
struct PushObjectWalk {
  private let repository: Repository
  private let reader: ObjectReader
  /// Told the number of objects found so far, every few thousand.
  private let counted: (Int) -> Void
  /// Commits the remote has: all of those reachable from its tips that exist here.
  private var remoteCommits = Set<ObjectID>()
  /// Advertised objects that exist here (tags, commits).
  private let remoteTips: Set<ObjectID>
  /// The objects to send, in the order found (commits, then their trees and blobs).
  private(set) var objects: [ObjectID] = []
  private var queued = ObjectIDSet()

  /// Most remote root trees compared with each new tree: each costs a tree read per
  /// changed directory.
  static let comparedRootLimit = 8

  /// A walk against a remote that advertised `advertised` (ids it may or may not have here).
  init(
    repository: Repository, reader: ObjectReader, advertised: [ObjectID],
    counted: @escaping (Int) -> Void
  ) throws {
    self.repository = repository
    self.reader = reader
    self.counted = counted
    remoteTips = Set(advertised.filter { repository.contains($0) })
    var pending: [ObjectID] = []
    for tip in remoteTips {
      if let commit = try peelToCommit(tip) { pending.append(commit) }
    }
    while let id = pending.popLast() {
      guard remoteCommits.insert(id).inserted else { continue }
      pending += try repository.commit(id).parents
    }
  }

  /// Adds what the remote lacks of the history of each of `tips` (commits or annotated
  /// tags).
  mutating func add(_ tips: [ObjectID]) throws {
    var newCommits: [CommitInfo] = []
    var edges: [ObjectID] = []
    var pending = tips
    var visited = Set<ObjectID>()
    while let id = pending.popLast() {
      guard !remoteTips.contains(id), !remoteCommits.contains(id), visited.insert(id).inserted
      else { continue }
      let (kind, content) = try reader.object(id)
      switch kind {
      case .tag:
        take(id)
        if let target = GitObjectFormat.tagTarget(content) { pending.append(target) }
      case .commit:
        take(id)
        let commit = try repository.commit(id)
        newCommits.append(commit)
        for parent in commit.parents {
          if remoteCommits.contains(parent) { edges.append(parent) } else { pending.append(parent) }
        }
      case .tree:
        try addTree(id, remote: [])
      case .blob:
        take(id)
      }
    }
    var roots: [ObjectID] = []
    for commit in try edges + remoteCommitTips() where roots.count < Self.comparedRootLimit {
      let tree = try repository.commit(commit).tree
      if !roots.contains(tree) { roots.append(tree) }
    }
    // Oldest first: a later commit's unchanged subtrees are then already queued.
    for commit in newCommits.reversed() {
      try addTree(commit.tree, remote: roots)
    }
  }

  /// Queues `id` and what it reaches, except where it matches one of `remote` (the
  /// remote's trees at the same path).
  private mutating func addTree(_ id: ObjectID, remote: [ObjectID]) throws {
    guard !remote.contains(id), take(id) else { return }
    let entries = try reader.tree(id)
    var remoteEntries: [[String: TreeEntry]] = []
    for tree in remote {
      var byName: [String: TreeEntry] = [:]
      for entry in try reader.tree(tree) { byName[entry.name] = entry }
      remoteEntries.append(byName)
    }
    for entry in entries {
      var remoteSubtrees: [ObjectID] = []
      var held = false
      for byName in remoteEntries {
        guard let other = byName[entry.name] else { continue }
        if other.id == entry.id {
          held = true
          break
        }
        if other.isTree && entry.isTree { remoteSubtrees.append(other.id) }
      }
      if held { continue }
      if entry.isTree {
        try addTree(entry.id, remote: remoteSubtrees)
      } else {
        take(entry.id)
      }
    }
  }

  /// The remote's tips that are commits (after peeling tags), for comparing trees with
  /// when a pushed history shares no parent with the remote's.
  private func remoteCommitTips() throws -> [ObjectID] {
    try remoteTips.sorted().compactMap { try peelToCommit($0) }
  }

  /// The commit `id` names, following annotated tags; nil for a tree or blob.
  private func peelToCommit(_ id: ObjectID) throws -> ObjectID? {
    var current = id
    for _ in 0..<16 {
      let (kind, content) = try reader.object(current)
      switch kind {
      case .commit: return current
      case .tag:
        guard let target = GitObjectFormat.tagTarget(content) else { return nil }
        current = target
      case .tree, .blob: return nil
      }
    }
    return nil
  }

  /// Queues `id` unless it already is; whether it was new.
  @discardableResult
  private mutating func take(_ id: ObjectID) -> Bool {
    guard queued.insert(id) else { return false }
    objects.append(id)
    if objects.count % 4096 == 0 { counted(objects.count) }
    return true
  }

}
