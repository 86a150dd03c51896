import AnnostoreGit

/// Where a write command puts new objects: a pack being built, minus every object the
/// store is known to hold already (so unchanged blobs and trees are never rewritten).
final class ObjectSink {
  private let pack: PackWriter
  @exclusivity(unchecked) private var existing = ObjectIDSet()
  /// The content of each tree this sink wrote, kept when `remembersTrees` is set, so that
  /// trees not yet installed can be read back (an import merges a snapshot it has not
  /// installed).
  private var treeContents: [ObjectID: [UInt8]] = [:]

  /// Blob contents written by this sink, kept when `remembersTrees` is set, up to
  /// `blobMemoryLimit` bytes in all (a re-import's new records fit; a first import of a huge
  /// file does not, and its readers fall back to reading the file again).
  private var blobContents: [ObjectID: [UInt8]] = [:]
  private var blobBytes = 0
  static let blobMemoryLimit = 128 << 20

  /// Whether to keep the trees (and, within a budget, the blobs) written, so that they
  /// can be read back before the sink is installed.
  var remembersTrees = false

  private let repository: Repository

  init(repository: Repository) throws {
    self.repository = repository
    do {
      pack = try PackWriter(repository: repository)
    } catch let error as GitError {
      throw AnnostoreError.git(error, doing: "starting a pack")
    }
  }

  /// Notes that the store already holds `id`.
  func markExisting(_ id: ObjectID) { existing.insert(id) }

  /// Whether the store already holds `id` as far as this sink knows.
  func isExisting(_ id: ObjectID) -> Bool { existing.contains(id) }

  /// Stores an object unless it exists already; returns its id.
  @discardableResult
  func store(_ kind: ObjectKind, _ content: [UInt8]) throws -> ObjectID {
    let id = GitObjectFormat.id(of: kind, content)
    try store(kind, content, id: id)
    return id
  }

  /// Stores an object whose id the caller computed.
  func store(_ kind: ObjectKind, _ content: [UInt8], id: ObjectID) throws {
    try content.withUnsafeBytes { try store(kind, bytes: $0, id: id) }
  }

  /// Stores an object (copying its bytes) whose id the caller computed. The pack writer
  /// keeps each id once.
  func store(_ kind: ObjectKind, bytes content: UnsafeRawBufferPointer, id: ObjectID) throws {
    guard !existing.contains(id) else { return }
    do {
      try pack.add(kind, bytes: content, id: id)
    } catch let error as GitError {
      throw AnnostoreError.git(error, doing: "writing objects")
    }
    guard remembersTrees else { return }
    if kind == .tree {
      treeContents[id] = Array(content)
    } else if kind == .blob && blobBytes + content.count <= Self.blobMemoryLimit,
      blobContents[id] == nil
    {
      blobContents[id] = Array(content)
      blobBytes += content.count
    }
  }

  /// Stores a tree holding `entries`; returns its id.
  func storeTree(_ entries: [TreeEntry]) throws -> ObjectID {
    try store(.tree, GitObjectFormat.treeContent(entries))
  }

  /// The content of a blob this sink wrote and remembers, nil otherwise.
  func rememberedBlob(_ id: ObjectID) -> [UInt8]? { blobContents[id] }

  /// The entries of a tree this sink wrote and remembers, nil otherwise.
  func rememberedTree(_ id: ObjectID) -> [TreeEntry]? {
    treeContents[id].flatMap { try? GitObjectFormat.treeEntries($0) }
  }

  /// How many objects the pack will hold.
  var newObjectCount: Int { pack.objectCount }

  /// Puts the pack into the store; every stored object becomes readable. When the store
  /// then holds more packs than `Repository.packLimit`, the smaller ones are merged into
  /// one (see `consolidatePacks`).
  func install() throws {
    do {
      try pack.install()
    } catch let error as GitError {
      throw AnnostoreError.git(error, doing: "storing the pack")
    }
    // Housekeeping only: if it fails (a full disk), every object is still in the packs it
    // was in, and the next write tries again.
    _ = try? repository.consolidatePacks()
  }

  /// Throws every new object away.
  func discard() { pack.discard() }
}
