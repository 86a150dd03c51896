// STUB: the interface the store is written against. The git-layer implementation
// replaces every body here (and may split this file into several).

/// A bare git repository opened through libgit2. Not Sendable: one owner, one thread.
public final class Repository {
  /// Creates a new bare repository at `path` whose HEAD points at `refs/heads/<branch>`.
  /// Fails with `.exists` if `path` already holds a repository.
  public static func create(at path: String, branch: String = "main") throws -> Repository {
    fatalError("stub")
  }

  /// Opens the bare repository at `path` (exactly there, no upward search).
  public static func open(at path: String) throws -> Repository { fatalError("stub") }

  /// The repository directory (ends without a slash).
  public var path: String { fatalError("stub") }

  /// The branch HEAD points at (e.g. `refs/heads/main`) and its commit, nil when unborn.
  public func head() throws -> (branch: String, commit: ObjectID?) { fatalError("stub") }

  /// Resolves a revision as git names it (`HEAD`, `HEAD~1`, a branch, a tag, a full or
  /// short id) to a commit id, peeling tags. `.notFound` when it names nothing.
  public func resolveCommit(_ revision: String) throws -> ObjectID { fatalError("stub") }

  /// The object a reference points at (peeled for symbolic references), nil if absent.
  public func reference(_ name: String) throws -> ObjectID? { fatalError("stub") }

  /// All references whose name starts with `prefix`, sorted by name.
  public func references(withPrefix prefix: String) throws -> [(name: String, target: ObjectID)] {
    fatalError("stub")
  }

  /// Atomically moves `name` to `target` if it currently points at `expected`
  /// (nil: the reference must not exist yet). `.conflict` otherwise.
  public func updateReference(
    _ name: String, to target: ObjectID, expected: ObjectID?, message: String
  ) throws { fatalError("stub") }

  /// Deletes `name` if it currently points at `expected`.
  public func deleteReference(_ name: String, expected: ObjectID) throws { fatalError("stub") }

  /// Reads and decodes a commit.
  public func commit(_ id: ObjectID) throws -> CommitInfo { fatalError("stub") }

  /// Reads a tree's entries in git order.
  public func tree(_ id: ObjectID) throws -> [TreeEntry] { fatalError("stub") }

  /// Reads a blob's bytes.
  public func blob(_ id: ObjectID) throws -> [UInt8] { fatalError("stub") }

  /// Reads any object: its kind and raw content.
  public func object(_ id: ObjectID) throws -> (kind: ObjectKind, bytes: [UInt8]) {
    fatalError("stub")
  }

  /// The entry at a slash-separated `path` inside `tree`, nil if absent.
  public func entry(atPath path: String, inTree tree: ObjectID) throws -> TreeEntry? {
    fatalError("stub")
  }

  /// Walks history from `start` (newest first, topological + time order), stopping
  /// when `visit` returns false.
  public func walk(from start: ObjectID, _ visit: (CommitInfo) throws -> Bool) throws {
    fatalError("stub")
  }

  /// The best common ancestor of two commits, nil if they share none.
  public func mergeBase(_ a: ObjectID, _ b: ObjectID) throws -> ObjectID? { fatalError("stub") }

  /// Reads a string from the repository's own config file, nil if unset.
  public func configString(_ key: String) throws -> String? { fatalError("stub") }

  /// Sets a string in the repository's own config file.
  public func setConfigString(_ key: String, _ value: String) throws { fatalError("stub") }

  /// Reads every object in the object database and checks that its content hashes to
  /// its id. Returns the number of objects checked.
  public func verifyAllObjects() throws -> Int { fatalError("stub") }
}
