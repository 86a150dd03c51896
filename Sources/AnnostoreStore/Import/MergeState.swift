import AnnostoreGit
import AnnostoreModel
import Foundation

/// A merge stopped on conflicts (`import --on-conflict manual`), saved in the repository
/// directory (`annostore-merge/state.json`) until `merge --continue` or `merge --abort`.
/// Its objects (the import commit, the pending dataset tree) are already in the store;
/// no ref has moved.
struct MergeState {
  var dataset: String
  var source: String
  var file: String
  /// The commit message `merge --continue` writes.
  var message: String
  var author: Identity
  /// The branch head the merge started from (the branch must still be there).
  var ours: ObjectID
  /// The import commit being merged.
  var theirs: ObjectID
  var base: ObjectID?
  /// The side ref of the import, and what it pointed at before (nil: did not exist).
  var importRef: String
  var importRefBefore: ObjectID?
  /// The dataset's tree with clean changes applied and conflicted records provisional.
  var pendingDataset: ObjectID?
  var conflicts: [RecordConflict]
  /// References the merge dropped already (values and connections, changed on both sides,
  /// of annotations it deleted).
  var droppedInMerge: DroppedCounts
  /// The root tree the settled dataset goes into, when it is not ours' own: a pull that
  /// stopped on one dataset has merged every other dataset into it already.
  var oursRoot: ObjectID? = nil

  static let directoryName = "annostore-merge"

  static func directory(of storePath: String) -> String {
    (storePath as NSString).appendingPathComponent(directoryName)
  }

  static func file(of storePath: String) -> String {
    (directory(of: storePath) as NSString).appendingPathComponent("state.json")
  }

  /// Whether a merge is in progress in the store at `storePath`.
  static func exists(in storePath: String) -> Bool {
    FileManager.default.fileExists(atPath: file(of: storePath))
  }

  /// Loads the saved state; nil when no merge is in progress.
  static func load(from storePath: String) throws -> MergeState? {
    let path = file(of: storePath)
    guard let data = FileManager.default.contents(atPath: path) else { return nil }
    do {
      return try MergeState(json: try JSONParser.parse(Array(data)))
    } catch let error as AnnostoreError {
      throw error
    } catch {
      throw damaged(path, "\(error)")
    }
  }

  /// Saves the state (write to a temporary file, then rename: never half written).
  func save(to storePath: String) throws {
    let directory = Self.directory(of: storePath)
    let path = Self.file(of: storePath)
    do {
      try FileManager.default.createDirectory(
        atPath: directory, withIntermediateDirectories: true)
      let temporary = path + ".tmp"
      try Data(CanonicalJSON.fileBytes(json)).write(to: URL(fileURLWithPath: temporary))
      if rename(temporary, path) != 0 {
        throw AnnostoreError(
          .other, "cannot save the merge state to \(path): \(String(cString: strerror(errno)))")
      }
    } catch let error as AnnostoreError {
      throw error
    } catch {
      throw AnnostoreError(.other, "cannot save the merge state to \(path): \(error)")
    }
  }

  /// Removes the saved state.
  static func remove(from storePath: String) throws {
    let directory = directory(of: storePath)
    guard FileManager.default.fileExists(atPath: directory) else { return }
    do {
      try FileManager.default.removeItem(atPath: directory)
    } catch {
      throw AnnostoreError(.other, "cannot remove \(directory): \(error)")
    }
  }

  private static func damaged(_ path: String, _ problem: String) -> AnnostoreError {
    AnnostoreError(
      .other, "the merge state \(path) is unreadable: \(problem)",
      hint: "Run `annostore merge --abort` to drop the merge (the branch is untouched).")
  }
}

/// Dangling references dropped, by kind.
public struct DroppedCounts: Sendable, Equatable {
  /// Property-values files (one per annotation).
  public var values = 0
  /// Connections.
  public var connections = 0

  /// Counts as given.
  public init(values: Int = 0, connections: Int = 0) {
    self.values = values
    self.connections = connections
  }

  /// Both counts together.
  public var total: Int { values + connections }
}

// MARK: - JSON form

extension MergeState {
  var json: JSONValue {
    func id(_ value: ObjectID?) -> JSONValue { value.map { .string($0.hex) } ?? .null }
    return .object(
      [
        JSONMember("version", .number(1)),
        JSONMember("dataset", .string(dataset)),
        JSONMember("source", .string(source)),
        JSONMember("file", .string(file)),
        JSONMember("message", .string(message)),
        JSONMember("authorName", .string(author.name)),
        JSONMember("authorEmail", .string(author.email)),
        JSONMember("ours", id(ours)),
        JSONMember("theirs", id(theirs)),
        JSONMember("base", id(base)),
        JSONMember("importRef", .string(importRef)),
        JSONMember("importRefBefore", id(importRefBefore)),
        JSONMember("pendingDataset", id(pendingDataset)),
        JSONMember(
          "droppedInMerge",
          .object([
            JSONMember("values", .number(Double(droppedInMerge.values))),
            JSONMember("connections", .number(Double(droppedInMerge.connections))),
          ])),
        JSONMember("conflicts", .array(conflicts.map(ConflictJSON.encode))),
      ] + (oursRoot.map { [JSONMember("oursRoot", .string($0.hex))] } ?? []))
  }

  init(json: JSONValue) throws {
    func string(_ key: String) throws -> String {
      guard let value = json[key]?.stringValue else { throw StateError("no \"\(key)\"") }
      return value
    }
    func id(_ key: String) throws -> ObjectID? {
      guard let value = json[key] else { throw StateError("no \"\(key)\"") }
      if value == .null { return nil }
      guard let text = value.stringValue, let id = ObjectID(hex: text) else {
        throw StateError("\"\(key)\" is not an object id")
      }
      return id
    }
    func required(_ key: String) throws -> ObjectID {
      guard let value = try id(key) else { throw StateError("\"\(key)\" is null") }
      return value
    }
    guard json["version"]?.numberValue == 1 else { throw StateError("unknown version") }
    dataset = try string("dataset")
    source = try string("source")
    file = try string("file")
    message = try string("message")
    author = Identity(name: try string("authorName"), email: try string("authorEmail"))
    ours = try required("ours")
    theirs = try required("theirs")
    base = try id("base")
    importRef = try string("importRef")
    importRefBefore = try id("importRefBefore")
    pendingDataset = try id("pendingDataset")
    let dropped = json["droppedInMerge"]
    droppedInMerge = DroppedCounts(
      values: Int(dropped?["values"]?.numberValue ?? 0),
      connections: Int(dropped?["connections"]?.numberValue ?? 0))
    oursRoot = json["oursRoot"] == nil ? nil : try id("oursRoot")
    guard let list = json["conflicts"]?.arrayElements else { throw StateError("no conflicts") }
    conflicts = try list.map(ConflictJSON.decode)
  }
}

struct StateError: Error, CustomStringConvertible {
  var description: String
  init(_ description: String) { self.description = description }
}
