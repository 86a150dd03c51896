import AnnostoreGit
import AnnostoreModel

/// Where each kind of record lives in a commit's tree (docs/STORE-FORMAT.md).
public enum StoreLayout {
  /// The version of the store format this program writes and reads.
  public static let formatVersion = 1
  /// The git config key that marks a repository as an annostore store.
  public static let configMarker = "annostore.format"
  /// The branch that holds the store's history.
  public static let branch = "refs/heads/main"
  /// Name of the format marker file at the root of every commit.
  public static let markerFile = "annostore.json"
  /// Directory holding one subdirectory per dataset.
  public static let datasetsDirectory = "datasets"
  /// Name of the per-dataset record.
  public static let datasetFile = "dataset.json"

  /// The canonical content of `annostore.json`.
  public static var markerDocument: JSONValue {
    .object([
      JSONMember("format", .string("annostore")),
      JSONMember(
        "sharding",
        .object([
          JSONMember("hash", .string("sha1")),
          JSONMember("levels", .array([.number(2), .number(2)])),
        ])),
      JSONMember("version", .number(Double(formatVersion))),
    ])
  }

  /// The two shard directory names of a record id: the first four hex digits of the
  /// SHA-1 of its UTF-8 bytes, two per level.
  public static func shard(of id: String) -> (String, String) {
    let hex = GitObjectFormat.sha1Hex(Array(id.utf8))
    let first = hex.prefix(2)
    let second = hex.dropFirst(2).prefix(2)
    return (String(first), String(second))
  }

  /// The file name of a record.
  public static func fileName(of id: String) -> String { id + ".json" }

  /// The record id a file name stands for, nil when the name is not `<token>.json`.
  public static func id(fromFileName name: String) -> String? {
    guard name.hasSuffix(".json") else { return nil }
    let id = String(name.dropLast(5))
    return RecordID.isValid(id) ? id : nil
  }
}

/// The four kinds of records a dataset holds, with their directory in the tree.
public enum RecordKind: String, CaseIterable, Sendable {
  case annotations
  case connections
  case properties
  case values

  /// Whether files of this kind sit in `<aa>/<bb>` shard directories.
  public var isSharded: Bool { self != .properties }

  /// The directory of this kind inside a dataset's tree.
  public var directory: String { rawValue }

  /// The export section that carries this kind.
  public var section: ExportSection {
    switch self {
    case .annotations: return .annotations
    case .connections: return .annotationConnections
    case .properties: return .annotationProperties
    case .values: return .annotationPropertyValues
    }
  }
}
