/// What an annotation looked like, in the few fields a person recognises it by: enough to
/// describe an added or removed annotation without carrying its whole outline.
public struct AnnotationSketch: Equatable, Sendable {
  public var shape: String?
  public var tags: [String]
  /// `location` as stored (0-based `XY`, `Z`, `Time`), nil when absent.
  public var location: JSONValue?
  public var channel: JSONValue?
  public var name: JSONValue?
  public var color: JSONValue?
  /// How many coordinates the outline has.
  public var vertices: Int

  public init(
    shape: String?, tags: [String], location: JSONValue?, channel: JSONValue?,
    name: JSONValue? = nil, color: JSONValue? = nil, vertices: Int
  ) {
    self.shape = shape
    self.tags = tags
    self.location = location
    self.channel = channel
    self.name = name
    self.color = color
    self.vertices = vertices
  }

  /// The sketch of an annotation document.
  public init(_ document: JSONValue) {
    shape = document["shape"]?.stringValue
    tags = (document["tags"]?.arrayElements ?? []).compactMap(\.stringValue)
    location = document["location"]
    channel = document["channel"]
    name = document["name"]
    color = document["color"]
    vertices = document["coordinates"]?.arrayElements?.count ?? 0
  }
}

/// How one record differs between two revisions, keeping of each side a `Version`: an
/// `AnnotationSketch` for an annotation (`AnnotationDiff`), the whole document for a
/// connection or property definition (`RecordDiff`). One type, so that every kind of record
/// carries its change the same way.
public struct RecordChange<Version: Equatable & Sendable>: Equatable, Sendable {
  public var id: String
  public var change: ChangeType
  /// The record in the older revision, nil when added.
  public var before: Version?
  /// The record in the newer revision, nil when removed.
  public var after: Version?
  /// The fields that differ, for a modified record.
  public var fields: [FieldChange]

  public init(
    id: String, change: ChangeType, before: Version?, after: Version?,
    fields: [FieldChange] = []
  ) {
    self.id = id
    self.change = change
    self.before = before
    self.after = after
    self.fields = fields
  }
}

/// How one annotation differs between two revisions.
public typealias AnnotationDiff = RecordChange<AnnotationSketch>

extension RecordChange where Version == AnnotationSketch {
  /// The tags the annotation is counted under per tag: those it had and those it has.
  public var countedTags: [String] {
    TagsChange.unique((before?.tags ?? []) + (after?.tags ?? []))
  }
}

/// How one connection or property definition differs between two revisions. Both are
/// small, so the whole documents are kept.
public typealias RecordDiff = RecordChange<JSONValue>

/// How one annotation's property values differ between two revisions.
public struct ValuesDiff: Equatable, Sendable {
  /// The annotation the values belong to.
  public var id: String
  /// Added: the annotation had no values before; removed: it has none after.
  public var change: ChangeType
  /// Every leaf value that differs.
  public var entries: [ValueEntryChange]

  public init(id: String, change: ChangeType, entries: [ValueEntryChange]) {
    self.id = id
    self.change = change
    self.entries = entries
  }
}

/// One leaf of an annotation's property values that differs.
public struct ValueEntryChange: Equatable, Sendable {
  /// The property id, then the sub-keys down to the leaf.
  public var path: [String]
  /// The CSV column name of the path (`nucleus Blob Metrics / Area`, FORMAT.md §4.2).
  public var column: String
  /// The leaf before and after; nil where the path does not exist (not the same as `null`).
  public var before: JSONValue?
  public var after: JSONValue?

  public init(path: [String], column: String, before: JSONValue?, after: JSONValue?) {
    self.path = path
    self.column = column
    self.before = before
    self.after = after
  }

  /// Whether the leaf appeared, disappeared or changed.
  public var change: ChangeType {
    if before == nil { return .added }
    if after == nil { return .removed }
    return .modified
  }
}
