import AnnostoreGit
import AnnostoreModel

/// One record file that differs between two revisions: its blob on each side (nil where the
/// record does not exist). A diff of a million records lists a million of these before
/// reading any, so the id is a `CompactRecordID`.
struct ChangedRecord: Sendable {
  let compactID: CompactRecordID
  var old: ObjectID?
  var new: ObjectID?

  init(id: String, old: ObjectID?, new: ObjectID?) {
    compactID = CompactRecordID(id)
    self.old = old
    self.new = new
  }

  /// The record's id.
  var id: String { compactID.text }

  /// Whether `a` comes before `b` in id order (byte order of the ids).
  static func precedes(_ a: ChangedRecord, _ b: ChangedRecord) -> Bool {
    CompactRecordID.precedes(a.compactID, b.compactID)
  }

  /// Whether the record appeared, disappeared or changed.
  var change: ChangeType {
    if old == nil { return .added }
    if new == nil { return .removed }
    return .modified
  }
}

/// One entry name present in either of two trees, with its id on each side.
struct PairedEntry: Sendable {
  var name: String
  var old: ObjectID?
  var new: ObjectID?
}

/// Compares two record trees (`annotations/`, `values/`, ...) by tree id, descending only
/// into subtrees whose ids differ: the cost follows the size of the change, not of the
/// dataset. Files are never read, only trees.
struct TreeDiff {
  /// Reads a tree's entries.
  let readTree: (ObjectID) throws -> [TreeEntry]

  /// Reads trees through libgit2.
  init(repository: Repository) {
    readTree = { try repository.tree($0) }
  }

  /// Reads trees with a bulk reader (one thread's).
  init(reader: ObjectReader) {
    readTree = { try reader.tree($0) }
  }

  /// The record files that differ between `old` and `new` (nil: no such tree), in tree
  /// order. `depth` is the number of shard levels above the files.
  func changes(old: ObjectID?, new: ObjectID?, depth: Int) throws -> [ChangedRecord] {
    var result: [ChangedRecord] = []
    try collect(old: old, new: new, depth: depth, into: &result)
    return result
  }

  /// The entries of one level whose ids differ: subtrees when `trees`, else files.
  func differing(old: ObjectID?, new: ObjectID?, trees: Bool) throws -> [PairedEntry] {
    guard old != new else { return [] }
    let a = try entries(old, trees: trees)
    let b = try entries(new, trees: trees)
    var result: [PairedEntry] = []
    var i = 0
    var j = 0
    while i < a.count || j < b.count {
      if j == b.count || (i < a.count && Self.precedes(a[i].name, b[j].name)) {
        result.append(PairedEntry(name: a[i].name, old: a[i].id, new: nil))
        i += 1
      } else if i == a.count || Self.precedes(b[j].name, a[i].name) {
        result.append(PairedEntry(name: b[j].name, old: nil, new: b[j].id))
        j += 1
      } else {
        if a[i].id != b[j].id {
          result.append(PairedEntry(name: a[i].name, old: a[i].id, new: b[j].id))
        }
        i += 1
        j += 1
      }
    }
    return result
  }

  private func collect(
    old: ObjectID?, new: ObjectID?, depth: Int, into result: inout [ChangedRecord]
  ) throws {
    for entry in try differing(old: old, new: new, trees: depth > 0) {
      if depth > 0 {
        try collect(old: entry.old, new: entry.new, depth: depth - 1, into: &result)
      } else if let id = StoreLayout.id(fromFileName: entry.name) {
        result.append(ChangedRecord(id: id, old: entry.old, new: entry.new))
      }
    }
  }

  /// The entries of a tree of one type, sorted by name (git's order already for the plain
  /// ASCII names of a store; sorted again only when a tree is not).
  private func entries(_ tree: ObjectID?, trees: Bool) throws -> [TreeEntry] {
    guard let tree else { return [] }
    var result = try readTree(tree).filter { $0.isTree == trees }
    var sorted = true
    for index in result.indices.dropFirst()
    where !Self.precedes(result[index - 1].name, result[index].name) {
      sorted = false
      break
    }
    if !sorted { result.sort { Self.precedes($0.name, $1.name) } }
    return result
  }

  /// The order names are matched in. Store names are ASCII, for which Swift's string order
  /// is byte order, and its fast path.
  static func precedes(_ a: String, _ b: String) -> Bool { a < b }
}
