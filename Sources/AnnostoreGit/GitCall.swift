// Turning libgit2 return codes into thrown GitErrors, and owning libgit2 handles.

import CGit2

extension GitError {
  /// The error for libgit2 return `code` from `call`, with libgit2's last error message.
  static func libgit2(call: String, code: Int32) -> GitError {
    var message = "libgit2 error \(code)"
    var errorClass: Int32 = 0
    if let last = git_error_last(), let text = last.pointee.message {
      message = String(cString: text)
      errorClass = last.pointee.klass
    }
    return GitError(call: call, message: message, kind: kind(code: code, errorClass: errorClass))
  }

  /// The Kind a libgit2 error code (and, for generic errors, its error class) stands for.
  static func kind(code: Int32, errorClass: Int32) -> Kind {
    switch code {
    case GIT_ENOTFOUND.rawValue, GIT_EUNBORNBRANCH.rawValue: return .notFound
    case GIT_EEXISTS.rawValue: return .exists
    case GIT_EAMBIGUOUS.rawValue: return .ambiguous
    case GIT_ELOCKED.rawValue: return .locked
    case GIT_EMODIFIED.rawValue, GIT_ECONFLICT.rawValue, GIT_EUNMERGED.rawValue,
      GIT_EMERGECONFLICT.rawValue:
      return .conflict
    case GIT_EAUTH.rawValue: return .auth
    case GIT_ECERTIFICATE.rawValue: return .certificate
    case GIT_ENONFASTFORWARD.rawValue: return .nonFastForward
    case GIT_EINVALIDSPEC.rawValue, GIT_EINVALID.rawValue, GIT_EPEEL.rawValue,
      GIT_EMISMATCH.rawValue, GIT_EBAREREPO.rawValue, GIT_EDIRECTORY.rawValue:
      return .invalid
    default:
      switch errorClass {
      case Int32(GIT_ERROR_NET.rawValue), Int32(GIT_ERROR_HTTP.rawValue),
        Int32(GIT_ERROR_SSH.rawValue):
        return .network
      case Int32(GIT_ERROR_SSL.rawValue): return .certificate
      default: return .other
      }
    }
  }
}

/// Checks a libgit2 return code: negative codes throw a GitError naming `call`.
@discardableResult
func gitCheck(_ call: String, _ code: Int32) throws -> Int32 {
  guard code < 0 else { return code }
  throw GitError.libgit2(call: call, code: code)
}

/// The kinds of libgit2 handle the git layer holds, each with its own free function.
enum GitHandleKind {
  case repository, odb, odbObject, config, reference, referenceIterator, object, commit, tree
  case treeEntry, revwalk, remote

  /// Frees a handle of this kind.
  func free(_ pointer: OpaquePointer) {
    switch self {
    case .repository: git_repository_free(pointer)
    case .odb: git_odb_free(pointer)
    case .odbObject: git_odb_object_free(pointer)
    case .config: git_config_free(pointer)
    case .reference: git_reference_free(pointer)
    case .referenceIterator: git_reference_iterator_free(pointer)
    case .object: git_object_free(pointer)
    case .commit: git_commit_free(pointer)
    case .tree: git_tree_free(pointer)
    case .treeEntry: git_tree_entry_free(pointer)
    case .revwalk: git_revwalk_free(pointer)
    case .remote: git_remote_free(pointer)
    }
  }
}

/// The single owner of one libgit2 handle: frees it when the owner goes away.
///
/// Use the pointer only inside `use`, or through a stored property of an object that is
/// itself alive, so the handle cannot be freed while libgit2 still works with it.
final class GitHandle {
  let pointer: OpaquePointer
  private let kind: GitHandleKind

  init(_ pointer: OpaquePointer, _ kind: GitHandleKind) {
    self.pointer = pointer
    self.kind = kind
  }

  deinit { kind.free(pointer) }

  /// Runs `body` with the pointer while this owner is guaranteed alive.
  func use<R>(_ body: (OpaquePointer) throws -> R) rethrows -> R {
    try body(pointer)
  }

  /// Calls a libgit2 constructor (`git_xxx(&out, ...)`) and takes ownership of its result.
  static func make(
    _ call: String, _ kind: GitHandleKind, _ construct: (inout OpaquePointer?) -> Int32
  ) throws -> GitHandle {
    var out: OpaquePointer?
    let code = construct(&out)
    if code < 0 {
      if let out { kind.free(out) }
      throw GitError.libgit2(call: call, code: code)
    }
    guard let out else {
      throw GitError(call: call, message: "libgit2 returned no object", kind: .other)
    }
    return GitHandle(out, kind)
  }
}

extension ObjectID {
  /// The id libgit2 holds in `oid`.
  init(_ oid: git_oid) {
    var copy = oid
    self = withUnsafeBytes(of: &copy) { ObjectID(rawBytes: $0) }
  }

  /// The id at a libgit2 `const git_oid *`.
  init(_ oid: UnsafePointer<git_oid>) {
    self.init(rawBytes: UnsafeRawBufferPointer(start: oid, count: 20))
  }

  /// This id as libgit2's `git_oid`.
  var gitOID: git_oid {
    var oid = git_oid()
    withUnsafeMutableBytes(of: &oid) { writeRawBytes(to: $0.baseAddress!) }
    return oid
  }
}

extension ObjectKind {
  /// The kind libgit2's object type stands for, nil for anything else (e.g. deltas).
  init?(_ type: git_object_t) {
    switch type {
    case GIT_OBJECT_COMMIT: self = .commit
    case GIT_OBJECT_TREE: self = .tree
    case GIT_OBJECT_BLOB: self = .blob
    case GIT_OBJECT_TAG: self = .tag
    default: return nil
    }
  }
}
