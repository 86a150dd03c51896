import AnnostoreGit
import AnnostoreModel

/// One record file that differs between two revisions: its blob on each side (nil where the
/// record does not exist).
struct ChangedRecord: Sendable {
  var id: String
  var old: ObjectID?
  var new: ObjectID?

  /// Whether the record appeared, disappeared or changed.
  var change: ChangeType {
    if old == nil { return .added }
    if new == nil { return .removed }
    return .modified
  }
}

/// Compares two record trees (`annotations/`, `values/`, ...) by tree id, descending only
/// into subtrees whose ids differ: the cost follows the size of the change, not of the
/// dataset. Files are never read, only trees.
struct TreeDiff {
  let repository: Repository

  /// The record files that differ between `old` and `new` (nil: no such tree), in id order.
  /// `depth` is the number of shard levels above the files.
  func changes(old: ObjectID?, new: ObjectID?, depth: Int) throws -> [ChangedRecord] {
    var result: [ChangedRecord] = []
    try collect(old: old, new: new, depth: depth, into: &result)
    result.sort { $0.id.utf8.lexicographicallyPrecedes($1.id.utf8) }
    return result
  }

  private func collect(
    old: ObjectID?, new: ObjectID?, depth: Int, into result: inout [ChangedRecord]
  ) throws {
    guard old != new else { return }
    let oldEntries = try entries(old, trees: depth > 0)
    let newEntries = try entries(new, trees: depth > 0)
    for (name, oldID) in oldEntries {
      let newID = newEntries[name]
      guard oldID != newID else { continue }
      try visit(name: name, old: oldID, new: newID, depth: depth, into: &result)
    }
    for (name, newID) in newEntries where oldEntries[name] == nil {
      try visit(name: name, old: nil, new: newID, depth: depth, into: &result)
    }
  }

  private func visit(
    name: String, old: ObjectID?, new: ObjectID?, depth: Int, into result: inout [ChangedRecord]
  ) throws {
    if depth > 0 {
      try collect(old: old, new: new, depth: depth - 1, into: &result)
    } else if let id = StoreLayout.id(fromFileName: name) {
      result.append(ChangedRecord(id: id, old: old, new: new))
    }
  }

  /// The entries of a tree by name: subtrees when `trees`, else files.
  private func entries(_ tree: ObjectID?, trees: Bool) throws -> [String: ObjectID] {
    guard let tree else { return [:] }
    var result: [String: ObjectID] = [:]
    for entry in try repository.tree(tree) where entry.isTree == trees {
      result[entry.name] = entry.id
    }
    return result
  }
}
