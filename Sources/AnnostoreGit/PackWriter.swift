// STUB: the interface the store is written against. The git-layer implementation
// replaces every body here.

/// Serialises git objects the way git hashes and stores them.
public enum GitObjectFormat {
  /// The id git gives an object of `kind` with this content.
  public static func id(of kind: ObjectKind, _ content: [UInt8]) -> ObjectID { fatalError("stub") }

  /// The content of a tree object holding `entries`, sorted as git sorts them
  /// (a subtree compares as its name followed by `/`).
  public static func treeContent(_ entries: [TreeEntry]) -> [UInt8] { fatalError("stub") }

  /// The content of a commit object.
  public static func commitContent(
    tree: ObjectID, parents: [ObjectID], author: Signature, committer: Signature, message: String
  ) -> [UInt8] { fatalError("stub") }

  /// The content of an annotated tag object.
  public static func tagContent(
    target: ObjectID, targetKind: ObjectKind, name: String, tagger: Signature, message: String
  ) -> [UInt8] { fatalError("stub") }

  /// SHA-1 of arbitrary bytes (not a git object hash), as 40 lowercase hex digits.
  public static func sha1Hex(_ bytes: [UInt8]) -> String { fatalError("stub") }
}

/// Collects new objects into one packfile (no loose objects), compressing on every core,
/// and installs the pack and its index into a repository in one step.
///
/// Nothing is visible to readers until `install()` returns; `discard()` (or dropping the
/// writer without installing) leaves the repository exactly as it was.
public final class PackWriter {
  /// Starts a pack for `repository` (temporary files live in its `objects/pack`).
  public init(repository: Repository) throws { fatalError("stub") }

  /// Adds an object and returns its id. The same content added twice is stored once.
  @discardableResult
  public func add(_ kind: ObjectKind, _ content: [UInt8]) throws -> ObjectID { fatalError("stub") }

  /// Adds an object whose id the caller already computed with `GitObjectFormat.id`.
  public func add(_ kind: ObjectKind, _ content: [UInt8], id: ObjectID) throws {
    fatalError("stub")
  }

  /// How many distinct objects have been added.
  public var objectCount: Int { fatalError("stub") }

  /// Finishes the pack and its `.idx` and moves both into place (index last), so every
  /// added object becomes readable through the repository. With no objects, writes nothing.
  public func install() throws { fatalError("stub") }

  /// Throws the pack away.
  public func discard() { fatalError("stub") }
}
