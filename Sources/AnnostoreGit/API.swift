// The public surface of the git layer. Everything here is plain Swift values:
// no libgit2 type, raw pointer or C error code leaves this module.

/// A 20-byte SHA-1 git object id.
public struct ObjectID: Hashable, Comparable, Sendable, CustomStringConvertible {
  /// The 20 raw bytes, most significant first (the order git prints them in hex).
  public var bytes: (UInt64, UInt64, UInt32)

  public init(bytes: (UInt64, UInt64, UInt32)) { self.bytes = bytes }

  public static func == (a: ObjectID, b: ObjectID) -> Bool {
    a.bytes.0 == b.bytes.0 && a.bytes.1 == b.bytes.1 && a.bytes.2 == b.bytes.2
  }
  public func hash(into h: inout Hasher) {
    h.combine(bytes.0)
    h.combine(bytes.1)
    h.combine(bytes.2)
  }
  public static func < (a: ObjectID, b: ObjectID) -> Bool {
    if a.bytes.0 != b.bytes.0 { return a.bytes.0 < b.bytes.0 }
    if a.bytes.1 != b.bytes.1 { return a.bytes.1 < b.bytes.1 }
    return a.bytes.2 < b.bytes.2
  }
}

/// The kind of a git object.
public enum ObjectKind: Sendable, Equatable {
  case commit, tree, blob, tag
}

/// One entry of a git tree: a file (blob) or a subdirectory (tree).
public struct TreeEntry: Sendable, Equatable {
  public var name: String
  public var id: ObjectID
  public var isTree: Bool
  public init(name: String, id: ObjectID, isTree: Bool) {
    self.name = name
    self.id = id
    self.isTree = isTree
  }
}

/// Who made a commit or tag, and when.
public struct Signature: Sendable, Equatable {
  public var name: String
  public var email: String
  /// Seconds since 1970-01-01 UTC.
  public var time: Int64
  /// Offset from UTC in minutes.
  public var offsetMinutes: Int32
  public init(name: String, email: String, time: Int64, offsetMinutes: Int32) {
    self.name = name
    self.email = email
    self.time = time
    self.offsetMinutes = offsetMinutes
  }
}

/// A decoded commit object.
public struct CommitInfo: Sendable, Equatable {
  public var id: ObjectID
  public var tree: ObjectID
  public var parents: [ObjectID]
  public var author: Signature
  public var committer: Signature
  public var message: String
}

/// A failure reported by libgit2 or by the git layer itself.
public struct GitError: Error, CustomStringConvertible, Sendable {
  /// The libgit2 function (or git-layer operation) that failed, e.g. `git_repository_open_bare`.
  public var call: String
  /// libgit2's own message, or the git layer's explanation.
  public var message: String
  /// What kind of failure, for callers that react differently.
  public var kind: Kind

  public enum Kind: Sendable, Equatable {
    case notFound, exists, ambiguous, locked, conflict, auth, certificate, network, nonFastForward,
      invalid, proxy, other
  }

  public init(call: String, message: String, kind: Kind = .other) {
    self.call = call
    self.message = message
    self.kind = kind
  }
  public var description: String { "\(call): \(message)" }
}
