// Reading commits, trees, blobs and raw objects, and checking the whole object database.

import CGit2

extension Repository {
  /// Reads and decodes a commit.
  public func commit(_ id: ObjectID) throws -> CommitInfo {
    var oid = id.gitOID
    let commit = try GitHandle.make("git_commit_lookup", .commit) {
      git_commit_lookup(&$0, repository.pointer, &oid)
    }
    return commit.use { commit in
      let parents = (0..<git_commit_parentcount(commit)).map {
        ObjectID(git_commit_parent_id(commit, $0))
      }
      let message = git_commit_message_raw(commit).map { String(cString: $0) } ?? ""
      return CommitInfo(
        id: id, tree: ObjectID(git_commit_tree_id(commit)), parents: parents,
        author: Signature(git_commit_author(commit)),
        committer: Signature(git_commit_committer(commit)), message: message)
    }
  }

  /// Reads a tree's entries in git order.
  public func tree(_ id: ObjectID) throws -> [TreeEntry] {
    try lookupTree(id).use { tree in
      let count = git_tree_entrycount(tree)
      var entries: [TreeEntry] = []
      entries.reserveCapacity(count)
      for index in 0..<count {
        guard let entry = git_tree_entry_byindex(tree, index) else { continue }
        entries.append(TreeEntry(borrowing: entry))
      }
      return entries
    }
  }

  /// Reads a blob's bytes.
  public func blob(_ id: ObjectID) throws -> [UInt8] {
    let (kind, bytes) = try object(id)
    guard kind == .blob else {
      throw GitError(
        call: "git_odb_read", message: "object \(id) is a \(kind.gitName), not a blob",
        kind: .invalid)
    }
    return bytes
  }

  /// Reads any object: its kind and raw content.
  public func object(_ id: ObjectID) throws -> (kind: ObjectKind, bytes: [UInt8]) {
    let object = try readObject(id)
    return try object.use { object in
      guard let kind = ObjectKind(git_odb_object_type(object)) else {
        throw GitError(
          call: "git_odb_read", message: "object \(id) has an unknown type", kind: .invalid)
      }
      let size = git_odb_object_size(object)
      // One copy, straight from libgit2's inflated buffer into the array.
      let bytes = [UInt8](unsafeUninitializedCapacity: size) { buffer, count in
        if size > 0, let data = git_odb_object_data(object) {
          buffer.baseAddress!.update(
            from: data.assumingMemoryBound(to: UInt8.self), count: size)
        }
        count = size
      }
      return (kind, bytes)
    }
  }

  /// Whether the object database already holds `id` (packed or loose), without reading it,
  /// so that a writer can leave out objects an earlier pack already stored.
  public func contains(_ id: ObjectID) -> Bool {
    var oid = id.gitOID
    return git_odb_exists(objectDatabase.pointer, &oid) != 0
  }

  /// The entry at a slash-separated `path` inside `tree`, nil if absent.
  public func entry(atPath path: String, inTree tree: ObjectID) throws -> TreeEntry? {
    try lookupTree(tree).use { tree in
      var found: OpaquePointer?
      let code = git_tree_entry_bypath(&found, tree, path)
      if code == GIT_ENOTFOUND.rawValue { return nil }
      try gitCheck("git_tree_entry_bypath", code)
      guard let found else { return nil }
      return GitHandle(found, .treeEntry).use {
        TreeEntry(borrowing: $0)
      }
    }
  }

  /// Reads every object in the object database and checks that its content hashes to
  /// its id. Returns the number of objects checked.
  public func verifyAllObjects() throws -> Int {
    var ids: [ObjectID] = []
    let code = withUnsafeMutablePointer(to: &ids) { collected in
      git_odb_foreach(
        objectDatabase.pointer,
        { oid, payload in
          guard let oid, let payload else { return -1 }
          payload.assumingMemoryBound(to: [ObjectID].self).pointee.append(ObjectID(oid))
          return 0
        }, collected)
    }
    try gitCheck("git_odb_foreach", code)
    // An object stored twice (in two packs) is listed twice; check it once, in id order.
    ids.sort()
    var checked = 0
    var previous: ObjectID?
    for id in ids where id != previous {
      previous = id
      let object: GitHandle
      do {
        object = try readObject(id)
      } catch let error as GitError {
        throw GitError(call: error.call, message: "object \(id): \(error.message)", kind: .invalid)
      }
      let matches = object.use { object -> Bool in
        guard let kind = ObjectKind(git_odb_object_type(object)) else { return false }
        let size = git_odb_object_size(object)
        let data = git_odb_object_data(object)
        let content = UnsafeRawBufferPointer(start: size > 0 ? data : nil, count: size)
        return GitObjectFormat.id(of: kind, bytes: content) == id
      }
      guard matches else {
        throw GitError(
          call: "verifyAllObjects", message: "object \(id): content does not hash to its id",
          kind: .invalid)
      }
      checked += 1
    }
    return checked
  }

  /// The object `id` straight from the object database (no parsing, no object cache).
  func readObject(_ id: ObjectID) throws -> GitHandle {
    var oid = id.gitOID
    return try GitHandle.make("git_odb_read", .odbObject) {
      git_odb_read(&$0, objectDatabase.pointer, &oid)
    }
  }

  private func lookupTree(_ id: ObjectID) throws -> GitHandle {
    var oid = id.gitOID
    return try GitHandle.make("git_tree_lookup", .tree) {
      git_tree_lookup(&$0, repository.pointer, &oid)
    }
  }
}

extension TreeEntry {
  /// Copies a libgit2 tree entry that stays owned by its tree (or its own handle).
  init(borrowing entry: OpaquePointer) {
    self.init(
      name: String(cString: git_tree_entry_name(entry)), id: ObjectID(git_tree_entry_id(entry)),
      isTree: git_tree_entry_type(entry) == GIT_OBJECT_TREE)
  }
}

extension Signature {
  /// Copies a libgit2 signature.
  init(_ signature: UnsafePointer<git_signature>) {
    let value = signature.pointee
    self.init(
      name: value.name.map { String(cString: $0) } ?? "",
      email: value.email.map { String(cString: $0) } ?? "",
      time: Int64(value.when.time), offsetMinutes: Int32(value.when.offset))
  }
}
