// Collects objects into one pack written by us (no delta search), then installs it.

import CGit2

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Collects new objects into one packfile (no loose objects), compressing on every core,
/// and installs the pack and its index into a repository in one step.
///
/// Nothing is visible to readers until `install()` returns; `discard()` (or dropping the
/// writer without installing) leaves the repository exactly as it was.
public final class PackWriter {
  /// Objects gathered before a batch is handed to the compressing queue.
  static let batchObjectLimit = 4096
  /// Content bytes gathered before a batch is handed to the compressing queue.
  static let batchByteLimit = 8 << 20

  /// The repository the pack is installed into; nil for a pack that is sent elsewhere.
  private let repository: Repository?
  private let packDirectory: String
  private let sink: PackFileSink
  // The writer is used by one thread: no run-time access checks on its hot state.
  @exclusivity(unchecked) private var seen = ObjectIDSet()
  /// The number of objects, kept when `seen` is released at install.
  private var installedCount = 0
  @exclusivity(unchecked) private var pending: ObjectBatch
  private var closed = false

  /// Starts a pack for `repository` (temporary files live in its `objects/pack`).
  public init(repository: Repository) throws {
    self.repository = repository
    packDirectory = repository.path + "/objects/pack"
    if access(packDirectory, F_OK) != 0 && mkdir(packDirectory, 0o755) != 0 && errno != EEXIST {
      throw PosixFile.error("mkdir", packDirectory)
    }
    sink = try PackFileSink(directory: packDirectory)
    pending = ObjectBatch(capacity: Self.batchByteLimit + (Self.batchByteLimit >> 2))
  }

  /// Starts a pack of exactly `objectCount` distinct objects that is streamed to a remote
  /// rather than installed: `write` gets its bytes in order, from a background queue, as
  /// batches are compressed; `finishStream` sends the checksum. A failure of `write` is
  /// thrown by a later `add` or by `finishStream`.
  init(streamingTo write: @escaping (UnsafeRawBufferPointer) throws -> Void, objectCount: Int)
    throws
  {
    repository = nil
    packDirectory = ""
    sink = try PackFileSink(streamingTo: write, objectCount: objectCount)
    pending = ObjectBatch(capacity: Self.batchByteLimit + (Self.batchByteLimit >> 2))
  }

  deinit {
    if !closed { sink.abandon() }
  }

  /// Adds an object and returns its id. The same content added twice is stored once.
  @discardableResult
  public func add(_ kind: ObjectKind, _ content: [UInt8]) throws -> ObjectID {
    let id = GitObjectFormat.id(of: kind, content)
    try add(kind, content, id: id)
    return id
  }

  /// Adds an object whose id the caller already computed with `GitObjectFormat.id`.
  public func add(_ kind: ObjectKind, _ content: [UInt8], id: ObjectID) throws {
    try content.withUnsafeBytes { try add(kind, bytes: $0, id: id) }
  }

  /// Adds an object (copying its bytes) whose id the caller already computed with
  /// `GitObjectFormat.id`. The same id added twice is stored once.
  public func add(_ kind: ObjectKind, bytes content: UnsafeRawBufferPointer, id: ObjectID) throws {
    guard !closed else {
      throw GitError(
        call: "PackWriter.add", message: "the pack was already installed or discarded",
        kind: .invalid)
    }
    guard seen.insert(id) else { return }
    pending.append(kind, content, id: id)
    if pending.count >= Self.batchObjectLimit || pending.used >= Self.batchByteLimit {
      try submitPending()
    }
  }

  /// How many distinct objects have been added.
  public var objectCount: Int { closed ? installedCount : seen.count }

  /// Finishes the pack and its `.idx` and moves both into place (index last), so every
  /// added object becomes readable through the repository. With no objects, writes nothing.
  public func install() throws {
    guard let repository else {
      throw GitError(
        call: "PackWriter.install", message: "this pack is for sending, not installing",
        kind: .invalid)
    }
    guard !closed else {
      throw GitError(
        call: "PackWriter.install", message: "the pack was already installed or discarded",
        kind: .invalid)
    }
    closed = true
    // The index is built next; the de-duplication set is no longer needed.
    installedCount = seen.count
    seen = ObjectIDSet(capacity: 0)
    let pack: (file: PosixFile, checksum: ObjectID)
    var index: PackIndexLayout
    do {
      try submitPending()
      guard let entries = try sink.seal() else { return }
      // Laid out here while the sink's queue reads the pack back for its checksum.
      index = PackIndexLayout(ids: entries.ids, offsets: entries.offsets, crcs: entries.crcs)
      pack = try sink.sealedPack()
    } catch {
      sink.abandon()
      throw error
    }
    try installFiles(
      pack.file, checksum: pack.checksum, index: index.finish(packChecksum: pack.checksum))
    try gitCheck("git_odb_refresh", git_odb_refresh(repository.objectDatabase.pointer))
  }

  /// Finishes a pack started with `init(streamingTo:objectCount:)`: waits until every
  /// object went out, then sends the checksum. Returns the pack's size in bytes.
  func finishStream() throws -> Int {
    guard !closed, repository == nil else {
      throw GitError(
        call: "PackWriter.finishStream", message: "not a streamed pack", kind: .invalid)
    }
    closed = true
    installedCount = seen.count
    seen = ObjectIDSet(capacity: 0)
    try submitPending()
    return try sink.finishStream()
  }

  /// Throws the pack away.
  public func discard() {
    guard !closed else { return }
    closed = true
    pending = ObjectBatch(capacity: 0)
    seen = ObjectIDSet(capacity: 0)
    sink.abandon()
  }

  private func submitPending() throws {
    guard pending.count > 0 else { return }
    let batch = pending
    pending =
      sink.spareBatch()
      ?? ObjectBatch(capacity: Self.batchByteLimit + (Self.batchByteLimit >> 2))
    try sink.submit(batch)
  }

  /// Renames the pack to `pack-<checksum>.pack`, then writes the index beside it and
  /// renames that last: git and libgit2 only see a pack once its `.idx` exists.
  private func installFiles(_ pack: PosixFile, checksum: ObjectID, index bytes: [UInt8]) throws {
    let base = "\(packDirectory)/pack-\(checksum.hex)"
    let packPath = base + ".pack"
    let packExisted = access(packPath, F_OK) == 0
    do {
      try pack.rename(to: packPath)
    } catch {
      removeFileQuietly(pack.path)
      throw error
    }
    let index: PosixFile
    do {
      index = try PosixFile.createTemporary(in: packDirectory, prefix: "tmp_idx_")
    } catch {
      if !packExisted { removeFileQuietly(packPath) }
      throw error
    }
    do {
      try bytes.withUnsafeBytes { try index.write($0) }
      try index.setMode(0o444)
      try index.sync()
      try index.close()
      try index.rename(to: base + ".idx")
    } catch {
      removeFileQuietly(index.path)
      if !packExisted { removeFileQuietly(packPath) }
      throw error
    }
    let directory = try PosixFile.openDirectory(packDirectory)
    try directory.sync()
    try directory.close()
  }
}
