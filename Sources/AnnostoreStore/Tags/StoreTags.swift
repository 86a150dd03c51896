import AnnostoreGit
import AnnostoreModel

/// A named snapshot: a tag and the commit it marks.
public struct TagInfo: Sendable, Equatable {
  /// The name, without `refs/tags/`.
  public var name: String
  /// The commit the tag marks (tags peeled).
  public var commit: String
  /// The tag's message; empty for a lightweight tag (one made by plain git).
  public var message: String
  /// `Name <email>` of who made it, nil for a lightweight tag.
  public var tagger: String?
  /// Whether the tag is an annotated tag object.
  public var annotated: Bool
}

extension Store {
  /// The prefix of tag references.
  static let tagPrefix = "refs/tags/"

  /// Makes an annotated tag `name` on `revision` (default: the head). Refuses a name that is
  /// taken. The tag object goes into a pack; then the reference is created only if it still
  /// does not exist.
  public func createTag(
    _ name: String, revision: String?, message: String?, tagger: Identity? = nil
  ) throws -> TagInfo {
    try TagName.check(name)
    let lock = try StoreLock(storePath: path)
    defer { lock.release() }
    try ensureNoMergeInProgress()
    let reference = Self.tagPrefix + name
    if try existingReference(reference) != nil {
      throw AnnostoreError(
        .usage, "a tag named \"\(name)\" exists already",
        hint: "Tags are fixed snapshots: choose another name (see `annostore tags`).")
    }
    let commit = try resolveOrHead(revision)
    let text = message ?? name
    let content = GitObjectFormat.tagContent(
      target: commit, targetKind: .commit, name: name,
      tagger: (tagger ?? Identity.fromEnvironment()).signatureNow(),
      message: text.hasSuffix("\n") ? text : text + "\n")
    let sink = try ObjectSink(repository: repository)
    var installed = false
    defer { if !installed { sink.discard() } }
    let tag = try sink.store(.tag, content)
    try sink.install()
    installed = true
    do {
      try repository.updateReference(
        reference, to: tag, expected: nil, message: "tag: \(name)")
    } catch let error as GitError {
      if error.kind == .conflict || error.kind == .exists {
        throw AnnostoreError(
          .usage, "a tag named \"\(name)\" exists already",
          hint: "Another command made it meanwhile; choose another name.")
      }
      throw AnnostoreError.git(error, doing: "creating the tag")
    }
    return try tagInfo(name: name, target: tag)
  }

  /// Every tag, by name.
  public func tags() throws -> [TagInfo] {
    let references: [(name: String, target: ObjectID)]
    do {
      references = try repository.references(withPrefix: Self.tagPrefix)
    } catch let error as GitError {
      throw AnnostoreError.git(error, doing: "listing tags")
    }
    return try references.map {
      try tagInfo(name: String($0.name.dropFirst(Self.tagPrefix.count)), target: $0.target)
    }
  }

  private func tagInfo(name: String, target: ObjectID) throws -> TagInfo {
    do {
      let object = try repository.object(target)
      let commit = try repository.resolveCommit(Self.tagPrefix + name)
      guard object.kind == .tag else {
        return TagInfo(
          name: name, commit: commit.description, message: "", tagger: nil, annotated: false)
      }
      let tag = TagObject(content: object.bytes)
      return TagInfo(
        name: name, commit: commit.description, message: tag.message, tagger: tag.taggerIdentity,
        annotated: true)
    } catch let error as GitError {
      throw AnnostoreError.git(error, doing: "reading tag \(name)")
    }
  }

  private func existingReference(_ name: String) throws -> ObjectID? {
    do {
      return try repository.reference(name)
    } catch let error as GitError {
      if error.kind == .notFound { return nil }
      throw AnnostoreError.git(error, doing: "reading \(name)")
    }
  }
}
