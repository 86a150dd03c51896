import AnnostoreGit

/// Where a write command puts new objects: a pack being built, minus every object the
/// store is known to hold already (so unchanged blobs and trees are never rewritten).
final class ObjectSink {
  private let pack: PackWriter
  private var existing = ObjectIDSet()

  init(repository: Repository) throws {
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
  }

  /// How many objects the pack will hold.
  var newObjectCount: Int { pack.objectCount }

  /// Puts the pack into the store; every stored object becomes readable.
  func install() throws {
    do {
      try pack.install()
    } catch let error as GitError {
      throw AnnostoreError.git(error, doing: "storing the pack")
    }
  }

  /// Throws every new object away.
  func discard() { pack.discard() }
}
