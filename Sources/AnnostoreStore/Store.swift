import AnnostoreGit
import AnnostoreModel
import Foundation

/// An open annostore store: a bare git repository marked with `annostore.format`.
/// Not Sendable: one owner at a time, like the repository handle inside it.
public final class Store {
  /// The git repository behind the store.
  let repository: Repository

  /// The store's directory.
  public var path: String { repository.path }

  init(repository: Repository) {
    self.repository = repository
  }

  /// Makes a new, empty store at `path` (the directory may exist but must be empty).
  public static func create(at path: String) throws -> Store {
    let fileManager = FileManager.default
    var isDirectory: ObjCBool = false
    if fileManager.fileExists(atPath: path, isDirectory: &isDirectory) {
      guard isDirectory.boolValue else {
        throw AnnostoreError(
          .usage, "\(path) exists and is not a directory",
          hint: "Choose a new path for the store.")
      }
      let contents = (try? fileManager.contentsOfDirectory(atPath: path)) ?? []
      guard contents.isEmpty else {
        let what = isStore(at: path) ? "already holds a store" : "is not empty"
        throw AnnostoreError(
          .usage, "\(path) \(what)", hint: "Choose a new or empty directory for the store.")
      }
    }
    do {
      let repository = try Repository.create(at: path, branch: "main")
      try repository.setConfigString(StoreLayout.configMarker, String(StoreLayout.formatVersion))
      return Store(repository: repository)
    } catch let error as GitError {
      throw AnnostoreError.git(error, doing: "creating the store at \(path)")
    }
  }

  /// Opens the store at `path` exactly.
  public static func open(at path: String) throws -> Store {
    guard isStore(at: path) else {
      throw AnnostoreError(
        .notAStore, "\(path) is not an annostore store",
        hint: "Create one with `annostore init PATH`, or name an existing store with -C PATH.")
    }
    do {
      let repository = try Repository.open(at: path)
      let marker = try repository.configString(StoreLayout.configMarker)
      guard let marker, let version = Int(marker) else {
        throw AnnostoreError(
          .notAStore, "\(path) is a git repository but not an annostore store",
          hint: "Create a store with `annostore init PATH`.")
      }
      guard version <= StoreLayout.formatVersion else {
        throw AnnostoreError(
          .other,
          "\(path) uses store format \(version); this annostore reads up to "
            + "\(StoreLayout.formatVersion)",
          hint: "Upgrade annostore.")
      }
      return Store(repository: repository)
    } catch let error as GitError {
      throw AnnostoreError.git(error, doing: "opening the store at \(path)")
    }
  }

  /// Finds the store: `explicitPath` if given, else the current directory or the nearest
  /// directory above it that is a store.
  public static func locate(explicitPath: String?) throws -> Store {
    if let explicitPath { return try open(at: explicitPath) }
    var directory = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
      .standardizedFileURL
    while true {
      if isStore(at: directory.path) { return try open(at: directory.path) }
      let parent = directory.deletingLastPathComponent()
      if parent.path == directory.path { break }
      directory = parent
    }
    throw AnnostoreError(
      .notAStore, "no annostore store here or in any directory above",
      hint: "Run the command inside a store, name one with -C PATH, or create one with "
        + "`annostore init PATH`.")
  }

  /// A cheap test that `path` looks like a bare repository carrying the store marker.
  static func isStore(at path: String) -> Bool {
    let config = (path as NSString).appendingPathComponent("config")
    guard let text = try? String(contentsOfFile: config, encoding: .utf8) else { return false }
    let head = (path as NSString).appendingPathComponent("HEAD")
    guard FileManager.default.fileExists(atPath: head) else { return false }
    return text.contains("[annostore]")
  }

  /// The commit the branch points at, nil before the first commit.
  func headCommit() throws -> ObjectID? {
    do {
      return try repository.reference(StoreLayout.branch)
    } catch let error as GitError {
      throw AnnostoreError.git(error, doing: "reading the branch")
    }
  }

  /// Resolves a revision name to a commit, with a helpful error.
  func resolve(_ revision: String) throws -> ObjectID {
    do {
      return try repository.resolveCommit(revision)
    } catch let error as GitError {
      if error.kind == .notFound || error.kind == .ambiguous || error.kind == .invalid {
        throw AnnostoreError(
          .usage, "revision \"\(revision)\" names no commit in this store (\(error.message))",
          hint: "See `annostore log` for the revisions there are.")
      }
      throw AnnostoreError.git(error, doing: "resolving \(revision)")
    }
  }

  /// Resolves an optional revision: nil means the branch head, which must exist.
  func resolveOrHead(_ revision: String?) throws -> ObjectID {
    if let revision { return try resolve(revision) }
    guard let head = try headCommit() else {
      throw AnnostoreError(
        .usage, "the store has no commits yet",
        hint: "Record an export first: `annostore commit EXPORT.json --dataset NAME`.")
    }
    return head
  }
}
