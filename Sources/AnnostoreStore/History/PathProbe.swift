import AnnostoreGit

/// Finds the object at one fixed path (e.g. `datasets/D/annotations/aa/bb/ID.json`) in
/// many revisions' trees. Each tree read on the way is remembered with the answer below it,
/// so a subtree shared with a revision already probed is not read again: walking a history
/// costs a few small trees per revision, whatever the size of the dataset.
final class PathProbe {
  let repository: Repository
  let path: [String]
  /// Per depth along the path: tree id → the object the path leads to from there.
  private var known: [[ObjectID: ObjectID?]]

  init(repository: Repository, path: [String]) {
    self.repository = repository
    self.path = path
    known = Array(repeating: [:], count: path.count)
  }

  /// The id of the object at the path in the tree `root`, nil when there is none.
  func object(inRoot root: ObjectID) throws -> ObjectID? {
    var visited: [(depth: Int, tree: ObjectID)] = []
    var current: ObjectID? = root
    var depth = 0
    var found: ObjectID?
    while true {
      guard let tree = current else { break }
      if depth == path.count {
        found = tree
        break
      }
      if let answer = known[depth][tree] {
        found = answer
        break
      }
      visited.append((depth, tree))
      let entry = try repository.tree(tree).first { $0.name == path[depth] }
      let isLast = depth + 1 == path.count
      current = entry.flatMap { isLast || $0.isTree ? $0.id : nil }
      depth += 1
    }
    for step in visited { known[step.depth][step.tree] = .some(found) }
    return found
  }
}
