// HEAD, revisions and references, with compare-and-swap updates.

import CGit2

extension Repository {
  /// The branch HEAD points at (e.g. `refs/heads/main`) and its commit, nil when unborn.
  public func head() throws -> (branch: String, commit: ObjectID?) {
    let head = try lookupReference("HEAD")
    return try head.use { head in
      guard git_reference_type(head) == GIT_REFERENCE_SYMBOLIC else {
        // Detached HEAD: no branch, just the commit.
        return ("HEAD", git_reference_target(head).map(ObjectID.init))
      }
      let branch = String(cString: git_reference_symbolic_target(head))
      var oid = git_oid()
      let code = git_reference_name_to_id(&oid, repository.pointer, branch)
      if code == GIT_ENOTFOUND.rawValue { return (branch, nil) }
      try gitCheck("git_reference_name_to_id", code)
      return (branch, ObjectID(oid))
    }
  }

  /// Resolves a revision as git names it (`HEAD`, `HEAD~1`, a branch, a tag, a full or
  /// short id) to a commit id, peeling tags. `.notFound` when it names nothing.
  public func resolveCommit(_ revision: String) throws -> ObjectID {
    let object = try GitHandle.make("git_revparse_single", .object) {
      git_revparse_single(&$0, repository.pointer, revision)
    }
    let commit = try object.use { object in
      try GitHandle.make("git_object_peel", .object) {
        git_object_peel(&$0, object, GIT_OBJECT_COMMIT)
      }
    }
    return commit.use { ObjectID(git_object_id($0)) }
  }

  /// The object a reference points at (peeled for symbolic references), nil if absent.
  public func reference(_ name: String) throws -> ObjectID? {
    var oid = git_oid()
    let code = git_reference_name_to_id(&oid, repository.pointer, name)
    if code == GIT_ENOTFOUND.rawValue { return nil }
    try gitCheck("git_reference_name_to_id", code)
    return ObjectID(oid)
  }

  /// All references whose name starts with `prefix`, sorted by name.
  public func references(withPrefix prefix: String) throws -> [(name: String, target: ObjectID)] {
    let iterator = try GitHandle.make(
      "git_reference_iterator_new", .referenceIterator
    ) { git_reference_iterator_new(&$0, repository.pointer) }
    var found: [(name: String, target: ObjectID)] = []
    try iterator.use { iterator in
      while true {
        var next: OpaquePointer?
        let code = git_reference_next(&next, iterator)
        if code == GIT_ITEROVER.rawValue { break }
        try gitCheck("git_reference_next", code)
        guard let next else { break }
        let reference = GitHandle(next, .reference)
        let name = reference.use { String(cString: git_reference_name($0)) }
        guard name.hasPrefix(prefix), let target = try self.reference(name) else { continue }
        found.append((name, target))
      }
    }
    found.sort { $0.name.utf8.lexicographicallyPrecedes($1.name.utf8) }
    return found
  }

  /// Atomically moves `name` to `target` if it currently points at `expected`
  /// (nil: the reference must not exist yet). `.conflict` otherwise.
  public func updateReference(
    _ name: String, to target: ObjectID, expected: ObjectID?, message: String
  ) throws {
    var newID = target.gitOID
    var out: OpaquePointer?
    let call: String
    let code: Int32
    if let expected {
      var oldID = expected.gitOID
      call = "git_reference_create_matching"
      code = git_reference_create_matching(
        &out, repository.pointer, name, &newID, 1, &oldID, message)
    } else {
      call = "git_reference_create"
      code = git_reference_create(&out, repository.pointer, name, &newID, 0, message)
    }
    // The new reference is not needed; its owner frees it at once.
    _ = out.map { GitHandle($0, .reference) }
    guard code < 0 else { return }
    let failure = GitError.libgit2(call: call, code: code)
    // Whatever libgit2 reports, a reference that does not hold `expected` is a lost race;
    // if even reading it fails (say, an invalid name), libgit2's own error stands.
    let current: ObjectID?
    do {
      current = try reference(name)
    } catch {
      throw failure
    }
    if failure.kind == .exists || failure.kind == .conflict || current != expected {
      let now = current.map { "points at \($0)" } ?? "does not exist"
      let wanted = expected.map { "at \($0)" } ?? "to be absent"
      throw GitError(
        call: call,
        message: "\(name) \(now), expected it \(wanted) (\(failure.message))",
        kind: .conflict)
    }
    throw failure
  }

  /// Deletes `name` if it currently points at `expected`.
  public func deleteReference(_ name: String, expected: ObjectID) throws {
    let conflict = { (state: String) in
      GitError(
        call: "git_reference_delete", message: "\(name) \(state), expected it at \(expected)",
        kind: .conflict)
    }
    let found: GitHandle
    do {
      found = try lookupReference(name)
    } catch let error as GitError where error.kind == .notFound {
      throw conflict("does not exist")
    }
    try found.use { reference in
      guard let target = git_reference_target(reference).map(ObjectID.init) else {
        throw conflict("is a symbolic reference")
      }
      guard target == expected else { throw conflict("points at \(target)") }
      // libgit2 deletes only if the reference still holds the value it was looked up with.
      let code = git_reference_delete(reference)
      if code == GIT_EMODIFIED.rawValue { throw conflict("was changed concurrently") }
      try gitCheck("git_reference_delete", code)
    }
  }

  /// The reference called `name`, not resolved.
  func lookupReference(_ name: String) throws -> GitHandle {
    try GitHandle.make("git_reference_lookup", .reference) {
      git_reference_lookup(&$0, repository.pointer, name)
    }
  }
}
