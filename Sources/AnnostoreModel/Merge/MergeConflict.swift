/// One of the three versions a three-way merge compares.
public enum MergeSide: String, Sendable, CaseIterable {
  /// The common ancestor.
  case base
  /// The branch being merged into.
  case ours
  /// The side being merged in (the import).
  case theirs
}

/// A place where a three-way merge cannot decide: both sides changed the same thing
/// differently. Plain data; `nil` for a side means "absent" (distinct from JSON `null`).
public struct MergeConflict: Sendable, Equatable {
  /// What kind of disagreement this is.
  public enum Kind: String, Sendable, CaseIterable {
    /// Both sides changed one field (or one property-value leaf) differently.
    case field
    /// Both sides added a record with this id, with different content.
    case addAdd = "add/add"
    /// One side deleted the record, the other changed it.
    case deleteModify = "delete/modify"
  }

  /// What kind of disagreement this is.
  public var kind: Kind
  /// The id of the record (for property values: the annotation id).
  public var recordId: String
  /// Where inside the record: empty for the whole record, `["tags"]` for a field, and for
  /// property values the path inside the values object (`[propertyId, sub, ...]`).
  public var path: [String]
  /// The base version at `path`, nil when absent.
  public var base: JSONValue?
  /// Our version at `path`, nil when absent.
  public var ours: JSONValue?
  /// Their version at `path`, nil when absent.
  public var theirs: JSONValue?

  /// A conflict as given.
  public init(
    kind: Kind, recordId: String, path: [String], base: JSONValue?, ours: JSONValue?,
    theirs: JSONValue?
  ) {
    self.kind = kind
    self.recordId = recordId
    self.path = path
    self.base = base
    self.ours = ours
    self.theirs = theirs
  }

  /// The version of one side at `path` (nil when absent).
  public func value(of side: MergeSide) -> JSONValue? {
    switch side {
    case .base: return base
    case .ours: return ours
    case .theirs: return theirs
    }
  }

  /// Whether the conflict concerns the whole record rather than one field.
  public var isRecordLevel: Bool { path.isEmpty }

  /// The path as one string, `/`-separated (`tags`, `prop1/Area`); empty for a record.
  public var pathText: String { path.joined(separator: "/") }
}

/// The outcome of merging one record.
public struct RecordMergeResult: Sendable, Equatable {
  /// The merged record, nil when it is deleted. Where conflicts remain, it holds our side
  /// of each (for a record-level conflict: our whole record, or nil when we deleted it).
  public var merged: JSONValue?
  /// What could not be decided, in field order.
  public var conflicts: [MergeConflict]

  /// A result as given.
  public init(merged: JSONValue?, conflicts: [MergeConflict] = []) {
    self.merged = merged
    self.conflicts = conflicts
  }

  /// Whether the merge decided everything.
  public var isClean: Bool { conflicts.isEmpty }
}
