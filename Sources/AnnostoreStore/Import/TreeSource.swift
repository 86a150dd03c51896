import AnnostoreGit
import AnnostoreModel

/// Reads trees and blobs from the store or, for objects written but not yet installed,
/// from the sink that holds them: an import merges a snapshot it has not installed, so a
/// refused import installs nothing at all.
final class TreeSource {
  let repository: Repository
  let sink: ObjectSink?
  /// Blobs written but not yet installed, by id (the merge's own new records).
  private var pendingBlobs: [ObjectID: [UInt8]] = [:]
  /// The export being imported: records written but neither installed nor remembered by
  /// the sink are found again by reading it (`prefetch`).
  var exportFile: String?
  /// Trees read for lookups, by id.
  private var lookupCache: [ObjectID: [String: TreeEntry]] = [:]

  /// Fast reads straight from the store's packs (libgit2 for anything else), opened on
  /// the first read.
  private lazy var objects: ObjectReader? = try? ObjectReader(repository: repository)

  init(repository: Repository, sink: ObjectSink?) {
    self.repository = repository
    self.sink = sink
  }

  /// A tree's entries.
  func tree(_ id: ObjectID) throws -> [TreeEntry] {
    if let remembered = sink?.rememberedTree(id) { return remembered }
    do {
      return try objects?.tree(id) ?? repository.tree(id)
    } catch let error as GitError {
      throw AnnostoreError.git(error, doing: "reading tree \(id)")
    }
  }

  /// A tree's entries by name.
  func entries(_ id: ObjectID) throws -> [String: TreeEntry] {
    Dictionary(try tree(id).map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
  }

  /// Writes a blob into the sink and remembers it, so that it can be read back before
  /// the sink is installed.
  func storeBlob(_ content: [UInt8]) throws -> ObjectID {
    guard let sink else {
      throw AnnostoreError(.other, "internal error: no sink to write into")
    }
    let id = try sink.store(.blob, content)
    pendingBlobs[id] = content
    return id
  }

  /// Reads and parses one JSON blob.
  func document(_ id: ObjectID) throws -> JSONValue {
    let bytes: [UInt8]
    if let pending = pendingBlobs[id] ?? sink?.rememberedBlob(id) {
      bytes = pending
    } else {
      do {
        bytes = try objects?.blob(id) ?? repository.blob(id)
      } catch let error as GitError {
        throw AnnostoreError.git(error, doing: "reading object \(id)")
      }
    }
    do {
      return try JSONParser.parse(bytes)
    } catch {
      throw AnnostoreError(
        .storeDamaged, "object \(id) is not valid JSON: \(error)",
        hint: "Run `annostore verify` to check the store.")
    }
  }

  /// Makes sure the blobs `ids` can be read: any neither in the store nor held in memory
  /// is found by reading the export again (one pass for all of them).
  func prefetch(_ ids: Set<ObjectID>) throws {
    let missing = ids.filter {
      pendingBlobs[$0] == nil && sink?.rememberedBlob($0) == nil && !repository.contains($0)
    }
    guard !missing.isEmpty, let exportFile else { return }
    for (id, content) in try ExportRescan.contents(of: missing, in: exportFile) {
      pendingBlobs[id] = content
    }
  }

  /// The document of a blob id, nil for nil.
  func document(_ id: ObjectID?) throws -> JSONValue? {
    try id.map { try document($0) }
  }

  /// The dataset directory `name` of a root tree: its entries by name, nil when absent.
  func dataset(_ name: String, inRoot root: ObjectID?) throws -> DatasetNode? {
    guard let root else { return nil }
    guard let datasets = try entries(root)[StoreLayout.datasetsDirectory], datasets.isTree,
      let dataset = try entries(datasets.id)[name], dataset.isTree
    else { return nil }
    return DatasetNode(tree: dataset.id, entries: try entries(dataset.id))
  }

  /// The blob of record `id` inside a kind's tree, nil when absent. Trees read on the way
  /// are cached: lookups of many ids share the upper levels.
  func lookup(_ id: String, in tree: ObjectID?, sharded: Bool) throws -> ObjectID? {
    guard var current = tree else { return nil }
    if sharded {
      let (first, second) = StoreLayout.shard(of: id)
      for name in [first, second] {
        guard let entry = try cachedEntries(current)[name], entry.isTree else { return nil }
        current = entry.id
      }
    }
    guard let entry = try cachedEntries(current)[StoreLayout.fileName(of: id)], !entry.isTree
    else { return nil }
    return entry.id
  }

  private func cachedEntries(_ id: ObjectID) throws -> [String: TreeEntry] {
    if let cached = lookupCache[id] { return cached }
    let found = try entries(id)
    if lookupCache.count > 4096 { lookupCache.removeAll(keepingCapacity: true) }
    lookupCache[id] = found
    return found
  }
}

/// One dataset's directory in a revision: its tree and entries.
struct DatasetNode {
  var tree: ObjectID
  var entries: [String: TreeEntry]

  /// The tree of one kind of records, nil when absent.
  func tree(of kind: RecordKind) -> ObjectID? {
    guard let entry = entries[kind.directory], entry.isTree else { return nil }
    return entry.id
  }

  /// The blob of `dataset.json`, nil when absent.
  var datasetFile: ObjectID? {
    guard let entry = entries[StoreLayout.datasetFile], !entry.isTree else { return nil }
    return entry.id
  }
}
